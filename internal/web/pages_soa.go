package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/readiness"
	"tandem/internal/report"
	"tandem/internal/store"
)

// The Statement of Applicability pages: one per standard with its Annex A
// rows grouped by theme or objective group, a decision form in each row,
// the history of issued versions and the changes between two of them.

// soaBar is a horizontal bar of parts of a whole, drawn by the "soabar"
// template: applicable / excluded / undecided, or the states.
type soaBar struct {
	Label string // accessible name of the whole bar
	Parts []soaBarPart
}

type soaBarPart struct {
	segment
	X, Width string // of 100
}

func makeSoABar(label string, segs []segment) soaBar {
	b := soaBar{Label: label}
	total := 0
	for _, s := range segs {
		total += s.Count
	}
	x := 0.0
	for _, s := range segs {
		if total == 0 || s.Count == 0 {
			continue
		}
		w := 100 * float64(s.Count) / float64(total)
		b.Parts = append(b.Parts, soaBarPart{segment: s, X: fmt.Sprintf("%.2f", x), Width: fmt.Sprintf("%.2f", w)})
		x += w
	}
	return b
}

// soaFilter is the filter form of the statement exactly as typed.
type soaFilter struct {
	Decision, State, Q string
	Flagged            bool
	// Untraced keeps the rows that give risk treatment as a reason while no
	// risk's treatment plan uses their controls.
	Untraced bool
}

func readSoAFilter(q url.Values) soaFilter {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return soaFilter{Decision: get("decision"), State: get("state"), Q: get("q"), Flagged: get("flagged") != "",
		Untraced: get("untraced") != ""}
}

// values is the filter as URL parameters.
func (f soaFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"decision": f.Decision, "state": f.State, "q": f.Q} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Flagged {
		v.Set("flagged", "1")
	}
	if f.Untraced {
		v.Set("untraced", "1")
	}
	return v
}

// Active reports whether any filter is set.
func (f soaFilter) Active() bool { return len(f.values()) > 0 }

// Query is the filter as a query string (kept by the row forms, so that
// saving a decision returns to the same view).
func (f soaFilter) Query() string { return f.values().Encode() }

// check drops values that are not choices and reports them.
func (f *soaFilter) check() *domain.ValidationError {
	v := &domain.ValidationError{}
	if f.Decision != "" && !slices.Contains(domain.Decisions, f.Decision) {
		v.Add("decision", "error.one_of", f.Decision, strings.Join(domain.Decisions, ", "))
		f.Decision = ""
	}
	if f.State != "" && !slices.Contains(domain.States, f.State) {
		v.Add("state", "error.one_of", f.State, strings.Join(domain.States, ", "))
		f.State = ""
	}
	return v
}

func (f soaFilter) match(r domain.SoARow) bool {
	if f.Decision != "" && r.Decision() != f.Decision {
		return false
	}
	if f.State != "" && r.State != f.State {
		return false
	}
	if f.Flagged && !r.Flagged {
		return false
	}
	if f.Untraced && !report.Untraced(r) {
		return false
	}
	if f.Q != "" {
		text := strings.ToLower(r.Ref + "\n" + r.Title + "\n" + r.Justification)
		if !strings.Contains(text, strings.ToLower(f.Q)) {
			return false
		}
	}
	return true
}

// decisionForm is a row's decision form: what is recorded, or what the
// person sent when it was refused.
type decisionForm struct {
	Applicable    string // "yes", "no" or "" (undecided)
	Reasons       []string
	Justification string
	Version       int64
}

// HasReason tells the template whether to tick a reason.
func (f decisionForm) HasReason(r string) bool { return slices.Contains(f.Reasons, r) }

func formOf(r domain.SoARow) decisionForm {
	f := decisionForm{Reasons: r.Reasons, Justification: r.Justification, Version: r.Version}
	if r.Applicable != nil {
		f.Applicable = map[bool]string{true: "yes", false: "no"}[*r.Applicable]
	}
	return f
}

