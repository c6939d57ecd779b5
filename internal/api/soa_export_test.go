package api_test

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

// TestSoAExports: the draft and an issued version of each SoA come out as
// XLSX, PDF, CSV and Markdown, and both SoAs as one workbook that reads
// back with 93 and 38 rows.
func TestSoAExports(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]string{"slug": "acme", "name": "Acme"}), 201)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": "Policy set", "status": "implemented",
			"requirements": []string{"iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}}), 201)
		base := "/api/v1/orgs/acme/soa/iso27001-2022"
		c.want(c.do("PUT", base+"/A.7.4", map[string]any{"applicable": false, "justification": "No premises to monitor: fully remote"}), 200)
		c.want(c.do("POST", base+"/versions", map[string]any{"note": "First issue"}), 201)

		// JSON stays the default.
		if r := c.want(c.do("GET", base, nil), 200); len(items(r)) != 93 || r.body["summary"] == nil {
			t.Fatalf("json: %d rows", len(items(r)))
		}
		cases := []struct {
			path, contentType, filename, starts string
		}{
			{base + "?format=pdf", "application/pdf", "acme-soa-iso27001-2022.pdf", "%PDF"},
			{base + "?format=csv", "text/csv; charset=utf-8", "acme-soa-iso27001-2022.csv", ""},
			{base + "?format=md", "text/markdown; charset=utf-8", "acme-soa-iso27001-2022.md", "#"},
			{base + "/versions/1?format=pdf", "application/pdf", "acme-soa-iso27001-2022-v1.pdf", "%PDF"},
			{base + "/versions/1?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "acme-soa-iso27001-2022-v1.xlsx", "PK"},
			{"/api/v1/orgs/acme/soa/iso42001-2023?format=md", "text/markdown; charset=utf-8", "acme-soa-iso42001-2023.md", "#"},
		}
		for _, tt := range cases {
			r := c.want(c.do("GET", tt.path, nil), 200)
			if r.header.Get("Content-Type") != tt.contentType || !strings.Contains(r.header.Get("Content-Disposition"), tt.filename) ||
				!strings.HasPrefix(r.raw, tt.starts) {
				t.Errorf("%s: %s, %s, starts %.10q", tt.path, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"), r.raw)
			}
		}
		if csv := c.want(c.do("GET", base+"?format=csv", nil), 200).raw; strings.Count(csv, "\n") < 94 || !strings.Contains(csv, "fully remote") {
			t.Errorf("csv: %d lines", strings.Count(csv, "\n"))
		}
		c.want(c.do("GET", base+"?format=docx", nil), 422)
		c.want(c.do("GET", base+"/versions/9?format=pdf", nil), 404)

		// One workbook, a sheet per standard.
		r := c.want(c.do("GET", "/api/v1/orgs/acme/soa?format=xlsx", nil), 200)
		f, err := excelize.OpenReader(strings.NewReader(r.raw))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 2 {
			t.Fatalf("sheets %v", sheets)
		}
		for i, want := range []int{93, 38} {
			rows, _ := f.GetRows(sheets[i])
			n := 0
			for _, row := range rows {
				if len(row) > 0 && strings.HasPrefix(row[0], "A.") {
					n++
				}
			}
			if n != want {
				t.Errorf("sheet %s: %d Annex A rows, want %d", sheets[i], n, want)
			}
		}
	})
}
