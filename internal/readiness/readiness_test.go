package readiness_test

import (
	"testing"

	"tandem/internal/domain"
	"tandem/internal/readiness"
	"tandem/internal/storetest"
)

// The hand-computed example: four controls of a small ISMS.
//
//	CTL-001 policy set, implemented, shared: 27001 5.2, A.5.1; 42001 A.2.2
//	CTL-002 access, in progress: 27001 A.5.15 and the heading 6.1 (which counts for nothing)
//	CTL-003 development, planned: 27001 A.8.25
//	CTL-004 awareness, implemented: 27001 7.2
//
// and 27001 A.7.4 excluded in the SoA.
func example() (readiness.Coverage, readiness.Excluded) {
	policy := domain.SoAControl{Ref: "CTL-001", Title: "Policy set", Status: domain.StatusImplemented, Scope: domain.ScopeShared}
	access := domain.SoAControl{Ref: "CTL-002", Title: "Access", Status: domain.StatusInProgress, Scope: domain.Scope27001}
	dev := domain.SoAControl{Ref: "CTL-003", Title: "Development", Status: domain.StatusPlanned, Scope: domain.Scope27001}
	aware := domain.SoAControl{Ref: "CTL-004", Title: "Awareness", Status: domain.StatusImplemented, Scope: domain.Scope27001}
	cov := readiness.Coverage{
		"iso27001-2022/5.2":    {policy},
		"iso27001-2022/A.5.1":  {policy},
		"iso42001-2023/A.2.2":  {policy},
		"iso27001-2022/A.5.15": {access},
		"iso27001-2022/6.1":    {access},
		"iso27001-2022/A.8.25": {dev},
		"iso27001-2022/7.2":    {aware},
	}
	return cov, readiness.Excluded{"iso27001-2022/A.7.4": true}
}

