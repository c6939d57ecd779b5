package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// registerRiskPages registers the routes of: Register lists per register (security, ai) with filters and heat maps.
func (h *handler) registerRiskPages(mux *http.ServeMux) {
	read := access.Org(auth.ResRisk, auth.Read)
	h.handle(mux, "GET /orgs/{org}/risks", read, h.riskList)
	h.handle(mux, "GET /orgs/{org}/actions", read, h.actionList)
}

// registerPageSize is one page of a risk register or of the action list.
const registerPageSize = 50

// registerTopCount and registerAttentionCount bound the side panels of a register.
const (
	registerTopCount       = 5
	registerAttentionCount = 5
)

// registerStd is the standard whose clause 6.1.2 a register serves;
// it gives the register its colour and badge.
var registerStd = map[string]string{domain.RegisterSecurity: "iso27001-2022", domain.RegisterAI: "iso42001-2023"}

// registerQuery is the register's filter exactly as typed, so the form
// shows it again; the query names are the contract every risk link and
// export shares.
type registerQuery struct {
	Register, Status, Owner, Level, Score, Likelihood, Impact, Control, Q, Acceptance string
	Current, Rescore, ReviewDue                                                       bool
	Cursor                                                                            string
	Limit                                                                             int
}

func readRegisterQuery(q url.Values) registerQuery {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	flag := func(k string) bool { v := get(k); return v != "" && v != "0" }
	f := registerQuery{Register: get("register"), Status: get("status"), Owner: get("owner"), Level: get("level"),
		Score: get("score"), Likelihood: get("likelihood"), Impact: get("impact"), Control: get("control"), Q: get("q"), Acceptance: get("acceptance"),
		Current: flag("current"), Rescore: flag("rescore"), ReviewDue: flag("review_due"), Cursor: get("cursor")}
	if f.Register == "" {
		f.Register = domain.RegisterSecurity
	}
	f.Limit, _ = strconv.Atoi(get("limit"))
	return f
}

// values is the filter as URL parameters, without cursor and page size.
func (f registerQuery) values() url.Values {
	v := url.Values{"register": {f.Register}}
	for k, s := range map[string]string{"status": f.Status, "owner": f.Owner, "level": f.Level, "score": f.Score,
		"likelihood": f.Likelihood, "impact": f.Impact, "control": f.Control, "q": f.Q, "acceptance": f.Acceptance} {
		if s != "" {
			v.Set(k, s)
		}
	}
	for k, on := range map[string]bool{"current": f.Current, "rescore": f.Rescore, "review_due": f.ReviewDue} {
		if on {
			v.Set(k, "1")
		}
	}
	return v
}

// Active reports whether anything narrows the register (the page then
// offers to clear it).
func (f registerQuery) Active() bool { return len(f.values()) > 1 }

// Inherent reports whether the level and cell filters look at the
// inherent score.
func (f registerQuery) Inherent() bool { return f.Score == "inherent" }

