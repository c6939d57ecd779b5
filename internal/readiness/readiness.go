// Package readiness computes, from an organization's controls and
// applicability decisions, how ready it is for each standard: per clause,
// per Annex A theme or group, the gaps behind the figures, what an existing
// management system carries over to the other standard through the
// crosswalk, and what a change to a control does to all of that. It reads
// nothing itself: the store supplies the coverage, so the figures are
// computed the same way for pages, the API and tests.
package readiness

import (
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
)

// Coverage maps a requirement key to the organization's controls linked
// to it.
type Coverage map[string][]domain.SoAControl

// Excluded holds the Annex A controls decided not applicable; they leave
// the figures (a justified exclusion is not a gap).
type Excluded map[string]bool

// Tally counts requirements by implementation state.
type Tally struct {
	Total          int `json:"total" doc:"Requirements in scope (excluded Annex A controls left out)"`
	Implemented    int `json:"implemented"`
	Partial        int `json:"partially_implemented"`
	NotImplemented int `json:"not_implemented"`
	NoControl      int `json:"no_control"`
	Excluded       int `json:"excluded"`
}

func (t *Tally) add(state string) {
	t.Total++
	switch state {
	case domain.StateImplemented:
		t.Implemented++
	case domain.StatePartial:
		t.Partial++
	case domain.StateNotImplemented:
		t.NotImplemented++
	default:
		t.NoControl++
	}
}

func (t *Tally) merge(o Tally) {
	t.Total += o.Total
	t.Implemented += o.Implemented
	t.Partial += o.Partial
	t.NotImplemented += o.NotImplemented
	t.NoControl += o.NoControl
	t.Excluded += o.Excluded
}

// Covered is how many requirements have at least one control.
func (t Tally) Covered() int { return t.Total - t.NoControl }

// CoveredPercent and ImplementedPercent are whole percentages of Total
// (rounded down, so 99.6 % is not shown as done).
func (t Tally) CoveredPercent() int     { return percent(t.Covered(), t.Total) }
func (t Tally) ImplementedPercent() int { return percent(t.Implemented, t.Total) }

func percent(n, of int) int {
	if of == 0 {
		return 0
	}
	return n * 100 / of
}

// Section is one clause (4–10) or one Annex A theme or group.
type Section struct {
	ID    string `json:"id" doc:"Clause number (\"6\") or group id (\"organizational\", \"A.6\")"`
	Title string `json:"title"`
	Kind  string `json:"kind" enum:"clause,annex"`
	Tally
}

// Gap is a requirement in scope that is not implemented.
type Gap struct {
	Key      string              `json:"key"`
	Ref      string              `json:"ref"`
	Title    string              `json:"title"`
	Kind     string              `json:"kind"`
	Section  string              `json:"section"`
	State    string              `json:"state"`
	Controls []domain.SoAControl `json:"controls"`
}

// Standard is the readiness of one standard.
type Standard struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Overall  Tally     `json:"overall"`
	Clauses  Tally     `json:"clauses"`
	Annex    Tally     `json:"annex"`
	Sections []Section `json:"sections"`
	Gaps     []Gap     `json:"gaps"`
}

// assessed lists the requirements that count: every Annex A control, and
// every clause without subclauses (a heading such as 6.1 is met through
// 6.1.1–6.1.3, so linking a control to the heading itself counts for
// nothing).
func assessed(std *catalog.Standard) map[string]bool {
	headings := map[string]bool{}
	for _, r := range std.Requirements {
		if r.Kind == catalog.KindClause {
			if i := strings.LastIndex(r.Ref, "."); i > 0 {
				headings[r.Ref[:i]] = true
			}
		}
	}
	out := map[string]bool{}
	for _, r := range std.Requirements {
		if r.Kind == catalog.KindAnnex || !headings[r.Ref] {
			out[r.Key] = true
		}
	}
	return out
}

// StateOf is the implementation state of one requirement.
func (c Coverage) StateOf(key string) string { return domain.StateOf(c[key]) }

// Compute works out the readiness of one standard.
func Compute(cat *catalog.Catalog, standardID string, cov Coverage, excluded Excluded) Standard {
	std := cat.Standard(standardID)
	out := Standard{ID: std.ID, Title: std.Title, Sections: []Section{}, Gaps: []Gap{}}
	clauseIdx, groupIdx := map[string]int{}, map[string]int{}
	for _, r := range std.Requirements {
		if r.Kind == catalog.KindClause && r.Parent == "" && !strings.Contains(r.Ref, ".") {
			clauseIdx[r.Ref] = len(out.Sections)
			out.Sections = append(out.Sections, Section{ID: r.Ref, Title: r.Title, Kind: catalog.KindClause})
		}
	}
	for _, g := range std.Groups {
		groupIdx[g.ID] = len(out.Sections)
		out.Sections = append(out.Sections, Section{ID: g.ID, Title: g.Title, Kind: catalog.KindAnnex})
	}
	counted := assessed(std)
	for _, r := range std.Requirements {
		if !counted[r.Key] {
			continue
		}
		var sec *Section
		if r.Kind == catalog.KindAnnex {
			if i, ok := groupIdx[r.Group]; ok {
				sec = &out.Sections[i]
			}
		} else if i, ok := clauseIdx[topClause(r.Ref)]; ok {
			sec = &out.Sections[i]
		}
		kindTally := &out.Clauses
		if r.Kind == catalog.KindAnnex {
			kindTally = &out.Annex
		}
		if excluded[r.Key] {
			kindTally.Excluded++
			if sec != nil {
				sec.Excluded++
			}
			continue
		}
		state := cov.StateOf(r.Key)
		kindTally.add(state)
		if sec != nil {
			sec.add(state)
		}
		if state != domain.StateImplemented {
			section := ""
			if sec != nil {
				section = sec.ID
			}
			controls := cov[r.Key]
			if controls == nil {
				controls = []domain.SoAControl{}
			}
			out.Gaps = append(out.Gaps, Gap{Key: r.Key, Ref: r.Ref, Title: r.Title, Kind: r.Kind, Section: section, State: state, Controls: controls})
		}
	}
	out.Overall.merge(out.Clauses)
	out.Overall.merge(out.Annex)
	return out
}

// topClause is the clause number a subclause belongs to ("6.1.2" → "6").
func topClause(ref string) string {
	top, _, _ := strings.Cut(ref, ".")
	return top
}
