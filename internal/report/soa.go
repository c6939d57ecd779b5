package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// SoADocument is one standard's Statement of Applicability to export.
type SoADocument struct {
	Org         domain.Org
	Standard    *catalog.Standard  // title, id, groups (theme names)
	Version     *domain.SoAVersion // nil: the current draft
	GeneratedAt time.Time
	Rows        []domain.SoARow
}

// Decisions of an SoA row as the exports count them.
const (
	decisionYes       = "yes"
	decisionNo        = "no"
	decisionUndecided = "undecided"
)

var decisions = []string{decisionYes, decisionNo, decisionUndecided}

func decisionOf(r domain.SoARow) string {
	switch {
	case r.Applicable == nil:
		return decisionUndecided
	case *r.Applicable:
		return decisionYes
	}
	return decisionNo
}

// soaColumns are the columns of the SoA table, in the order of the XLSX
// sheet and the CSV file.
type soaColumn int

const (
	colRef soaColumn = iota
	colTitle
	colGroup
	colApplicable
	colJustification
	colReasons
	colState
	colControls
	colOwners
	colRisks
	soaColumnCount
)

// soaHeader is the header row, in the language of the export.
func (d SoADocument) soaHeader() []string {
	return []string{
		i18n.T("report.soa.col.ref"), i18n.T("report.soa.col.title"), d.groupLabel(),
		i18n.T("report.soa.col.applicable"), i18n.T("report.soa.col.justification"), i18n.T("report.soa.col.reasons"),
		i18n.T("report.soa.col.state"), i18n.T("report.soa.col.controls"), i18n.T("report.soa.col.owners"),
		i18n.T("report.soa.col.risks"),
	}
}

// groupLabel names the grouping of the standard's Annex A: a theme in
// ISO/IEC 27001, an objective group in ISO/IEC 42001.
func (d SoADocument) groupLabel() string {
	if id := "report.soa.col.group." + d.standardID(); i18n.Has(id) {
		return i18n.T(id)
	}
	return i18n.T("report.soa.col.group")
}

func (d SoADocument) standardID() string {
	switch {
	case d.Standard != nil:
		return d.Standard.ID
	case d.Version != nil:
		return d.Version.Standard
	}
	for _, r := range d.Rows {
		if std, _, ok := strings.Cut(r.Key, "/"); ok {
			return std
		}
	}
	return ""
}

// standardTitle is the standard as people cite it ("ISO/IEC 27001:2022").
func (d SoADocument) standardTitle() string {
	if d.Standard != nil && d.Standard.Title != "" {
		return d.Standard.Title
	}
	return d.standardID()
}

// standardName is the standard's full name, if the catalog has one.
func (d SoADocument) standardName() string {
	if d.Standard != nil {
		return d.Standard.Name
	}
	return ""
}

// title is the document's title: "Statement of Applicability — ISO/IEC 27001:2022".
func (d SoADocument) title() string {
	return i18n.T("report.soa.title_of", d.standardTitle())
}

// loc is the organization's time zone, in which every date is shown.
func (d SoADocument) loc() *time.Location {
	return orgLocation(d.Org)
}

