package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestEmbeddedCatalogCounts(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		std            string
		clauses, annex int
		groups         map[string]int
	}{
		{"iso27001-2022", 41, 93, map[string]int{"organizational": 37, "people": 8, "physical": 14, "technological": 34}},
		{"iso42001-2023", 43, 38, map[string]int{"A.2": 3, "A.3": 2, "A.4": 5, "A.5": 4, "A.6": 9, "A.7": 5, "A.8": 4, "A.9": 3, "A.10": 3}},
	}
	for _, tt := range tests {
		t.Run(tt.std, func(t *testing.T) {
			s := c.Standard(tt.std)
			if s == nil {
				t.Fatalf("standard %s missing", tt.std)
			}
			if got := s.Count(KindClause); got != tt.clauses {
				t.Errorf("clauses = %d, want %d", got, tt.clauses)
			}
			if got := s.Count(KindAnnex); got != tt.annex {
				t.Errorf("annex controls = %d, want %d", got, tt.annex)
			}
			got := map[string]int{}
			for _, r := range s.Requirements {
				if r.Kind == KindAnnex {
					got[r.Group]++
				}
			}
			for g, n := range tt.groups {
				if got[g] != n {
					t.Errorf("group %s has %d controls, want %d", g, got[g], n)
				}
			}
		})
	}
	// The clause/control ambiguity of 27001 is resolved by the key.
	if r := c.Requirement("iso27001-2022/5.1"); r == nil || r.Kind != KindClause || r.Title != "Leadership and commitment" {
		t.Errorf("clause 5.1 = %+v", r)
	}
	if r := c.Requirement("iso27001-2022/A.5.1"); r == nil || r.Kind != KindAnnex || r.Title != "Policies for information security" {
		t.Errorf("control A.5.1 = %+v", r)
	}
	if r := c.Requirement("iso42001-2023/6.1.4"); r == nil || r.Parent != "iso42001-2023/6.1" {
		t.Errorf("42001 6.1.4 = %+v", r)
	}
}

func TestCrosswalkPairsEveryClause(t *testing.T) {
	c := MustLoad()
	clausePairs, annexLinks := 0, 0
	for _, l := range c.Links {
		from, to := c.Requirement(l.From), c.Requirement(l.To)
		switch {
		case from.Kind == KindClause && to.Kind == KindClause:
			clausePairs++
			if from.Ref != to.Ref {
				t.Errorf("clause pair %s ↔ %s does not follow the harmonized structure", l.From, l.To)
			}
		case from.Kind == KindAnnex && to.Kind == KindAnnex:
			annexLinks++
		}
	}
	if clausePairs != 41 {
		t.Errorf("clause pairs = %d, want 41", clausePairs)
	}
	if annexLinks < 24 {
		t.Errorf("annex links = %d, want a few dozen", annexLinks)
	}
}

const goodStandard = `id: std-a
title: Standard A
groups:
  - {id: g1, title: Group one}
requirements:
  - {ref: "4", kind: clause, title: Context}
  - {ref: "4.1", kind: clause, title: Subclause}
  - {ref: A.1, kind: annex, group: g1, title: Control one}
`

const otherStandard = `id: std-b
title: Standard B
groups: []
requirements:
  - {ref: "4", kind: clause, title: Context}
`

func TestValidation(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		wantError string // substring; empty means valid
	}{
		{"valid", map[string]string{"standards/a.yaml": goodStandard}, ""},
		{"duplicate ref", map[string]string{"standards/a.yaml": goodStandard + "  - {ref: \"4.1\", kind: clause, title: Again}\n"},
			"catalog standards/a.yaml: entry 4.1: duplicate ref"},
		{"missing title", map[string]string{"standards/a.yaml": goodStandard + "  - {ref: \"4.2\", kind: clause}\n"},
			"catalog standards/a.yaml: entry 4.2: missing title"},
		{"unknown group", map[string]string{"standards/a.yaml": goodStandard + "  - {ref: A.2, kind: annex, group: nope, title: X}\n"},
			"entry A.2: unknown group"},
		{"orphan subclause", map[string]string{"standards/a.yaml": goodStandard + "  - {ref: \"9.1\", kind: clause, title: X}\n"},
			"entry 9.1: parent clause 9"},
		{"bad kind", map[string]string{"standards/a.yaml": goodStandard + "  - {ref: \"5\", kind: chapter, title: X}\n"},
			"entry 5: kind must be"},
		{"duplicate standard", map[string]string{"standards/a.yaml": goodStandard, "standards/b.yaml": goodStandard},
			"catalog standards/b.yaml: duplicate standard id"},
		{"unknown field", map[string]string{"standards/a.yaml": goodStandard + "colour: red\n"},
			"catalog standards/a.yaml"},
		{"crosswalk unknown id", map[string]string{"standards/a.yaml": goodStandard, "standards/b.yaml": otherStandard,
			"crosswalks/ab.yaml": "id: ab\nfrom: std-a\nto: std-b\nlinks:\n  - {from: \"4\", to: \"7\", relationship: equivalent, rationale: r}\n"},
			"catalog crosswalks/ab.yaml: entry #1 (4 → 7): unknown requirement 7 in std-b"},
		{"crosswalk self link", map[string]string{"standards/a.yaml": goodStandard,
			"crosswalks/aa.yaml": "id: aa\nfrom: std-a\nto: std-a\nlinks:\n  - {from: \"4\", to: \"4\", relationship: related, rationale: r}\n"},
			"entry #1 (4 → 4): a requirement cannot be linked to itself"},
		{"crosswalk duplicate", map[string]string{"standards/a.yaml": goodStandard, "standards/b.yaml": otherStandard,
			"crosswalks/ab.yaml": "id: ab\nfrom: std-a\nto: std-b\nlinks:\n  - {from: \"4\", to: \"4\", relationship: equivalent, rationale: r}\n  - {from: \"4\", to: \"4\", relationship: related, rationale: r}\n"},
			"entry #2 (4 → 4): duplicate link"},
		{"crosswalk missing rationale", map[string]string{"standards/a.yaml": goodStandard, "standards/b.yaml": otherStandard,
			"crosswalks/ab.yaml": "id: ab\nfrom: std-a\nto: std-b\nlinks:\n  - {from: \"4\", to: \"4\", relationship: equivalent}\n"},
			"entry #1 (4 → 4): missing rationale"},
		{"crosswalk bad relationship", map[string]string{"standards/a.yaml": goodStandard, "standards/b.yaml": otherStandard,
			"crosswalks/ab.yaml": "id: ab\nfrom: std-a\nto: std-b\nlinks:\n  - {from: \"4\", to: \"4\", relationship: same, rationale: r}\n"},
			"relationship must be one of"},
		{"crosswalk unknown standard", map[string]string{"standards/a.yaml": goodStandard,
			"crosswalks/ax.yaml": "id: ax\nfrom: std-a\nto: std-x\nlinks: []\n"},
			"catalog crosswalks/ax.yaml: unknown standard \"std-x\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, body := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			_, err := LoadFS(fsys)
			switch {
			case tt.wantError == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantError != "" && err == nil:
				t.Fatalf("want error containing %q, got none", tt.wantError)
			case tt.wantError != "" && !strings.Contains(err.Error(), tt.wantError):
				t.Fatalf("error %q does not contain %q", err, tt.wantError)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
