package web

import (
	"net/http"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// coverage is how much of one set of requirements (a theme, a group, the
// clauses) has controls: Covered have at least one linked control, Done at
// least one implemented linked control.
type coverage struct {
	Title   string
	Prefix  string // annex number of a theme or group, e.g. "A.5"
	Total   int
	Covered int
	Done    int
	Bar     progressBar
	Cells   cellGrid
}

// standardCoverage is one standard's card on the dashboard.
type standardCoverage struct {
	Std     *catalog.Standard
	Annex   coverage
	Clauses coverage
	Groups  []coverage
}

type dashboardData struct {
	*Shell
	Total     int
	Done      int
	Shared    int
	Status    donut
	StatusKey []legendItem
	Scopes    []hbar
	Standards []standardCoverage
	Recent    []recentItem
}

type recentItem struct {
	historyItem
	Ref  string
	Href string // empty when the control no longer exists or is not a control
}

// recentSize is how many trail entries the dashboard lists.
const recentSize = 8

func (h *handler) dashboard(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	sh.Title, sh.Section = i18n.T("web.dashboard.title"), "dashboard"
	t, err := o.ControlStats(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	controls := func(pairs ...string) string { return controlsQuery(sh.Org.Slug, pairs...) }
	d := &dashboardData{Shell: sh, Total: t.Total, Done: t.ByStatus[domain.StatusImplemented], Shared: t.ByScope[domain.ScopeShared]}

	var segs []segment
	for _, s := range domain.Statuses {
		seg := segment{Label: i18n.T("web.status." + s), Class: "st-" + s, Count: t.ByStatus[s], Href: controls("status", s)}
		segs = append(segs, seg)
		d.StatusKey = append(d.StatusKey, legendItem(seg))
	}
	d.Status = makeDonut(segs)

	scopeMax := 0
	for _, s := range domain.Scopes {
		scopeMax = max(scopeMax, t.ByScope[s])
	}
	for _, s := range domain.Scopes {
		d.Scopes = append(d.Scopes, makeHBar(i18n.T("web.scope."+s), "sc-"+s, t.ByScope[s], scopeMax, controls("scope", s)))
	}

	for _, std := range h.cat.Standards {
		d.Standards = append(d.Standards, h.standardCoverage(std, t, sh.Org.Slug))
	}

	trail, err := o.Trail(r.Context(), domain.TrailFilter{Limit: recentSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i, item := range h.history(trail.Items) {
		e := trail.Items[i]
		ri := recentItem{historyItem: item, Ref: e.ResourceRef}
		if e.ResourceType == "control" && e.Action != "control.delete" {
			ri.Href = sh.OrgPath("controls", e.ResourceRef)
		}
		d.Recent = append(d.Recent, ri)
	}
	h.render(w, r, http.StatusOK, "dashboard", d)
}

func (h *handler) standardCoverage(std *catalog.Standard, t domain.ControlStats, org string) standardCoverage {
	sc := standardCoverage{Std: std}
	sc.Annex.Title = i18n.T("web.dashboard.annex")
	sc.Clauses.Title = i18n.T("web.catalog.clauses")
	groups := make([]coverage, len(std.Groups))
	index := map[string]int{}
	for i, g := range std.Groups {
		groups[i] = coverage{Title: g.Title}
		index[g.ID] = i
	}
	cells := make([][]cell, len(std.Groups))
	for _, req := range std.Requirements {
		n, done := t.Requirements[req.Key].Controls, t.Requirements[req.Key].Implemented
		count := func(c *coverage) {
			c.Total++
			if n > 0 {
				c.Covered++
			}
			if done > 0 {
				c.Done++
			}
		}
		if req.Kind == catalog.KindClause {
			count(&sc.Clauses)
			continue
		}
		count(&sc.Annex)
		i, ok := index[req.Group]
		if !ok {
			continue
		}
		count(&groups[i])
		if groups[i].Prefix == "" {
			groups[i].Prefix = annexPrefix(req.Ref)
		}
		c := cell{Label: i18n.T("web.dashboard.cell", req.Ref, req.Title, n, done),
			Href: controlsQuery(org, "requirement", req.Key), Class: "cell-none"}
		switch {
		case done > 0:
			c.Class = "cell-done"
		case n > 0:
			c.Class = "cell-linked"
		}
		cells[i] = append(cells[i], c)
	}
	href := controlsQuery(org, "standard", std.ID)
	for i := range groups {
		groups[i].Bar = makeProgress(groups[i].Done, groups[i].Covered, groups[i].Total, href)
		groups[i].Cells = makeCells(cells[i])
	}
	sc.Annex.Bar = makeProgress(sc.Annex.Done, sc.Annex.Covered, sc.Annex.Total, href)
	sc.Clauses.Bar = makeProgress(sc.Clauses.Done, sc.Clauses.Covered, sc.Clauses.Total, href)
	sc.Groups = groups
	return sc
}
