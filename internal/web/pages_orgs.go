package web

import (
	"net/http"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

type orgsData struct {
	*Shell
	List   []domain.Org
	Next   string // cursor of the next page of organizations
	Form   domain.OrgInput
	Errors *domain.ValidationError
}

func (h *handler) orgList(w http.ResponseWriter, r *http.Request) {
	h.renderOrgs(w, r, http.StatusOK, domain.OrgInput{TimeZone: "UTC"}, nil)
}

func (h *handler) orgCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	in := domain.OrgInput{Slug: r.PostForm.Get("slug"), Name: r.PostForm.Get("name"), TimeZone: r.PostForm.Get("time_zone")}
	org, err := h.st.CreateOrg(r.Context(), actor(r), in)
	if v, ok := domain.AsValidation(err); ok {
		h.renderOrgs(w, r, http.StatusUnprocessableEntity, in, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/orgs/"+org.Slug+"/?notice=org", http.StatusSeeOther)
}

// orgListSize is one page of the organizations page.
const orgListSize = 100

func (h *handler) renderOrgs(w http.ResponseWriter, r *http.Request, status int, form domain.OrgInput, v *domain.ValidationError) {
	sh, err := h.shell(r, nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh.Title, sh.Section = i18n.T("web.orgs.title"), "orgs"
	p := scope(r).Principal
	page, err := h.gate.Orgs(r.Context(), p, orgListSize, r.URL.Query().Get("cursor"))
	if _, ok := domain.AsValidation(err); ok {
		// A cursor we did not issue: show the first page.
		page, err = h.gate.Orgs(r.Context(), p, orgListSize, "")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &orgsData{Shell: sh, List: page.Items, Form: form, Errors: v}
	if page.Next != nil {
		d.Next = *page.Next
	}
	if v == nil {
		d.Errors = &domain.ValidationError{}
	}
	h.render(w, r, status, "orgs", d)
}

// badForm answers a body that cannot be parsed (too large or malformed).
func (h *handler) badForm(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusBadRequest, "web.error.bad_form")
}
