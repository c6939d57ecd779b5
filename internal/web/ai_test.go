package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func aiForm(name, owner string) url.Values {
	return url.Values{"name": {name}, "purpose": {"Rank applications"}, "owner": {owner}, "stage": {"idea"}, "role": {"provider"},
		"status": {"proposed"}, "sourcing": {"in_house"}, "autonomy": {"advisory"}, "eu_ai_act_class": {"unclassified"},
		"model_version": {"1.0"}}
}

// TestAIForms takes a system from idea to operation through the forms:
// inline errors, a conflict that keeps the page, a model change that makes
// the approved assessment stale on every page that shows it, a test record
// refused beside its field, and who may do what.
func TestAIForms(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()

		bad := aiForm("", "Dana")
		bad.Set("stage", "operation")
		bad.Set("eu_ai_act_class", "high")
		w := s.post("/orgs/acme/ai-systems", bad)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="name-error"`, `id="eu_ai_act_reason-error"`, `id="monitoring_plan-error"`, i18n.T("error.ai_class_reason"))
		if page, _, _ := o.ListAISystems(ctx, domain.AISystemFilter{}); len(page.Items) != 0 {
			t.Fatal("a refused system was written")
		}
		w = s.post("/orgs/acme/ai-systems", aiForm("Loan scorer", "Dana"))
		wantRedirect(t, w, "/orgs/acme/ai-systems/AIS-001?notice=saved")

		live := aiForm("Loan scorer", "Dana")
		for k, v := range map[string]string{"stage": "operation", "eu_ai_act_class": "high", "eu_ai_act_reason": "Creditworthiness",
			"deployed_on": "2026-01-05", "monitoring_plan": "Monthly review", "monitoring_interval_days": "30", "version": "1"} {
			live.Set(k, v)
		}
		w = s.post("/orgs/acme/ai-systems/AIS-001", live)
		wantRedirect(t, w, "/orgs/acme/ai-systems/AIS-001?notice=ai_change_event")
		wantStatus(t, s.post("/orgs/acme/ai-systems/AIS-001", live), http.StatusConflict)

		// A draft from the page, approved by someone other than its assessor.
		w = s.post("/orgs/acme/ai-systems/AIS-001/impact-assessments", url.Values{})
		wantRedirect(t, w, "/orgs/acme/impact-assessments/AIA-001/edit")
		draft := url.Values{"version": {"1"}, "rows": {"2"}, "assessor": {"Dana"}, "reviewer": {"Sam"}, "review_date": {"2099-01-01"},
			"conclusion": {"acceptable"}, "residual_judgement": {"Fine with tests"},
			"impact_0_category": {"fairness_bias"}, "impact_0_description": {"Young applicants refused"}, "impact_0_severity": {"9"},
			"impact_0_likelihood": {"3"}}
		w = s.post("/orgs/acme/impact-assessments/AIA-001", draft)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="impact_0_severity-error"`)
		draft.Set("impact_0_severity", "4")
		wantRedirect(t, s.post("/orgs/acme/impact-assessments/AIA-001", draft), "/orgs/acme/impact-assessments/AIA-001?notice=saved")
		w = s.post("/orgs/acme/impact-assessments/AIA-001/approve", url.Values{"version": {"2"}})
		wantRedirect(t, w, "/orgs/acme/impact-assessments/AIA-001?notice=aia_approved")
		w = s.post("/orgs/acme/impact-assessments/AIA-001/impacts/1/risk", url.Values{})
		wantRedirect(t, w, "/orgs/acme/risks/RSK-001?notice=risk_raised")
		wantBody(t, s.get("/orgs/acme/risks/RSK-001"), `id="risk-raised-from"`, "AIA-001", "/orgs/acme/ai-systems/AIS-001")

		// A new model version: stale on the system, the list, the assessment and the dashboard.
		cur, _ := o.AISystem(ctx, "AIS-001")
		if _, err := o.UpdateAISystem(ctx, testActor, "AIS-001", cur.Version, domain.AISystemInput{ModelVersion: ptrTo("2.0")}); err != nil {
			t.Fatal(err)
		}
		wantBody(t, s.get("/orgs/acme/ai-systems/AIS-001"), `id="stale-banner"`, "ai-assess-stale")
		wantBody(t, s.get("/orgs/acme/ai-systems?stale=1"), "Loan scorer", `id="kpi-stale"`)
		wantBody(t, s.get("/orgs/acme/impact-assessments/AIA-001"), `id="stale-banner"`, i18n.T("ai.stale.model_version"), `id="aia-revise"`)
		wantBody(t, s.get("/orgs/acme/"), `id="dash-stale"`, "A.5.2–A.5.5")

		// Test records: a bad number is refused beside its field; a good one draws a trend.
		w = s.post("/orgs/acme/ai-systems/AIS-001/tests", url.Values{"kind": {"performance"}, "metric": {"AUC"}, "comparator": {">="},
			"threshold": {"0,8"}, "result": {"0.9"}, "tested_on": {"2026-01-10"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="threshold-error"`, i18n.T("error.number"))
		for _, res := range []string{"0.9", "0.75"} {
			w = s.post("/orgs/acme/ai-systems/AIS-001/tests", url.Values{"kind": {"performance"}, "metric": {"AUC"}, "comparator": {">="},
				"threshold": {"0.8"}, "result": {res}, "tested_on": {"2026-01-10"}})
			wantRedirect(t, w, "/orgs/acme/ai-systems/AIS-001?notice=ai_test_recorded#tests")
		}
		wantBody(t, s.get("/orgs/acme/ai-systems/AIS-001"), `class="trend-chart"`, `class="trend-fail"`, `polyline class="trend-line"`)
		w = s.post("/orgs/acme/ai-systems/AIS-001/monitoring", url.Values{"kind": {"monitoring"}, "checked_on": {"2026-01-20"},
			"outcome": {"concern"}, "summary": {"Drift"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="follow_up-error"`)

		md := s.get("/orgs/acme/ai-systems/AIS-001/model-card.md")
		wantStatus(t, md, http.StatusOK)
		if !strings.Contains(md.Body.String(), "# Model card: Loan scorer") || !strings.Contains(md.Body.String(), "AUC") {
			t.Fatalf("model card: %s", md.Body.String())
		}
		if pdf := s.get("/orgs/acme/ai-systems/AIS-001/model-card.pdf"); !strings.HasPrefix(pdf.Body.String(), "%PDF") {
			t.Fatal("the model card PDF is not a PDF")
		}
		if csv := s.get("/orgs/acme/ai-systems.csv?stale=1"); !strings.Contains(csv.Body.String(), "Loan scorer") {
			t.Fatalf("inventory CSV: %s", csv.Body.String())
		}

		// A contributor edits the systems they own, not others.
		s.as = s.member(o, "connie@example.com", "Connie", "contributor")
		if _, err := o.CreateAISystem(ctx, testActor, domain.AISystemInput{Name: ptrTo("Chat helper"), Purpose: ptrTo("Help"), Owner: ptrTo("Connie")}); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.get("/orgs/acme/ai-systems/AIS-002/edit"), http.StatusOK)
		wantStatus(t, s.get("/orgs/acme/ai-systems/AIS-001/edit"), http.StatusForbidden)
		wantNoBody(t, s.get("/orgs/acme/ai-systems/AIS-001"), `id="ai-edit"`)

		// Suppliers and datasets through their forms.
		s.as = s.user("root@example.com", "Root", true)
		w = s.post("/orgs/acme/suppliers", url.Values{"name": {"ModelCo"}, "criticality": {"high"}, "status": {"active"}, "assets": {"AST-404"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="services-error"`, `id="assets-error"`)
		w = s.post("/orgs/acme/suppliers", url.Values{"name": {"ModelCo"}, "services": {"Model hosting"}, "criticality": {"high"}, "status": {"active"}})
		wantRedirect(t, w, "/orgs/acme/suppliers/SUP-001?notice=saved")
		w = s.post("/orgs/acme/suppliers/SUP-001/assessments", url.Values{"assessed_on": {"2026-01-01"}, "result": {"conditional"}, "summary": {"No bias evidence"}})
		wantRedirect(t, w, "/orgs/acme/suppliers/SUP-001?notice=supplier_assessed")
		wantBody(t, s.get("/orgs/acme/suppliers/SUP-001"), "No bias evidence", "ai-result-conditional")
		w = s.post("/orgs/acme/datasets", url.Values{"name": {"Applications"}, "quality_result": {"not_checked"}, "personal_data": {"on"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="source-error"`, `id="personal_data_details-error"`)
	})
}
