package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// listSize is one page of the control library.
const listSize = 50

// listFilter is the filter form exactly as typed, so it can be shown again.
type listFilter struct {
	Standard, Scope, Status, Owner, Requirement, Q, Cursor string
}

func readListFilter(q url.Values) listFilter {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return listFilter{Standard: get("standard"), Scope: get("scope"), Status: get("status"),
		Owner: get("owner"), Requirement: get("requirement"), Q: get("q"), Cursor: get("cursor")}
}

// values is the filter as URL parameters, without the cursor.
func (f listFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"standard": f.Standard, "scope": f.Scope, "status": f.Status,
		"owner": f.Owner, "requirement": f.Requirement, "q": f.Q} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Active reports whether any filter is set (the page then offers to clear it).
func (f listFilter) Active() bool { return len(f.values()) > 0 }

type controlListData struct {
	*Shell
	Filter    listFilter
	Standards []*catalog.Standard
	Statuses  []string
	Scopes    []string
	Owners    []string
	Items     []domain.Control
	Total     int
	Req       *catalog.Requirement // the requirement filtered on, if any
	NextURL   string
	FirstURL  string
	Errors    *domain.ValidationError
}

func (h *handler) controlList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	sh.Title, sh.Section = i18n.T("web.controls.title"), "controls"
	f := readListFilter(r.URL.Query())
	d := &controlListData{Shell: sh, Filter: f, Standards: h.cat.Standards, Statuses: domain.Statuses,
		Scopes: domain.Scopes, Items: []domain.Control{}, Errors: &domain.ValidationError{}}
	owners, err := o.ControlOwners(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// An owner typed into the URL stays selectable, so the form shows the
	// filter that is in effect.
	if f.Owner != "" && !slices.Contains(owners, f.Owner) {
		owners = append(owners, f.Owner)
	}
	d.Owners = owners

	key, problem := h.resolveRequirement(f.Requirement, f.Standard)
	if problem != "" {
		d.Errors.Add("requirement", problem, f.Requirement, f.Requirement)
		h.render(w, r, http.StatusUnprocessableEntity, "controls", d)
		return
	}
	d.Req = h.cat.Requirement(key)
	filter := domain.ControlFilter{Standard: f.Standard, Requirement: key, Status: f.Status, Scope: f.Scope,
		Owner: f.Owner, Text: f.Q, Limit: listSize, Cursor: f.Cursor}
	page, total, err := o.ListControls(r.Context(), filter)
	if v, ok := domain.AsValidation(err); ok {
		d.Errors = v
		h.render(w, r, http.StatusUnprocessableEntity, "controls", d)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Items, d.Total = page.Items, total
	base := sh.OrgPath("controls")
	if page.Next != nil {
		q := f.values()
		q.Set("cursor", *page.Next)
		d.NextURL = base + "?" + q.Encode()
	}
	if f.Cursor != "" {
		d.FirstURL = base
		if q := f.values(); len(q) > 0 {
			d.FirstURL += "?" + q.Encode()
		}
	}
	h.render(w, r, http.StatusOK, "controls", d)
}

// resolveRequirement accepts a requirement key or, for convenience, a bare
// ref such as "A.5.1" when the standard filter or the catalog makes it
// unambiguous. It returns the key (or the input unchanged, for the store to
// judge) and a message id when the ref names requirements of two standards.
func (h *handler) resolveRequirement(in, standard string) (string, string) {
	if in == "" || strings.Contains(in, "/") {
		return in, ""
	}
	if standard != "" {
		return standard + "/" + in, ""
	}
	var found []string
	for _, s := range h.cat.Standards {
		if h.cat.HasRequirement(s.ID + "/" + in) {
			found = append(found, s.ID+"/"+in)
		}
	}
	switch len(found) {
	case 0:
		return in, ""
	case 1:
		return found[0], ""
	}
	return in, "web.error.requirement_ambiguous"
}
