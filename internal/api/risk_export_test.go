package api_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// TestRiskExports: the list answers one register as XLSX, CSV or PDF (never
// the other register's risks), filtered like the JSON list; the treatment
// plan comes as PDF or XLSX.
func TestRiskExports(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme", "time_zone": "Europe/Amsterdam"}), 201)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": "Immutable backups", "status": "implemented"}), 201)
		const base = "/api/v1/orgs/acme/risks"
		risk := func(body map[string]any) {
			body["owner"], body["treatment"] = "Dana", "modify"
			for k, v := range map[string]any{"inherent_likelihood": 4, "inherent_impact": 5, "residual_likelihood": 2, "residual_impact": 2} {
				if _, ok := body[k]; !ok {
					body[k] = v
				}
			}
			c.want(c.do("POST", base, body), 201)
		}
		risk(map[string]any{"title": "Ransomware", "register": "security", "controls": []string{"CTL-001"}, "threat": "Criminals", "cia": []string{"availability"}})
		risk(map[string]any{"title": "=HYPERLINK(\"http://evil\")", "register": "security", "residual_likelihood": 4, "residual_impact": 4})
		risk(map[string]any{"title": "Opaque credit decisions", "register": "ai", "sources": []string{"transparency_explainability"}, "parties": []string{"individuals"}})
		c.want(c.do("POST", base+"/RSK-001/actions", map[string]any{"title": "Offline copies", "owner": "Dana", "due": "2020-05-01"}), 201)

		date := regexp.MustCompile(`^attachment; filename="acme-security-risks-\d{4}-\d{2}-\d{2}\.(xlsx|csv|pdf)"$`)
		for _, tt := range []struct{ format, contentType, starts string }{
			{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
			{"csv", "text/csv; charset=utf-8", "Ref,"},
			{"pdf", "application/pdf", "%PDF"},
		} {
			r := c.want(c.do("GET", base+"?register=security&format="+tt.format, nil), 200)
			if r.header.Get("Content-Type") != tt.contentType || !date.MatchString(r.header.Get("Content-Disposition")) || !strings.HasPrefix(r.raw, tt.starts) {
				t.Errorf("%s: %s, %s, starts %.10q", tt.format, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"), r.raw)
			}
			if strings.Contains(r.raw, "Opaque credit decisions") || strings.Contains(r.raw, "RSK-003") {
				t.Errorf("%s: the security export holds an AI risk", tt.format)
			}
		}

		// XLSX: the security register only, with its own columns.
		r := c.want(c.do("GET", base+"?register=security&format=xlsx", nil), 200)
		f, err := excelize.OpenReader(strings.NewReader(r.raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(i18n.T("report.risk.sheet"))
		f.Close()
		if len(rows) != 4+2 || !slices.Equal(rows[3], report.RiskColumns("security")) || rows[4][0] != "RSK-001" || rows[5][0] != "RSK-002" {
			t.Fatalf("security workbook %q", rows)
		}
		if !strings.Contains(rows[4][slices.Index(rows[3], "Actions")], "ACT-001 Offline copies (Dana, due 2020-05-01, overdue)") {
			t.Errorf("actions cell %q", rows[4])
		}

		// CSV: filtered like the list, formula-like cells guarded.
		r = c.want(c.do("GET", base+"?register=security&level=critical&format=csv", nil), 200)
		records, err := csv.NewReader(strings.NewReader(r.raw)).ReadAll()
		if err != nil || len(records) != 2 || records[1][0] != "RSK-002" || records[1][1] != `'=HYPERLINK("http://evil")` {
			t.Errorf("filtered CSV %q %v", records, err)
		}
		r = c.want(c.do("GET", base+"?register=ai&format=csv", nil), 200)
		records, _ = csv.NewReader(strings.NewReader(r.raw)).ReadAll()
		if len(records) != 2 || records[1][0] != "RSK-003" || !slices.Contains(records[0], "AI systems") || slices.Contains(records[0], "Threat") {
			t.Errorf("AI CSV %q", records)
		}

		// JSON stays the default; a file needs one register and a known format.
		if r := c.want(c.do("GET", base, nil), 200); len(items(r)) != 3 {
			t.Errorf("json: %s", r.raw)
		}
		if r := c.want(c.do("GET", base+"?format=json&register=ai", nil), 200); len(items(r)) != 1 {
			t.Errorf("json: %s", r.raw)
		}
		if locs := errorLocations(c.want(c.do("GET", base+"?format=xlsx", nil), 422)); !slices.Equal(locs, []string{"query.register"}) {
			t.Errorf("no register: %v", locs)
		}
		c.want(c.do("GET", base+"?register=security&format=docx", nil), 422)
		c.want(c.do("GET", base+"?register=both&format=csv", nil), 422)
		c.want(c.do("GET", base+"?register=security&status=gone&format=pdf", nil), 422)
		c.want(c.do("GET", "/api/v1/orgs/nobody/risks?register=security&format=csv", nil), 404)

		// The treatment plan.
		const plan = "/api/v1/orgs/acme/risk-treatment-plan"
		r = c.want(c.do("GET", plan+"?register=security", nil), 200)
		if r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.raw, "%PDF") ||
			!regexp.MustCompile(`filename="acme-security-risk-treatment-plan-\d{4}-\d{2}-\d{2}\.pdf"`).MatchString(r.header.Get("Content-Disposition")) {
			t.Errorf("plan PDF: %s %s", r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
		}
		r = c.want(c.do("GET", plan+"?register=security&format=xlsx", nil), 200)
		f, err = excelize.OpenReader(bytes.NewReader([]byte(r.raw)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ = f.GetRows(i18n.T("report.plan.sheet_plan"))
		actions, _ := f.GetRows(i18n.T("report.plan.sheet_actions"))
		f.Close()
		if len(rows) != 4+2 || rows[4][1] != "RSK-001" || !strings.Contains(rows[4][9], "CTL-001 Immutable backups — Implemented") {
			t.Errorf("plan rows %q", rows)
		}
		if len(actions) != 5 || actions[4][2] != "ACT-001" || actions[4][6] != i18n.T("report.plan.overdue") {
			t.Errorf("plan actions %q", actions)
		}
		c.want(c.do("GET", plan, nil), 422)
		c.want(c.do("GET", plan+"?register=both", nil), 422)
		c.want(c.do("GET", plan+"?register=ai&format=csv", nil), 422)
	})
}
