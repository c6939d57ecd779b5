package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

type membersData struct {
	*Shell
	List     []store.Member
	Next     string
	Roles    []auth.Role
	Form     memberForm
	Errors   *domain.ValidationError
	Password string // a new user's first password, shown once
	NewEmail string
}

type memberForm struct {
	Email, Name, Role, Expires string
}

// memberListSize is one page of the members page.
const memberListSize = 100

func (h *handler) memberList(w http.ResponseWriter, r *http.Request) {
	h.renderMembers(w, r, http.StatusOK, memberForm{Role: string(auth.RoleViewer)}, nil, "", "")
}

// memberSet gives a person a role. Someone who is not yet a user of the
// instance is added with a generated first password, shown once to the
// administrator to pass on.
func (h *handler) memberSet(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	sc := scope(r)
	f := memberForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Name: r.PostForm.Get("name"),
		Role: r.PostForm.Get("role"), Expires: r.PostForm.Get("expires")}
	v := &domain.ValidationError{}
	var expires *time.Time
	if f.Expires != "" {
		// The grant lasts through the day chosen, in the organization's time zone.
		loc, err := time.LoadLocation(sc.Org.Org().TimeZone)
		if err != nil {
			loc = time.UTC
		}
		day, err := time.ParseInLocation("2006-01-02", f.Expires, loc)
		if err != nil {
			v.Add("expires", "error.date", f.Expires)
		} else {
			end := day.AddDate(0, 0, 1).UTC()
			expires = &end
		}
	}
	if err := v.Err(); err != nil {
		h.renderMembers(w, r, http.StatusUnprocessableEntity, f, v, "", "")
		return
	}
	password := ""
	if _, err := h.st.UserByEmail(r.Context(), f.Email); errors.Is(err, domain.ErrNotFound) && f.Email != "" && auth.ValidRole(f.Role) {
		password = auth.GeneratePassword()
		if _, err := h.st.CreateUser(r.Context(), sc.Actor(), domain.UserInput{Email: f.Email, Name: f.Name, Password: password}); err != nil {
			if v, ok := domain.AsValidation(err); ok {
				h.renderMembers(w, r, http.StatusUnprocessableEntity, f, v, "", "")
				return
			}
			h.fail(w, r, err)
			return
		}
	}
	err := sc.Org.SetMembership(r.Context(), sc.Actor(), f.Email, f.Role, expires)
	if v, ok := domain.AsValidation(err); ok {
		h.renderMembers(w, r, http.StatusUnprocessableEntity, f, v, "", "")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if password != "" {
		// The password cannot travel in a redirect; the page is shown directly.
		h.renderMembers(w, r, http.StatusCreated, memberForm{Role: string(auth.RoleViewer)}, nil, password, strings.ToLower(f.Email))
		return
	}
	http.Redirect(w, r, "/orgs/"+sc.Org.Org().Slug+"/members?notice=member_saved", http.StatusSeeOther)
}

func (h *handler) memberRemove(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	sc := scope(r)
	err := sc.Org.RemoveMembership(r.Context(), sc.Actor(), r.PostForm.Get("email"))
	if v, ok := domain.AsValidation(err); ok {
		h.renderMembers(w, r, http.StatusUnprocessableEntity, memberForm{Role: string(auth.RoleViewer)}, v, "", "")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/orgs/"+sc.Org.Org().Slug+"/members?notice=member_removed", http.StatusSeeOther)
}

func (h *handler) renderMembers(w http.ResponseWriter, r *http.Request, status int, f memberForm, v *domain.ValidationError, password, newEmail string) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	sh.Title, sh.Section = i18n.T("web.members.title"), "members"
	page, err := o.Members(r.Context(), memberListSize, r.URL.Query().Get("cursor"))
	if _, bad := domain.AsValidation(err); bad {
		page, err = o.Members(r.Context(), memberListSize, "")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v == nil {
		v = &domain.ValidationError{}
	} else {
		sh.Error = i18n.T("web.form.fix_errors")
	}
	d := &membersData{Shell: sh, List: page.Items, Roles: auth.Roles, Form: f, Errors: v, Password: password, NewEmail: newEmail}
	if page.Next != nil {
		d.Next = *page.Next
	}
	h.render(w, r, status, "members", d)
}