// filter checks the form against the method in force and returns the
// store's filter; every problem is a field error.
func (f registerQuery) filter(m domain.RiskMethod) (domain.RiskFilter, *domain.ValidationError) {
	v := &domain.ValidationError{}
	oneOf := func(field, value string, values []string) {
		if value != "" && !slices.Contains(values, value) {
			v.Add(field, "error.one_of", value, strings.Join(values, ", "))
		}
	}
	oneOf("register", f.Register, domain.Registers)
	oneOf("status", f.Status, domain.RiskStatuses)
	oneOf("score", f.Score, []string{"residual", "inherent"})
	oneOf("acceptance", f.Acceptance, domain.AcceptanceStates)
	if f.Level != "" && m.LevelRank(f.Level) < 0 {
		v.Add("level", "error.risk_unknown_level", f.Level, f.Level)
	}
	step := func(field, value string, steps int) int {
		if value == "" {
			return 0
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > steps {
			v.Add(field, "error.risk_step", value, steps)
			return 0
		}
		return n
	}
	rf := domain.RiskFilter{Register: f.Register, Status: f.Status, Owner: f.Owner, Level: f.Level,
		Likelihood: step("likelihood", f.Likelihood, len(m.Likelihood)), Impact: step("impact", f.Impact, len(m.Impact)),
		Inherent: f.Inherent(), Current: f.Current, Control: f.Control, Rescore: f.Rescore, ReviewDue: f.ReviewDue,
		Acceptance: f.Acceptance, Text: f.Q, Limit: registerPageSize, Cursor: f.Cursor}
	if f.Limit > 0 {
		rf.Limit = f.Limit
	}
	if len(v.Fields) > 0 {
		return rf, v
	}
	return rf, nil
}

// registerChip is a score as the pages show it: the level in its
// colour, the steps, and whether it was given under an older method.
type registerChip struct {
	Label, Colour      string
	Likelihood, Impact int
	Rescore            bool
	MethodVersion      int64
	InForce            int64 // the version of the method in force
}

// registerRow is a risk with what its row shows derived once.
type registerRow struct {
	domain.Risk
	InherentChip, ResidualChip registerChip
	// AcceptState is accepted, needed (above appetite and not accepted),
	// lapsed (accepted or closed, but no acceptance covers it any more)
	// or empty (within appetite).
	AcceptState string
}

// registerLevels is the method's levels by id, for the chips.
type registerLevels struct {
	byID    map[string]domain.RiskLevel
	version int64
}

func registerLevelsOf(m domain.RiskMethod) registerLevels {
	levels := registerLevels{byID: map[string]domain.RiskLevel{}, version: m.Version}
	for _, l := range m.Levels {
		levels.byID[l.ID] = l
	}
	return levels
}

// registerUnknownColour shows a level the method in force no longer has.
const registerUnknownColour = "#9aa3af"

func (lv registerLevels) chip(s domain.RiskScore) registerChip {
	c := registerChip{Label: s.Level, Colour: registerUnknownColour, Likelihood: s.Likelihood, Impact: s.Impact,
		Rescore: s.Rescore, MethodVersion: s.MethodVersion, InForce: lv.version}
	if l, ok := lv.byID[s.Level]; ok {
		c.Label, c.Colour = l.Label, l.Colour
	}
	return c
}

func (lv registerLevels) row(r domain.Risk) registerRow {
	row := registerRow{Risk: r, InherentChip: lv.chip(r.Inherent), ResidualChip: lv.chip(r.Residual)}
	switch {
	case r.Accepted:
		row.AcceptState = "accepted"
	case !r.AboveAppetite:
	case r.Closing():
		row.AcceptState = "lapsed"
	default:
		row.AcceptState = "needed"
	}
	return row
}

func (lv registerLevels) rows(list []domain.Risk) []registerRow {
	rows := make([]registerRow, len(list))
	for i, r := range list {
		rows[i] = lv.row(r)
	}
	return rows
}

// registerTab is a register's tab with its number of risks.
type registerTab struct {
	Register, Std, Href string
	Count               int
	Current             bool
}

// registerKPI is one number at the top of a register, linking to its risks.
type registerKPI struct {
	ID, Label, Href, Class string
	Value                  int
	More                   bool // the number is a lower bound
}

// registerKey is a level in the heat maps' key.
type registerKey struct {
	Label, Colour, Href, Acceptor string
	Count                         int
	Appetite, Above               bool
}

// registerCell is the heat-map cell the list is filtered on, shown as a
// chip that removes the filter.
type registerCell struct {
	Inherent           bool
	Likelihood, Impact string // step and label, or empty
	Remove             string
}

// registerFile is one file of the register.
type registerFile struct {
	Label, Href string
}

type registerPage struct {
	*Shell
	Register string
	Std      string
	Form     registerQuery
	Method   domain.RiskMethod
	// AppetiteLabel names the method's appetite level.
	AppetiteLabel string
	Tabs          []registerTab
	KPIs          []registerKPI
	Heat          []riskHeatMap
	Legend        []registerKey
	// OffMatrix counts current risks scored outside the method in force.
	OffMatrix    int
	RescoreURL   string
	Top          []registerRow
	Attention    []registerRow
	Needed       int
	Lapsed       int
	Overdue      []domain.Action
	OverdueCount int
	OverdueURL   string
	Rows         []registerRow
	Total        int
	Cell         *registerCell
	NextURL      string
	FirstURL     string
	ClearURL     string
	Downloads    []registerFile
	Plans        []registerFile
	Statuses     []string
	Errors       *domain.ValidationError
}

// URL is a register page with the given parameters.
func (d *registerPage) URL(v url.Values) string {
	return d.OrgPath("risks") + "?" + v.Encode()
}

func (h *handler) riskList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	form := readRegisterQuery(r.URL.Query())
	m, err := o.RiskMethod(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh.Section = "risks"
	d := &registerPage{Shell: sh, Register: form.Register, Std: registerStd[form.Register], Form: form, Method: m,
		Statuses: domain.RiskStatuses, Errors: &domain.ValidationError{}}
	filter, invalid := form.filter(m)
	status := http.StatusOK
	if invalid != nil {
		d.Errors, status = invalid, http.StatusUnprocessableEntity
	}
	for _, reg := range domain.Registers {
		n, err := o.CountRisks(ctx, domain.RiskFilter{Register: reg})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Tabs = append(d.Tabs, registerTab{Register: reg, Std: registerStd[reg], Count: n, Current: reg == form.Register,
			Href: sh.OrgPath("risks") + "?register=" + reg})
	}
	// An unknown register shows the tabs and the error, never a list
	// that mixes the registers.
	if !slices.Contains(domain.Registers, form.Register) {
		sh.Title = i18n.T("web.risks.title")
		h.render(w, r, status, "risks", d)
		return
	}
	sh.Title = i18n.T("web.risks.title." + form.Register)
	if err := h.registerOverview(ctx, o, d); err != nil {
		h.fail(w, r, err)
		return
	}
	if invalid == nil {
		page, err := o.ListRisks(ctx, filter)
		if v, ok := domain.AsValidation(err); ok {
			d.Errors, status = v, http.StatusUnprocessableEntity
		} else if err != nil {
			h.fail(w, r, err)
			return
		} else {
			if d.Total, err = o.CountRisks(ctx, filter); err != nil {
				h.fail(w, r, err)
				return
			}
			d.Rows = registerLevelsOf(m).rows(page.Items)
			// Pages keep the filters and the page size asked for.
			paged := func() url.Values {
				q := form.values()
				if form.Limit > 0 {
					q.Set("limit", strconv.Itoa(form.Limit))
				}
				return q
			}
			if page.Next != nil {
				q := paged()
				q.Set("cursor", *page.Next)
				d.NextURL = d.URL(q) + "#list"
			}
			if form.Cursor != "" {
				d.FirstURL = d.URL(paged()) + "#list"
			}
		}
	}
	d.ClearURL = d.URL(url.Values{"register": {form.Register}}) + "#list"
	if form.Likelihood != "" || form.Impact != "" {
		d.Cell = registerCellChip(form, m, d)
	}
	files := form.values()
	for _, format := range []string{"xlsx", "csv", "pdf"} {
		files.Set("format", format)
		d.Downloads = append(d.Downloads, registerFile{Label: i18n.T("web.download." + format),
			Href: sh.OrgPath("risks", "export") + "?" + files.Encode()})
	}
	for _, format := range []string{"pdf", "xlsx"} {
		d.Plans = append(d.Plans, registerFile{Label: i18n.T("web.download." + format),
			Href: sh.OrgPath("risks", "plan") + "?" + url.Values{"register": {form.Register}, "format": {format}}.Encode()})
	}
	h.render(w, r, status, "risks", d)
}

// registerCellChip describes the cell filter for its chip; a step the method
// does not have is shown as typed (its field error says why).
func registerCellChip(f registerQuery, m domain.RiskMethod, d *registerPage) *registerCell {
	step := func(value string, scale []domain.ScaleStep) string {
		if n, err := strconv.Atoi(value); err == nil && n >= 1 && n <= len(scale) {
			return value + " · " + scale[n-1].Label
		}
		return value
	}
	c := &registerCell{Inherent: f.Inherent()}
	if f.Likelihood != "" {
		c.Likelihood = step(f.Likelihood, m.Likelihood)
	}
	if f.Impact != "" {
		c.Impact = step(f.Impact, m.Impact)
	}
	q := f.values()
	for _, k := range []string{"score", "likelihood", "impact"} {
		q.Del(k)
	}
	c.Remove = d.URL(q) + "#list"
	return c
}

// registerOverview fills what the register shows above its list: the numbers,
// both heat maps with their key, the top risks, the risks waiting for an
// acceptance and the overdue treatment actions.
func (h *handler) registerOverview(ctx context.Context, o *store.OrgStore, d *registerPage) error {
	m, reg := d.Method, d.Register
	levels := registerLevelsOf(m)
	heat, err := o.RiskHeat(ctx, reg)
	if err != nil {
		return err
	}
	with := func(pairs ...string) string {
		q := url.Values{"register": {reg}}
		for i := 0; i+1 < len(pairs); i += 2 {
			q.Set(pairs[i], pairs[i+1])
		}
		return d.URL(q) + "#list"
	}
	appetite := m.LevelRank(m.Appetite)
	// The store counts with the method it reads itself; a cell the method
	// here does not have counts as nothing.
	at := func(grid [][]int, l, i int) int {
		if l-1 < len(grid) && i-1 < len(grid[l-1]) {
			return grid[l-1][i-1]
		}
		return 0
	}
	byLevel, above := map[string]int{}, 0
	for l := 1; l <= len(m.Likelihood); l++ {
		for i := 1; i <= len(m.Impact); i++ {
			n := at(heat.Residual, l, i)
			byLevel[m.Level(l, i)] += n
			if m.LevelRank(m.Level(l, i)) > appetite {
				above += n
			}
		}
	}
	for _, score := range []struct {
		name string
		grid [][]int
	}{{"inherent", heat.Inherent}, {"residual", heat.Residual}} {
		in := riskHeatInput{Score: score.name, Title: i18n.T("web.risks.heat." + score.name),
			Likelihood: registerStepLabels(m.Likelihood), Impact: registerStepLabels(m.Impact)}
		if d.Form.Score == score.name || (d.Form.Score == "" && score.name == "residual") {
			in.SelLikelihood, _ = strconv.Atoi(d.Form.Likelihood)
			in.SelImpact, _ = strconv.Atoi(d.Form.Impact)
		}
		in.Cell = func(l, i int) riskHeatCellInput {
			id := m.Level(l, i)
			lv, ok := levels.byID[id]
			if !ok {
				lv = domain.RiskLevel{ID: id, Label: id, Colour: registerUnknownColour}
			}
			n := at(score.grid, l, i)
			return riskHeatCellInput{Colour: lv.Colour, Above: m.LevelRank(id) > appetite, Count: n,
				Href: with("score", score.name, "likelihood", strconv.Itoa(l), "impact", strconv.Itoa(i), "current", "1"),
				Label: i18n.T("web.risks.heat.cell", l, m.Likelihood[l-1].Label, i, m.Impact[i-1].Label, lv.Label,
					registerPlural("web.risks.count", n))}
		}
		d.Heat = append(d.Heat, makeRiskHeatMap(in))
	}
	for k := len(m.Levels) - 1; k >= 0; k-- {
		l := m.Levels[k]
		d.Legend = append(d.Legend, registerKey{Label: l.Label, Colour: l.Colour, Count: byLevel[l.ID],
			Href: with("level", l.ID, "current", "1"), Acceptor: i18n.T("web.role." + l.Acceptor),
			Appetite: l.ID == m.Appetite, Above: k > appetite})
	}
	d.OffMatrix, d.AppetiteLabel = heat.OffMatrix, registerLevelLabel(m, m.Appetite)
	d.RescoreURL = with("rescore", "1", "current", "1")

	count := func(f domain.RiskFilter) (int, error) {
		f.Register, f.Current = reg, true
		return o.CountRisks(ctx, f)
	}
	reviewDue, err := count(domain.RiskFilter{ReviewDue: true})
	if err != nil {
		return err
	}
	rescore, err := count(domain.RiskFilter{Rescore: true})
	if err != nil {
		return err
	}
	if err := h.registerAttention(ctx, o, d, levels); err != nil {
		return err
	}
	top, err := o.TopRisks(ctx, domain.RiskFilter{Register: reg, Current: true}, registerTopCount)
	if err != nil {
		return err
	}
	d.Top = levels.rows(top)
	// Overdue actions of this register's treatment plans.
	overdue, err := o.ListActions(ctx, store.ActionFilter{Register: reg, Overdue: true, Limit: registerAttentionCount})
	if err != nil {
		return err
	}
	d.Overdue = overdue.Items
	if d.OverdueCount, err = o.CountActions(ctx, store.ActionFilter{Register: reg, Overdue: true}); err != nil {
		return err
	}
	d.OverdueURL = d.OrgPath("actions") + "?overdue=1&register=" + reg
	attention := d.Needed + d.Lapsed
	d.KPIs = []registerKPI{
		{ID: "kpi-current", Label: i18n.T("web.risks.kpi.current"), Value: heat.Total, Href: with("current", "1"), Class: "kpi-register"},
		{ID: "kpi-above", Label: i18n.T("web.risks.kpi.above", registerLevelLabel(m, m.Appetite)), Value: above,
			Href: "#heat", Class: registerKPIClass(above, "kpi-above")},
		{ID: "kpi-acceptance", Label: i18n.T("web.risks.kpi.acceptance"), Value: attention,
			Href: with("acceptance", domain.AcceptanceUncovered), Class: registerKPIClass(attention, "kpi-acceptance")},
		{ID: "kpi-review", Label: i18n.T("web.risks.kpi.review_due"), Value: reviewDue,
			Href: with("review_due", "1", "current", "1"), Class: registerKPIClass(reviewDue, "kpi-review")},
		{ID: "kpi-rescore", Label: i18n.T("web.risks.kpi.rescore"), Value: rescore, Href: d.RescoreURL,
			Class: registerKPIClass(rescore, "kpi-rescore")},
		{ID: "kpi-overdue", Label: i18n.T("web.risks.kpi.overdue"), Value: d.OverdueCount, Href: d.OverdueURL,
			Class: registerKPIClass(d.OverdueCount, "kpi-overdue")},
	}
	return nil
}

// registerAttention counts the register's risks above appetite that no
// acceptance covers — still to treat or accept (needed), or accepted or
// closed once and no longer covered (lapsed) — and lists the first,
// highest residual level first; the store decides coverage in SQL.
func (h *handler) registerAttention(ctx context.Context, o *store.OrgStore, d *registerPage, levels registerLevels) error {
	var err error
	if d.Needed, err = o.CountRisks(ctx, domain.RiskFilter{Register: d.Register, Acceptance: domain.AcceptanceNeeded}); err != nil {
		return err
	}
	if d.Lapsed, err = o.CountRisks(ctx, domain.RiskFilter{Register: d.Register, Acceptance: domain.AcceptanceLapsed}); err != nil {
		return err
	}
	list, err := o.TopRisks(ctx, domain.RiskFilter{Register: d.Register, Acceptance: domain.AcceptanceUncovered}, registerAttentionCount)
	if err != nil {
		return err
	}
	d.Attention = levels.rows(list)
	return nil
}

func registerStepLabels(steps []domain.ScaleStep) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Label
	}
	return out
}

