package api_test

import (
	"testing"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestRisksAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": "Backups", "status": "implemented", "owner": "Dana"}), 201)
		const base = "/api/v1/orgs/acme/risks"

		sec := c.want(c.do("POST", base, map[string]any{"title": "Ransomware", "register": "security", "owner": "Dana",
			"inherent_likelihood": 4, "inherent_impact": 5, "residual_likelihood": 2, "residual_impact": 2,
			"treatment": "modify", "controls": []string{"CTL-001"}, "threat": "Criminals", "cia": []string{"availability"}}), 201)
		if sec.body["ref"] != "RSK-001" || sec.header.Get("ETag") != `"1"` ||
			sec.body["inherent"].(map[string]any)["level"] != "critical" || sec.body["residual"].(map[string]any)["level"] != "medium" {
			t.Fatalf("security risk: %s", sec.raw)
		}
		c.want(c.do("POST", base, map[string]any{"title": "Opaque decisions", "register": "ai", "owner": "Dana",
			"inherent_likelihood": 3, "inherent_impact": 3, "residual_likelihood": 1, "residual_impact": 1,
			"treatment": "modify", "sources": []string{"transparency_explainability"}, "parties": []string{"individuals"}}), 201)

		for _, tt := range []struct {
			body     map[string]any
			location string
		}{
			{map[string]any{"title": "x", "register": "ai", "owner": "D", "inherent_likelihood": 1, "inherent_impact": 1,
				"residual_likelihood": 1, "residual_impact": 1, "treatment": "retain", "threat": "t"}, "body.threat"},
			{map[string]any{"title": "x", "register": "security", "owner": "D", "inherent_likelihood": 1, "inherent_impact": 1,
				"residual_likelihood": 1, "residual_impact": 1, "treatment": "retain", "controls": []string{"CTL-404"}}, "body.controls"},
		} {
			r := c.want(c.do("POST", base, tt.body), 422)
			if locs := errorLocations(r); len(locs) != 1 || locs[0] != tt.location {
				t.Errorf("%v: %v", tt.body, locs)
			}
		}

		for _, tt := range []struct {
			query string
			want  int
		}{{"?register=security", 1}, {"?register=ai", 1}, {"", 2}, {"?register=security&likelihood=2&impact=2", 1},
			{"?register=security&score=inherent&likelihood=2&impact=2", 0}, {"?level=low", 1}} {
			if r := c.want(c.do("GET", base+tt.query, nil), 200); len(items(r)) != tt.want {
				t.Errorf("%s: %d risks, want %d", tt.query, len(items(r)), tt.want)
			}
		}
		c.want(c.do("GET", base+"?register=both", nil), 422)

		c.want(c.do("PATCH", base+"/RSK-001", map[string]any{"status": "treating"}), 428)
		r := c.want(c.do("PATCH", base+"/RSK-001", map[string]any{"status": "treating"}, "If-Match", `"1"`), 200)
		if r.body["status"] != "treating" || r.header.Get("ETag") != `"2"` {
			t.Fatalf("patched: %s", r.raw)
		}
		c.want(c.do("PATCH", base+"/RSK-001", map[string]any{"status": "open"}, "If-Match", `"1"`), 409)
		// Accepting above appetite needs an acceptance, signed by the caller.
		r = c.want(c.do("PATCH", base+"/RSK-001", map[string]any{"status": "accepted", "residual_likelihood": 4}, "If-Match", `"2"`), 422)
		if locs := errorLocations(r); len(locs) != 1 || locs[0] != "body.status" {
			t.Fatalf("accepting without acceptance: %s", r.raw)
		}
		c.want(c.do("PATCH", base+"/RSK-001", map[string]any{"residual_likelihood": 4}, "If-Match", `"2"`), 200)
		c.want(c.do("POST", base+"/RSK-001/acceptance", map[string]any{"rationale": "Insurance covers it"}), 428)
		r = c.want(c.do("POST", base+"/RSK-001/acceptance", map[string]any{"rationale": ""}, "If-Match", `"3"`), 422)
		if locs := errorLocations(r); len(locs) != 2 || locs[0] != "body.rationale" || locs[1] != "body.next_review" {
			t.Fatalf("acceptance refusal: %s", r.raw)
		}
		r = c.want(c.do("POST", base+"/RSK-001/acceptance", map[string]any{"rationale": "Insurance covers it", "next_review": "2099-01-31"},
			"If-Match", `"3"`), 200)
		acc := r.body["acceptance"].(map[string]any)
		if r.body["status"] != "accepted" || r.body["accepted"] != true || acc["expires"] != "2099-01-31" || acc["level"] != "high" || acc["by"] == "" {
			t.Fatalf("accepted: %s", r.raw)
		}

		for _, tt := range []struct {
			query string
			want  int
		}{{"?acceptance=accepted", 1}, {"?acceptance=uncovered", 0}, {"?register=security&acceptance=needed", 0}} {
			if r := c.want(c.do("GET", base+tt.query, nil), 200); len(items(r)) != tt.want {
				t.Errorf("%s: %d risks, want %d", tt.query, len(items(r)), tt.want)
			}
		}
		c.want(c.do("GET", base+"?acceptance=maybe", nil), 422)

		// The treatment plan's actions.
		act := c.want(c.do("POST", base+"/RSK-001/actions", map[string]any{"title": "Offline backups", "owner": "Dana", "due": "2020-05-01"}), 201)
		if act.body["ref"] != "ACT-001" || act.body["risk"] != "RSK-001" || act.body["overdue"] != true {
			t.Fatalf("action: %s", act.raw)
		}
		r = c.want(c.do("POST", base+"/RSK-001/actions", map[string]any{"owner": "Dana", "due": "later"}), 422)
		if locs := errorLocations(r); len(locs) != 2 {
			t.Fatalf("action refusal: %s", r.raw)
		}
		if r := c.want(c.do("GET", "/api/v1/orgs/acme/actions?overdue=true", nil), 200); len(items(r)) != 1 {
			t.Fatalf("overdue actions: %s", r.raw)
		}
		if r := c.want(c.do("GET", "/api/v1/orgs/acme/actions?register=ai", nil), 200); len(items(r)) != 0 {
			t.Fatalf("AI register actions: %s", r.raw)
		}
		c.want(c.do("PATCH", "/api/v1/orgs/acme/actions/ACT-001", map[string]any{"status": "done"}, "If-Match", `"1"`), 200)
		if r := c.want(c.do("GET", base+"/RSK-001", nil), 200); len(r.body["actions"].([]any)) != 1 {
			t.Fatalf("risk with its actions: %s", r.raw)
		}
		heat := c.want(c.do("GET", "/api/v1/orgs/acme/risk-heat/security", nil), 200)
		if heat.body["total"] != float64(1) {
			t.Fatalf("heat: %s", heat.raw)
		}
		c.want(c.do("DELETE", base+"/RSK-002", nil, "If-Match", `"1"`), 204)
		c.want(c.do("GET", base+"/RSK-002", nil), 404)
		c.want(c.do("GET", "/api/v1/orgs/nobody/risks", nil), 404)
	})
}