func TestReadinessByHand(t *testing.T) {
	cov, excluded := example()
	r := readiness.Compute(storetest.Catalog, "iso27001-2022", cov, excluded)
	// 41 clause entries less 11 headings (4, 5, 6, 6.1, 7, 7.5, 8, 9, 9.2, 9.3, 10) = 30 counted.
	tallies := []struct {
		name string
		got  readiness.Tally
		want readiness.Tally
	}{
		{"clauses", r.Clauses, readiness.Tally{Total: 30, Implemented: 2, NoControl: 28}},
		{"annex", r.Annex, readiness.Tally{Total: 92, Implemented: 1, Partial: 1, NotImplemented: 1, NoControl: 89, Excluded: 1}},
		{"overall", r.Overall, readiness.Tally{Total: 122, Implemented: 3, Partial: 1, NotImplemented: 1, NoControl: 117, Excluded: 1}},
	}
	for _, tt := range tallies {
		if tt.got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
	if r.Overall.CoveredPercent() != 4 || r.Overall.ImplementedPercent() != 2 {
		t.Errorf("percentages %d %d, want 4 (5/122) and 2 (3/122)", r.Overall.CoveredPercent(), r.Overall.ImplementedPercent())
	}
	sections := map[string]readiness.Tally{}
	for _, s := range r.Sections {
		sections[s.ID] = s.Tally
	}
	wantSections := map[string]readiness.Tally{
		"5":              {Total: 3, Implemented: 1, NoControl: 2},
		"6":              {Total: 5, NoControl: 5},
		"7":              {Total: 7, Implemented: 1, NoControl: 6},
		"organizational": {Total: 37, Implemented: 1, Partial: 1, NoControl: 35},
		"physical":       {Total: 13, NoControl: 13, Excluded: 1},
		"technological":  {Total: 34, NotImplemented: 1, NoControl: 33},
		"people":         {Total: 8, NoControl: 8},
	}
	for id, want := range wantSections {
		if sections[id] != want {
			t.Errorf("section %s: %+v, want %+v", id, sections[id], want)
		}
	}
	if len(r.Sections) != 7+4 {
		t.Errorf("%d sections, want 7 clauses and 4 themes", len(r.Sections))
	}
	if len(r.Gaps) != 119 {
		t.Errorf("%d gaps, want 122 - 3 implemented = 119", len(r.Gaps))
	}
	for _, g := range r.Gaps {
		if g.Key == "iso27001-2022/A.7.4" || g.Key == "iso27001-2022/6.1" || g.State == domain.StateImplemented {
			t.Errorf("not a gap: %+v", g)
		}
	}

	ai := readiness.Compute(storetest.Catalog, "iso42001-2023", cov, excluded)
	if want := (readiness.Tally{Total: 70, Implemented: 1, NoControl: 69}); ai.Overall != want {
		t.Errorf("42001: %+v, want %+v (32 clauses + 38 annex)", ai.Overall, want)
	}
}

func TestTransferByHand(t *testing.T) {
	cov, excluded := example()
	tr := readiness.TransferOf(storetest.Catalog, "iso27001-2022", "iso42001-2023", cov, excluded)
	want := map[string]int{readiness.InPlace: 1, readiness.Transfers: 1, readiness.Extend: 4, readiness.NewWork: 64}
	for s, n := range want {
		if tr.Counts[s] != n {
			t.Errorf("%s: %d, want %d (all: %v)", s, tr.Counts[s], n, tr.Counts)
		}
	}
	byKey := map[string]readiness.TransferItem{}
	for _, it := range tr.Items {
		byKey[it.Requirement.Key] = it
	}
	cases := []struct {
		key, status, suggested string
	}{
		{"iso42001-2023/A.2.2", readiness.InPlace, ""},         // linked directly
		{"iso42001-2023/7.2", readiness.Transfers, "CTL-004"},  // 7.2 ↔ 7.2 equivalent
		{"iso42001-2023/5.2", readiness.Extend, "CTL-001"},     // 5.2 ↔ 5.2 overlaps
		{"iso42001-2023/A.2.3", readiness.Extend, "CTL-001"},   // from A.5.1
		{"iso42001-2023/A.6.1.3", readiness.Extend, "CTL-003"}, // from A.8.25, planned still counts as covered
		{"iso42001-2023/6.1.4", readiness.NewWork, ""},         // AI system impact assessment: no counterpart
	}
	for _, c := range cases {
		it, ok := byKey[c.key]
		if !ok {
			t.Errorf("%s missing", c.key)
			continue
		}
		if it.Status != c.status {
			t.Errorf("%s: %s, want %s", c.key, it.Status, c.status)
		}
		if c.suggested != "" && (len(it.Suggested) != 1 || it.Suggested[0].Ref != c.suggested) {
			t.Errorf("%s suggests %+v, want %s", c.key, it.Suggested, c.suggested)
		}
		if c.suggested == "" && len(it.Suggested) != 0 {
			t.Errorf("%s suggests %+v", c.key, it.Suggested)
		}
	}
	if _, ok := byKey["iso42001-2023/6.1"]; ok {
		t.Error("a clause heading is listed")
	}
}

func TestImpact(t *testing.T) {
	cov, excluded := example()
	before := domain.Control{Ref: "CTL-001", Title: "Policy set", Status: domain.StatusImplemented, Scope: domain.ScopeShared,
		Requirements: []string{"iso27001-2022/5.2", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}}

	// The shared policy control drops to not implemented and gains A.2.3.
	after := before
	after.Status = domain.StatusNotImplemented
	after.Requirements = []string{"iso27001-2022/5.2", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2", "iso42001-2023/A.2.3"}
	im := readiness.ImpactOf(storetest.Catalog, cov, excluded, before, after)
	if !im.SharedDropped || im.Empty() {
		t.Fatalf("impact %+v", im)
	}
	got := map[string]readiness.RequirementChange{}
	for _, s := range im.Standards {
		for _, c := range s.Changes {
			got[c.Key] = c
		}
		switch s.ID {
		case "iso27001-2022":
			if s.Before.Implemented != 3 || s.After.Implemented != 1 || s.After.NotImplemented != 3 {
				t.Errorf("27001 readiness %+v → %+v", s.Before, s.After)
			}
		case "iso42001-2023":
			if s.Before.Implemented != 1 || s.After.Implemented != 0 || s.After.NotImplemented != 2 {
				t.Errorf("42001 readiness %+v → %+v", s.Before, s.After)
			}
		}
	}
	want := map[string]readiness.RequirementChange{
		"iso27001-2022/5.2":   {Before: domain.StateImplemented, After: domain.StateNotImplemented},
		"iso27001-2022/A.5.1": {Before: domain.StateImplemented, After: domain.StateNotImplemented, SoARow: true},
		"iso42001-2023/A.2.2": {Before: domain.StateImplemented, After: domain.StateNotImplemented, SoARow: true},
		"iso42001-2023/A.2.3": {Link: "added", Before: domain.StateNoControl, After: domain.StateNotImplemented, SoARow: true},
	}
	if len(got) != len(want) {
		t.Errorf("%d changes, want %d: %+v", len(got), len(want), got)
	}
	for k, w := range want {
		g := got[k]
		if g.Link != w.Link || g.Before != w.Before || g.After != w.After || g.SoARow != w.SoARow {
			t.Errorf("%s: %+v, want %+v", k, g, w)
		}
	}

	// A title change touches nothing.
	renamed := before
	renamed.Title = "Policies"
	if im := readiness.ImpactOf(storetest.Catalog, cov, excluded, before, renamed); !im.Empty() {
		t.Errorf("renaming has an impact: %+v", im)
	}
	// Deleting the awareness control leaves 7.2 without a control.
	aware := domain.Control{Ref: "CTL-004", Status: domain.StatusImplemented, Requirements: []string{"iso27001-2022/7.2"}}
	im = readiness.ImpactOf(storetest.Catalog, cov, excluded, aware, domain.Control{})
	if c := im.Standards[0].Changes; len(c) != 1 || c[0].Link != "removed" || c[0].After != domain.StateNoControl {
		t.Errorf("delete: %+v", im.Standards[0].Changes)
	}
}
