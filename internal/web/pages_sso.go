package web

import (
	"errors"
	"net/http"

	"tandem/internal/access"
)

// ssoStart sends the browser to the instance's identity provider. Without
// a configured provider the route does not exist.
func (h *handler) ssoStart(w http.ResponseWriter, r *http.Request) {
	if h.gate.OIDC == nil {
		h.notFound(w, r)
		return
	}
	next := safeNext(r.URL.Query().Get("next"))
	if scope(r).Principal != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.gate.StartSSO(w, r, next)
}

// ssoCallback is where the provider sends the browser back: signed in, it
// goes on to the page it first asked for; refused, it sees the sign-in
// page with one message (the reason is in the log).
func (h *handler) ssoCallback(w http.ResponseWriter, r *http.Request) {
	if h.gate.OIDC == nil {
		h.notFound(w, r)
		return
	}
	_, next, err := h.gate.FinishSSO(w, r)
	switch {
	case err == nil:
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	case errors.Is(err, access.ErrSSONoAccount):
		h.renderLogin(w, r, http.StatusForbidden, "", next, "web.login.sso_no_account")
	case errors.Is(err, access.ErrSSOFailed):
		h.renderLogin(w, r, http.StatusUnauthorized, "", next, "web.login.sso_failed")
	default:
		h.fail(w, r, err)
	}
}
