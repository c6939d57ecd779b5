package web

import (
	"errors"
	"net/http"
	"strings"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

type catalogData struct {
	*Shell
	Q       string
	Columns []reqColumn
	Matches int
}

func (h *handler) catalogPage(w http.ResponseWriter, r *http.Request) {
	sh, err := h.catalogShell(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh.Title, sh.Section = i18n.T("web.catalog.title"), "catalog"
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := &catalogData{Shell: sh, Q: q}
	// The picker's columns serve here too: same sections, nothing ticked.
	for _, col := range h.requirementColumns(nil) {
		if q != "" {
			col.Sections = filterSections(col.Sections, q)
		}
		for _, s := range col.Sections {
			d.Matches += len(s.Items)
		}
		d.Columns = append(d.Columns, col)
	}
	h.render(w, r, http.StatusOK, "catalog", d)
}

// filterSections keeps the requirements whose ref or title contains q.
func filterSections(secs []reqSection, q string) []reqSection {
	q = strings.ToLower(q)
	var out []reqSection
	for _, s := range secs {
		var items []reqItem
		for _, it := range s.Items {
			if strings.Contains(strings.ToLower(it.Req.Ref), q) || strings.Contains(strings.ToLower(it.Req.Title), q) {
				items = append(items, it)
			}
		}
		if len(items) > 0 {
			s.Items = items
			out = append(out, s)
		}
	}
	return out
}

// catalogShell is the layout of a catalog page. The catalog is global; the
// organization in ?org= (or else the first one) keeps the navigation and the
// "linked controls" of a requirement tied to an organization.
func (h *handler) catalogShell(r *http.Request) (*Shell, error) {
	sh, err := h.shell(r, nil)
	if err != nil {
		return nil, err
	}
	slug := r.URL.Query().Get("org")
	if slug == "" && len(sh.Orgs) > 0 {
		slug = sh.Orgs[0].Slug
	}
	if slug == "" {
		return sh, nil
	}
	// The organization is opened through the gate like any other page of
	// it: one the person does not belong to is simply not shown.
	sc, err := h.gate.Check(r.Context(), sh.scope.Principal, access.Org(auth.ResControl, auth.Read), slug)
	switch {
	case err == nil:
		org := sc.Org.Org()
		sh.Org, sh.scope = &org, sc
	case errors.Is(err, domain.ErrNotFound) || errors.Is(err, access.ErrForbidden):
	default:
		return nil, err
	}
	return sh, nil
}

type crossLink struct {
	Other        *catalog.Requirement
	Relationship string
	Rationale    string
}

type requirementData struct {
	*Shell
	Req      *catalog.Requirement
	Std      *catalog.Standard
	Group    catalog.Group
	Parent   *catalog.Requirement
	Children []*catalog.Requirement
	Links    []crossLink
	Controls []domain.Control
	Total    int
	AllURL   string
}

// linkedPreview is how many linked controls the requirement page lists.
const linkedPreview = 10

func (h *handler) requirementPage(w http.ResponseWriter, r *http.Request) {
	req := h.cat.Requirement(r.PathValue("std") + "/" + r.PathValue("ref"))
	if req == nil {
		h.notFound(w, r)
		return
	}
	sh, err := h.catalogShell(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	std := h.cat.Standard(req.Standard)
	sh.Title, sh.Section = std.Title+" "+req.Ref+" "+req.Title, "catalog"
	d := &requirementData{Shell: sh, Req: req, Std: std, Group: std.Group(req.Group), Parent: h.cat.Requirement(req.Parent)}
	for _, other := range std.Requirements {
		if other.Parent == req.Key {
			d.Children = append(d.Children, other)
		}
	}
	links := h.cat.LinksOf(req.Key)
	keys := make([]string, 0, len(links))
	byKey := map[string]catalog.Link{}
	for _, l := range links {
		k := l.Counterpart(req.Key)
		keys = append(keys, k)
		byKey[k] = l
	}
	h.cat.SortKeys(keys)
	for _, k := range keys {
		if other := h.cat.Requirement(k); other != nil {
			d.Links = append(d.Links, crossLink{Other: other, Relationship: byKey[k].Relationship, Rationale: byKey[k].Rationale})
		}
	}
	if sh.Org != nil {
		page, total, err := sh.scope.Org.ListControls(r.Context(), domain.ControlFilter{Requirement: req.Key, Limit: linkedPreview})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Controls, d.Total = page.Items, total
		d.AllURL = controlsQuery(sh.Org.Slug, "requirement", req.Key)
	}
	h.render(w, r, http.StatusOK, "requirement", d)
}
