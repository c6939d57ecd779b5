package api_test

import (
	"context"
	"encoding/csv"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/report"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// trailSeqs lists the seq of each entry of a JSON trail page.
func trailSeqs(r response) []int {
	out := []int{}
	for _, it := range items(r) {
		out = append(out, int(it.(map[string]any)["seq"].(float64)))
	}
	return out
}

func TestTrailAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		ctx := context.Background()
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme", "time_zone": "Europe/Amsterdam"}), 201)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "other", "name": "Other"}), 201)
		for _, title := range []string{"Supplier reviews", "Access control"} {
			c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": title}), 201)
		}
		c.want(c.do("PATCH", "/api/v1/orgs/acme/controls/CTL-001", map[string]any{"status": "implemented"}, "If-Match", `"1"`), 200)
		c.want(c.do("POST", "/api/v1/orgs/other/controls", map[string]any{"title": "Elsewhere"}), 201)
		// A write by someone else, through the store: the program itself.
		acme, err := st.Org(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := acme.CreateControl(ctx, domain.Actor{Kind: "system", Name: "demo"}, domain.ControlInput{Title: ptrTo("Seeded")}); err != nil {
			t.Fatal(err)
		}
		all := c.want(c.do("GET", "/api/v1/orgs/acme/trail", nil), 200)
		if got := trailSeqs(all); !slices.Equal(got, []int{5, 4, 3, 2, 1}) || all.body["next"] != nil {
			t.Fatalf("whole trail: %v: %s", got, all.raw)
		}
		if ct := all.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("content type %q", ct)
		}
		apiActor := items(all)[1].(map[string]any)["actor"].(string)
		if !strings.HasPrefix(apiActor, "token:root@example.com/tdm_") {
			t.Fatalf("actor of an API write: %q", apiActor)
		}

		ams, _ := time.LoadLocation("Europe/Amsterdam")
		day := func(days int) string { return time.Now().In(ams).AddDate(0, 0, days).Format(time.DateOnly) }
		tests := []struct {
			query string
			want  []int
		}{
			{"actor=" + url.QueryEscape(apiActor), []int{4, 3, 2, 1}},
			{"actor=system%3Ademo", []int{5}},
			{"actor=token", []int{}},
			{"action=control.update", []int{4}},
			{"action=control.create&actor=" + url.QueryEscape(apiActor), []int{3, 2}},
			{"resource_type=org", []int{1}},
			{"resource_type=control&resource_ref=CTL-001", []int{4, 2}},
			{"resource_ref=CTL-003", []int{5}},
			{"from=" + day(-1), []int{5, 4, 3, 2, 1}},
			{"from=" + day(-1) + "&to=" + day(1), []int{5, 4, 3, 2, 1}},
			{"to=" + day(-2), []int{}},
			{"from=" + day(2), []int{}},
			{"from=" + url.QueryEscape(time.Now().Add(-time.Hour).Format(time.RFC3339)) + "&action=control.create", []int{5, 3, 2}},
			{"to=" + url.QueryEscape(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano)), []int{}},
			{"format=json&resource_ref=CTL-002", []int{3}},
		}
		for _, tt := range tests {
			r := c.want(c.do("GET", "/api/v1/orgs/acme/trail?"+tt.query, nil), 200)
			if got := trailSeqs(r); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.query, got, tt.want)
			}
		}

		// Pages follow the filter.
		first := c.want(c.do("GET", "/api/v1/orgs/acme/trail?resource_type=control&limit=2", nil), 200)
		next, _ := first.body["next"].(string)
		if got := trailSeqs(first); !slices.Equal(got, []int{5, 4}) || next == "" {
			t.Fatalf("first page %v next %q", got, next)
		}
		second := c.want(c.do("GET", "/api/v1/orgs/acme/trail?resource_type=control&limit=2&cursor="+next, nil), 200)
		if got := trailSeqs(second); !slices.Equal(got, []int{3, 2}) || second.body["next"] != nil {
			t.Fatalf("second page %v: %s", got, second.raw)
		}

		// Bad filters: 422 naming each query parameter, as problem+json.
		bad := []struct {
			query     string
			locations []string
		}{
			{"from=yesterday", []string{"query.from"}},
			{"from=2026-03-05&to=2026-03-04", []string{"query.to"}},
			{"from=2026-03-05T10:00:00Z&to=2026-03-05T10:00:00Z", []string{"query.to"}},
			{"from=2026-02-30&to=soon", []string{"query.from", "query.to"}},
			{"cursor=nonsense", []string{"query.cursor"}},
			{"cursor=nonsense&from=2026-03-05&to=2026-03-01", []string{"query.to", "query.cursor"}},
			{"format=xml", []string{"query.format"}},
			{"limit=501", []string{"query.limit"}},
			{"actor=" + strings.Repeat("x", 501), []string{"query.actor"}},
			{"format=csv&from=later", []string{"query.from"}},
		}
		for _, tt := range bad {
			r := c.want(c.do("GET", "/api/v1/orgs/acme/trail?"+tt.query, nil), 422)
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: content type %q", tt.query, ct)
			}
			if got := errorLocations(r); !slices.Equal(got, tt.locations) {
				t.Errorf("%.60s: locations %v, want %v", tt.query, got, tt.locations)
			}
		}
		c.want(c.do("GET", "/api/v1/orgs/nobody/trail", nil), 404)
		c.want(c.do("GET", "/api/v1/orgs/acme/trail", nil, "Authorization", ""), 401)

		// The OpenAPI document describes both answers and the new parameters.
		doc := c.want(c.do("GET", "/api/v1/openapi.json", nil), 200)
		for _, part := range []string{`"text/csv"`, `"application/json":{"schema":{"$ref":"#/components/schemas/PageTrailEntry"}}`,
			`"name":"actor"`, `"name":"from"`, `"name":"format"`, `Content-Disposition`} {
			if !strings.Contains(doc.raw, part) {
				t.Errorf("OpenAPI lacks %s", part)
			}
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

// readCSV parses a CSV answer into rows.
func readCSV(t *testing.T, raw string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%.500s", err, raw)
	}
	return rows
}

