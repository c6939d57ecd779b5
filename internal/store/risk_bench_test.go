package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// seedRisks writes n risks over both registers, each with three treatment
// controls (of the bulk controls) and, for every other one, an action;
// straight through SQL, like seedBulk.
func seedRisks(b *testing.B, s *store.Store, o *store.OrgStore, n, controls int) {
	b.Helper()
	m := domain.DefaultRiskMethod()
	tx, err := s.DB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	orgID := o.Org().ID
	for i := 1; i <= n; i++ {
		register := domain.Registers[i%2]
		il, ii, rl, ri := 1+i%5, 1+(i/5)%5, 1+i%3, 1+(i/3)%3
		ref, title := fmt.Sprintf("RSK-%04d", i), fmt.Sprintf("Risk number %d", i)
		review := now.AddDate(0, 0, i%90-30).Format(time.DateOnly)
		var id int64
		err := tx.QueryRow(`INSERT INTO risks (org_id, seq, ref, register, title, description, owner, owner_fold,
			inherent_likelihood, inherent_impact, inherent_level, inherent_method,
			residual_likelihood, residual_impact, residual_level, residual_method,
			treatment, status, next_review, search_fold, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, 0, $11, $12, $13, 0, 'modify', $14, $15, $16, 1, $17, $17) RETURNING id`,
			orgID, i, ref, register, title, fmt.Sprintf("Owner %d", i%12), fmt.Sprintf("owner %d", i%12),
			il, ii, m.Level(il, ii), rl, ri, m.Level(rl, ri), domain.RiskStatuses[i%3], review,
			strings.ToLower(ref+" "+title), now).Scan(&id)
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 3; j++ {
			if _, err := tx.Exec(`INSERT INTO risk_controls (risk_id, org_id, control_id)
				SELECT $1, $2, id FROM controls WHERE org_id = $2 AND seq = $3 ON CONFLICT DO NOTHING`,
				id, orgID, 1+(i*7+j*13)%controls); err != nil {
				b.Fatal(err)
			}
		}
		if i%2 == 0 {
			if _, err := tx.Exec(`INSERT INTO actions (org_id, seq, ref, risk_id, title, owner, owner_fold, due, status,
				version, created_at, updated_at) VALUES ($1, $2, $3, $4, 'Treat it', 'Ops', 'ops', $5, 'open', 1, $6, $6)`,
				orgID, i/2, fmt.Sprintf("ACT-%04d", i/2), id, review, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB().Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRiskRegisters lists, filters and counts 5,000 risks (15,000
// treatment links, 2,500 actions) over 2,000 controls, and derives the
// SoA with the risks behind every row, on each engine.
func BenchmarkRiskRegisters(b *testing.B) {
	engines := []struct {
		name string
		open func(testing.TB) *store.Store
	}{
		{"sqlite", storetest.SQLite},
		{"postgres", storetest.Postgres},
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
			seedRisks(b, s, o, 5000, 2000)
			for _, f := range []struct {
				name string
				f    domain.RiskFilter
			}{
				{"security-first-page", domain.RiskFilter{Register: domain.RegisterSecurity}},
				{"ai-heat-cell", domain.RiskFilter{Register: domain.RegisterAI, Likelihood: 2, Impact: 2, Current: true}},
				{"review-due", domain.RiskFilter{Register: domain.RegisterSecurity, ReviewDue: true}},
				{"control", domain.RiskFilter{Control: "CTL-0042"}},
				{"text", domain.RiskFilter{Text: "number 49"}},
				{"page-of-500", domain.RiskFilter{Limit: 500}},
			} {
				b.Run("list-"+f.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := o.ListRisks(ctx, f.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("heat-map", func(b *testing.B) {
				for b.Loop() {
					if _, err := o.RiskHeat(ctx, domain.RegisterSecurity); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("count-waiting-for-acceptance", func(b *testing.B) {
				for b.Loop() {
					if _, err := o.CountRisks(ctx, domain.RiskFilter{Register: domain.RegisterSecurity, Acceptance: domain.AcceptanceUncovered}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("top-5", func(b *testing.B) {
				for b.Loop() {
					if _, err := o.TopRisks(ctx, domain.RiskFilter{Register: domain.RegisterAI, Current: true}, 5); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("soa-27001-with-risks", func(b *testing.B) {
				for b.Loop() {
					if _, err := o.SoA(ctx, domain.ISO27001); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
