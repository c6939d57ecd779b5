package store_test

import (
	"context"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// Migrations 9 to 11 move each risk's treatment controls from a JSON column into
// risk_controls: what an organization had recorded stays, refs that no
// longer name a control are dropped, and other organizations' controls of
// the same ref are never linked; an acceptance recorded without its
// level keeps covering the risk.
func TestMigrationsKeepRiskTreatment(t *testing.T) {
	storetest.Configs(t, func(t *testing.T, cfg store.Config) {
		ctx := context.Background()
		s, err := store.Connect(ctx, cfg, storetest.Catalog)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.MigrateTo(ctx, 8); err != nil {
			t.Fatal(err)
		}
		for _, slug := range []string{"acme", "other"} {
			if _, err := s.CreateOrg(ctx, tester, domain.OrgInput{Slug: slug, Name: slug}); err != nil {
				t.Fatal(err)
			}
		}
		acme, _ := s.Org(ctx, "acme")
		other, _ := s.Org(ctx, "other")
		create(t, acme, "Backups", "implemented")
		create(t, acme, "Segmentation", "planned")
		create(t, other, "Other's", "planned")
		db := s.DB()
		_, err = db.ExecContext(ctx, `INSERT INTO risks (org_id, seq, ref, register, title, owner, owner_fold,
			inherent_likelihood, inherent_impact, inherent_level, inherent_method,
			residual_likelihood, residual_impact, residual_level, residual_method, treatment, controls, status, created_at, updated_at)
			VALUES ($1, 1, 'RSK-001', 'security', 'Ransomware', 'Dana', 'dana', 5, 5, 'critical', 0, 2, 2, 'medium', 0,
			'modify', '["CTL-002","CTL-001","CTL-404"]', 'open', $2, $2)`, acme.Org().ID, "2026-11-01 10:00:00")
		if err != nil {
			t.Fatal(err)
		}
		// An acceptance as version 8 recorded it: no level, no role.
		_, err = db.ExecContext(ctx, `INSERT INTO risks (org_id, seq, ref, register, title, owner, owner_fold,
			inherent_likelihood, inherent_impact, inherent_level, inherent_method,
			residual_likelihood, residual_impact, residual_level, residual_method, treatment, controls, status, next_review,
			acceptance, created_at, updated_at)
			VALUES ($1, 2, 'RSK-002', 'security', 'Flood', 'Dana', 'dana', 5, 5, 'critical', 0, 3, 3, 'high', 0,
			'retain', '[]', 'accepted', $3, $4, $2, $2)`, acme.Org().ID, "2026-11-01 10:00:00", inAMonth,
			`{"by":"Dana Director","date":"2026-11-01","rationale":"Relocation planned","expires":"`+inAMonth+`"}`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		r, err := acme.Risk(ctx, "RSK-001")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Controls) != 2 || r.Controls[0] != "CTL-001" || r.Controls[1] != "CTL-002" || r.Title != "Ransomware" {
			t.Fatalf("after migration: %+v", r)
		}
		old, err := acme.Risk(ctx, "RSK-002")
		if err != nil || old.Acceptance == nil || old.Acceptance.Level != "high" || !old.Accepted || old.Acceptance.By != "Dana Director" {
			t.Fatalf("an earlier acceptance after migration: %+v %v", old.Acceptance, err)
		}
		if n, err := acme.CountRisks(ctx, domain.RiskFilter{Acceptance: domain.AcceptanceAccepted}); err != nil || n != 1 {
			t.Fatalf("covered by an acceptance: %d %v", n, err)
		}
		page, err := acme.ListRisks(ctx, domain.RiskFilter{Text: "ransom"})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("text search over migrated risks: %d %v", len(page.Items), err)
		}
		var links int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM risk_controls`).Scan(&links); err != nil || links != 2 {
			t.Fatalf("%d links (%v), want 2", links, err)
		}
	})
}
