package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tandem/internal/access"
	"tandem/internal/i18n"
)

type loginData struct {
	*Shell
	Email string
	Next  string
	SSO   string // the single sign-on button's label; empty: SSO is off
}

func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if scope(r).Principal != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.renderLogin(w, r, http.StatusOK, "", r.URL.Query().Get("next"), "")
}

func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	email, next := r.PostForm.Get("email"), r.PostForm.Get("next")
	_, err := h.gate.SignIn(w, r, email, r.PostForm.Get("password"))
	switch {
	case err == nil:
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	case errors.Is(err, access.ErrBadCredentials):
		h.renderLogin(w, r, http.StatusUnauthorized, email, next, "web.login.failed")
	case errors.Is(err, access.ErrThrottled):
		h.renderLogin(w, r, http.StatusTooManyRequests, email, next, "web.login.throttled")
	default:
		h.fail(w, r, err)
	}
}

func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.gate.SignOut(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/login?notice=signed_out", http.StatusSeeOther)
}

func (h *handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, email, next, problem string) {
	sh := &Shell{Title: i18n.T("web.login.title"), Section: "login", scope: scope(r), loc: time.UTC}
	if id, ok := notices[r.URL.Query().Get("notice")]; ok {
		sh.Notice = id
	}
	if problem != "" {
		sh.Error = i18n.T(problem)
	}
	data := &loginData{Shell: sh, Email: email, Next: safeNext(next)}
	if h.gate.OIDC != nil {
		data.SSO = h.gate.OIDC.Name()
	}
	h.render(w, r, status, "login", data)
}

// toLogin sends a visitor who is not signed in to the sign-in page, and
// back to the page they asked for afterwards (forms cannot be resumed, so
// only a GET comes back).
func (h *handler) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext keeps a return address on this site: a path, never another
// host ("//evil.example", "/\evil.example").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