// input turns the form into a decision.
func (f decisionForm) input() domain.DecisionInput {
	in := domain.DecisionInput{Justification: f.Justification, Reasons: f.Reasons}
	switch f.Applicable {
	case "yes":
		in.Applicable = ptrTo(true)
	case "no":
		in.Applicable = ptrTo(false)
	}
	return in
}

func ptrTo[T any](v T) *T { return &v }

// soaRowView is a row as the page shows it, with its form.
type soaRowView struct {
	domain.SoARow
	Anchor   string
	By       string // who decided, as people read it
	Form     decisionForm
	Errors   *domain.ValidationError
	Conflict bool
	Open     bool // the form starts open (after a refusal)
	Saved    bool // the decision was just saved
	// Impact says, before saving, what changing the decision does to the
	// standard's readiness (an excluded control leaves the figures).
	Impact string
	// Trace is the risks behind the row; Untraced flags a row that gives
	// risk treatment as a reason without any.
	Trace    []soaRiskView
	Untraced bool
}

// soaRiskView is a risk behind a row as the page shows it: a link to the
// risk, the control through which it reaches the row, its residual level
// in the method's colour and its register.
type soaRiskView struct {
	domain.SoARisk
	Href, ControlHref string
	LevelLabel        string
	Colour            string // of the level, "" when the method no longer has it
	RegisterLabel     string
}

// soaTrace is the risk trace of a statement's rows for the page.
func soaTrace(sh *Shell, m domain.RiskMethod, risks []domain.SoARisk) []soaRiskView {
	out := make([]soaRiskView, 0, len(risks))
	for _, k := range risks {
		v := soaRiskView{SoARisk: k, Href: sh.OrgPath("risks", k.Ref), ControlHref: sh.OrgPath("controls", k.Control),
			LevelLabel: k.Level, RegisterLabel: i18n.T("web.soa.trace.register." + k.Register)}
		if i := m.LevelRank(k.Level); i >= 0 {
			v.LevelLabel, v.Colour = m.Levels[i].Label, m.Levels[i].Colour
		}
		out = append(out, v)
	}
	return out
}

// soaGroupView is a theme or objective group with its counts (of all its
// rows, whatever the filter shows).
type soaGroupView struct {
	ID, Title, Prefix string
	Rows              []soaRowView
	Total             int
	Applicable        int
	Excluded          int
	Undecided         int
}

// soaEdit is a refused decision, shown again in its row.
type soaEdit struct {
	Key      string
	Form     decisionForm
	Errors   *domain.ValidationError
	Conflict bool
}

// soaShow is what a rendering of the statement shows besides the rows as
// saved: a refused decision, the row just saved, a refused issue.
type soaShow struct {
	status       int
	filter       soaFilter
	filterErrors *domain.ValidationError
	edit         *soaEdit
	saved        string // ref of the row whose decision was just saved
	note         string
	issueErrors  *domain.ValidationError
}

type soaPageData struct {
	*Shell
	Std             *catalog.Standard
	Standards       []*catalog.Standard
	Summary         domain.SoASummary
	DecisionBar     soaBar
	StateBar        soaBar
	DecisionKey     []legendItem
	StateKey        []legendItem
	Filter          soaFilter
	FilterErrors    *domain.ValidationError
	Groups          []soaGroupView
	Shown           int
	Latest          *domain.SoAVersion
	Next            int // the number the next issued version gets
	Note            string
	IssueErrors     *domain.ValidationError
	Decisions       []string
	States          []string
	Reasons         []string
	Base            string // the statement's path
	FlaggedFilter   string
	UndecidedFilter string
	// Trace counts the rows that give risk treatment as a reason and those
	// of them without a traced risk.
	Trace          report.RiskTrace
	UntracedFilter string
}

