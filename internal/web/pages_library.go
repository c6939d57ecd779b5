package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The reference control set: browse it by theme, see what the organization
// adopted, tick controls and adopt them.

type referenceFilter struct {
	Q, Standard, Theme string
}

// Active reports whether any filter is set.
func (f referenceFilter) Active() bool { return f.Q != "" || f.Standard != "" || f.Theme != "" }

type referenceItem struct {
	*catalog.ReferenceControl
	Adopted string // ref of the control that adopted it, or ""
	Links   []chipGroup
}

type referenceGroup struct {
	ID, Title string
	Items     []referenceItem
	Adopted   int
}

type adoptSummary struct {
	Created, Skipped int
}

type referenceData struct {
	*Shell
	Filter    referenceFilter
	Standards []*catalog.Standard
	Themes    []catalog.ReferenceTheme
	Groups    []referenceGroup
	Total     int // the whole set
	Adopted   int // of the whole set
	Shown     int // after the filters
	CanAdopt  bool
	Result    *adoptSummary
	Problem   string // why nothing was adopted
}

func (h *handler) referencePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var res *adoptSummary
	created, err1 := strconv.Atoi(q.Get("created"))
	skipped, err2 := strconv.Atoi(q.Get("skipped"))
	if err1 == nil && err2 == nil && created >= 0 && skipped >= 0 {
		res = &adoptSummary{Created: created, Skipped: skipped}
	}
	f := referenceFilter{Q: strings.TrimSpace(q.Get("q")), Standard: q.Get("standard"), Theme: q.Get("theme")}
	h.renderReference(w, r, http.StatusOK, f, res, "")
}

func (h *handler) renderReference(w http.ResponseWriter, r *http.Request, status int, f referenceFilter, res *adoptSummary, problem string) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	sh.Title, sh.Section = i18n.T("web.reference.title"), "controls"
	adopted, err := o.AdoptedReferences(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Unknown filter values are ignored rather than refused: they come
	// from the page's own menus.
	if h.cat.Standard(f.Standard) == nil {
		f.Standard = ""
	}
	if h.cat.ThemeTitle(f.Theme) == "" {
		f.Theme = ""
	}
	d := &referenceData{Shell: sh, Filter: f, Standards: h.cat.Standards, Themes: h.cat.ReferenceThemes,
		Total: len(h.cat.Reference), CanAdopt: sh.Can("control", "create"), Result: res, Problem: problem}
	for _, rc := range h.cat.Reference {
		if adopted[rc.ID] != "" {
			d.Adopted++
		}
	}
	index := map[string]int{}
	for _, rc := range h.cat.FilterReference(catalog.ReferenceFilter{Standard: f.Standard, Theme: f.Theme, Text: f.Q}) {
		i, ok := index[rc.Theme]
		if !ok {
			i = len(d.Groups)
			index[rc.Theme] = i
			d.Groups = append(d.Groups, referenceGroup{ID: rc.Theme, Title: h.cat.ThemeTitle(rc.Theme)})
		}
		item := referenceItem{ReferenceControl: rc, Adopted: adopted[rc.ID]}
		for _, col := range h.linkedColumns(rc.Requirements) {
			if len(col.Reqs) > 0 {
				item.Links = append(item.Links, chipGroup{Std: col.Std, Reqs: col.Reqs})
			}
		}
		if item.Adopted != "" {
			d.Groups[i].Adopted++
		}
		d.Groups[i].Items = append(d.Groups[i].Items, item)
		d.Shown++
	}
	h.render(w, r, status, "reference", d)
}

func (h *handler) referenceAdopt(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	ids := r.PostForm["ids"]
	if len(ids) == 0 {
		h.renderReference(w, r, http.StatusUnprocessableEntity, referenceFilter{}, nil, i18n.T("web.reference.nothing_selected"))
		return
	}
	res, err := o.AdoptReference(r.Context(), actor(r), ids)
	if v, ok := domain.AsValidation(err); ok {
		h.renderReference(w, r, http.StatusUnprocessableEntity, referenceFilter{}, nil, v.Fields[0].Message)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := url.Values{}
	q.Set("created", strconv.Itoa(len(res.Created)))
	q.Set("skipped", strconv.Itoa(len(res.Skipped)))
	http.Redirect(w, r, sh.OrgPath("controls", "reference")+"?"+q.Encode()+"#result", http.StatusSeeOther)
}
