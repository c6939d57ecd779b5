package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
)

// listSize is one page of the control library.
const listSize = 50

// listFilter is the filter form exactly as typed, so it can be shown again.
type listFilter struct {
	Standard, Scope, Status, Owner, Theme, Requirement, Q, Cursor string
}

// filter is the store's filter for the typed form, with the requirement
// resolved to its key.
func (f listFilter) filter(requirementKey string, limit int) domain.ControlFilter {
	return domain.ControlFilter{Standard: f.Standard, Requirement: requirementKey, Status: f.Status, Scope: f.Scope,
		Owner: f.Owner, Theme: f.Theme, Text: f.Q, Limit: limit, Cursor: f.Cursor}
}

func readListFilter(q url.Values) listFilter {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return listFilter{Standard: get("standard"), Scope: get("scope"), Status: get("status"),
		Owner: get("owner"), Theme: get("theme"), Requirement: get("requirement"), Q: get("q"), Cursor: get("cursor")}
}

// values is the filter as URL parameters, without the cursor.
func (f listFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"standard": f.Standard, "scope": f.Scope, "status": f.Status,
		"owner": f.Owner, "theme": f.Theme, "requirement": f.Requirement, "q": f.Q} {
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
	XLSXURL   string // the whole filtered register as a download
	CSVURL    string
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
	d.XLSXURL, d.CSVURL = sh.OrgPath("controls.xlsx"), sh.OrgPath("controls.csv")
	if q := f.values(); len(q) > 0 {
		d.XLSXURL += "?" + q.Encode()
		d.CSVURL += "?" + q.Encode()
	}

	key, problem := h.resolveRequirement(f.Requirement, f.Standard)
	if problem != "" {
		d.Errors.Add("requirement", problem, f.Requirement, f.Requirement)
		h.render(w, r, http.StatusUnprocessableEntity, "controls", d)
		return
	}
	d.Req = h.cat.Requirement(key)
	filter := f.filter(key, listSize)
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

// controlExport downloads every control matching the library's filters
// (the cursor does not apply) as XLSX or CSV, read from the store and
// written a page at a time. A filter that cannot be read shows the control
// library with its errors instead.
func (h *handler) controlExport(format string) http.HandlerFunc {
	write, contentType := report.ControlsCSV, "text/csv; charset=utf-8"
	if format == "xlsx" {
		write, contentType = report.ControlsXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		o, sh, ok := h.orgScope(w, r)
		if !ok {
			return
		}
		f := readListFilter(r.URL.Query())
		key, problem := h.resolveRequirement(f.Requirement, f.Standard)
		if problem != "" {
			h.controlList(w, r)
			return
		}
		filter := f.filter(key, store.MaxLimit)
		filter.Cursor = ""
		first, _, err := o.ListControls(r.Context(), filter)
		if _, ok := domain.AsValidation(err); ok {
			h.controlList(w, r)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Disposition", `attachment; filename="`+sh.Org.Slug+`-controls.`+format+`"`)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		next := report.Paged(r.Context(), first, func(ctx context.Context, cursor string) (domain.Page[domain.Control], error) {
			filter.Cursor = cursor
			page, _, err := o.ListControls(ctx, filter)
			return page, err
		})
		if err := write(w, *sh.Org, next); err != nil {
			// The status is sent: break the connection, so the browser
			// reports a failed download instead of keeping a file cut short.
			h.log.Error("control export failed", "path", r.URL.Path, "err", err)
			panic(http.ErrAbortHandler)
		}
	}
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
