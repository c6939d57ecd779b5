package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/readiness"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// TestCoverageAndImpactInTrail: the coverage the store reads matches its
// controls, and a change to a control records its impact on each standard
// in the trail entry, covered by the hash.
func TestCoverageAndImpactInTrail(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.CreateOrg(ctx, tester, domain.OrgInput{Slug: "acme", Name: "Acme"}); err != nil {
			t.Fatal(err)
		}
		o, _ := s.Org(ctx, "acme")
		title, status := "Policy set", domain.StatusImplemented
		reqs := []string{"iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}
		c, err := o.CreateControl(ctx, tester, domain.ControlInput{Title: &title, Status: &status, Requirements: &reqs})
		if err != nil {
			t.Fatal(err)
		}
		title2, reqs2 := "Backups", []string{"iso27001-2022/A.8.13"}
		if _, err := o.CreateControl(ctx, tester, domain.ControlInput{Title: &title2, Requirements: &reqs2}); err != nil {
			t.Fatal(err)
		}
		cov, err := o.Coverage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := cov["iso42001-2023/A.2.2"]; len(got) != 1 || got[0].Ref != c.Ref || got[0].Scope != domain.ScopeShared || got[0].Status != status {
			t.Errorf("coverage of A.2.2: %+v", got)
		}
		if got := cov["iso27001-2022/A.8.13"]; len(got) != 1 || got[0].Scope != domain.Scope27001 {
			t.Errorf("coverage of A.8.13: %+v", got)
		}

		// A title change has no impact; a drop to not implemented has.
		renamed := "Policies"
		if _, err := o.UpdateControl(ctx, tester, c.Ref, c.Version, domain.ControlInput{Title: &renamed}); err != nil {
			t.Fatal(err)
		}
		dropped := domain.StatusNotImplemented
		if _, err := o.UpdateControl(ctx, tester, c.Ref, c.Version+1, domain.ControlInput{Status: &dropped}); err != nil {
			t.Fatal(err)
		}
		page, err := o.Trail(ctx, domain.TrailFilter{ResourceType: "control", ResourceRef: c.Ref})
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("trail %+v %v", page.Items, err)
		}
		if len(page.Items[1].Detail) != 0 {
			t.Errorf("a rename recorded an impact: %s", page.Items[1].Detail)
		}
		var detail struct {
			Impact readiness.Impact `json:"impact"`
		}
		if err := json.Unmarshal(page.Items[0].Detail, &detail); err != nil || !detail.Impact.SharedDropped {
			t.Fatalf("impact in the trail: %s (%v)", page.Items[0].Detail, err)
		}
		changed := 0
		for _, std := range detail.Impact.Standards {
			changed += len(std.Changes)
		}
		if changed != 2 {
			t.Errorf("%d requirements changed, want A.5.1 and A.2.2", changed)
		}
		if n, brk, err := o.VerifyTrail(ctx); err != nil || brk != nil {
			t.Fatalf("verify: %d %v %v", n, brk, err)
		}
		// The detail is covered by the hash.
		if _, err := s.DB().Exec(`UPDATE trail_entries SET detail_json = '{"impact":null}' WHERE detail_json <> ''`); err != nil {
			t.Fatal(err)
		}
		if _, brk, _ := o.VerifyTrail(ctx); brk == nil {
			t.Error("an altered impact was not caught")
		}
	})
}