func registerLevelLabel(m domain.RiskMethod, id string) string {
	for _, l := range m.Levels {
		if l.ID == id {
			return l.Label
		}
	}
	return id
}

// registerKPIClass gives a number its warning colour when it is not zero.
func registerKPIClass(n int, class string) string {
	if n > 0 {
		return class + " kpi-alert"
	}
	return class
}

// registerPlural is the template function tn, for Go code.
func registerPlural(id string, n int) string {
	if n == 1 {
		return i18n.T(id+".one", n)
	}
	return i18n.T(id+".other", n)
}

// actionListForm is the action list's filter as typed.
type actionListForm struct {
	Status, Owner, Register, Cursor string
	Overdue                         bool
	Limit                           int
}

func (f actionListForm) values() url.Values {
	v := url.Values{}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	if f.Owner != "" {
		v.Set("owner", f.Owner)
	}
	if f.Register != "" {
		v.Set("register", f.Register)
	}
	if f.Overdue {
		v.Set("overdue", "1")
	}
	return v
}

// Active reports whether a filter is set.
func (f actionListForm) Active() bool { return len(f.values()) > 0 }

type actionListData struct {
	*Shell
	Form         actionListForm
	Registers    []string
	Statuses     []string
	Items        []domain.Action
	OverdueCount int
	NextURL      string
	FirstURL     string
	Errors       *domain.ValidationError
}