func TestTrailCSV(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		ctx := context.Background()
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		acme, err := st.Org(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		// More entries than the largest page, so the export spans pages.
		n := store.MaxLimit + 20
		for i := range n {
			if _, err := acme.CreateControl(ctx, domain.Actor{Kind: "system", Name: "test"},
				domain.ControlInput{Title: ptrTo("Control " + strconv.Itoa(i))}); err != nil {
				t.Fatal(err)
			}
		}
		// A member whose email a spreadsheet would read as a formula.
		formula := "=1+2@example.com"
		if _, err := st.CreateUser(ctx, domain.Actor{Kind: "system", Name: "test"}, domain.UserInput{Email: formula}); err != nil {
			t.Fatal(err)
		}
		if err := acme.SetMembership(ctx, domain.Actor{Kind: "system", Name: "test"}, formula, "viewer", nil); err != nil {
			t.Fatal(err)
		}
		total := n + 2 // org.create, the controls, member.set

		r := c.want(c.do("GET", "/api/v1/orgs/acme/trail?format=csv&limit=3&cursor=ignored", nil), 200)
		if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="acme-trail.csv"` {
			t.Errorf("content disposition %q", cd)
		}
		rows := readCSV(t, r.raw)
		if !slices.Equal(rows[0], report.TrailColumns) {
			t.Fatalf("header %v", rows[0])
		}
		if len(rows) != total+1 {
			t.Fatalf("%d rows, want %d entries and the header", len(rows), total)
		}
		for i, row := range rows[1:] {
			if want := strconv.Itoa(total - i); row[0] != want {
				t.Fatalf("row %d has seq %s, want %s (newest first, none lost between pages)", i+1, row[0], want)
			}
			if _, err := time.Parse(time.RFC3339, row[1]); err != nil || !strings.HasSuffix(row[1], "Z") {
				t.Fatalf("row %d time %q is not RFC 3339 in UTC", i+1, row[1])
			}
			if len(row[9]) != 64 || (i < total-1 && row[8] == "") {
				t.Fatalf("row %d hashes %q %q", i+1, row[8], row[9])
			}
		}
		member := rows[1]
		if member[3] != "member.set" || member[4] != "member" || member[5] != "'"+formula {
			t.Errorf("member row not guarded: %q", member)
		}
		if rows[2][3] != "control.create" || !strings.Contains(rows[2][7], `"title":"Control `+strconv.Itoa(n-1)+`"`) {
			t.Errorf("control row %q", rows[2])
		}
		if rows[total][3] != "org.create" || rows[total][8] != "" {
			t.Errorf("first entry %q", rows[total])
		}

		// Accept: text/csv asks for the same; format=json wins over it;
		// filters apply to the file.
		r = c.want(c.do("GET", "/api/v1/orgs/acme/trail?action=member.set", nil, "Accept", "text/csv"), 200)
		if rows := readCSV(t, r.raw); len(rows) != 2 || rows[1][5] != "'"+formula {
			t.Errorf("filtered CSV by Accept: %q", rows)
		}
		r = c.want(c.do("GET", "/api/v1/orgs/acme/trail?format=json&limit=1", nil, "Accept", "text/csv"), 200)
		if got := trailSeqs(r); !slices.Equal(got, []int{total}) {
			t.Errorf("format=json with Accept: text/csv: %s", r.raw)
		}
		r = c.want(c.do("GET", "/api/v1/orgs/acme/trail?limit=1", nil, "Accept", "application/json, text/csv;q=0.5"), 200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("JSON preferred by q: got %s", r.header.Get("Content-Type"))
		}
		// An empty selection is the header alone.
		r = c.want(c.do("GET", "/api/v1/orgs/acme/trail?format=csv&actor=nobody", nil), 200)
		if rows := readCSV(t, r.raw); len(rows) != 1 {
			t.Errorf("empty export: %q", rows)
		}
	})
}
