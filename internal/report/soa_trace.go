package report

import (
	"slices"
	"strings"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The risk trace of a Statement of Applicability: the risks whose
// treatment plans use a control implementing a row (risk → control →
// Annex A control → SoA row), and the rows that name risk treatment as a
// reason for inclusion without any such risk.

// Untraced reports whether a row gives risk treatment as a reason for
// including its Annex A control while no risk's treatment plan uses one of
// the controls that implement it, so the inclusion cannot be traced back
// to a risk. A row frozen before risks were traced (Risks nil, in an SoA
// version issued before then) is never untraced: there is nothing to tell.
func Untraced(r domain.SoARow) bool {
	return r.Risks != nil && len(r.Risks) == 0 && r.Applicable != nil && *r.Applicable &&
		slices.Contains(r.Reasons, domain.ReasonRiskTreatment)
}

// Traced reports whether the rows carry the risk trace at all: an SoA
// version issued before risks were traced carries none.
func Traced(rows []domain.SoARow) bool {
	return slices.ContainsFunc(rows, func(r domain.SoARow) bool { return r.Risks != nil })
}

// RiskTrace counts the rows that give risk treatment as a reason: how many
// of them are traced to a risk, and the refs of those that are not.
type RiskTrace struct {
	Recorded  bool     // the rows carry the trace (see Traced)
	Reason    int      // applicable rows giving risk treatment as a reason
	Untraced  []string // refs of the rows among them without a traced risk
	WithRisks int      // rows (of any reason) with at least one risk behind them
}

// TracedRows is how many of the rows giving risk treatment as a reason
// have a risk behind them.
func (t RiskTrace) TracedRows() int { return t.Reason - len(t.Untraced) }

// TraceOf counts the risk trace of rows.
func TraceOf(rows []domain.SoARow) RiskTrace {
	t := RiskTrace{Recorded: Traced(rows), Untraced: []string{}}
	for _, r := range rows {
		if len(r.Risks) > 0 {
			t.WithRisks++
		}
		if r.Applicable != nil && *r.Applicable && slices.Contains(r.Reasons, domain.ReasonRiskTreatment) {
			t.Reason++
		}
		if Untraced(r) {
			t.Untraced = append(t.Untraced, r.Ref)
		}
	}
	return t
}

// riskCell lists a row's risks as an export shows them, one entry each:
// "RSK-001 (via CTL-003)". An untraced row says so instead; a row without
// a trace (or without risks) has none.
func riskCell(r domain.SoARow) []string {
	if Untraced(r) {
		return []string{i18n.T("report.soa.untraced_cell")}
	}
	out := make([]string, 0, len(r.Risks))
	for _, k := range r.Risks {
		out = append(out, i18n.T("report.soa.risk_via", k.Ref, k.Control))
	}
	return out
}

// traceLine sums the trace up in one sentence for a document's summary.
func (d SoADocument) traceLine() string {
	t := TraceOf(d.Rows)
	if !t.Recorded {
		return i18n.T("report.soa.trace_not_recorded")
	}
	return i18n.T("report.soa.trace_summary", t.TracedRows(), t.Reason, len(t.Untraced))
}

// untracedLine names the rows without a traced risk, or is empty.
func (d SoADocument) untracedLine() string {
	t := TraceOf(d.Rows)
	if len(t.Untraced) == 0 {
		return ""
	}
	return i18n.T("report.soa.trace_untraced", strings.Join(t.Untraced, ", "))
}