func orgLocation(o domain.Org) *time.Location {
	if o.TimeZone != "" {
		if loc, err := time.LoadLocation(o.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// Date formats of the exports: ISO 8601 dates, and minutes with the zone's
// abbreviation where a moment matters.
const (
	dateFormat   = "2006-01-02"
	minuteFormat = "2006-01-02 15:04 MST"
)

func (d SoADocument) date(t time.Time) string   { return t.In(d.loc()).Format(dateFormat) }
func (d SoADocument) moment(t time.Time) string { return t.In(d.loc()).Format(minuteFormat) }

// generatedAt is when the export was made (now, if the caller left it out).
func (d SoADocument) generatedAt() time.Time {
	if d.GeneratedAt.IsZero() {
		return time.Now()
	}
	return d.GeneratedAt
}

// versionLine says which SoA this is: "Version 3 · issued 2026-03-01 ·
// approved by Ada Lovelace", or "Draft — generated 2026-03-01 10:15 CET".
func (d SoADocument) versionLine() string {
	if v := d.Version; v != nil {
		return i18n.T("report.soa.issued_line", v.Number, d.date(v.IssuedAt), orNone(v.Approver))
	}
	return i18n.T("report.soa.draft_generated", d.moment(d.generatedAt()))
}

// versionLabel is "Version 3" or "Draft".
func (d SoADocument) versionLabel() string {
	if d.Version != nil {
		return i18n.T("report.soa.version_n", d.Version.Number)
	}
	return i18n.T("report.soa.draft")
}

// metadata lists the facts that identify the document, label and value,
// in the order the title page, the Markdown list and the sheet show them.
func (d SoADocument) metadata() [][2]string {
	m := [][2]string{
		{i18n.T("report.soa.organization"), d.Org.Name},
		{i18n.T("report.soa.standard"), strings.TrimSpace(d.standardTitle() + " " + dashed(d.standardName()))},
	}
	if v := d.Version; v != nil {
		m = append(m,
			[2]string{i18n.T("report.soa.version"), fmt.Sprint(v.Number)},
			[2]string{i18n.T("report.soa.issued"), d.date(v.IssuedAt)},
			[2]string{i18n.T("report.soa.approver"), orNone(v.Approver)},
		)
		if note := strings.TrimSpace(v.Note); note != "" {
			m = append(m, [2]string{i18n.T("report.soa.note"), note})
		}
	} else {
		m = append(m, [2]string{i18n.T("report.soa.version"), i18n.T("report.soa.draft")})
	}
	return append(m, [2]string{i18n.T("report.soa.generated"), d.moment(d.generatedAt())})
}

func dashed(s string) string {
	if s == "" {
		return ""
	}
	return "— " + s
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return i18n.T("report.none")
	}
	return s
}

// soaGroup is one theme or objective group of the table, in catalog order.
type soaGroup struct {
	ID, Title string
	Rows      []domain.SoARow
}

// groups sorts the rows into the standard's groups, in the catalog's order;
// rows of a group the catalog does not name come last, under their own id.
func (d SoADocument) groups() []soaGroup {
	var out []soaGroup
	index := map[string]int{}
	if d.Standard != nil {
		for _, g := range d.Standard.Groups {
			index[g.ID] = len(out)
			out = append(out, soaGroup{ID: g.ID, Title: g.Title})
		}
	}
	for _, r := range d.Rows {
		i, ok := index[r.Group]
		if !ok {
			i = len(out)
			index[r.Group] = i
			out = append(out, soaGroup{ID: r.Group, Title: r.Group})
		}
		out[i].Rows = append(out[i].Rows, r)
	}
	kept := out[:0]
	for _, g := range out {
		if len(g.Rows) > 0 {
			g.Title = groupTitle(g)
			kept = append(kept, g)
		}
	}
	return kept
}

// groupTitle shows a group whose id is a ref ("A.2" in ISO/IEC 42001) with
// the ref in front: "A.2 Policies related to AI". Themes whose id is a word
// ("organizational") show their title alone.
func groupTitle(g soaGroup) string {
	if g.Title != g.ID && len(g.Rows) > 0 && strings.HasPrefix(g.Rows[0].Ref, g.ID+".") {
		return g.ID + " " + g.Title
	}
	return g.Title
}

// groupNames maps a group id to the title the table shows.
func (d SoADocument) groupNames() map[string]string {
	names := map[string]string{}
	for _, g := range d.groups() {
		names[g.ID] = g.Title
	}
	return names
}

// soaCells is one row as the text of its cells; list cells hold one entry
// per line.
type soaCells struct {
	Ref, Title, Group, Applicable, Justification, Reasons, State string
	Controls, Owners, Risks                                      []string
	Decision                                                     string
	Untraced                                                     bool // see Untraced
}

func (d SoADocument) cells(r domain.SoARow, groupNames map[string]string) soaCells {
	c := soaCells{Ref: r.Ref, Title: r.Title, Group: groupNames[r.Group], Justification: r.Justification,
		Decision: decisionOf(r), State: stateLabel(r.State)}
	if c.Group == "" {
		c.Group = r.Group
	}
	c.Applicable = i18n.T("report.soa.applicable." + c.Decision)
	reasons := make([]string, 0, len(r.Reasons))
	for _, reason := range r.Reasons {
		reasons = append(reasons, labelOr("report.soa.reason."+reason, reason))
	}
	c.Reasons = strings.Join(reasons, ", ")
	c.Risks, c.Untraced = riskCell(r), Untraced(r)
	seen := map[string]bool{}
	for _, ctl := range r.Controls {
		c.Controls = append(c.Controls, strings.TrimSpace(ctl.Ref+" "+ctl.Title))
		if o := strings.TrimSpace(ctl.Owner); o != "" && !seen[strings.ToLower(o)] {
			seen[strings.ToLower(o)] = true
			c.Owners = append(c.Owners, o)
		}
	}
	return c
}

// record is the row as the cells of a table, in soaHeader order; lists are
// joined with sep.
func (c soaCells) record(sep string) []string {
	return []string{c.Ref, c.Title, c.Group, c.Applicable, c.Justification, c.Reasons, c.State,
		strings.Join(c.Controls, sep), strings.Join(c.Owners, sep), strings.Join(c.Risks, sep)}
}

func stateLabel(state string) string { return labelOr("report.soa.state."+state, state) }

// labelOr is the label of a value, or the value itself when the catalog
// has no label for it (better than the message id in a document).
func labelOr(id, value string) string {
	if i18n.Has(id) {
		return i18n.T(id)
	}
	return value
}

// soaSummary counts the rows by decision and implementation state, in
// total and per group.
type soaSummary struct {
	Total    int
	Count    map[[2]string]int // {decision, state}
	Decision map[string]int
	State    map[string]int
	Groups   []groupSummary
}

type groupSummary struct {
	Title    string
	Total    int
	Decision map[string]int
}

// summaryStates lists the implementation states in table order: the
// domain's, then any other a row carries.
func (d SoADocument) summaryStates() []string {
	states := append([]string(nil), domain.States...)
	known := map[string]bool{}
	for _, s := range states {
		known[s] = true
	}
	for _, r := range d.Rows {
		if !known[r.State] {
			known[r.State] = true
			states = append(states, r.State)
		}
	}
	return states
}

func (d SoADocument) summary() soaSummary {
	s := soaSummary{Count: map[[2]string]int{}, Decision: map[string]int{}, State: map[string]int{}}
	for _, r := range d.Rows {
		dec := decisionOf(r)
		s.Total++
		s.Count[[2]string{dec, r.State}]++
		s.Decision[dec]++
		s.State[r.State]++
	}
	for _, g := range d.groups() {
		gs := groupSummary{Title: g.Title, Decision: map[string]int{}}
		for _, r := range g.Rows {
			gs.Total++
			gs.Decision[decisionOf(r)]++
		}
		s.Groups = append(s.Groups, gs)
	}
	return s
}

// SoACSV writes the Statement of Applicability as CSV: a header row and one
// row per Annex A control, every cell guarded against formula injection.
// Implementing controls, owners and risks are one per line within their
// cell.
func SoACSV(w io.Writer, doc SoADocument) error {
	c := NewCSV(w)
	if err := c.Write(doc.soaHeader()...); err != nil {
		return err
	}
	names := doc.groupNames()
	for _, r := range doc.Rows {
		if err := c.Write(doc.cells(r, names).record("\n")...); err != nil {
			return err
		}
	}
	return c.Flush()
}
