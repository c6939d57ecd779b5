package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tandem/internal/access"
	"tandem/internal/api"
	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// client talks JSON to an API server over a real store, as an instance
// administrator with an API token unless a request sets Authorization.
type client struct {
	t     *testing.T
	base  string
	token string
}

func newClient(t *testing.T, st *store.Store) *client {
	mux := http.NewServeMux()
	gate := access.NewGate(st)
	api.Register(mux, st, storetest.Catalog, gate, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	srv := httptest.NewServer(gate.Identify(mux))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	u, err := st.CreateUser(ctx, domain.Actor{Kind: "system", Name: "test"}, domain.UserInput{Email: "root@example.com", Name: "Root", InstanceAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := st.CreateToken(ctx, domain.Actor{Kind: "system", Name: "test"}, u.ID, "tests", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: srv.URL, token: token}
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (c *client) do(method, path string, body any, headers ...string) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	json.Unmarshal(raw, &r.body)
	return r
}

func (c *client) want(r response, status int) response {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

func items(r response) []any {
	list, _ := r.body["items"].([]any)
	return list
}

// errorLocations lists the field locations of a problem+json answer.
func errorLocations(r response) []string {
	var out []string
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["location"].(string))
	}
	return out
}

func TestCatalogAPI(t *testing.T) {
	c := newClient(t, storetest.SQLite(t))
	std := c.want(c.do("GET", "/api/v1/standards", nil), 200)
	counts := map[string]float64{}
	for _, it := range items(std) {
		m := it.(map[string]any)
		counts[m["id"].(string)] = m["requirements"].(float64)
	}
	if counts["iso27001-2022"] != 134 || counts["iso42001-2023"] != 81 {
		t.Fatalf("counts %v", counts)
	}

	tests := []struct {
		path  string
		count int
		first map[string]string
	}{
		{"/api/v1/standards/iso27001-2022/requirements", 134, map[string]string{"key": "iso27001-2022/4", "ref": "4", "kind": "clause", "group": ""}},
		{"/api/v1/standards/iso27001-2022/requirements?kind=annex", 93, map[string]string{"key": "iso27001-2022/A.5.1", "ref": "A.5.1", "kind": "annex", "group": "organizational", "title": "Policies for information security"}},
		{"/api/v1/standards/iso27001-2022/requirements?kind=annex&group=people", 8, map[string]string{"ref": "A.6.1"}},
		{"/api/v1/standards/iso27001-2022/requirements?kind=clause", 41, nil},
		{"/api/v1/standards/iso42001-2023/requirements", 81, nil},
		{"/api/v1/standards/iso42001-2023/requirements?kind=clause", 43, nil},
		{"/api/v1/standards/iso42001-2023/requirements?kind=annex", 38, map[string]string{"key": "iso42001-2023/A.2.2", "ref": "A.2.2", "group": "A.2"}},
		{"/api/v1/standards/iso42001-2023/requirements?group=A.6", 9, nil},
	}
	for _, tt := range tests {
		r := c.want(c.do("GET", tt.path, nil), 200)
		list := items(r)
		if len(list) != tt.count {
			t.Errorf("%s: %d items, want %d", tt.path, len(list), tt.count)
			continue
		}
		first := list[0].(map[string]any)
		for k, v := range tt.first {
			if first[k] != v {
				t.Errorf("%s: first[%s] = %v, want %q", tt.path, k, first[k], v)
			}
		}
	}
	c.want(c.do("GET", "/api/v1/standards/iso9001/requirements", nil), 404)
	c.want(c.do("GET", "/api/v1/standards/iso27001-2022/requirements?kind=chapter", nil), 422)
	c.want(c.do("GET", "/api/v1/standards/iso27001-2022/requirements?group=A.6", nil), 422)

	cw := c.want(c.do("GET", "/api/v1/crosswalk?kind=clause", nil), 200)
	if n := len(items(cw)); n != 41 {
		t.Errorf("clause pairs = %d, want 41", n)
	}
	annex := c.want(c.do("GET", "/api/v1/crosswalk?kind=annex", nil), 200)
	for _, it := range items(annex) {
		if m := it.(map[string]any); m["rationale"] == "" || m["relationship"] == "" {
			t.Errorf("link without rationale: %v", m)
		}
	}
	if len(items(annex)) < 24 {
		t.Errorf("annex links = %d", len(items(annex)))
	}
	one := c.want(c.do("GET", "/api/v1/crosswalk?requirement=iso27001-2022/A.5.1", nil), 200)
	if len(items(one)) == 0 {
		t.Error("A.5.1 has no crosswalk link")
	}
	c.want(c.do("GET", "/api/v1/crosswalk?requirement=nope", nil), 422)

	doc := c.want(c.do("GET", "/api/v1/openapi.json", nil), 200)
	if doc.body["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", doc.body["openapi"])
	}
	paths := doc.body["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/standards", "/api/v1/orgs/{org}/controls", "/api/v1/orgs/{org}/controls/{ref}"} {
		if paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
}

func TestControlsAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		bad := c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "Bad Slug", "name": ""}), 422)
		if ct := bad.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("content type %q", ct)
		}
		if got := strings.Join(errorLocations(bad), ","); got != "body.slug,body.name" {
			t.Errorf("locations %s", got)
		}
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "other", "name": "Other"}), 201)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Again"}), 422)
		if orgs := c.want(c.do("GET", "/api/v1/orgs", nil), 200); len(items(orgs)) != 2 || orgs.body["next"] != nil {
			t.Fatalf("orgs: %s", orgs.raw)
		}

		created := c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{
			"title": "Supplier reviews", "owner": "Dana", "status": "in_progress",
			"requirements": []string{"iso42001-2023/A.10.3", "iso27001-2022/A.5.19"},
		}), 201)
		if created.body["ref"] != "CTL-001" || created.body["scope"] != "shared" || created.header.Get("ETag") != `"1"` ||
			created.header.Get("Location") != "/api/v1/orgs/acme/controls/CTL-001" {
			t.Fatalf("created: %v %v", created.header, created.raw)
		}
		if reqs := created.body["requirements"].([]any); reqs[0] != "iso27001-2022/A.5.19" {
			t.Errorf("requirements order %v", reqs)
		}

		// Invalid input: every field error at once, nothing written.
		invalid := c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{
			"title": "", "requirements": []string{"iso27001-2022/A.5.1", "iso27001-2022/A.9.9"},
		}), 422)
		if got := strings.Join(errorLocations(invalid), ","); got != "body.title,body.requirements[1]" {
			t.Errorf("locations %s: %s", got, invalid.raw)
		}
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": "x", "status": "done"}), 422)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": "x", "colour": "red"}), 422)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", `{"title": `), 400)
		if list := c.want(c.do("GET", "/api/v1/orgs/acme/controls", nil), 200); list.body["total"].(float64) != 1 {
			t.Fatalf("rejected input was written: %s", list.raw)
		}

		// Updates need the version; a stale one is refused.
		c.want(c.do("PATCH", "/api/v1/orgs/acme/controls/CTL-001", map[string]any{"status": "implemented"}), 428)
		patched := c.want(c.do("PATCH", "/api/v1/orgs/acme/controls/CTL-001", map[string]any{"status": "implemented"}, "If-Match", `"1"`), 200)
		if patched.body["status"] != "implemented" || patched.body["title"] != "Supplier reviews" || patched.header.Get("ETag") != `"2"` {
			t.Fatalf("patched: %s", patched.raw)
		}
		stale := c.want(c.do("PATCH", "/api/v1/orgs/acme/controls/CTL-001", map[string]any{"title": "Lost"}, "If-Match", `"1"`), 409)
		if !strings.Contains(stale.raw, "changed by someone else") {
			t.Errorf("409 body: %s", stale.raw)
		}
		put := c.want(c.do("PUT", "/api/v1/orgs/acme/controls/CTL-001", map[string]any{"title": "Supplier assurance", "status": "implemented", "version": 2}), 200)
		if put.body["owner"] != "" || put.body["scope"] != "unlinked" || put.body["version"].(float64) != 3 {
			t.Fatalf("put replaces everything: %s", put.raw)
		}
		linked := c.want(c.do("POST", "/api/v1/orgs/acme/controls/CTL-001/requirements", map[string]any{"key": "iso27001-2022/A.5.19"}), 200)
		if linked.body["scope"] != "27001-only" {
			t.Fatalf("linked: %s", linked.raw)
		}
		for _, key := range []string{"iso27001-2022/5.99", ""} {
			bad := c.want(c.do("POST", "/api/v1/orgs/acme/controls/CTL-001/requirements", map[string]any{"key": key}), 422)
			if got := strings.Join(errorLocations(bad), ","); got != "body.key" {
				t.Errorf("link %q: locations %s", key, got)
			}
		}
		c.want(c.do("DELETE", "/api/v1/orgs/acme/controls/CTL-001/requirements/foo/bar", nil), 422)
		badVersion := c.want(c.do("PATCH", "/api/v1/orgs/acme/controls/CTL-001", map[string]any{"title": "x", "version": -3}), 422)
		if got := strings.Join(errorLocations(badVersion), ","); got != "body.version" {
			t.Errorf("negative version: %s", got)
		}
		c.want(c.do("PATCH", "/api/v1/orgs/nobody/controls/CTL-001", map[string]any{"title": "x"}), 404)
		unlinked := c.want(c.do("DELETE", "/api/v1/orgs/acme/controls/CTL-001/requirements/iso27001-2022/A.5.19", nil), 200)
		if unlinked.body["scope"] != "unlinked" {
			t.Fatalf("unlinked: %s", unlinked.raw)
		}
		got := c.want(c.do("GET", "/api/v1/orgs/acme/controls/CTL-001", nil), 200)
		if got.header.Get("ETag") != `"5"` {
			t.Errorf("etag %s", got.header.Get("ETag"))
		}

		// Another organization's control is simply not there.
		c.want(c.do("GET", "/api/v1/orgs/other/controls/CTL-001", nil), 404)
		c.want(c.do("PATCH", "/api/v1/orgs/other/controls/CTL-001", map[string]any{"title": "x"}, "If-Match", `"5"`), 404)
		c.want(c.do("GET", "/api/v1/orgs/nobody/controls", nil), 404)

		trail := c.want(c.do("GET", "/api/v1/orgs/acme/trail?resource_type=control&resource_ref=CTL-001", nil), 200)
		if n := len(items(trail)); n != 5 {
			t.Errorf("trail entries for CTL-001 = %d, want 5: %s", n, trail.raw)
		}

		c.want(c.do("DELETE", "/api/v1/orgs/acme/controls/CTL-001", nil), 428)
		c.want(c.do("DELETE", "/api/v1/orgs/acme/controls/CTL-001", nil, "If-Match", `"4"`), 409)
		c.want(c.do("DELETE", "/api/v1/orgs/acme/controls/CTL-001", nil, "If-Match", `"5"`), 204)
		c.want(c.do("GET", "/api/v1/orgs/acme/controls/CTL-001", nil), 404)
	})
}

func TestControlListAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		bodies := []map[string]any{
			{"title": "ISMS policy", "status": "implemented", "requirements": []string{"iso27001-2022/A.5.1"}},
			{"title": "AI policy", "status": "planned", "requirements": []string{"iso42001-2023/A.2.2"}},
			{"title": "Policy framework", "status": "implemented", "requirements": []string{"iso27001-2022/5.2", "iso42001-2023/5.2"}},
			{"title": "Clean desk"},
		}
		for _, b := range bodies {
			c.want(c.do("POST", "/api/v1/orgs/acme/controls", b), 201)
		}
		tests := []struct {
			query string
			want  string
		}{
			{"", "CTL-001 CTL-002 CTL-003 CTL-004"},
			{"?standard=iso42001-2023", "CTL-002 CTL-003"},
			{"?scope=shared", "CTL-003"},
			{"?scope=unlinked", "CTL-004"},
			{"?status=implemented&q=policy", "CTL-001 CTL-003"},
			{"?requirement=iso27001-2022/A.5.1", "CTL-001"},
		}
		for _, tt := range tests {
			r := c.want(c.do("GET", "/api/v1/orgs/acme/controls"+tt.query, nil), 200)
			var refs []string
			for _, it := range items(r) {
				refs = append(refs, it.(map[string]any)["ref"].(string))
			}
			if got := strings.Join(refs, " "); got != tt.want {
				t.Errorf("%s: %s, want %s", tt.query, got, tt.want)
			}
		}
		bad := c.want(c.do("GET", "/api/v1/orgs/acme/controls?requirement=iso27001-2022/A.1&standard=x", nil), 422)
		if got := strings.Join(errorLocations(bad), ","); got != "query.standard,query.requirement" {
			t.Errorf("locations %s", got)
		}
		c.want(c.do("GET", "/api/v1/orgs/acme/controls?scope=both", nil), 422)
		c.want(c.do("GET", "/api/v1/orgs/acme/controls?cursor=zzz", nil), 422)

		var refs []string
		path := "/api/v1/orgs/acme/controls?limit=3"
		for path != "" {
			r := c.want(c.do("GET", path, nil), 200)
			for _, it := range items(r) {
				refs = append(refs, it.(map[string]any)["ref"].(string))
			}
			path = ""
			if next, ok := r.body["next"].(string); ok {
				path = "/api/v1/orgs/acme/controls?limit=3&cursor=" + next
			}
		}
		if strings.Join(refs, " ") != "CTL-001 CTL-002 CTL-003 CTL-004" {
			t.Errorf("paged refs %v", refs)
		}
	})
}
