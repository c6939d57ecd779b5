package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

// The embedded reference set: its size, and that adopting all of it links
// every Annex A control of both standards (and every numbered subclause)
// at least once, with many controls serving both standards.
func TestReferenceSetCoversBothAnnexes(t *testing.T) {
	c := MustLoad()
	if n := len(c.Reference); n < 70 || n > 90 {
		t.Errorf("reference set has %d controls, want 70–90", n)
	}
	linked := map[string]int{}
	themes := map[string]int{}
	shared := 0
	for _, r := range c.Reference {
		for _, k := range r.Requirements {
			linked[k]++
		}
		themes[r.Theme]++
		if r.Links("iso27001-2022") && r.Links("iso42001-2023") {
			shared++
		}
		if c.ThemeTitle(r.Theme) == "" {
			t.Errorf("%s: theme %q has no title", r.ID, r.Theme)
		}
	}
	for _, s := range c.Standards {
		annex, clauses := 0, 0
		groups := map[string]int{}
		for _, req := range s.Requirements {
			switch {
			case req.Kind == KindAnnex:
				annex++
				if linked[req.Key] == 0 {
					t.Errorf("Annex A control %s is linked by no reference control", req.Key)
				} else {
					groups[req.Group]++
				}
			case strings.Contains(req.Ref, "."):
				clauses++
				if linked[req.Key] == 0 {
					t.Errorf("clause %s is linked by no reference control", req.Key)
				}
			}
		}
		// Every theme (27001) and objective group (42001) is covered.
		for _, g := range s.Groups {
			if groups[g.ID] == 0 {
				t.Errorf("%s group %s has no reference control", s.ID, g.ID)
			}
		}
		t.Logf("%s: %d Annex A controls and %d subclauses, all linked", s.ID, annex, clauses)
	}
	if shared < len(c.Reference)/3 {
		t.Errorf("only %d of %d reference controls link both standards", shared, len(c.Reference))
	}
	t.Logf("%d reference controls in %d themes, %d shared", len(c.Reference), len(themes), shared)
	if len(c.ReferenceThemes) != len(themes) {
		t.Errorf("%d themes declared, %d used", len(c.ReferenceThemes), len(themes))
	}

	// The AI policy control links both policies and both clauses, in catalog order.
	gov := c.ReferenceControl("REF-GOV-01")
	if gov == nil {
		t.Fatal("REF-GOV-01 missing")
	}
	want := []string{"iso27001-2022/5.2", "iso27001-2022/A.5.1", "iso42001-2023/5.2", "iso42001-2023/A.2.2", "iso42001-2023/A.2.3"}
	if strings.Join(gov.Requirements, " ") != strings.Join(want, " ") {
		t.Errorf("REF-GOV-01 links %v, want %v", gov.Requirements, want)
	}
	if got := gov.Standards(); len(got) != 2 {
		t.Errorf("REF-GOV-01 standards = %v", got)
	}
}

func TestFilterReference(t *testing.T) {
	c := MustLoad()
	all := c.FilterReference(ReferenceFilter{})
	if len(all) != len(c.Reference) {
		t.Fatalf("no filter: %d of %d", len(all), len(c.Reference))
	}
	only42 := c.FilterReference(ReferenceFilter{Standard: "iso42001-2023"})
	for _, r := range only42 {
		if !r.Links("iso42001-2023") {
			t.Errorf("%s does not link 42001", r.ID)
		}
	}
	if len(only42) == 0 || len(only42) == len(all) {
		t.Errorf("standard filter kept %d of %d", len(only42), len(all))
	}
	phys := c.FilterReference(ReferenceFilter{Theme: "physical"})
	if len(phys) == 0 {
		t.Error("no physical controls")
	}
	for _, r := range phys {
		if r.Theme != "physical" {
			t.Errorf("%s in theme %s", r.ID, r.Theme)
		}
	}
	if got := c.FilterReference(ReferenceFilter{Text: "PROVENANCE"}); len(got) != 1 || got[0].ID != "REF-DATA-04" {
		t.Errorf("text filter: %v", got)
	}
	if got := c.FilterReference(ReferenceFilter{Theme: "physical", Standard: "iso42001-2023"}); len(got) != 0 {
		t.Errorf("physical and 42001: %d", len(got))
	}
}

