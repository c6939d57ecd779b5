package api_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestReferenceAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)

		all := c.want(c.do("GET", "/api/v1/orgs/acme/reference-controls", nil), 200)
		if n := len(items(all)); n != len(storetest.Catalog.Reference) {
			t.Fatalf("%d reference controls, want %d", n, len(storetest.Catalog.Reference))
		}
		if themes, _ := all.body["themes"].([]any); len(themes) != len(storetest.Catalog.ReferenceThemes) {
			t.Errorf("themes %v", all.body["themes"])
		}
		first := items(all)[0].(map[string]any)
		if first["id"] != "REF-GOV-01" || first["adopted"] != false || first["scope"] != "shared" || first["purpose"] == "" {
			t.Errorf("first item %v", first)
		}
		phys := c.want(c.do("GET", "/api/v1/orgs/acme/reference-controls?theme=physical&standard=iso27001-2022", nil), 200)
		for _, it := range items(phys) {
			if it.(map[string]any)["theme"] != "physical" {
				t.Errorf("theme filter let through %v", it)
			}
		}
		if q := c.want(c.do("GET", "/api/v1/orgs/acme/reference-controls?q=provenance", nil), 200); len(items(q)) != 1 {
			t.Errorf("q filter: %d items", len(items(q)))
		}
		bad := c.want(c.do("GET", "/api/v1/orgs/acme/reference-controls?standard=iso9001&theme=nope", nil), 422)
		if locs := errorLocations(bad); !slices.Contains(locs, "query.standard") || !slices.Contains(locs, "query.theme") {
			t.Errorf("bad filters: %v", locs)
		}

		// Adopt: created, then skipped; unknown ids are field errors.
		res := c.want(c.do("POST", "/api/v1/orgs/acme/reference-controls/adopt", map[string]any{"ids": []string{"REF-GOV-01", "REF-ACCESS-01"}}), 200)
		created, _ := res.body["created"].([]any)
		if len(created) != 2 || created[0].(map[string]any)["reference"] != "REF-GOV-01" || created[0].(map[string]any)["status"] != "planned" {
			t.Fatalf("created %v", res.raw)
		}
		res = c.want(c.do("POST", "/api/v1/orgs/acme/reference-controls/adopt", map[string]any{"ids": []string{"REF-GOV-01"}}), 200)
		if created, _ := res.body["created"].([]any); len(created) != 0 || fmt.Sprint(res.body["skipped"]) != "[REF-GOV-01]" {
			t.Errorf("second adoption %s", res.raw)
		}
		bad = c.want(c.do("POST", "/api/v1/orgs/acme/reference-controls/adopt", map[string]any{"ids": []string{"REF-GOV-01", "REF-NOPE"}}), 422)
		if locs := errorLocations(bad); len(locs) != 1 || locs[0] != "body.ids[1]" {
			t.Errorf("unknown id: %v", locs)
		}
		c.want(c.do("POST", "/api/v1/orgs/acme/reference-controls/adopt", map[string]any{"ids": []string{}}), 422)

		after := c.want(c.do("GET", "/api/v1/orgs/acme/reference-controls?q=REF-GOV-01", nil), 200)
		it := items(after)[0].(map[string]any)
		if it["adopted"] != true || it["control"] != "CTL-001" {
			t.Errorf("after adoption %v", it)
		}
		ctl := c.want(c.do("GET", "/api/v1/orgs/acme/controls/CTL-001", nil), 200)
		if ctl.body["reference"] != "REF-GOV-01" {
			t.Errorf("control %s", ctl.raw)
		}
	})
}

// register500 is a register of 500 controls; bad rows (by row number, the
// header being row 1) carry the problems listed in registerProblems.
func register500(bad bool) string {
	var b strings.Builder
	b.WriteString("Control;Owner;Status;Annex A;Standard\n")
	problems := map[int]string{
		17:  ";Owner;Done;A.5.1;27001",                               // no title
		58:  "Row 58;Owner;Mostly;A.5.1;27001",                       // unknown status
		99:  "Row 99;Owner;Done;A.5.99;27001",                        // unknown ref
		140: "Row 140;Owner;Done;A.5.2;",                             // in both standards, no standard given
		222: strings.Repeat("Long ", 41) + ";Owner;Done;A.5.1;27001", // title too long
		333: "Row 333;Owner;Done;A.5.1;ISO 9001",                     // unknown standard
		444: "Row 444;Owner;In progress;see policy;42001",            // not a reference
	}
	for row := 2; row <= 501; row++ {
		if p, ok := problems[row]; ok && bad {
			b.WriteString(p + "\n")
			continue
		}
		std, refs := "27001", fmt.Sprintf("A.5.%d, A.8.%d", row%37+1, row%34+1)
		if row%3 == 0 {
			std, refs = "42001", "\"A.6.2.4; A.2.2\""
		}
		fmt.Fprintf(&b, "Control from row %d;Owner %d;%s;%s;%s\n", row, row%9, []string{"Done", "In progress", "Planned", "Not implemented"}[row%4], refs, std)
	}
	return b.String()
}

var registerProblems = []string{"body.rows[17].title", "body.rows[58].status", "body.rows[99].requirements",
	"body.rows[140].requirements", "body.rows[222].title", "body.rows[333].standard", "body.rows[444].requirements"}

func TestImportAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		csv := func(path, body string) response {
			return c.do("POST", path, body, "Content-Type", "text/csv; charset=utf-8")
		}
		total := func() float64 {
			return c.want(c.do("GET", "/api/v1/orgs/acme/controls?limit=1", nil), 200).body["total"].(float64)
		}

		// 500 rows, 7 bad: refused, every bad row named, nothing written —
		// on a dry run and on a real one.
		for _, dry := range []string{"true", "false"} {
			r := c.want(csv("/api/v1/orgs/acme/controls/import?dry_run="+dry, register500(true)), 422)
			locs := errorLocations(r)
			if strings.Join(locs, " ") != strings.Join(registerProblems, " ") {
				t.Errorf("dry_run=%s: locations %v, want %v", dry, locs, registerProblems)
			}
			if !strings.Contains(r.raw, "Mostly") || !strings.Contains(r.raw, "A.5.99") {
				t.Errorf("messages do not quote the values: %.500s", r.raw)
			}
		}
		if n := total(); n != 0 {
			t.Fatalf("%v controls written by a refused import", n)
		}

		// The corrected file: a dry run writes nothing, a real run writes all.
		dry := c.want(csv("/api/v1/orgs/acme/controls/import?dry_run=true", register500(false)), 200)
		if dry.body["rows"] != float64(500) || len(items(dry)) != 500 || dry.body["mapping"].(map[string]any)["requirements"] != "Annex A" {
			t.Errorf("dry run %.300s", dry.raw)
		}
		if n := total(); n != 0 {
			t.Fatalf("a dry run wrote %v controls", n)
		}
		done := c.want(csv("/api/v1/orgs/acme/controls/import", register500(false)), 201)
		list := items(done)
		if len(list) != 500 || list[0].(map[string]any)["ref"] != "CTL-001" || list[499].(map[string]any)["ref"] != "CTL-500" {
			t.Fatalf("import %d items", len(list))
		}
		if n := total(); n != 500 {
			t.Errorf("%v controls after the import, want 500", n)
		}
		row3 := list[1].(map[string]any) // row 3: a 42001 row
		if row3["title"] != "Control from row 3" || fmt.Sprint(row3["requirements"]) != "[iso42001-2023/A.2.2 iso42001-2023/A.6.2.4]" || row3["status"] != "not_implemented" {
			t.Errorf("row 3 became %v", row3)
		}
		trail := c.want(c.do("GET", "/api/v1/orgs/acme/trail?action=control.import&limit=500", nil), 200)
		if n := len(items(trail)); n != 500 {
			t.Errorf("%d trail entries for 500 imported controls", n)
		}

		// XLSX in the body, with a mapping in the query.
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"Name", "Who", "Refs", "Where"})
		f.SetSheetRow("Sheet1", "A2", &[]any{"Workbook control", "Alex", "A.2.2", "x"})
		var buf bytes.Buffer
		f.Write(&buf)
		f.Close()
		mapping := url.QueryEscape(`{"owner":"Who","requirements":"Refs"}`)
		r := c.want(c.do("POST", "/api/v1/orgs/acme/controls/import?mapping="+mapping, buf.String(),
			"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), 201)
		got := items(r)[0].(map[string]any)
		if got["title"] != "Workbook control" || got["owner"] != "Alex" || fmt.Sprint(got["requirements"]) != "[iso42001-2023/A.2.2]" {
			t.Errorf("xlsx import %v", got)
		}

		// Multipart: a file part and a mapping part.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "register.csv")
		io.WriteString(fw, "Title,Person,Clauses\nManagement review,CEO,9.3\n")
		mw.WriteField("mapping", `{"owner":"Person"}`)
		mw.Close()
		r = c.want(c.do("POST", "/api/v1/orgs/acme/controls/import?standard=iso42001-2023", body.String(), "Content-Type", mw.FormDataContentType()), 201)
		got = items(r)[0].(map[string]any)
		if got["owner"] != "CEO" || fmt.Sprint(got["requirements"]) != "[iso42001-2023/9.3]" {
			t.Errorf("multipart import %v", got)
		}

		// What is not a register, or not a mapping.
		c.want(c.do("POST", "/api/v1/orgs/acme/controls/import", `{"title":"x"}`), http.StatusUnsupportedMediaType)
		bad := c.want(csv("/api/v1/orgs/acme/controls/import?mapping="+url.QueryEscape(`{"title":"Nope","colour":"x"}`), "Title\nX\n"), 422)
		if locs := errorLocations(bad); !slices.Contains(locs, "query.mapping.title") || !slices.Contains(locs, "query.mapping.colour") {
			t.Errorf("bad mapping: %v", locs)
		}
		c.want(csv("/api/v1/orgs/acme/controls/import?mapping=nonsense", "Title\nX\n"), 422)
		if locs := errorLocations(c.want(csv("/api/v1/orgs/acme/controls/import", "Title\n"), 422)); fmt.Sprint(locs) != "[body.file]" {
			t.Errorf("header only: %v", locs)
		}
		if locs := errorLocations(c.want(csv("/api/v1/orgs/acme/controls/import", "Owner\nX\n"), 422)); fmt.Sprint(locs) != "[query.mapping.title]" {
			t.Errorf("no title column: %v", locs)
		}
		if n := total(); n != 502 {
			t.Errorf("%v controls at the end, want 502", n)
		}
	})
}
