package api_test

import (
	"slices"
	"testing"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestRiskMethodAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		const path = "/api/v1/orgs/acme/risk-method"

		def := c.want(c.do("GET", path, nil), 200)
		if def.header.Get("ETag") != `"0"` || def.body["appetite"] != "medium" || len(def.body["likelihood"].([]any)) != 5 {
			t.Fatalf("default method: %s", def.raw)
		}
		method := def.body
		delete(method, "version")
		delete(method, "$schema")

		// Without a version: 428; a refused method names its fields and writes nothing.
		c.want(c.do("PUT", path, method), 428)
		bad := map[string]any{}
		for k, v := range method {
			bad[k] = v
		}
		bad["appetite"] = "huge"
		bad["matrix"] = [][]string{{"low"}}
		r := c.want(c.do("PUT", path, bad, "If-Match", `"0"`), 422)
		locs := errorLocations(r)
		for _, want := range []string{"body.matrix", "body.appetite"} {
			if !slices.Contains(locs, want) {
				t.Errorf("no error at %s: %v", want, locs)
			}
		}

		method["appetite"] = "low"
		v1 := c.want(c.do("PUT", path, method, "If-Match", `"0"`), 200)
		if v1.header.Get("ETag") != `"1"` || v1.body["appetite"] != "low" {
			t.Fatalf("v1: %s", v1.raw)
		}
		c.want(c.do("PUT", path, method, "If-Match", `"0"`), 409)
		method["version"] = 1
		c.want(c.do("PUT", path, method), 200)
		if r := c.want(c.do("GET", path, nil), 200); r.header.Get("ETag") != `"2"` {
			t.Fatalf("after two changes: %s", r.header.Get("ETag"))
		}
		c.want(c.do("GET", "/api/v1/orgs/nobody/risk-method", nil), 404)
	})
}
