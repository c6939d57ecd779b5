package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"tandem/internal/demo"
	"tandem/internal/domain"
	"tandem/internal/report"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestSeed(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		start := time.Now()
		created, err := demo.Seed(ctx, st)
		if err != nil || !created {
			t.Fatalf("seed: %v %v", created, err)
		}
		t.Logf("demo seeded in %v", time.Since(start).Round(time.Millisecond))
		if again, err := demo.Seed(ctx, st); err != nil || again {
			t.Fatalf("second seed must do nothing: %v %v", again, err)
		}
		o, err := st.Org(ctx, demo.Slug)
		if err != nil {
			t.Fatal(err)
		}
		// The demo must show every scope, so that each filter has something to show.
		for _, scope := range domain.Scopes {
			_, n, err := o.ListControls(ctx, domain.ControlFilter{Scope: scope})
			if err != nil || n == 0 {
				t.Errorf("scope %s: %d controls, %v", scope, n, err)
			}
		}
		for _, status := range domain.Statuses {
			if _, n, _ := o.ListControls(ctx, domain.ControlFilter{Status: status}); n == 0 {
				t.Errorf("no demo control is %s", status)
			}
		}
		_, total, _ := o.ListControls(ctx, domain.ControlFilter{})
		if total < 30 {
			t.Errorf("demo has %d controls", total)
		}
	})
}

// The asset inventory: a dozen assets, each owned, valued and protected by
// demo controls.
func TestSeedAssets(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		o := seeded(t, st)
		page, n, err := o.ListAssets(context.Background(), domain.AssetFilter{Limit: 100})
		if err != nil || n != 12 {
			t.Fatalf("%d assets, %v", n, err)
		}
		types := map[string]bool{}
		for _, a := range page.Items {
			types[a.Type] = true
			if a.Owner == "" || len(a.Controls) == 0 || a.Confidentiality < 1 || a.Integrity < 1 || a.Availability < 1 {
				t.Errorf("asset %s %q: owner %q, controls %v, C/I/A %d/%d/%d", a.Ref, a.Name, a.Owner, a.Controls,
					a.Confidentiality, a.Integrity, a.Availability)
			}
		}
		for _, want := range []string{"dataset", "ai_model", "hardware", "service", "site", "software", "information"} {
			if !types[want] {
				t.Errorf("no %s asset", want)
			}
		}
	})
}

// The two risk registers: realistic entries linked to the demo's controls
// and assets, with scores across the matrix, treatment actions (a few
// overdue), two reviews due, one acceptance by the administrator above
// appetite and one risk above appetite waiting for one; every write in
// the trail.
func TestSeedRisks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := seeded(t, st)
		m, err := o.RiskMethod(ctx)
		if err != nil {
			t.Fatal(err)
		}
		count := func(f domain.RiskFilter) int {
			t.Helper()
			n, err := o.CountRisks(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(domain.RiskFilter{Register: domain.RegisterSecurity}); n < 12 || n > 14 {
			t.Errorf("%d security risks", n)
		}
		// Eight AI risks of the register and one raised from an impact assessment.
		if n := count(domain.RiskFilter{Register: domain.RegisterAI}); n != 9 {
			t.Errorf("%d AI risks", n)
		}
		for _, reg := range domain.Registers {
			if n := count(domain.RiskFilter{Register: reg, ReviewDue: true}); n != 1 {
				t.Errorf("%s: %d reviews due, want 1", reg, n)
			}
		}
		page, err := o.ListRisks(ctx, domain.RiskFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		inherent, residual := map[[2]int]bool{}, map[string]int{}
		var accepted, awaiting []domain.Risk
		actions := 0
		for _, r := range page.Items {
			inherent[[2]int{r.Inherent.Likelihood, r.Inherent.Impact}] = true
			residual[r.Residual.Level]++
			if m.LevelRank(r.Residual.Level) > m.LevelRank(r.Inherent.Level) {
				t.Errorf("%s: residual %s above inherent %s", r.Ref, r.Residual.Level, r.Inherent.Level)
			}
			if len(r.Controls) == 0 || r.Owner == "" || r.NextReview == "" || r.Description == "" {
				t.Errorf("%s %q: controls %v, owner %q, review %q", r.Ref, r.Title, r.Controls, r.Owner, r.NextReview)
			}
			switch r.Register {
			case domain.RegisterSecurity:
				if len(r.Assets) == 0 || r.Threat == "" || r.Vulnerability == "" || len(r.CIA) == 0 {
					t.Errorf("%s: assets %v, threat %q, vulnerability %q, C/I/A %v", r.Ref, r.Assets, r.Threat, r.Vulnerability, r.CIA)
				}
			case domain.RegisterAI:
				if r.AISystems == "" || len(r.Sources) == 0 || len(r.Parties) == 0 {
					t.Errorf("%s: AI systems %q, sources %v, parties %v", r.Ref, r.AISystems, r.Sources, r.Parties)
				}
			}
			switch {
			case r.AboveAppetite && r.Accepted:
				accepted = append(accepted, r)
			case r.AboveAppetite && r.Treatment == "retain":
				awaiting = append(awaiting, r)
			}
			actions += len(r.Actions)
		}
		if len(inherent) < 8 || len(residual) < 4 {
			t.Errorf("scores bunch up: %d inherent cells, residual levels %v", len(inherent), residual)
		}
		if len(accepted) != 1 || accepted[0].Acceptance.By != "Priya Natarajan" || accepted[0].Acceptance.Role != "admin" ||
			accepted[0].Status != "accepted" || accepted[0].Acceptance.Rationale == "" {
			t.Errorf("accepted above appetite: %+v", accepted)
		}
		if len(awaiting) != 1 || awaiting[0].Status != "open" || awaiting[0].Acceptance != nil {
			t.Errorf("awaiting acceptance: %+v", awaiting)
		}
		overdue, err := o.CountOverdueActions(ctx)
		if err != nil || overdue < 2 || overdue > 5 || actions < 15 {
			t.Errorf("%d actions, %d overdue, %v", actions, overdue, err)
		}
		trail, err := o.Trail(ctx, domain.TrailFilter{ResourceType: "risk", Limit: 100})
		// One entry per risk, one acceptance, and the links of the AI risks
		// to their systems (see seedAI).
		linked := 0
		for _, r := range page.Items {
			if r.Register == domain.RegisterAI && len(r.RaisedFrom) == 0 && len(r.AISystemRefs) > 0 {
				linked++
			}
		}
		if err != nil || len(trail.Items) != len(page.Items)+1+linked {
			t.Errorf("trail of risks: %d entries for %d risks and one acceptance, %v", len(trail.Items), len(page.Items), err)
		}
	})
}