// actionList is every treatment action of the organization, soonest due
// first, filtered by status, owner or being overdue.
func (h *handler) actionList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := actionListForm{Status: get("status"), Owner: get("owner"), Register: get("register"), Cursor: get("cursor"),
		Overdue: get("overdue") != "" && get("overdue") != "0"}
	f.Limit, _ = strconv.Atoi(get("limit"))
	sh.Section, sh.Title = "risks", i18n.T("web.actions.title")
	d := &actionListData{Shell: sh, Form: f, Statuses: domain.ActionStatuses, Registers: domain.Registers, Items: []domain.Action{},
		Errors: &domain.ValidationError{}}
	var err error
	if d.OverdueCount, err = o.CountOverdueActions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	limit := registerPageSize
	if f.Limit > 0 {
		limit = f.Limit
	}
	page, err := o.ListActions(ctx, store.ActionFilter{Status: f.Status, Owner: f.Owner, Register: f.Register,
		Overdue: f.Overdue, Limit: limit, Cursor: f.Cursor})
	status := http.StatusOK
	if v, ok := domain.AsValidation(err); ok {
		d.Errors, status = v, http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Items = page.Items
	base := sh.OrgPath("actions")
	if page.Next != nil {
		next := f.values()
		next.Set("cursor", *page.Next)
		if f.Limit > 0 {
			next.Set("limit", strconv.Itoa(f.Limit))
		}
		d.NextURL = base + "?" + next.Encode()
	}
	if f.Cursor != "" {
		d.FirstURL = base
		if v := f.values(); len(v) > 0 {
			d.FirstURL += "?" + v.Encode()
		}
	}
	h.render(w, r, status, "actions", d)
}
