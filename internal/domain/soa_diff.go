package domain

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Decision states of an SoA row as filters and counts name them.
const (
	DecisionApplicable = "applicable"
	DecisionExcluded   = "excluded"
	DecisionUndecided  = "undecided"
)

// Decisions lists the decision states in the order pages show them.
var Decisions = []string{DecisionApplicable, DecisionExcluded, DecisionUndecided}

// Decision names the row's decision state.
func (r SoARow) Decision() string {
	switch {
	case r.Applicable == nil:
		return DecisionUndecided
	case *r.Applicable:
		return DecisionApplicable
	}
	return DecisionExcluded
}

// SoASummary counts the rows of a Statement of Applicability.
type SoASummary struct {
	Total      int `json:"total"`
	Applicable int `json:"applicable"`
	Excluded   int `json:"excluded"`
	Undecided  int `json:"undecided"`
	Flagged    int `json:"flagged"`
	// States counts the implementation state of the applicable rows: an
	// excluded control needs no implementation, an undecided one is not in
	// the statement yet.
	States map[string]int `json:"states" doc:"Implementation state of the applicable rows"`
}

// Summarize counts rows by decision, by state (of the applicable ones) and
// flags.
func Summarize(rows []SoARow) SoASummary {
	s := SoASummary{Total: len(rows), States: map[string]int{}}
	for _, st := range States {
		s.States[st] = 0
	}
	for _, r := range rows {
		switch r.Decision() {
		case DecisionApplicable:
			s.Applicable++
			s.States[r.State]++
		case DecisionExcluded:
			s.Excluded++
		default:
			s.Undecided++
		}
		if r.Flagged {
			s.Flagged++
		}
	}
	return s
}

// The parts of a row a diff compares.
const (
	DiffDecision      = "decision"
	DiffJustification = "justification"
	DiffReasons       = "reasons"
	DiffState         = "state"
	DiffControls      = "controls"
)

// SoAChange is one row that differs between two Statements of
// Applicability, with the row on each side.
type SoAChange struct {
	Key    string   `json:"key"`
	Ref    string   `json:"ref"`
	Title  string   `json:"title"`
	Group  string   `json:"group"`
	Fields []string `json:"fields" enum:"decision,justification,reasons,state,controls" doc:"What changed, in this order"`
	Before *SoARow  `json:"before" doc:"The row in the older statement; null when it had no such row"`
	After  *SoARow  `json:"after" doc:"The row in the newer statement; null when it has no such row"`
}

// Has reports whether field changed (templates ask per field).
func (c SoAChange) Has(field string) bool { return slices.Contains(c.Fields, field) }

// DiffSoA compares two row sets (an issued version with a later one, or
// with the current draft) row by row and returns only the rows that
// changed, in the order of after (rows only in before follow). Who decided
// and when is not compared: a decision recorded again unchanged is no
// change to the statement.
func DiffSoA(before, after []SoARow) []SoAChange {
	old := make(map[string]int, len(before))
	for i, r := range before {
		old[r.Key] = i
	}
	seen := map[string]bool{}
	out := []SoAChange{}
	for i := range after {
		a := &after[i]
		seen[a.Key] = true
		var b *SoARow
		if j, ok := old[a.Key]; ok {
			b = &before[j]
		}
		if fields := rowChanges(b, a); len(fields) > 0 {
			out = append(out, SoAChange{Key: a.Key, Ref: a.Ref, Title: a.Title, Group: a.Group, Fields: fields, Before: b, After: a})
		}
	}
	for i := range before {
		b := &before[i]
		if !seen[b.Key] {
			out = append(out, SoAChange{Key: b.Key, Ref: b.Ref, Title: b.Title, Group: b.Group, Fields: rowChanges(b, nil), Before: b})
		}
	}
	return out
}

// rowChanges lists the fields in which a and b differ; a missing row
// differs from a present one in every field.
func rowChanges(a, b *SoARow) []string {
	if a == nil || b == nil {
		return []string{DiffDecision, DiffJustification, DiffReasons, DiffState, DiffControls}
	}
	var out []string
	if a.Decision() != b.Decision() {
		out = append(out, DiffDecision)
	}
	if a.Justification != b.Justification {
		out = append(out, DiffJustification)
	}
	if !sameSet(a.Reasons, b.Reasons) {
		out = append(out, DiffReasons)
	}
	if a.State != b.State {
		out = append(out, DiffState)
	}
	if !sameSet(controlKeys(a.Controls), controlKeys(b.Controls)) {
		out = append(out, DiffControls)
	}
	return out
}

// controlKeys is what a diff compares of the implementing controls: which
// they are and their status.
func controlKeys(cs []SoAControl) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Ref + "=" + c.Status
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// MaxSoANote bounds the note of an issued version.
const MaxSoANote = 2000

// IssueInput is what issuing a version of a Statement of Applicability
// takes: who approves it and why it is issued.
type IssueInput struct {
	Approver string
	Note     string
}

// Validate trims the input and reports every problem together.
func (in *IssueInput) Validate() error {
	in.Approver, in.Note = strings.TrimSpace(in.Approver), strings.TrimSpace(in.Note)
	v := &ValidationError{}
	if in.Approver == "" {
		v.Add("approver", "error.required", in.Approver)
	}
	if utf8.RuneCountInString(in.Note) > MaxSoANote {
		v.Add("note", "error.too_long", nil, MaxSoANote)
	}
	return v.Err()
}

// SoADiff is what changed from one issued version to a later one (or to
// the current draft).
type SoADiff struct {
	Standard string      `json:"standard"`
	From     SoAVersion  `json:"from" doc:"The older version (without rows)"`
	To       *SoAVersion `json:"to" doc:"The newer version (without rows); null for the current draft"`
	Items    []SoAChange `json:"items" doc:"Only the rows that changed"`
}