// soaStandard resolves the standard of the path: one that has an Annex A.
// soaScope is the organization and the standard of an SoA page; an
// unknown standard (or one without an Annex A) is the 404 page.
func (h *handler) soaScope(w http.ResponseWriter, r *http.Request) (*store.OrgStore, *Shell, *catalog.Standard, bool) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return nil, nil, nil, false
	}
	std, ok := h.soaStandard(r)
	if !ok {
		h.notFound(w, r)
		return nil, nil, nil, false
	}
	return o, sh, std, true
}

func (h *handler) soaStandard(r *http.Request) (*catalog.Standard, bool) {
	std := h.cat.Standard(r.PathValue("standard"))
	if std == nil || std.Count(catalog.KindAnnex) == 0 {
		return nil, false
	}
	return std, true
}

// soaStandards lists the standards that have a statement.
func (h *handler) soaStandards() []*catalog.Standard {
	var out []*catalog.Standard
	for _, s := range h.cat.Standards {
		if s.Count(catalog.KindAnnex) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func (h *handler) soaPage(w http.ResponseWriter, r *http.Request) {
	o, sh, std, ok := h.soaScope(w, r)
	if !ok {
		return
	}
	show := soaShow{status: http.StatusOK, filter: readSoAFilter(r.URL.Query()), saved: r.URL.Query().Get("saved")}
	show.filterErrors = show.filter.check()
	if show.filterErrors.Err() != nil {
		show.status = http.StatusUnprocessableEntity
	}
	h.renderSoA(w, r, o, sh, std, show)
}

// renderSoA shows a standard's statement as it stands now, with what show
// adds to it.
func (h *handler) renderSoA(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, std *catalog.Standard, show soaShow) {
	ctx := r.Context()
	f, filterErrors, edit, issueErrors := show.filter, show.filterErrors, show.edit, show.issueErrors
	rows, err := o.SoA(ctx, std.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	versions, err := o.SoAVersions(ctx, std.ID, 1, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	method, err := o.RiskMethod(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if filterErrors == nil {
		filterErrors = &domain.ValidationError{}
	}
	if issueErrors == nil {
		issueErrors = &domain.ValidationError{}
	}
	base := sh.OrgPath("soa", std.ID)
	sh.Title, sh.Section = i18n.T("web.soa.title", std.Title), "soa"
	d := &soaPageData{Shell: sh, Std: std, Standards: h.soaStandards(), Summary: domain.Summarize(rows), Filter: f,
		FilterErrors: filterErrors, Note: show.note, IssueErrors: issueErrors, Decisions: domain.Decisions,
		States: domain.States, Reasons: domain.Reasons, Base: base, Next: 1, Trace: report.TraceOf(rows)}
	if len(versions.Items) > 0 {
		d.Latest = &versions.Items[0]
		d.Next = d.Latest.Number + 1
	}
	link := func(pairs ...string) string {
		q := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			q.Set(pairs[i], pairs[i+1])
		}
		return base + "?" + q.Encode()
	}
	d.FlaggedFilter = link("flagged", "1")
	d.UntracedFilter = link("untraced", "1")
	var segs []segment
	for _, dc := range domain.Decisions {
		n := map[string]int{domain.DecisionApplicable: d.Summary.Applicable, domain.DecisionExcluded: d.Summary.Excluded,
			domain.DecisionUndecided: d.Summary.Undecided}[dc]
		segs = append(segs, segment{Label: i18n.T("web.soa.decision." + dc), Class: "dc-" + dc, Count: n, Href: link("decision", dc)})
	}
	d.DecisionBar = makeSoABar(i18n.T("web.soa.decisions_h"), segs)
	for _, s := range segs {
		d.DecisionKey = append(d.DecisionKey, legendItem(s))
	}
	segs = nil
	for _, st := range domain.States {
		segs = append(segs, segment{Label: i18n.T("web.state." + st), Class: "state-" + st, Count: d.Summary.States[st],
			Href: link("decision", domain.DecisionApplicable, "state", st)})
	}
	d.StateBar = makeSoABar(i18n.T("web.soa.states_h"), segs)
	for _, s := range segs {
		d.StateKey = append(d.StateKey, legendItem(s))
	}

	cov, excluded, err := h.coverage(r, o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ready := readiness.Compute(h.cat, std.ID, cov, excluded).Overall

	index := map[string]int{}
	for _, g := range std.Groups {
		index[g.ID] = len(d.Groups)
		d.Groups = append(d.Groups, soaGroupView{ID: g.ID, Title: g.Title})
	}
	for _, row := range rows {
		i, ok := index[row.Group]
		if !ok {
			continue
		}
		g := &d.Groups[i]
		g.Total++
		switch row.Decision() {
		case domain.DecisionApplicable:
			g.Applicable++
		case domain.DecisionExcluded:
			g.Excluded++
		default:
			g.Undecided++
		}
		if g.Prefix == "" {
			g.Prefix = annexPrefix(row.Ref)
		}
		v := soaRowView{SoARow: row, Anchor: "r-" + row.Ref, By: actorLabel(row.DecidedBy), Form: formOf(row),
			Errors: &domain.ValidationError{}, Saved: show.saved == row.Ref, Impact: decisionImpact(ready, row),
			Trace: soaTrace(sh, method, row.Risks), Untraced: report.Untraced(row)}
		if edit != nil && edit.Key == row.Key {
			v.Form, v.Errors, v.Conflict, v.Open = edit.Form, edit.Errors, edit.Conflict, true
			if edit.Conflict {
				v.Form.Version = row.Version // save again on top of what is saved now
			}
		} else if !f.match(row) {
			continue
		}
		g.Rows = append(g.Rows, v)
		d.Shown++
	}
	d.UndecidedFilter = link("decision", domain.DecisionUndecided)
	h.render(w, r, show.status, "soa", d)
}

// soaDecide records the decision of one row's form. Refused input shows
// the page again with the messages beside that row (422); a stale version
// shows what is saved now with the person's values still in the form
// (409); success returns to the row.
func (h *handler) soaDecide(w http.ResponseWriter, r *http.Request) {
	o, sh, std, ok := h.soaScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version < 0 {
		h.badForm(w, r)
		return
	}
	back, _ := url.ParseQuery(r.PostForm.Get("back"))
	f := readSoAFilter(back)
	f.check()
	ref := r.PathValue("ref")
	form := decisionForm{Applicable: r.PostForm.Get("applicable"), Reasons: append([]string{}, r.PostForm["reasons"]...),
		Justification: r.PostForm.Get("justification"), Version: version}
	_, err = o.Decide(r.Context(), actor(r), std.ID, ref, &version, form.input())
	switch v, invalid := domain.AsValidation(err); {
	case invalid && v.For("ref") != "":
		h.notFound(w, r) // a clause has no row to show the message in
		return
	case invalid:
		sh.Error = i18n.T("web.soa.error_row", ref)
		h.renderSoA(w, r, o, sh, std, soaShow{status: http.StatusUnprocessableEntity, filter: f,
			edit: &soaEdit{Key: std.ID + "/" + ref, Form: form, Errors: v}})
		return
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.renderSoA(w, r, o, sh, std, soaShow{status: http.StatusConflict, filter: f,
			edit: &soaEdit{Key: std.ID + "/" + ref, Form: form, Errors: &domain.ValidationError{}, Conflict: true}})
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	q := f.values()
	q.Set("notice", "soa_decided")
	q.Set("saved", ref)
	http.Redirect(w, r, sh.OrgPath("soa", std.ID)+"?"+q.Encode()+"#r-"+ref, http.StatusSeeOther)
}

// soaIssue issues the current statement as the next version, approved by
// the person issuing it.
func (h *handler) soaIssue(w http.ResponseWriter, r *http.Request) {
	o, sh, std, ok := h.soaScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	note := r.PostForm.Get("note")
	_, err := o.IssueSoA(r.Context(), actor(r), std.ID, scope(r).Principal.User.Email, note)
	if v, invalid := domain.AsValidation(err); invalid {
		sh.Error = i18n.T("web.form.fix_errors")
		h.renderSoA(w, r, o, sh, std, soaShow{status: http.StatusUnprocessableEntity, note: note, issueErrors: v})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("soa", std.ID, "versions")+"?notice=soa_issued", http.StatusSeeOther)
}

// soaVersionView is an issued version in the history, with the number of
// the one before it (0 for the first) to compare with.
type soaVersionView struct {
	domain.SoAVersion
	Prev int
}

// soaVersionsSize is one page of the version history.
const soaVersionsSize = 50

type soaVersionsData struct {
	*Shell
	Std     *catalog.Standard
	Items   []soaVersionView
	NextURL string
	Base    string
}

func (h *handler) soaVersions(w http.ResponseWriter, r *http.Request) {
	o, sh, std, ok := h.soaScope(w, r)
	if !ok {
		return
	}
	page, err := o.SoAVersions(r.Context(), std.ID, soaVersionsSize, r.URL.Query().Get("cursor"))
	if _, invalid := domain.AsValidation(err); invalid {
		page, err = o.SoAVersions(r.Context(), std.ID, soaVersionsSize, "")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := sh.OrgPath("soa", std.ID)
	sh.Title, sh.Section = i18n.T("web.soa.versions_title", std.Title), "soa"
	d := &soaVersionsData{Shell: sh, Std: std, Base: base}
	for _, v := range page.Items {
		d.Items = append(d.Items, soaVersionView{SoAVersion: v, Prev: v.Number - 1})
	}
	if page.Next != nil {
		d.NextURL = base + "/versions?cursor=" + url.QueryEscape(*page.Next)
	}
	h.render(w, r, http.StatusOK, "soa_versions", d)
}

// diffItem is one value on a side of a changed field; Mark highlights
// what is not on the other side (removed before, added after).
type diffItem struct {
	Text  string
	Class string // badge class, for decisions and states
	Href  string
	Mark  bool
}

// soaDiffField is one changed field of a row, before and after.
type soaDiffField struct {
	Label  string // message id
	Prose  bool   // long text: shown as a paragraph
	Before []diffItem
	After  []diffItem
}

type soaDiffRow struct {
	domain.SoAChange
	Href    string // the row in the current statement
	Fields  []soaDiffField
	Missing string // "before" or "after" when the row is on one side only
}

type soaDiffData struct {
	*Shell
	Std      *catalog.Standard
	Versions []domain.SoAVersion // the choices of the compare form
	From, To int                 // To 0: the current draft
	FromRaw  string
	ToRaw    string
	Errors   *domain.ValidationError
	Rows     []soaDiffRow
	Compared bool
	Base     string
}

// soaDiffChoices bounds the versions offered by the compare form.
const soaDiffChoices = store.MaxLimit

func (h *handler) soaDiff(w http.ResponseWriter, r *http.Request) {
	o, sh, std, ok := h.soaScope(w, r)
	if !ok {
		return
	}
	page, err := o.SoAVersions(r.Context(), std.ID, soaDiffChoices, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := sh.OrgPath("soa", std.ID)
	sh.Title, sh.Section = i18n.T("web.soa.diff_title", std.Title), "soa"
	q := r.URL.Query()
	d := &soaDiffData{Shell: sh, Std: std, Versions: page.Items, FromRaw: strings.TrimSpace(q.Get("from")),
		ToRaw: strings.TrimSpace(q.Get("to")), Errors: &domain.ValidationError{}, Base: base}
	issued := func(n int) bool {
		return slices.ContainsFunc(page.Items, func(v domain.SoAVersion) bool { return v.Number == n })
	}
	// Without a choice, the latest version is compared with the draft.
	if d.FromRaw == "" && len(page.Items) > 0 {
		d.FromRaw = strconv.Itoa(page.Items[0].Number)
	}
	if d.FromRaw != "" {
		if n, err := strconv.Atoi(d.FromRaw); err == nil && issued(n) {
			d.From = n
		} else {
			d.Errors.Add("from", "web.error.soa_version", d.FromRaw)
		}
	}
	if d.ToRaw != "" && d.ToRaw != "0" {
		if n, err := strconv.Atoi(d.ToRaw); err == nil && issued(n) {
			d.To = n
		} else {
			d.Errors.Add("to", "web.error.soa_version", d.ToRaw)
		}
	}
	if d.Errors.Err() != nil {
		h.render(w, r, http.StatusUnprocessableEntity, "soa_diff", d)
		return
	}
	if d.From == 0 {
		h.render(w, r, http.StatusOK, "soa_diff", d) // nothing issued yet
		return
	}
	diff, err := o.SoADiff(r.Context(), std.ID, d.From, d.To)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Compared = true
	for _, c := range diff.Items {
		d.Rows = append(d.Rows, h.soaDiffRow(sh, base, c))
	}
	h.render(w, r, http.StatusOK, "soa_diff", d)
}

func (h *handler) soaDiffRow(sh *Shell, base string, c domain.SoAChange) soaDiffRow {
	row := soaDiffRow{SoAChange: c, Href: base + "#r-" + c.Ref}
	switch {
	case c.Before == nil:
		row.Missing = "before"
	case c.After == nil:
		row.Missing = "after"
	}
	side := func(r *domain.SoARow, field string, other *domain.SoARow) []diffItem {
		if r == nil {
			return nil
		}
		switch field {
		case domain.DiffDecision:
			return []diffItem{{Text: i18n.T("web.soa.decision." + r.Decision()), Class: "dc-" + r.Decision(), Mark: true}}
		case domain.DiffState:
			return []diffItem{{Text: i18n.T("web.state." + r.State), Class: "state-" + r.State, Mark: true}}
		case domain.DiffJustification:
			return []diffItem{{Text: r.Justification, Mark: r.Justification != ""}}
		case domain.DiffReasons:
			var out []diffItem
			for _, reason := range r.Reasons {
				out = append(out, diffItem{Text: i18n.T("web.soa.reason." + reason),
					Mark: other == nil || !slices.Contains(other.Reasons, reason)})
			}
			return out
		case domain.DiffControls:
			var out []diffItem
			for _, ctl := range r.Controls {
				same := other != nil && slices.ContainsFunc(other.Controls, func(x domain.SoAControl) bool {
					return x.Ref == ctl.Ref && x.Status == ctl.Status
				})
				out = append(out, diffItem{Text: ctl.Ref + " · " + i18n.T("web.status."+ctl.Status),
					Href: sh.OrgPath("controls", ctl.Ref), Mark: !same})
			}
			return out
		}
		return nil
	}
	for _, field := range c.Fields {
		row.Fields = append(row.Fields, soaDiffField{Label: "web.soa.field." + field, Prose: field == domain.DiffJustification,
			Before: side(c.Before, field, c.After), After: side(c.After, field, c.Before)})
	}
	return row
}

// soaTrailHref is where a trail entry of a statement leads: the row of a
// decision ("iso27001-2022/A.5.1") or the history of an issued version
// ("iso27001-2022/v3").
func soaTrailHref(sh *Shell, ref string) string {
	std, rest, ok := strings.Cut(ref, "/")
	if !ok {
		return ""
	}
	if strings.HasPrefix(rest, "v") {
		return sh.OrgPath("soa", std, "versions")
	}
	return sh.OrgPath("soa", std) + "#r-" + rest
}

// decisionImpact is what flipping a row's decision does to the readiness
// of its standard: excluding a counted control takes it out of the
// figures, including an excluded one puts it back.
func decisionImpact(t readiness.Tally, row domain.SoARow) string {
	implemented := 0
	if row.State == domain.StateImplemented {
		implemented = 1
	}
	if row.Applicable != nil && !*row.Applicable {
		return i18n.T("web.soa.impact_include", t.Implemented, t.Total, t.Implemented+implemented, t.Total+1)
	}
	return i18n.T("web.soa.impact_exclude", t.Implemented, t.Total, t.Implemented-implemented, t.Total-1)
}