const goodReference = `id: ref
title: Reference
themes:
  - {id: t1, title: Theme one}
controls:
  - id: REF-A-01
    theme: t1
    title: First
    purpose: Why it matters.
    requirements: [std-a/A.1, std-a/4.1]
`

func TestReferenceValidation(t *testing.T) {
	tests := []struct {
		name      string
		ref       string
		wantError string // substring; empty means valid
	}{
		{"valid", goodReference, ""},
		{"unknown requirement", goodReference + "  - {id: REF-A-02, theme: t1, title: T, purpose: P, requirements: [std-a/A.9]}\n",
			"catalog reference/r.yaml: entry REF-A-02: unknown requirement std-a/A.9"},
		{"duplicate id", goodReference + "  - {id: REF-A-01, theme: t1, title: T, purpose: P, requirements: [std-a/A.1]}\n",
			"catalog reference/r.yaml: entry REF-A-01: duplicate id"},
		{"missing title", goodReference + "  - {id: REF-A-02, theme: t1, purpose: P, requirements: [std-a/A.1]}\n",
			"catalog reference/r.yaml: entry REF-A-02: missing title"},
		{"missing purpose", goodReference + "  - {id: REF-A-02, theme: t1, title: T, requirements: [std-a/A.1]}\n",
			"catalog reference/r.yaml: entry REF-A-02: missing purpose"},
		{"blank purpose", goodReference + "  - {id: REF-A-02, theme: t1, title: T, purpose: \"  \", requirements: [std-a/A.1]}\n",
			"entry REF-A-02: missing purpose"},
		{"missing id", goodReference + "  - {theme: t1, title: T, purpose: P, requirements: [std-a/A.1]}\n",
			"catalog reference/r.yaml: entry #2: missing id"},
		{"bad id", goodReference + "  - {id: ref 2, theme: t1, title: T, purpose: P, requirements: [std-a/A.1]}\n",
			"entry ref 2: id must look like"},
		{"unknown theme", goodReference + "  - {id: REF-A-02, theme: t9, title: T, purpose: P, requirements: [std-a/A.1]}\n",
			"entry REF-A-02: unknown theme \"t9\""},
		{"no requirements", goodReference + "  - {id: REF-A-02, theme: t1, title: T, purpose: P}\n",
			"entry REF-A-02: no requirements"},
		{"requirement twice", goodReference + "  - {id: REF-A-02, theme: t1, title: T, purpose: P, requirements: [std-a/A.1, std-a/A.1]}\n",
			"entry REF-A-02: requirement std-a/A.1 listed twice"},
		{"title too long", goodReference + "  - {id: REF-A-02, theme: t1, title: " + strings.Repeat("x", 201) + ", purpose: P, requirements: [std-a/A.1]}\n",
			"entry REF-A-02: title longer than 200"},
		{"unknown field", goodReference + "    owner: CISO\n", "catalog reference/r.yaml"},
		{"no controls", "id: ref\ntitle: R\nthemes: []\ncontrols: []\n", "catalog reference/r.yaml: no controls"},
		{"theme without title", "id: ref\ntitle: R\nthemes:\n  - {id: t1}\ncontrols: []\n", "entry theme #1: missing id or title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"standards/a.yaml": {Data: []byte(goodStandard)},
				"reference/r.yaml": {Data: []byte(tt.ref)},
			}
			c, err := LoadFS(fsys)
			if tt.wantError == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				r := c.ReferenceControl("REF-A-01")
				if r == nil || r.Title != "First" || strings.Join(r.Requirements, " ") != "std-a/4.1 std-a/A.1" {
					t.Errorf("REF-A-01 = %+v (requirements in catalog order)", r)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantError) {
				t.Errorf("error = %v, want it to contain %q", err, tt.wantError)
			}
		})
	}
	// Ids are unique across files.
	fsys := fstest.MapFS{
		"standards/a.yaml":  {Data: []byte(goodStandard)},
		"reference/r.yaml":  {Data: []byte(goodReference)},
		"reference/s.yaml":  {Data: []byte(strings.Replace(goodReference, "t1", "t2", -1))},
		"crosswalks/x.yaml": {Data: []byte("id: x\ntitle: X\nfrom: std-a\nto: std-a\nlinks: []\n")},
	}
	if _, err := LoadFS(fsys); err == nil || !strings.Contains(err.Error(), "catalog reference/s.yaml: entry REF-A-01: duplicate id") {
		t.Errorf("duplicate across files: %v", err)
	}
}