// The SoA decisions agree with the risk trace: every row a risk is treated
// through gives risk treatment as a reason, and only a few rows give it
// without a traced risk (the demo's realistic gaps), in both standards;
// the issued version froze the trace.
func TestSeedSoATrace(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := seeded(t, st)
		for _, std := range []string{domain.ISO27001, domain.ISO42001} {
			rows, err := o.SoA(ctx, std)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if len(r.Risks) > 0 && !slices.Contains(r.Reasons, domain.ReasonRiskTreatment) {
					t.Errorf("%s %s: traced to %d risks, reasons %v", std, r.Ref, len(r.Risks), r.Reasons)
				}
			}
			tr := report.TraceOf(rows)
			if len(tr.Untraced) != 2 || tr.TracedRows() < 20 {
				t.Errorf("%s: %d of %d risk-treatment rows traced, untraced %v", std, tr.TracedRows(), tr.Reason, tr.Untraced)
			}
		}
		v, err := o.SoAVersion(ctx, domain.ISO27001, 1)
		if err != nil {
			t.Fatal(err)
		}
		if tr := report.TraceOf(v.Rows); !tr.Recorded || tr.WithRisks < 20 || len(tr.Untraced) != 2 {
			t.Errorf("issued version trace %+v", tr)
		}
	})
}

func seeded(t *testing.T, st *store.Store) *store.OrgStore {
	t.Helper()
	if _, err := demo.Seed(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	o, err := st.Org(context.Background(), demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// Two nodes starting with --demo at once: one seeds, the other sees it done.
func TestSeedConcurrently(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		results := make(chan error, 2)
		created := make(chan bool, 2)
		for range 2 {
			go func() {
				ok, err := demo.Seed(context.Background(), st)
				created <- ok
				results <- err
			}()
		}
		n := 0
		for range 2 {
			if err := <-results; err != nil {
				t.Fatal(err)
			}
			if <-created {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d seeds created the demo, want 1", n)
		}
		o, _ := st.Org(context.Background(), demo.Slug)
		if _, total, _ := o.ListControls(context.Background(), domain.ControlFilter{}); total != 50 {
			t.Errorf("demo has %d controls, want 50", total)
		}
	})
}

func TestSeedAIGovernance(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, st); err != nil {
			t.Fatal(err)
		}
		o, err := st.Org(ctx, demo.Slug)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := o.AISummary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Four systems from idea to operation; the scoring model's
		// assessment went stale with its new model version; the chatbot's
		// monitoring check is overdue; the scoring model fails two tests.
		if sum.Systems != 4 || sum.Live != 2 || sum.StaleAssessments != 1 || sum.MonitoringOverdue != 1 ||
			sum.FailedTests != 1 || sum.SupplierReviews != 1 || sum.NoAssessment != 2 || sum.StaleRisks < 2 {
			t.Errorf("summary %+v", sum)
		}
		scorer, err := o.AISystem(ctx, sum.StaleSystems[0])
		if err != nil {
			t.Fatal(err)
		}
		a, err := o.ImpactAssessment(ctx, scorer.AssessmentRef)
		if err != nil || a.Status != domain.AssessmentStale || a.StaleReason[0] != "model_version" || a.Impacts[0].Risk == "" {
			t.Errorf("scoring model assessment %+v %v", a, err)
		}
		card, err := o.ModelCard(ctx, scorer.Ref)
		if err != nil || len(card.Datasets) != 2 || len(card.Trends) != 2 || card.Assessment == nil || len(card.Oversight) != 3 {
			t.Errorf("model card %+v %v", card, err)
		}
		sups, n, err := o.ListSuppliers(ctx, domain.SupplierFilter{})
		if err != nil || n != 4 || len(sups.Items[1].AISystems) != 1 || len(sups.Items[3].Risks) != 1 {
			t.Errorf("%d suppliers %+v %v", n, sups.Items, err)
		}
	})
}
