package api_test

import (
	"strings"
	"testing"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

func rowByRef(t *testing.T, r response, ref string) map[string]any {
	t.Helper()
	for _, it := range items(r) {
		if m := it.(map[string]any); m["ref"] == ref {
			return m
		}
	}
	t.Fatalf("no row %s in %.300s", ref, r.raw)
	return nil
}

func TestSoAAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "other", "name": "Other"}), 201)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{
			"title": "Supplier reviews", "status": "implemented", "owner": "Dana",
			"requirements": []string{"iso27001-2022/A.5.19", "iso42001-2023/A.10.3"},
		}), 201)
		const base = "/api/v1/orgs/acme/soa/iso27001-2022"

		for _, tt := range []struct {
			path  string
			count int
			first string
		}{{base, 93, "A.5.1"}, {"/api/v1/orgs/acme/soa/iso42001-2023", 38, "A.2.2"}} {
			r := c.want(c.do("GET", tt.path, nil), 200)
			if n := len(items(r)); n != tt.count || items(r)[0].(map[string]any)["ref"] != tt.first {
				t.Fatalf("%s: %d rows", tt.path, n)
			}
			if s := r.body["summary"].(map[string]any); s["undecided"].(float64) != float64(tt.count) {
				t.Errorf("%s summary %v", tt.path, s)
			}
		}
		all := c.want(c.do("GET", base, nil), 200)
		row := rowByRef(t, all, "A.5.19")
		if row["applicable"] != nil || row["state"] != "implemented" || row["version"].(float64) != 0 {
			t.Fatalf("A.5.19: %v", row)
		}
		if ctl := row["controls"].([]any)[0].(map[string]any); ctl["ref"] != "CTL-001" || ctl["scope"] != "shared" || ctl["owner"] != "Dana" {
			t.Errorf("implementing control %v", ctl)
		}
		c.want(c.do("GET", "/api/v1/orgs/acme/soa/iso9001-2015", nil), 404)
		c.want(c.do("GET", "/api/v1/orgs/nobody/soa/iso27001-2022", nil), 404)

		// Refused decisions name every field and write nothing.
		for _, tt := range []struct {
			method, path string
			body         map[string]any
			locations    string
		}{
			{"PUT", base + "/A.5.1", map[string]any{"applicable": false, "justification": " "}, "body.justification"},
			{"PUT", base + "/A.5.1", map[string]any{"applicable": true, "justification": "Needed"}, "body.reasons"},
			{"PUT", base + "/A.5.1", map[string]any{"justification": "Needed"}, "body.applicable"},
			{"PUT", base + "/5.1", map[string]any{"applicable": false}, "path.ref,body.justification"},
		} {
			r := c.want(c.do(tt.method, tt.path, tt.body), 422)
			if got := strings.Join(errorLocations(r), ","); got != tt.locations {
				t.Errorf("%s %v: locations %s, want %s", tt.path, tt.body, got, tt.locations)
			}
		}
		c.want(c.do("PUT", base+"/A.5.1", map[string]any{"applicable": true, "justification": "x", "reasons": []string{"whim"}}), 422)
		c.want(c.do("PUT", base+"/A.99.9", map[string]any{"applicable": false, "justification": "x"}), 404)
		if r := c.want(c.do("GET", base+"/A.5.1", nil), 200); r.body["applicable"] != nil || r.header.Get("ETag") != `"0"` {
			t.Fatalf("refused input was written: %s", r.raw)
		}

		// The first decision needs no version; later ones do.
		first := c.want(c.do("PUT", base+"/A.5.1", map[string]any{"applicable": true, "justification": "Our policies",
			"reasons": []string{"business", "legal"}}), 200)
		if first.header.Get("ETag") != `"1"` || first.body["applicable"] != true || first.body["key"] != "iso27001-2022/A.5.1" ||
			first.body["decided_by"] == "" {
			t.Fatalf("first: %v %s", first.header, first.raw)
		}
		if reasons := first.body["reasons"].([]any); len(reasons) != 2 || reasons[0] != "legal" {
			t.Errorf("reasons %v", reasons)
		}
		c.want(c.do("PUT", base+"/A.5.1", map[string]any{"applicable": false, "justification": "No"}), 428)
		c.want(c.do("PATCH", base+"/A.5.1", map[string]any{"justification": "No"}), 428)
		patched := c.want(c.do("PATCH", base+"/A.5.1", map[string]any{"justification": "Our policies, reviewed"}, "If-Match", `"1"`), 200)
		if patched.body["applicable"] != true || len(patched.body["reasons"].([]any)) != 2 || patched.header.Get("ETag") != `"2"` {
			t.Fatalf("patch keeps the rest: %s", patched.raw)
		}
		stale := c.want(c.do("PUT", base+"/A.5.1", map[string]any{"applicable": false, "justification": "Lost", "version": 1}), 409)
		if !strings.Contains(stale.raw, "changed by someone else") {
			t.Errorf("409: %s", stale.raw)
		}
		c.want(c.do("PUT", base+"/A.5.1", map[string]any{"applicable": false, "justification": "x"}, "If-Match", "soon"), 422)
		c.want(c.do("PUT", base+"/A.5.1", map[string]any{"applicable": false, "justification": "x", "version": -1}), 422)
		// Version 0 says "undecided when I read it".
		c.want(c.do("PUT", base+"/A.5.2", map[string]any{"applicable": false, "justification": "x"}, "If-Match", `"0"`), 200)
		c.want(c.do("PUT", base+"/A.5.2", map[string]any{"applicable": false, "justification": "y", "version": 0}), 409)
		excluded := c.want(c.do("PUT", base+"/A.7.1", map[string]any{"applicable": false, "justification": "No premises", "version": 0}), 200)
		if excluded.body["applicable"] != false || len(excluded.body["reasons"].([]any)) != 0 {
			t.Errorf("excluded: %s", excluded.raw)
		}
		c.want(c.do("PUT", "/api/v1/orgs/other/soa/iso27001-2022/A.5.1", map[string]any{"applicable": false, "justification": "x"}), 200)
		if r := c.want(c.do("GET", base+"/A.5.1", nil), 200); r.body["justification"] != "Our policies, reviewed" {
			t.Errorf("another organization's decision leaked: %s", r.raw)
		}

		// Issue a version, change the draft, diff.
		c.want(c.do("POST", base+"/versions", map[string]any{"note": strings.Repeat("x", 2001)}), 422)
		issued := c.want(c.do("POST", base+"/versions", map[string]any{"note": "Annual review"}), 201)
		if issued.body["number"].(float64) != 1 || issued.body["approver"] != "root@example.com" ||
			issued.header.Get("Location") != base+"/versions/1" || len(issued.body["rows"].([]any)) != 93 {
			t.Fatalf("issued: %v %.300s", issued.header, issued.raw)
		}
		if s := issued.body["summary"].(map[string]any); s["applicable"].(float64) != 1 || s["excluded"].(float64) != 2 {
			t.Errorf("summary %v", s)
		}
		c.want(c.do("PUT", base+"/A.7.1", map[string]any{"applicable": true, "justification": "New office", "reasons": []string{"business"}, "version": 1}), 200)
		list := c.want(c.do("GET", base+"/versions", nil), 200)
		if len(items(list)) != 1 || items(list)[0].(map[string]any)["rows"] != nil || items(list)[0].(map[string]any)["note"] != "Annual review" {
			t.Fatalf("versions: %s", list.raw)
		}
		one := c.want(c.do("GET", base+"/versions/1", nil), 200)
		for _, it := range one.body["rows"].([]any) {
			if m := it.(map[string]any); m["ref"] == "A.7.1" && m["applicable"] != false {
				t.Errorf("issued row changed: %v", m)
			}
		}
		c.want(c.do("GET", base+"/versions/2", nil), 404)
		c.want(c.do("GET", base+"/versions/0", nil), 422)
		c.want(c.do("GET", "/api/v1/orgs/other/soa/iso27001-2022/versions/1", nil), 404)

		diff := c.want(c.do("GET", base+"/diff?from=1", nil), 200)
		if diff.body["to"] != nil || diff.body["from"].(map[string]any)["number"].(float64) != 1 || len(items(diff)) != 1 {
			t.Fatalf("diff: %s", diff.raw)
		}
		change := items(diff)[0].(map[string]any)
		if change["ref"] != "A.7.1" || change["before"].(map[string]any)["applicable"] != false || change["after"].(map[string]any)["applicable"] != true {
			t.Errorf("change %v", change)
		}
		if got := change["fields"].([]any); len(got) != 3 || got[0] != "decision" {
			t.Errorf("fields %v", got)
		}
		c.want(c.do("POST", base+"/versions", map[string]any{}), 201)
		if d := c.want(c.do("GET", base+"/diff?from=1&to=2", nil), 200); len(items(d)) != 1 || d.body["to"].(map[string]any)["number"].(float64) != 2 {
			t.Errorf("diff 1→2: %s", d.raw)
		}
		c.want(c.do("GET", base+"/diff", nil), 422)
		c.want(c.do("GET", base+"/diff?from=1&to=7", nil), 404)

		trail := c.want(c.do("GET", "/api/v1/orgs/acme/trail?resource_type=soa", nil), 200)
		if n := len(items(trail)); n != 7 {
			t.Errorf("soa trail entries = %d, want 7: %.500s", n, trail.raw)
		}

		doc := c.want(c.do("GET", "/api/v1/openapi.json", nil), 200)
		paths := doc.body["paths"].(map[string]any)
		for _, p := range []string{"/api/v1/orgs/{org}/soa/{standard}", "/api/v1/orgs/{org}/soa/{standard}/{ref}",
			"/api/v1/orgs/{org}/soa/{standard}/versions", "/api/v1/orgs/{org}/soa/{standard}/versions/{number}", "/api/v1/orgs/{org}/soa/{standard}/diff"} {
			if paths[p] == nil {
				t.Errorf("openapi lacks %s", p)
			}
		}
	})
}
