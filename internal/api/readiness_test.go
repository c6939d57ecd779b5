package api_test

import (
	"testing"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

// TestReadinessAPI builds the hand-computed example of the readiness
// package through the API and reads the figures back.
func TestReadinessAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]string{"slug": "acme", "name": "Acme"}), 201)
		for _, ctl := range []map[string]any{
			{"title": "Policy set", "status": "implemented", "requirements": []string{"iso27001-2022/5.2", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}},
			{"title": "Access", "status": "in_progress", "requirements": []string{"iso27001-2022/A.5.15", "iso27001-2022/6.1"}},
			{"title": "Development", "status": "planned", "requirements": []string{"iso27001-2022/A.8.25"}},
			{"title": "Awareness", "status": "implemented", "requirements": []string{"iso27001-2022/7.2"}},
		} {
			c.want(c.do("POST", "/api/v1/orgs/acme/controls", ctl), 201)
		}

		r := c.want(c.do("GET", "/api/v1/orgs/acme/readiness?standard=iso27001-2022", nil), 200)
		items := items(r)
		if len(items) != 1 {
			t.Fatalf("items %v", r.raw)
		}
		overall := items[0].(map[string]any)["overall"].(map[string]any)
		// 30 counted clauses + 93 Annex A controls; nothing excluded here.
		want := map[string]float64{"total": 123, "implemented": 3, "partially_implemented": 1, "not_implemented": 1, "no_control": 118}
		for k, v := range want {
			if overall[k] != v {
				t.Errorf("overall %s = %v, want %v", k, overall[k], v)
			}
		}
		if gaps := items[0].(map[string]any)["gaps"].([]any); len(gaps) != 120 {
			t.Errorf("%d gaps, want 120", len(gaps))
		}

		r = c.want(c.do("GET", "/api/v1/orgs/acme/transfer", nil), 200)
		counts := r.body["counts"].(map[string]any)
		for k, v := range map[string]float64{"in_place": 1, "transfers": 1, "extend": 4, "new": 64} {
			if counts[k] != v {
				t.Errorf("transfer %s = %v, want %v", k, counts[k], v)
			}
		}
		c.want(c.do("GET", "/api/v1/orgs/acme/transfer?from=iso42001-2023&to=iso42001-2023", nil), 422)

		// Impact preview: the shared policy control dropping to not implemented.
		r = c.want(c.do("POST", "/api/v1/orgs/acme/controls/CTL-001/impact", map[string]any{"status": "not_implemented"}), 200)
		if r.body["shared_dropped"] != true {
			t.Errorf("impact %s", r.raw)
		}
		changed := 0
		for _, s := range r.body["standards"].([]any) {
			changed += len(s.(map[string]any)["changes"].([]any))
		}
		if changed != 3 {
			t.Errorf("%d requirement changes, want 3 (5.2, A.5.1, A.2.2): %s", changed, r.raw)
		}
		// Nothing was saved.
		if got := c.want(c.do("GET", "/api/v1/orgs/acme/controls/CTL-001", nil), 200).body["status"]; got != "implemented" {
			t.Errorf("preview saved the change: %v", got)
		}
		r = c.do("POST", "/api/v1/orgs/acme/controls/CTL-001/impact", map[string]any{"requirements": []string{"iso27001-2022/Z.9"}})
		c.want(r, 422)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls/CTL-404/impact", map[string]any{}), 404)
	})
}
