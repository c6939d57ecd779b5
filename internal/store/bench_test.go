package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/readiness"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// seedBulk writes n controls with 5 requirement links each (n*5 links) in
// one transaction, straight through SQL: the benchmark measures reading,
// and going through CreateControl would only make setup slow.
func seedBulk(b *testing.B, s *store.Store, o *store.OrgStore, n int) {
	b.Helper()
	keys := []string{}
	for _, std := range storetest.Catalog.Standards {
		for _, r := range std.Requirements {
			keys = append(keys, r.Key)
		}
	}
	statuses := domain.Statuses
	tx, err := s.DB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	orgID := o.Org().ID
	for i := 1; i <= n; i++ {
		var id int64
		ref, title, owner := fmt.Sprintf("CTL-%04d", i), fmt.Sprintf("Control number %d", i), fmt.Sprintf("Owner %d", i%12)
		err := tx.QueryRow(`INSERT INTO controls (org_id, seq, ref, title, description, owner, status, owner_fold, search_fold,
				version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id`,
			orgID, i, ref, title, "Bulk control for benchmarks", owner, statuses[i%len(statuses)],
			strings.ToLower(owner), strings.ToLower(ref+"\n"+title+"\nBulk control for benchmarks\n"+owner), now).Scan(&id)
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 5; j++ {
			k := keys[(i*7+j*43)%len(keys)]
			if _, err := tx.Exec(`INSERT INTO control_requirements (control_id, org_id, requirement_key, standard) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, id, orgID, k, storetestStandard(k)); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := tx.Exec(`INSERT INTO ref_counters (org_id, prefix, last) VALUES ($1, 'CTL', $2)`, orgID, n); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// A live database has planner statistics (autovacuum on PostgreSQL,
	// PRAGMA optimize on SQLite); a freshly bulk-loaded one does not yet.
	if _, err := s.DB().Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

func storetestStandard(key string) string { return storetest.Catalog.Requirement(key).Standard }

// BenchmarkListControls lists and filters 2,000 controls with 10,000
// requirement links, on each engine.
func BenchmarkListControls(b *testing.B) {
	engines := []struct {
		name string
		open func(testing.TB) *store.Store
	}{
		{"sqlite", storetest.SQLite},
		{"postgres", storetest.Postgres},
	}
	filters := []struct {
		name string
		f    domain.ControlFilter
	}{
		{"first-page", domain.ControlFilter{}},
		{"status", domain.ControlFilter{Status: domain.StatusImplemented}},
		{"standard", domain.ControlFilter{Standard: domain.ISO42001}},
		{"requirement", domain.ControlFilter{Requirement: "iso27001-2022/A.5.15"}},
		{"scope-shared", domain.ControlFilter{Scope: domain.ScopeShared}},
		{"scope-27001-only", domain.ControlFilter{Scope: domain.Scope27001}},
		{"text", domain.ControlFilter{Text: "number 19"}},
		{"page-of-500", domain.ControlFilter{Limit: 500}},
	}
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.open(b)
			ctx := context.Background()
			if _, err := s.CreateOrg(ctx, tester, domain.OrgInput{Slug: "bench", Name: "Bench"}); err != nil {
				b.Fatal(err)
			}
			o, _ := s.Org(ctx, "bench")
			seedBulk(b, s, o, 2000)
			var links int
			s.DB().QueryRow(`SELECT COUNT(*) FROM control_requirements`).Scan(&links)
			b.Logf("%d controls, %d requirement links", 2000, links)
			for _, f := range filters {
				b.Run(f.name, func(b *testing.B) {
					for b.Loop() {
						if _, _, err := o.ListControls(ctx, f.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			// Readiness, what carries over and a change's impact read the
			// whole coverage of the organization (one query) and compute.
			b.Run("readiness-both-standards", func(b *testing.B) {
				for b.Loop() {
					cov, err := o.Coverage(ctx)
					if err != nil {
						b.Fatal(err)
					}
					excluded, err := o.Exclusions(ctx)
					if err != nil {
						b.Fatal(err)
					}
					for _, std := range storetest.Catalog.Standards {
						readiness.Compute(storetest.Catalog, std.ID, cov, excluded)
					}
					readiness.TransferOf(storetest.Catalog, domain.ISO27001, domain.ISO42001, cov, excluded)
				}
			})
			b.Run("soa-27001", func(b *testing.B) {
				for b.Loop() {
					if _, err := o.SoA(ctx, domain.ISO27001); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("read-one", func(b *testing.B) {
				for b.Loop() {
					if _, err := o.Control(ctx, "CTL-1234"); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
