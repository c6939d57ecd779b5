package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
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
	// Risks are the reminders of the two risk registers, and Actions the
	// overdue treatment actions; nil for someone who may not read risks.
	Risks   []riskPanel
	Actions *actionReminder
	// AI is the AI governance summary; nil for someone who may not read it.
	AI *domain.AISummary
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

	if sh.Can("ai_system", "read") {
		sum, err := o.AISummary(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.AI = &sum
	}
	if sh.Can("risk", "read") {
		if d.Risks, d.Actions, err = riskReminders(r.Context(), o, sh); err != nil {
			h.fail(w, r, err)
			return
		}
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

// The risk reminders of the dashboard: per register the current risks by
// residual level, those above appetite and not accepted, the reviews due
// and the risks to re-score after a change of method; and the overdue
// treatment actions. Everything is counted in SQL; only the first few of
// each list are read.

// reminderSize is how many risks or actions a reminder lists.
const reminderSize = 3

// riskPanel is one register's reminders.
type riskPanel struct {
	Register, Title string
	Href            string // the register page
	Current         int
	Above           int // above appetite and not accepted
	Due, Rescore    int
	DueHref         string
	RescoreHref     string
	AboveHref       string
	Levels          levelBar
	Appetite        levelMark
	Pending         []riskLine // highest residual risks above appetite, not accepted
	DueList         []riskLine // risks whose review is due
}

// riskLine is a risk in a reminder list.
type riskLine struct {
	Ref, Title, Owner, Href string
	Level                   levelMark
	Date                    string // the next review, YYYY-MM-DD
	Late                    string // how long ago it was due, as people read it
}

// levelMark is a risk level as a coloured marker: the method's label and
// colour ("" for a level the method no longer has).
type levelMark struct {
	ID, Label, Colour string
}

// levelBar is the current risks of a register by residual level, as one
// bar of parts in the levels' colours, lowest level first.
type levelBar struct {
	Label string // accessible name of the bar
	Total int
	Parts []levelPart
}

type levelPart struct {
	levelMark
	Count    int
	Href     string
	X, Width string // of 100; Width "" for a level with no risk (legend only)
}

// actionReminder is the overdue treatment actions.
type actionReminder struct {
	Count int
	Href  string
	Items []actionLine
}

type actionLine struct {
	Ref, Title, Owner, Due, Late string
	Risk, RiskHref               string
}

// riskQuery is a risk list of the organization filtered by pairs of
// parameter names and values, in the order given.
func riskQuery(sh *Shell, path string, pairs ...string) string {
	var b strings.Builder
	b.WriteString(sh.OrgPath(path))
	for i := 0; i+1 < len(pairs); i += 2 {
		b.WriteString(map[bool]string{true: "?", false: "&"}[i == 0])
		b.WriteString(url.QueryEscape(pairs[i]) + "=" + url.QueryEscape(pairs[i+1]))
	}
	return b.String()
}

func markOf(m domain.RiskMethod, id string) levelMark {
	if i := m.LevelRank(id); i >= 0 {
		return levelMark{ID: id, Label: m.Levels[i].Label, Colour: m.Levels[i].Colour}
	}
	return levelMark{ID: id, Label: id}
}

// lateBy says how long ago a date (YYYY-MM-DD) was, counted from today
// (YYYY-MM-DD): "today", "1 day ago", "12 days ago".
func lateBy(date, today string) string {
	d, err1 := time.Parse(time.DateOnly, date)
	t, err2 := time.Parse(time.DateOnly, today)
	if err1 != nil || err2 != nil {
		return ""
	}
	switch n := int(t.Sub(d).Hours() / 24); {
	case n <= 0:
		return i18n.T("web.dashboard.risks.today")
	case n == 1:
		return i18n.T("web.dashboard.risks.days_ago.one", n)
	default:
		return i18n.T("web.dashboard.risks.days_ago.other", n)
	}
}

func riskReminders(ctx context.Context, o *store.OrgStore, sh *Shell) ([]riskPanel, *actionReminder, error) {
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return nil, nil, err
	}
	today := time.Now().In(sh.loc).Format(time.DateOnly)
	appetite := m.LevelRank(m.Appetite)
	var panels []riskPanel
	for _, reg := range domain.Registers {
		p := riskPanel{Register: reg, Title: i18n.T("web.dashboard.risks.register." + reg),
			Href:        riskQuery(sh, "risks", "register", reg),
			DueHref:     riskQuery(sh, "risks", "register", reg, "review_due", "1", "current", "1"),
			RescoreHref: riskQuery(sh, "risks", "register", reg, "rescore", "1", "current", "1"),
			AboveHref:   riskQuery(sh, "risks", "register", reg, "current", "1", "acceptance", domain.AcceptanceUncovered),
			Appetite:    markOf(m, m.Appetite)}
		count := func(f domain.RiskFilter) int {
			if err != nil {
				return 0
			}
			f.Register, f.Current = reg, true
			var n int
			n, err = o.CountRisks(ctx, f)
			return n
		}
		p.Current = count(domain.RiskFilter{})
		p.Due = count(domain.RiskFilter{ReviewDue: true})
		p.Rescore = count(domain.RiskFilter{Rescore: true})
		// Per level, lowest first.
		counts := make([]int, len(m.Levels))
		above := 0
		for i, l := range m.Levels {
			if counts[i] = count(domain.RiskFilter{Level: l.ID}); i > appetite {
				above += counts[i]
			}
		}
		if err != nil {
			return nil, nil, err
		}
		p.Levels = makeLevelBar(sh, m, reg, counts, p.Current)
		if above > 0 {
			if err := p.pending(ctx, o, sh, m); err != nil {
				return nil, nil, err
			}
		}
		if p.Due > 0 {
			due, err := o.ListRisks(ctx, domain.RiskFilter{Register: reg, Current: true, ReviewDue: true, Limit: reminderSize})
			if err != nil {
				return nil, nil, err
			}
			for _, k := range due.Items {
				p.DueList = append(p.DueList, riskLine{Ref: k.Ref, Title: k.Title, Owner: k.Owner, Href: sh.OrgPath("risks", k.Ref),
					Level: markOf(m, k.Residual.Level), Date: k.NextReview, Late: lateBy(k.NextReview, today)})
			}
		}
		panels = append(panels, p)
	}

	a := &actionReminder{Href: riskQuery(sh, "actions", "overdue", "1")}
	if a.Count, err = o.CountOverdueActions(ctx); err != nil {
		return nil, nil, err
	}
	if a.Count > 0 {
		page, err := o.ListActions(ctx, store.ActionFilter{Overdue: true, Limit: reminderSize})
		if err != nil {
			return nil, nil, err
		}
		for _, x := range page.Items {
			line := actionLine{Ref: x.Ref, Title: x.Title, Owner: x.Owner, Due: x.Due, Late: lateBy(x.Due, today), Risk: x.Risk}
			if x.Risk != "" {
				line.RiskHref = sh.OrgPath("risks", x.Risk)
			}
			a.Items = append(a.Items, line)
		}
	}
	return panels, a, nil
}

// pending counts the current risks above appetite that no acceptance
// covers today (the store decides coverage in SQL) and lists the first
// few, highest residual level first.
func (p *riskPanel) pending(ctx context.Context, o *store.OrgStore, sh *Shell, m domain.RiskMethod) error {
	f := domain.RiskFilter{Register: p.Register, Current: true, Acceptance: domain.AcceptanceUncovered}
	var err error
	if p.Above, err = o.CountRisks(ctx, f); err != nil || p.Above == 0 {
		return err
	}
	top, err := o.TopRisks(ctx, f, reminderSize)
	if err != nil {
		return err
	}
	for _, k := range top {
		p.Pending = append(p.Pending, riskLine{Ref: k.Ref, Title: k.Title, Owner: k.Owner,
			Href: sh.OrgPath("risks", k.Ref), Level: markOf(m, k.Residual.Level)})
	}
	return nil
}

// makeLevelBar lays the level counts of a register out as one bar; total
// is every current risk (a level the method no longer has is the rest).
func makeLevelBar(sh *Shell, m domain.RiskMethod, reg string, counts []int, total int) levelBar {
	b := levelBar{Label: i18n.T("web.dashboard.risks.by_level"), Total: total}
	x := 0.0
	for i, l := range m.Levels {
		part := levelPart{levelMark: markOf(m, l.ID), Count: counts[i],
			Href: riskQuery(sh, "risks", "register", reg, "level", l.ID, "current", "1")}
		if total > 0 && counts[i] > 0 {
			w := 100 * float64(counts[i]) / float64(total)
			part.X, part.Width = fmt.Sprintf("%.2f", x), fmt.Sprintf("%.2f", w)
			x += w
		}
		b.Parts = append(b.Parts, part)
	}
	return b
}
