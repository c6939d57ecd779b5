package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The risk register of one register (security or AI) as an auditor is
// handed it: ISO/IEC 27001 and ISO/IEC 42001 6.1.2 and 8.2 ask for the
// results of the risk assessment, retained as documented information. The
// two registers share one method and most columns; each adds its own.
// Risks come page by page from a callback (see Paged), so that a register
// of any size is never read in one query.

// RiskRegister is what a register export describes: whose register,
// which one, under which method and filter, and when it was made.
type RiskRegister struct {
	Org         domain.Org
	Register    string // domain.RegisterSecurity or domain.RegisterAI
	Method      domain.RiskMethod
	Filter      domain.RiskFilter // as applied; named in the title block
	GeneratedAt time.Time
}

// RiskPages hands out the next page of risks and whether another follows.
type RiskPages func() ([]domain.Risk, bool, error)

func (d RiskRegister) check() error {
	if !slices.Contains(domain.Registers, d.Register) {
		return fmt.Errorf("report: %q is not a risk register", d.Register)
	}
	return nil
}

func (d RiskRegister) loc() *time.Location { return orgLocation(d.Org) }

func (d RiskRegister) generatedAt() time.Time {
	if d.GeneratedAt.IsZero() {
		return time.Now()
	}
	return d.GeneratedAt
}

// today is the day of the export in the organization's time zone, to which
// due dates, review dates and acceptances are compared.
func (d RiskRegister) today() string { return d.generatedAt().In(d.loc()).Format(dateFormat) }

func (d RiskRegister) moment() string { return d.generatedAt().In(d.loc()).Format(minuteFormat) }

// title is "Information security risk register" or "AI risk register".
func (d RiskRegister) title() string { return i18n.T("report.risk.title." + d.Register) }

// RiskFilename names a register export: acme-security-risks-2026-12-02.xlsx,
// dated in the organization's time zone.
func RiskFilename(org domain.Org, register, format string, at time.Time) string {
	return org.Slug + "-" + register + "-risks-" + at.In(orgLocation(org)).Format(dateFormat) + "." + format
}

// methodLine names the method version the levels come from.
func methodLine(m domain.RiskMethod, loc *time.Location) string {
	switch {
	case m.Version == 0:
		return i18n.T("report.risk.method_default")
	case m.UpdatedAt != nil && m.UpdatedBy != "":
		return i18n.T("report.risk.method_changed", m.Version, m.UpdatedAt.In(loc).Format(dateFormat), m.UpdatedBy)
	}
	return i18n.T("report.risk.method_version", m.Version)
}

// metadata is the title block: label and value.
func (d RiskRegister) metadata() [][2]string {
	return [][2]string{
		{i18n.T("report.risk.organization"), d.Org.Name},
		{i18n.T("report.risk.register"), i18n.T("report.risk.register." + d.Register)},
		{i18n.T("report.risk.method"), methodLine(d.Method, d.loc())},
		{i18n.T("report.risk.appetite"), i18n.T("report.risk.appetite_value", levelLabel(d.Method, d.Method.Appetite))},
		{i18n.T("report.risk.filter"), filterText(d.Filter, d.Method)},
		{i18n.T("report.risk.generated"), d.moment()},
	}
}

