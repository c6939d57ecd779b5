package api_test

import (
	"slices"
	"testing"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestAssetsAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": "Access control"}), 201)
		const base = "/api/v1/orgs/acme/assets"

		// A refused asset names its fields and writes nothing.
		r := c.want(c.do("POST", base, map[string]any{"name": "", "type": "other", "classification": "public",
			"confidentiality": 1, "integrity": 1, "availability": 1, "controls": []string{"CTL-404"}}), 422)
		locs := errorLocations(r)
		for _, want := range []string{"body.name", "body.controls[0]"} {
			if !slices.Contains(locs, want) {
				t.Errorf("no error at %s: %v", want, locs)
			}
		}

		created := c.want(c.do("POST", base, map[string]any{"name": "Customer database", "type": "information",
			"classification": "confidential", "confidentiality": 3, "integrity": 3, "availability": 2,
			"owner": "Dana", "controls": []string{"CTL-001"}}), 201)
		if created.body["ref"] != "AST-001" || created.header.Get("ETag") != `"1"` {
			t.Fatalf("created: %s", created.raw)
		}
		c.want(c.do("POST", base, map[string]any{"name": "Model", "type": "ai_model", "classification": "internal",
			"confidentiality": 1, "integrity": 2, "availability": 1}), 201)

		list := c.want(c.do("GET", base+"?type=ai_model", nil), 200)
		if list.body["total"] != float64(1) {
			t.Fatalf("filtered list: %s", list.raw)
		}
		if l := c.want(c.do("GET", base+"?control=CTL-001&limit=1", nil), 200); l.body["total"] != float64(1) {
			t.Fatalf("control filter: %s", l.raw)
		}
		c.want(c.do("GET", base+"?classification=secret", nil), 422)

		c.want(c.do("PATCH", base+"/AST-001", map[string]any{"availability": 3}), 428)
		up := c.want(c.do("PATCH", base+"/AST-001", map[string]any{"availability": 3}, "If-Match", `"1"`), 200)
		if up.header.Get("ETag") != `"2"` || up.body["availability"] != float64(3) || up.body["name"] != "Customer database" {
			t.Fatalf("patched: %s", up.raw)
		}
		c.want(c.do("PATCH", base+"/AST-001", map[string]any{"availability": 1}, "If-Match", `"1"`), 409)
		put := c.want(c.do("PUT", base+"/AST-001", map[string]any{"name": "Customers", "type": "information",
			"classification": "restricted", "confidentiality": 3, "integrity": 2, "availability": 1, "version": 2}), 200)
		if put.body["owner"] != "" || len(put.body["controls"].([]any)) != 0 {
			t.Fatalf("replaced: %s", put.raw)
		}

		c.want(c.do("DELETE", base+"/AST-002", nil), 428)
		c.want(c.do("DELETE", base+"/AST-002", nil, "If-Match", `"5"`), 409)
		c.want(c.do("DELETE", base+"/AST-002", nil, "If-Match", `"1"`), 204)
		c.want(c.do("GET", base+"/AST-002", nil), 404)
		c.want(c.do("GET", "/api/v1/orgs/nobody/assets", nil), 404)
	})
}
