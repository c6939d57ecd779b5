package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestDiffSoA(t *testing.T) {
	yes, no := true, false
	base := SoARow{Key: "s/A.1", Ref: "A.1", Applicable: &yes, Justification: "j", Reasons: []string{ReasonLegal, ReasonBusiness},
		State: StatePartial, Controls: []SoAControl{{Ref: "CTL-001", Status: StatusInProgress}, {Ref: "CTL-002", Status: StatusPlanned}}}
	tests := []struct {
		name   string
		change func(r *SoARow)
		want   string
	}{
		{"nothing", func(r *SoARow) {}, ""},
		{"who and when are not the statement", func(r *SoARow) { r.DecidedBy, r.Version = "someone", 7 }, ""},
		{"reason order", func(r *SoARow) { r.Reasons = []string{ReasonBusiness, ReasonLegal} }, ""},
		{"control order", func(r *SoARow) { slices.Reverse(r.Controls) }, ""},
		{"excluded", func(r *SoARow) { r.Applicable, r.Reasons = &no, []string{} }, "decision reasons"},
		{"undecided", func(r *SoARow) { r.Applicable = nil }, "decision"},
		{"justification", func(r *SoARow) { r.Justification = "k" }, "justification"},
		{"state and a control's status", func(r *SoARow) {
			r.State = StateImplemented
			r.Controls = []SoAControl{{Ref: "CTL-001", Status: StatusImplemented}, {Ref: "CTL-002", Status: StatusPlanned}}
		}, "state controls"},
		{"a control unlinked", func(r *SoARow) { r.Controls = r.Controls[:1] }, "controls"},
	}
	for _, tt := range tests {
		after := base
		after.Reasons = slices.Clone(base.Reasons)
		after.Controls = slices.Clone(base.Controls)
		tt.change(&after)
		got := DiffSoA([]SoARow{base}, []SoARow{after})
		var fields string
		if len(got) == 1 {
			fields = strings.Join(got[0].Fields, " ")
			if got[0].Before.Key != "s/A.1" || got[0].After.Key != "s/A.1" || got[0].Ref != "A.1" {
				t.Errorf("%s: change %+v", tt.name, got[0])
			}
		} else if len(got) > 1 {
			t.Fatalf("%s: %d changes", tt.name, len(got))
		}
		if fields != tt.want {
			t.Errorf("%s: fields %q, want %q", tt.name, fields, tt.want)
		}
	}

	// A row on one side only (a catalog that changed) differs in everything.
	other := SoARow{Key: "s/A.2", Ref: "A.2"}
	got := DiffSoA([]SoARow{base, other}, []SoARow{base})
	if len(got) != 1 || got[0].Ref != "A.2" || got[0].After != nil || len(got[0].Fields) != 5 {
		t.Errorf("removed row: %+v", got)
	}
	got = DiffSoA([]SoARow{}, []SoARow{other})
	if len(got) != 1 || got[0].Before != nil {
		t.Errorf("added row: %+v", got)
	}
}

func TestSummarize(t *testing.T) {
	yes, no := true, false
	s := Summarize([]SoARow{
		{Applicable: &yes, State: StateImplemented},
		{Applicable: &yes, State: StateNotImplemented, Flagged: true},
		{Applicable: &no, State: StateImplemented},
		{State: StateNoControl},
	})
	if s.Total != 4 || s.Applicable != 2 || s.Excluded != 1 || s.Undecided != 1 || s.Flagged != 1 ||
		s.States[StateImplemented] != 1 || s.States[StateNotImplemented] != 1 || s.States[StateNoControl] != 0 || len(s.States) != 4 {
		t.Errorf("summary %+v", s)
	}
}