// filterText says in words what a filter keeps ("status open; owner Dana").
func filterText(f domain.RiskFilter, m domain.RiskMethod) string {
	score := "residual"
	if f.Inherent {
		score = "inherent"
	}
	var parts []string
	add := func(on bool, id string, args ...any) {
		if on {
			parts = append(parts, i18n.T(id, args...))
		}
	}
	add(f.Status != "", "report.risk.filter.status", valueLabel("report.risk.status.", f.Status))
	add(strings.TrimSpace(f.Owner) != "", "report.risk.filter.owner", strings.TrimSpace(f.Owner))
	add(f.Level != "", "report.risk.filter.level_"+score, levelLabel(m, f.Level))
	add(f.Likelihood > 0 && f.Impact > 0, "report.risk.filter.cell_"+score, f.Likelihood, f.Impact)
	add(f.Likelihood > 0 && f.Impact == 0, "report.risk.filter.likelihood_"+score, f.Likelihood)
	add(f.Likelihood == 0 && f.Impact > 0, "report.risk.filter.impact_"+score, f.Impact)
	add(f.Current, "report.risk.filter.current")
	add(strings.TrimSpace(f.Control) != "", "report.risk.filter.control", strings.ToUpper(strings.TrimSpace(f.Control)))
	add(f.Rescore, "report.risk.filter.rescore")
	add(f.ReviewDue, "report.risk.filter.review_due")
	add(f.Acceptance != "", "report.risk.filter.acceptance_"+f.Acceptance)
	add(strings.TrimSpace(f.Text) != "", "report.risk.filter.text", strings.TrimSpace(f.Text))
	if len(parts) == 0 {
		return i18n.T("report.risk.filter_none")
	}
	return strings.Join(parts, "; ")
}

// valueLabel is the label of a listed value (a status, a source), or the
// value itself when the catalog has none.
func valueLabel(prefix, value string) string { return labelOr(prefix+value, value) }

func valueLabels(prefix string, values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = valueLabel(prefix, v)
	}
	return out
}

// level is a level of the method as the exports show it.
type level struct {
	Label string
	Fill  string // hex, no #
	Ink   string // text colour readable on Fill
}

// unknownLevel stands for a level id the method in force does not have (a
// score given under an older version): neutral grey.
var unknownLevel = level{Fill: "E7E6E6", Ink: "3A3838"}

func levelOf(m domain.RiskMethod, id string) level {
	for _, l := range m.Levels {
		if l.ID == id {
			fill := strings.ToUpper(strings.TrimPrefix(l.Colour, "#"))
			if len(fill) != 6 {
				fill = unknownLevel.Fill
			}
			return level{Label: l.Label, Fill: fill, Ink: inkOn(fill)}
		}
	}
	u := unknownLevel
	u.Label = id
	if id == "" {
		u.Label = i18n.T("report.none")
	}
	return u
}

func levelLabel(m domain.RiskMethod, id string) string { return levelOf(m, id).Label }

// inkOn picks black or white text for a background, by its relative
// luminance (WCAG), so that a method's own colours stay readable.
func inkOn(hex string) string {
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return "1A1A1A"
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&0xFF) + 0.7152*lin(v>>8&0xFF) + 0.0722*lin(v&0xFF)
	// Contrast with white is (1.05)/(l+0.05), with near-black (l+0.05)/0.06.
	if 1.05/(l+0.05) >= (l+0.05)/0.06 {
		return "FFFFFF"
	}
	return "1A1A1A"
}

// score is "4 × 5": likelihood × impact.
func score(s domain.RiskScore) string {
	if s.Likelihood == 0 && s.Impact == 0 {
		return i18n.T("report.none")
	}
	return i18n.T("report.risk.score", s.Likelihood, s.Impact)
}

// Acceptance states of a risk, as the exports mark them.
const (
	acceptNotNeeded = iota // within appetite, or closed
	acceptValid            // an acceptance covers the residual level today
	acceptNeeded           // above appetite and not (or no longer) accepted
)

// acceptance says whether the residual risk is accepted, in words.
func acceptance(m domain.RiskMethod, r domain.Risk, today string) (int, string) {
	a := r.Acceptance
	role := func() string { return valueLabel("report.risk.role.", a.Role) }
	switch {
	case r.Accepted && a != nil:
		return acceptValid, i18n.T("report.risk.accepted", levelLabel(m, a.Level), a.By, role(), a.Date, a.Expires)
	case r.AboveAppetite && r.Status != "closed":
		text := i18n.T("report.risk.acceptance_needed")
		switch {
		case a != nil && a.Expires < today:
			text += " — " + i18n.T("report.risk.acceptance_expired", a.Date, a.Expires)
		case a != nil:
			text += " — " + i18n.T("report.risk.acceptance_lower", levelLabel(m, a.Level), levelLabel(m, r.Residual.Level))
		}
		return acceptNeeded, text
	case a != nil:
		return acceptNotNeeded, i18n.T("report.risk.acceptance_past", levelLabel(m, a.Level), a.By, a.Date, a.Expires)
	case !r.AboveAppetite:
		return acceptNotNeeded, i18n.T("report.risk.within_appetite")
	}
	return acceptNotNeeded, i18n.T("report.none")
}

