package api_test

import (
	"slices"
	"strings"
	"testing"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

// TestAIGovernanceAPI takes an AI system from idea to operation with its
// data, an approved impact assessment, tests and a model card; a new model
// version then makes the assessment stale wherever it shows.
func TestAIGovernanceAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		const org = "/api/v1/orgs/acme"
		c.want(c.do("POST", org+"/controls", map[string]any{"title": "Fairness testing"}), 201)
		sup := c.want(c.do("POST", org+"/suppliers", map[string]any{"name": "ModelCo", "services": "Hosted model",
			"provides_ai": true, "ai_components": "Base model", "criticality": "high"}), 201)
		ds := c.want(c.do("POST", org+"/datasets", map[string]any{"name": "Applications", "source": "Core banking",
			"personal_data": true, "personal_data_details": "Income; contract"}), 201)

		bad := c.want(c.do("POST", org+"/ai-systems", map[string]any{"name": "", "stage": "operation", "eu_ai_act_class": "high"}), 422)
		for _, want := range []string{"body.name", "body.purpose", "body.eu_ai_act_reason", "body.monitoring_plan"} {
			if !slices.Contains(errorLocations(bad), want) {
				t.Errorf("no error at %s: %v", want, errorLocations(bad))
			}
		}
		sys := c.want(c.do("POST", org+"/ai-systems", map[string]any{"name": "Loan scorer", "purpose": "Rank applications",
			"owner": "Dana", "model_version": "1.0", "sourcing": "mixed", "supplier": sup.body["ref"],
			"datasets": []any{ds.body["ref"]}}), 201)
		if sys.body["ref"] != "AIS-001" || sys.body["stage"] != "idea" || sys.body["assessment_status"] != "none" {
			t.Fatalf("created %s", sys.raw)
		}
		base := org + "/ai-systems/AIS-001"
		live := c.want(c.do("PATCH", base, map[string]any{"stage": "operation", "eu_ai_act_class": "high",
			"eu_ai_act_reason": "Creditworthiness", "deployed_on": "2026-01-05", "monitoring_plan": "Monthly review",
			"monitoring_interval_days": 30}, "If-Match", `"1"`), 200)
		if live.body["stage"] != "operation" {
			t.Fatalf("live %s", live.raw)
		}
		c.want(c.do("PATCH", base, map[string]any{"users": "x"}, "If-Match", `"1"`), 409)

		draft := c.want(c.do("POST", base+"/impact-assessments", map[string]any{"assessor": "Dana",
			"affected_individuals": "Applicants", "conclusion": "acceptable_with_conditions", "residual_judgement": "With tests",
			"reviewer": "Sam", "review_date": "2099-01-01",
			"impacts": []any{map[string]any{"category": "fairness_bias", "description": "Young applicants refused more often",
				"severity": 4, "likelihood": 3, "controls": []any{"CTL-001"}}}}), 201)
		ref := draft.body["ref"].(string)
		if draft.body["status"] != "draft" {
			t.Fatalf("draft %s", draft.raw)
		}
		approved := c.want(c.do("POST", org+"/impact-assessments/"+ref+"/approve", nil, "If-Match", `"1"`), 200)
		if approved.body["status"] != "approved" || approved.body["approved_by"] != "Root" {
			t.Fatalf("approved %s", approved.raw)
		}
		c.want(c.do("PATCH", org+"/impact-assessments/"+ref, map[string]any{"affected_society": "x"}, "If-Match", approved.header.Get("ETag")), 422)

		risk := c.want(c.do("POST", org+"/impact-assessments/"+ref+"/impacts/1/risk", nil), 201)
		if risk.body["register"] != "ai" || risk.body["ai_system_refs"].([]any)[0] != "AIS-001" {
			t.Fatalf("raised %s", risk.raw)
		}
		c.want(c.do("POST", org+"/ai-systems/AIS-001/tests", map[string]any{"kind": "performance", "metric": "AUC",
			"comparator": ">=", "threshold": 0.8, "result": 0.86, "tested_on": "2026-01-10"}), 201)
		c.want(c.do("POST", org+"/ai-systems/AIS-001/monitoring", map[string]any{"kind": "monitoring", "checked_on": "2026-01-20",
			"outcome": "ok", "summary": "No drift"}), 201)

		md := c.want(c.do("GET", base+"/model-card?format=md", nil), 200)
		for _, want := range []string{"# Model card: Loan scorer", "Applications", "AUC", "0.86", ref, "Young applicants"} {
			if !strings.Contains(md.raw, want) {
				t.Errorf("model card lacks %q", want)
			}
		}
		if pdf := c.want(c.do("GET", base+"/model-card?format=pdf", nil), 200); !strings.HasPrefix(pdf.raw, "%PDF") {
			t.Error("the model card PDF is not a PDF")
		}

		// A new model version: the assessment is stale on the system, in the
		// lists, on the assessment and in the summary.
		cur := c.want(c.do("GET", base, nil), 200)
		c.want(c.do("PATCH", base, map[string]any{"model_version": "2.0"}, "If-Match", cur.header.Get("ETag")), 200)
		if s := c.want(c.do("GET", base, nil), 200); s.body["assessment_status"] != "stale" {
			t.Fatalf("system after the change %s", s.raw)
		}
		if a := c.want(c.do("GET", org+"/impact-assessments/"+ref, nil), 200); a.body["status"] != "stale" {
			t.Fatalf("assessment after the change %s", a.raw)
		}
		if l := c.want(c.do("GET", org+"/ai-systems?stale=true", nil), 200); l.body["total"] != float64(1) {
			t.Fatalf("stale filter %s", l.raw)
		}
		if s := c.want(c.do("GET", org+"/ai-summary", nil), 200); s.body["stale_assessments"] != float64(1) || s.body["stale_risks"] != float64(1) {
			t.Fatalf("summary %s", s.raw)
		}
		if ev := c.want(c.do("GET", base+"/events", nil), 200); len(items(ev)) != 2 {
			t.Fatalf("events %s", ev.raw)
		}
		if csv := c.want(c.do("GET", org+"/ai-inventory?format=csv", nil), 200); !strings.Contains(csv.raw, "Loan scorer") {
			t.Fatalf("inventory CSV %s", csv.raw)
		}
		c.want(c.do("GET", org+"/supplier-register?format=xlsx", nil), 200)
		c.want(c.do("GET", "/api/v1/orgs/nobody/ai-systems", nil), 404)
	})
}
