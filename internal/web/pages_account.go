package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"tandem/internal/access"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

type accountData struct {
	*Shell
	Memberships []domain.Membership
	Tokens      []domain.Token
	NewToken    string // a token's secret, shown once
	TokenForm   tokenForm
	Errors      *domain.ValidationError
	Lifetimes   []int // token lifetimes offered, in days
	Now         time.Time
}

type tokenForm struct {
	Name string
	Days int
}

// tokenLifetimes are the expiries offered for a new token, in days.
var tokenLifetimes = []int{7, 30, 90, 365}

func (h *handler) account(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, http.StatusOK, nil, "", tokenForm{Days: 90})
}

func (h *handler) passwordChange(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	next := r.PostForm.Get("new_password")
	v := &domain.ValidationError{}
	if next != r.PostForm.Get("confirm_password") {
		v.Add("confirm_password", "error.password_mismatch", nil)
		h.renderAccount(w, r, http.StatusUnprocessableEntity, v, "", tokenForm{Days: 90})
		return
	}
	err := h.gate.ChangePassword(w, r, r.PostForm.Get("current_password"), next)
	switch invalid, ok := domain.AsValidation(err); {
	case err == nil:
		http.Redirect(w, r, "/account?notice=password", http.StatusSeeOther)
	case ok:
		v.Fields = append(v.Fields, invalid.Fields...)
		for i := range v.Fields {
			if v.Fields[i].Field == "password" {
				v.Fields[i].Field = "new_password"
			}
		}
		h.renderAccount(w, r, http.StatusUnprocessableEntity, v, "", tokenForm{Days: 90})
	case errors.Is(err, access.ErrBadCredentials):
		v.Add("current_password", "error.password_wrong", nil)
		h.renderAccount(w, r, http.StatusUnprocessableEntity, v, "", tokenForm{Days: 90})
	case errors.Is(err, access.ErrThrottled):
		v.Add("current_password", "error.throttled", nil)
		h.renderAccount(w, r, http.StatusTooManyRequests, v, "", tokenForm{Days: 90})
	default:
		h.fail(w, r, err)
	}
}

// tokenCreate makes an API token for the signed-in user and shows its
// secret once, on the page itself (never in a redirect or a log).
func (h *handler) tokenCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	p := scope(r).Principal
	f := tokenForm{Name: r.PostForm.Get("name")}
	f.Days, _ = strconv.Atoi(r.PostForm.Get("days"))
	v := &domain.ValidationError{}
	if !validLifetime(f.Days) {
		v.Add("days", "error.one_of", f.Days, "7, 30, 90, 365")
		h.renderAccount(w, r, http.StatusUnprocessableEntity, v, "", f)
		return
	}
	until := time.Now().UTC().Add(time.Duration(f.Days) * 24 * time.Hour)
	secret, _, err := h.st.CreateToken(r.Context(), p.Actor(), p.User.ID, f.Name, &until)
	if invalid, ok := domain.AsValidation(err); ok {
		h.renderAccount(w, r, http.StatusUnprocessableEntity, invalid, "", f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAccount(w, r, http.StatusCreated, nil, secret, tokenForm{Days: 90})
}

func validLifetime(days int) bool {
	for _, d := range tokenLifetimes {
		if d == days {
			return true
		}
	}
	return false
}

func (h *handler) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	p := scope(r).Principal
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	// Scoped to the signed-in user: someone else's token is not found.
	if err := h.st.RevokeToken(r.Context(), p.Actor(), p.User.ID, id); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?notice=token_revoked", http.StatusSeeOther)
}

func (h *handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, v *domain.ValidationError, secret string, f tokenForm) {
	sh, err := h.shell(r, nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh.Title, sh.Section = i18n.T("web.account.title"), "account"
	p := sh.scope.Principal
	memberships, err := h.st.Memberships(r.Context(), p.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tokens, err := h.st.Tokens(r.Context(), p.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v == nil {
		v = &domain.ValidationError{}
	}
	h.render(w, r, status, "account", &accountData{Shell: sh, Memberships: memberships, Tokens: tokens,
		NewToken: secret, TokenForm: f, Errors: v, Lifetimes: tokenLifetimes, Now: time.Now()})
}