// actionLine is one action of a treatment plan in a cell.
func actionLine(a domain.Action) string {
	id := "report.risk.action"
	if a.Overdue {
		id = "report.risk.action_overdue"
	}
	return i18n.T(id, a.Ref, a.Title, a.Owner, a.Due)
}

// riskKind is how a register column is written in a spreadsheet.
type riskKind int

const (
	kindText riskKind = iota
	kindRef
	kindNumber   // likelihood and impact steps
	kindInherent // the level, filled with its colour
	kindResidual
	kindAcceptance
	kindDate // YYYY-MM-DD
	kindTime // updated_at
)

// riskColumn is one column of the register: its message id, its width in
// the spreadsheet (characters) and its text.
type riskColumn struct {
	id    string
	width float64
	kind  riskKind
	text  func(d *RiskRegister, r *domain.Risk) string
}

func join(values []string) string { return strings.Join(values, ", ") }

var (
	riskHead = []riskColumn{
		{"ref", 10, kindRef, func(_ *RiskRegister, r *domain.Risk) string { return r.Ref }},
		{"title", 34, kindText, func(_ *RiskRegister, r *domain.Risk) string { return r.Title }},
		{"description", 50, kindText, func(_ *RiskRegister, r *domain.Risk) string { return r.Description }},
		{"owner", 20, kindText, func(_ *RiskRegister, r *domain.Risk) string { return r.Owner }},
	}
	riskSecurity = []riskColumn{
		{"assets", 16, kindText, func(_ *RiskRegister, r *domain.Risk) string { return join(r.Assets) }},
		{"threat", 32, kindText, func(_ *RiskRegister, r *domain.Risk) string { return r.Threat }},
		{"vulnerability", 32, kindText, func(_ *RiskRegister, r *domain.Risk) string { return r.Vulnerability }},
		{"cia", 18, kindText, func(_ *RiskRegister, r *domain.Risk) string { return join(valueLabels("report.risk.cia.", r.CIA)) }},
	}
	riskAI = []riskColumn{
		{"ai_systems", 28, kindText, func(_ *RiskRegister, r *domain.Risk) string { return r.AISystems }},
		{"sources", 28, kindText, func(_ *RiskRegister, r *domain.Risk) string {
			return join(valueLabels("report.risk.source.", r.Sources))
		}},
		{"parties", 18, kindText, func(_ *RiskRegister, r *domain.Risk) string {
			return join(valueLabels("report.risk.party.", r.Parties))
		}},
	}
	riskTail = []riskColumn{
		{"inherent_likelihood", 11, kindNumber, func(_ *RiskRegister, r *domain.Risk) string { return strconv.Itoa(r.Inherent.Likelihood) }},
		{"inherent_impact", 11, kindNumber, func(_ *RiskRegister, r *domain.Risk) string { return strconv.Itoa(r.Inherent.Impact) }},
		{"inherent_level", 12, kindInherent, func(d *RiskRegister, r *domain.Risk) string { return levelLabel(d.Method, r.Inherent.Level) }},
		{"treatment", 12, kindText, func(_ *RiskRegister, r *domain.Risk) string { return valueLabel("report.risk.treatment.", r.Treatment) }},
		{"controls", 16, kindText, func(_ *RiskRegister, r *domain.Risk) string { return join(r.Controls) }},
		{"actions", 40, kindText, func(_ *RiskRegister, r *domain.Risk) string {
			lines := make([]string, len(r.Actions))
			for i, a := range r.Actions {
				lines[i] = actionLine(a)
			}
			return strings.Join(lines, "\n")
		}},
		{"residual_likelihood", 11, kindNumber, func(_ *RiskRegister, r *domain.Risk) string { return strconv.Itoa(r.Residual.Likelihood) }},
		{"residual_impact", 11, kindNumber, func(_ *RiskRegister, r *domain.Risk) string { return strconv.Itoa(r.Residual.Impact) }},
		{"residual_level", 12, kindResidual, func(d *RiskRegister, r *domain.Risk) string { return levelLabel(d.Method, r.Residual.Level) }},
		{"above_appetite", 11, kindText, func(_ *RiskRegister, r *domain.Risk) string { return yesNo(r.AboveAppetite) }},
		{"status", 11, kindText, func(_ *RiskRegister, r *domain.Risk) string { return valueLabel("report.risk.status.", r.Status) }},
		{"acceptance", 36, kindAcceptance, func(d *RiskRegister, r *domain.Risk) string {
			_, text := acceptance(d.Method, *r, d.today())
			return text
		}},
		{"acceptance_rationale", 36, kindText, func(_ *RiskRegister, r *domain.Risk) string {
			if r.Acceptance == nil {
				return ""
			}
			return r.Acceptance.Rationale
		}},
		{"next_review", 12, kindDate, func(_ *RiskRegister, r *domain.Risk) string { return r.NextReview }},
		{"rescore", 11, kindText, func(_ *RiskRegister, r *domain.Risk) string {
			return yesNo(r.Inherent.Rescore || r.Residual.Rescore)
		}},
		{"updated", 17, kindTime, func(d *RiskRegister, r *domain.Risk) string {
			return r.UpdatedAt.In(d.loc()).Format(time.RFC3339)
		}},
	}
)

