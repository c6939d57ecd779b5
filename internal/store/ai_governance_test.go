package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// liveSystem is an AI system input in operation, with everything a live
// system needs.
func liveSystem(name, owner string) domain.AISystemInput {
	return domain.AISystemInput{Name: ptr(name), Purpose: ptr("Rank loan applications"), Owner: ptr(owner),
		Stage: ptr("operation"), Role: ptr("provider"), ModelVersion: ptr("1.0"), EUAIActClass: ptr("high"),
		EUAIActReason: ptr("Creditworthiness of natural persons"), DeployedOn: ptr("2026-01-10"),
		MonitoringPlan: ptr("Monthly drift and fairness review"), MonitoringDays: ptr(30),
		AffectedParties: ptr([]string{"individuals"})}
}

func trailCount(t *testing.T, s *store.Store, ref string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM trail_entries WHERE resource_ref = $1`, ref).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAIRegisters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetClock(func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) })
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")

		// Suppliers: bad input names every field, nothing written.
		_, err := o.CreateSupplier(ctx, tester, domain.SupplierInput{Criticality: ptr("huge"), ContractStart: ptr("2026-05-01"),
			ContractEnd: ptr("2026-01-01"), ProvidesAI: ptr(true), Assets: ptr([]string{"AST-404"})})
		v, ok := domain.AsValidation(err)
		if !ok {
			t.Fatalf("want field errors, got %v", err)
		}
		for _, f := range []string{"name", "services", "criticality", "contract_end", "ai_components", "assets[0]"} {
			if v.For(f) == "" {
				t.Errorf("no error on %s: %v", f, err)
			}
		}
		sup, err := o.CreateSupplier(ctx, tester, domain.SupplierInput{Name: ptr("ModelCo"), Services: ptr("Hosted scoring model"),
			ProvidesAI: ptr(true), AIComponents: ptr("Scoring model v1"), Criticality: ptr("high"), NextReview: ptr("2026-02-01")})
		if err != nil {
			t.Fatal(err)
		}
		if sup.Ref != "SUP-001" || !sup.ReviewDue {
			t.Fatalf("supplier %+v", sup)
		}
		if _, err := other.Supplier(ctx, sup.Ref); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("another org reads the supplier: %v", err)
		}
		a, err := o.AssessSupplier(ctx, tester, "Dana", sup.Ref, domain.SupplierAssessmentInput{AssessedOn: "2026-02-20",
			Result: "conditional", Summary: "SOC 2 report, bias testing evidence missing", NextReview: "2026-08-20"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Number != 1 || a.Assessor != "Dana" {
			t.Fatalf("assessment %+v", a)
		}
		sup, _ = o.Supplier(ctx, sup.Ref)
		if sup.ReviewDue || sup.LastResult != "conditional" || sup.NextReview != "2026-08-20" {
			t.Fatalf("after assessment %+v", sup)
		}
		if _, err := o.AssessSupplier(ctx, tester, "Dana", sup.Ref, domain.SupplierAssessmentInput{AssessedOn: "2027-01-01",
			Result: "great"}); err == nil {
			t.Fatal("a future, resultless assessment was recorded")
		}

		// Datasets.
		if _, err := o.CreateDataset(ctx, tester, domain.DatasetInput{Name: ptr("Applications"), PersonalData: ptr(true),
			Quality: ptr("passed")}); err == nil {
			t.Fatal("a dataset without source, personal data details and checks was accepted")
		} else if v, _ := domain.AsValidation(err); v.For("source") == "" || v.For("personal_data_details") == "" ||
			v.For("quality_checked_on") == "" || v.For("quality_checks") == "" {
			t.Fatalf("field errors %v", err)
		}
		ds, err := o.CreateDataset(ctx, tester, domain.DatasetInput{Name: ptr("Loan applications 2020–2025"), Source: ptr("Core banking"),
			PersonalData: ptr(true), PersonalDetails: ptr("Income, age; contract basis"), Quality: ptr("passed_with_issues"),
			QualityChecks: ptr("Completeness, label audit"), QualityCheckedOn: ptr("2026-02-01"), KnownBias: ptr("Few applicants under 25")})
		if err != nil {
			t.Fatal(err)
		}
		ds2, err := o.CreateDataset(ctx, tester, domain.DatasetInput{Name: ptr("Bureau scores"), Source: ptr("Credit bureau")})
		if err != nil {
			t.Fatal(err)
		}

		// AI systems: the rules of a live system.
		_, err = o.CreateAISystem(ctx, tester, domain.AISystemInput{Name: ptr("Scorer"), Purpose: ptr("x"), Owner: ptr("Dana"),
			Stage: ptr("operation"), EUAIActClass: ptr("prohibited"), Sourcing: ptr("supplier"), Datasets: ptr([]string{"DS-404"})})
		v, _ = domain.AsValidation(err)
		for _, f := range []string{"eu_ai_act_reason", "stage", "supplier", "datasets[0]", "deployed_on", "monitoring_plan", "monitoring_interval_days"} {
			if v == nil || v.For(f) == "" {
				t.Errorf("no error on %s: %v", f, err)
			}
		}
		in := liveSystem("Loan scorer", "Dana")
		in.Sourcing, in.Supplier, in.Datasets = ptr("supplier"), ptr(sup.Ref), ptr([]string{ds.Ref})
		sys, err := o.CreateAISystem(ctx, tester, in)
		if err != nil {
			t.Fatal(err)
		}
		if sys.Ref != "AIS-001" || sys.Supplier != sup.Ref || len(sys.Datasets) != 1 || sys.MonitoringDue != "2026-02-09" ||
			!sys.MonitoringOverdue || sys.Assessment != "none" {
			t.Fatalf("system %+v", sys)
		}
		idea, err := o.CreateAISystem(ctx, tester, domain.AISystemInput{Name: ptr("Chat helper"), Purpose: ptr("Answer questions"), Owner: ptr("Eve")})
		if err != nil {
			t.Fatal(err)
		}
		if idea.Stage != "idea" || idea.EUAIActClass != "unclassified" || idea.MonitoringOverdue {
			t.Fatalf("idea %+v", idea)
		}
		if err := o.DeleteDataset(ctx, tester, ds.Ref, ds.Version); err == nil {
			t.Fatal("a dataset in use was deleted")
		}
		if err := o.DeleteSupplier(ctx, tester, sup.Ref, sup.Version); err == nil {
			t.Fatal("a supplier of an AI system was deleted")
		}

		// Only model version, datasets, purpose and stage are change events.
		if _, err := o.UpdateAISystem(ctx, tester, sys.Ref, sys.Version+1, domain.AISystemInput{Users: ptr("x")}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale version: %v", err)
		}
		sys, err = o.UpdateAISystem(ctx, tester, sys.Ref, sys.Version, domain.AISystemInput{Users: ptr("Loan officers")})
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := o.AISystemEvents(ctx, sys.Ref, 0)
		if len(ev) != 0 {
			t.Fatalf("events after a users change: %+v", ev)
		}
		sys, err = o.UpdateAISystem(ctx, tester, sys.Ref, sys.Version, domain.AISystemInput{ModelVersion: ptr("1.1"),
			Datasets: ptr([]string{ds.Ref, ds2.Ref})})
		if err != nil {
			t.Fatal(err)
		}
		ev, _ = o.AISystemEvents(ctx, sys.Ref, 0)
		if len(ev) != 2 || ev[0].Kind == ev[1].Kind {
			t.Fatalf("events %+v", ev)
		}
		if n := trailCount(t, s, sys.Ref); n != 3 {
			t.Fatalf("%d trail entries for the system, want 3", n)
		}

		// Filters.
		for _, tc := range []struct {
			name string
			f    domain.AISystemFilter
			want int
		}{
			{"stage", domain.AISystemFilter{Stage: "operation"}, 1},
			{"class", domain.AISystemFilter{Class: "unclassified"}, 1},
			{"supplier", domain.AISystemFilter{Supplier: "sup-001"}, 1},
			{"dataset", domain.AISystemFilter{Dataset: ds2.Ref}, 1},
			{"overdue", domain.AISystemFilter{Overdue: true}, 1},
			{"no assessment", domain.AISystemFilter{NoAssessment: true}, 2},
			{"stale", domain.AISystemFilter{Stale: true}, 0},
			{"text", domain.AISystemFilter{Text: "chat"}, 1},
		} {
			page, total, err := o.ListAISystems(ctx, tc.f)
			if err != nil || total != tc.want || len(page.Items) != tc.want {
				t.Errorf("%s: %d/%d, %v", tc.name, total, len(page.Items), err)
			}
		}
		if _, _, err := o.ListAISystems(ctx, domain.AISystemFilter{Stage: "dreaming"}); err == nil {
			t.Error("an unknown stage filtered")
		}
		if page, _, _ := o.ListDatasets(ctx, domain.DatasetFilter{AISystem: sys.Ref}); len(page.Items) != 2 {
			t.Errorf("datasets of the system: %+v", page.Items)
		}
		if page, _, _ := o.ListSuppliers(ctx, domain.SupplierFilter{ProvidesAI: ptr(true)}); len(page.Items) != 1 || len(page.Items[0].AISystems) != 1 {
			t.Errorf("AI suppliers: %+v", page.Items)
		}
		if _, err := other.AISystem(ctx, sys.Ref); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("another org reads the system: %v", err)
		}
	})
}

func TestImpactAssessmentLifeCycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		o := newOrg(t, s, "acme")
		ctl, err := o.CreateControl(ctx, tester, domain.ControlInput{Title: ptr("Fairness testing")})
		if err != nil {
			t.Fatal(err)
		}
		sys, err := o.CreateAISystem(ctx, tester, liveSystem("Loan scorer", "Dana"))
		if err != nil {
			t.Fatal(err)
		}
		impacts := []domain.ImpactInput{
			{Category: "fairness_bias", Description: "Younger applicants refused more often", Severity: 4, Likelihood: 3,
				Mitigation: "Quarterly fairness test", Controls: []string{ctl.Ref}},
			{Category: "transparency_explainability", Description: "Applicants cannot see why", Severity: 2, Likelihood: 4},
		}
		// A bad draft: every problem named, nothing written.
		_, err = o.CreateImpactAssessment(ctx, tester, sys.Ref, domain.ImpactAssessmentInput{
			Impacts: &[]domain.ImpactInput{{Category: "mood", Severity: 9, Likelihood: 0, Controls: []string{"CTL-404"}}}})
		v, _ := domain.AsValidation(err)
		for _, f := range []string{"assessor", "impacts[0].category", "impacts[0].description", "impacts[0].severity",
			"impacts[0].likelihood", "impacts[0].controls[0]"} {
			if v == nil || v.For(f) == "" {
				t.Errorf("no error on %s: %v", f, err)
			}
		}
		a, err := o.CreateImpactAssessment(ctx, tester, sys.Ref, domain.ImpactAssessmentInput{Assessor: ptr("Dana"), Impacts: &impacts,
			Individuals: ptr("Loan applicants")})
		if err != nil {
			t.Fatal(err)
		}
		if a.Ref != "AIA-001" || a.Number != 1 || a.Status != "draft" || len(a.Impacts) != 2 || a.Impacts[0].Level == "" ||
			a.Impacts[0].Controls[0] != ctl.Ref {
			t.Fatalf("draft %+v", a)
		}
		if _, err := o.CreateImpactAssessment(ctx, tester, sys.Ref, domain.ImpactAssessmentInput{Assessor: ptr("Dana")}); err == nil {
			t.Fatal("a second draft was started")
		}
		// Approval needs a complete draft and someone other than the assessor.
		_, err = o.ApproveImpactAssessment(ctx, tester, "Dana", a.Ref, a.Version)
		v, _ = domain.AsValidation(err)
		for _, f := range []string{"conclusion", "residual_judgement", "reviewer", "review_date", "approved_by"} {
			if v == nil || v.For(f) == "" {
				t.Errorf("approval: no error on %s: %v", f, err)
			}
		}
		a, err = o.UpdateImpactAssessment(ctx, tester, a.Ref, a.Version, domain.ImpactAssessmentInput{Conclusion: ptr("acceptable_with_conditions"),
			Residual: ptr("Acceptable with the quarterly fairness test"), Reviewer: ptr("Sam"), ReviewDate: ptr("2027-03-01")})
		if err != nil {
			t.Fatal(err)
		}
		a, err = o.ApproveImpactAssessment(ctx, tester, "Sofia", a.Ref, a.Version)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != "approved" || a.ApprovedBy != "Sofia" || a.ModelVersion != "1.0" {
			t.Fatalf("approved %+v", a)
		}
		if _, err := o.UpdateImpactAssessment(ctx, tester, a.Ref, a.Version, domain.ImpactAssessmentInput{Residual: ptr("x")}); err == nil {
			t.Fatal("an approved assessment was edited")
		}
		sys, _ = o.AISystem(ctx, sys.Ref)
		if sys.Assessment != "approved" || sys.AssessmentRef != a.Ref {
			t.Fatalf("system after approval %+v", sys)
		}

		// An impact raises a linked AI risk, once.
		r, err := o.RaiseRiskFromImpact(ctx, tester, a.Ref, 1, domain.RiskInput{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Register != domain.RegisterAI || r.Inherent.Likelihood != 3 || r.Inherent.Impact != 4 || len(r.AISystemRefs) != 1 ||
			r.AISystemRefs[0] != sys.Ref || len(r.RaisedFrom) != 1 || r.RaisedFrom[0].Assessment != a.Ref || r.Sources[0] != "bias_fairness" ||
			r.Owner != "Dana" || len(r.Controls) != 1 {
			t.Fatalf("raised risk %+v", r)
		}
		if _, err := o.RaiseRiskFromImpact(ctx, tester, a.Ref, 1, domain.RiskInput{}); err == nil {
			t.Fatal("a second risk was raised from the same impact")
		}
		a, _ = o.ImpactAssessment(ctx, a.Ref)
		if a.Impacts[0].Risk != r.Ref {
			t.Fatalf("impact does not link its risk: %+v", a.Impacts[0])
		}
		if page, _ := o.ListRisks(ctx, domain.RiskFilter{AISystem: sys.Ref}); len(page.Items) != 1 {
			t.Fatalf("risks of the system: %d", len(page.Items))
		}

		// A new model version makes it stale everywhere.
		now = now.Add(time.Hour)
		if _, err := o.UpdateAISystem(ctx, tester, sys.Ref, sys.Version, domain.AISystemInput{ModelVersion: ptr("2.0")}); err != nil {
			t.Fatal(err)
		}
		a, _ = o.ImpactAssessment(ctx, a.Ref)
		if a.Status != "stale" || len(a.StaleReason) != 1 || a.StaleReason[0] != "model_version" {
			t.Fatalf("after a model change %+v", a)
		}
		sys, _ = o.AISystem(ctx, sys.Ref)
		if sys.Assessment != "stale" {
			t.Fatalf("system shows %s", sys.Assessment)
		}
		if _, n, _ := o.ListAISystems(ctx, domain.AISystemFilter{Stale: true}); n != 1 {
			t.Fatalf("stale filter: %d", n)
		}
		if _, n, _ := o.ListImpactAssessments(ctx, domain.ImpactAssessmentFilter{Status: "stale"}); n != 1 {
			t.Fatalf("stale assessments: %d", n)
		}
		sum, err := o.AISummary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Systems != 1 || sum.Live != 1 || sum.StaleAssessments != 1 || sum.StaleRisks != 1 || sum.StaleSystems[0] != sys.Ref {
			t.Fatalf("summary %+v", sum)
		}

		// Revise, approve: the old version is superseded, the new one current.
		rev, err := o.ReviseImpactAssessment(ctx, tester, a.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if rev.Number != 2 || rev.Status != "draft" || len(rev.Impacts) != 2 || rev.Impacts[0].Risk != r.Ref {
			t.Fatalf("revision %+v", rev)
		}
		now = now.Add(time.Hour)
		rev, err = o.ApproveImpactAssessment(ctx, tester, "Sofia", rev.Ref, rev.Version)
		if err != nil {
			t.Fatal(err)
		}
		if rev.Status != "approved" || rev.ModelVersion != "2.0" {
			t.Fatalf("approved revision %+v", rev)
		}
		if old, _ := o.ImpactAssessment(ctx, a.Ref); old.Status != "superseded" {
			t.Fatalf("old version %s", old.Status)
		}
		// The review date passing makes it stale too.
		now = time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)
		if cur, _ := o.ImpactAssessment(ctx, rev.Ref); cur.Status != "stale" || cur.StaleReason[0] != "review_due" {
			t.Fatalf("after the review date %+v", cur)
		}
	})
}

func TestAITestsAndMonitoring(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetClock(func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) })
		o := newOrg(t, s, "acme")
		sys, err := o.CreateAISystem(ctx, tester, liveSystem("Loan scorer", "Dana"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.RecordAITest(ctx, tester, "Dana", sys.Ref, domain.AITestInput{Kind: "vibes", Comparator: "=", TestedOn: "2026-07-01"}); err == nil {
			t.Fatal("a bad test record was accepted")
		} else if v, _ := domain.AsValidation(err); v.For("kind") == "" || v.For("metric") == "" || v.For("comparator") == "" || v.For("tested_on") == "" {
			t.Fatalf("field errors %v", err)
		}
		for i, res := range []float64{0.91, 0.88, 0.79} {
			if _, err := o.RecordAITest(ctx, tester, "Dana", sys.Ref, domain.AITestInput{Kind: "performance", Metric: "AUC",
				Comparator: ">=", Threshold: 0.8, Result: res, TestedOn: domain.AddDays("2026-03-01", 30*i)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := o.RecordAITest(ctx, tester, "Dana", sys.Ref, domain.AITestInput{Kind: "bias_fairness", Metric: "Parity gap",
			Slice: "age < 25", Comparator: "<=", Threshold: 0.05, Result: 0.03, TestedOn: "2026-05-01"}); err != nil {
			t.Fatal(err)
		}
		trends, err := o.AITrends(ctx, sys.Ref)
		if err != nil || len(trends) != 2 {
			t.Fatalf("trends %+v %v", trends, err)
		}
		auc := trends[0]
		if auc.Metric != "AUC" || len(auc.Points) != 3 || auc.Points[0].Result != 0.91 || auc.Points[2].Passed {
			t.Fatalf("AUC trend %+v", auc)
		}
		if page, n, _ := o.ListAITests(ctx, sys.Ref, domain.AITestFilter{Failed: true}); n != 1 || page.Items[0].ModelVersion != "1.0" {
			t.Fatalf("failed tests %d %+v", n, page.Items)
		}
		// Monitoring: a check moves the next one; deleting it moves it back.
		sys, _ = o.AISystem(ctx, sys.Ref)
		if !sys.MonitoringOverdue {
			t.Fatalf("monitoring due %s not overdue", sys.MonitoringDue)
		}
		if _, err := o.RecordMonitoring(ctx, tester, "Dana", sys.Ref, domain.MonitoringInput{Kind: "monitoring", CheckedOn: "2026-05-20",
			Outcome: "concern", Summary: "AUC fell"}); err == nil {
			t.Fatal("a concern without follow-up was accepted")
		}
		m, err := o.RecordMonitoring(ctx, tester, "Dana", sys.Ref, domain.MonitoringInput{Kind: "monitoring", CheckedOn: "2026-05-20",
			Outcome: "concern", Summary: "AUC fell below 0.8", FollowUp: "Retrain on 2026 data"})
		if err != nil {
			t.Fatal(err)
		}
		sys, _ = o.AISystem(ctx, sys.Ref)
		if sys.MonitoringDue != "2026-06-19" || sys.MonitoringOverdue || m.PerformedBy != "Dana" {
			t.Fatalf("after a check: due %s overdue %v by %s", sys.MonitoringDue, sys.MonitoringOverdue, m.PerformedBy)
		}
		if _, err := o.RecordMonitoring(ctx, tester, "Dana", sys.Ref, domain.MonitoringInput{Kind: "oversight", CheckedOn: "2026-05-25",
			Outcome: "ok", Summary: "Officer overrode 3 of 200 decisions"}); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := o.ListMonitoring(ctx, sys.Ref, "oversight", 0, ""); n != 1 {
			t.Fatalf("oversight records %d", n)
		}
		if err := o.DeleteMonitoring(ctx, tester, m.Ref); err != nil {
			t.Fatal(err)
		}
		if sys, _ = o.AISystem(ctx, sys.Ref); sys.MonitoringDue != "2026-02-09" {
			t.Fatalf("after deleting the check: due %s", sys.MonitoringDue)
		}
		sum, _ := o.AISummary(ctx)
		if sum.FailedTests != 1 || sum.MonitoringOverdue != 1 || sum.NoAssessment != 1 {
			t.Fatalf("summary %+v", sum)
		}
		card, err := o.ModelCard(ctx, sys.Ref)
		if err != nil || card.System.Ref != sys.Ref || len(card.Trends) != 2 || len(card.Oversight) != 1 || card.Assessment != nil {
			t.Fatalf("model card %+v %v", card, err)
		}
	})
}