func yesNo(b bool) string {
	if b {
		return i18n.T("report.risk.yes")
	}
	return i18n.T("report.risk.no")
}

// riskColumns are the columns of a register: the common ones, the
// register's own, then the scores, the treatment and the acceptance.
func riskColumns(register string) []riskColumn {
	own := riskSecurity
	if register == domain.RegisterAI {
		own = riskAI
	}
	return slices.Concat(riskHead, own, riskTail)
}

// RiskColumns is the header row of a register's export, in the language of
// the export.
func RiskColumns(register string) []string {
	cols := riskColumns(register)
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = i18n.T("report.risk.col." + c.id)
	}
	return out
}

// MaxDocumentRisks bounds the risks of a document that is built whole
// before it is sent — the register PDF and the treatment plan — as an
// import bounds its rows; the streamed XLSX and CSV register have no bound.
const MaxDocumentRisks = 5000

// tooManyRisks is the refusal of a document beyond MaxDocumentRisks.
func tooManyRisks() error {
	v := &domain.ValidationError{}
	v.Add("format", "error.risk_document_too_large", nil, MaxDocumentRisks)
	return v
}

// RisksCSV writes a register as CSV: the header row, then one row per risk,
// each page flushed before the next is asked for. Likelihood and impact are
// the steps of the method's scales; levels, statuses and options are in
// words; the updated time is RFC 3339 in the organization's time zone.
// Every cell is guarded against formula injection.
func RisksCSV(w io.Writer, doc RiskRegister, next RiskPages) error {
	if err := doc.check(); err != nil {
		return err
	}
	keepWriting(w)
	cols := riskColumns(doc.Register)
	c := NewCSV(w)
	if err := c.Write(RiskColumns(doc.Register)...); err != nil {
		return err
	}
	record := make([]string, len(cols))
	for {
		items, more, err := next()
		if err != nil {
			return err
		}
		for i := range items {
			for j, col := range cols {
				record[j] = col.text(&doc, &items[i])
			}
			if err := c.Write(record...); err != nil {
				return err
			}
		}
		if err := c.Flush(); err != nil {
			return err
		}
		if !more {
			return nil
		}
		keepWriting(w)
	}
}
