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
	"time"

	"github.com/xuri/excelize/v2"

	"tandem/internal/store"
	"tandem/internal/storetest"
)

// riskRegisterRows is a 500-row risk register of one register as a
// spreadsheet holds it (the header is row 1, so the risks are rows 2 to
// 501). With bad set, three rows are wrong: row 17 names a control the
// organization does not have, row 233 has likelihood 9 on a 5-step
// scale, and row 498 has no title.
func riskRegisterRows(register string, bad bool) [][]any {
	header := []any{"Risk", "Description", "Risk owner", "Likelihood", "Impact", "Residual likelihood", "Residual impact",
		"Treatment", "Status", "Review date", "Controls"}
	if register == "security" {
		header = append(header, "Asset(s)", "Threat", "Vulnerability", "CIA")
	} else {
		header = append(header, "AI system", "Risk source", "Affected parties")
	}
	rows := [][]any{header}
	labels := []string{"Rare", "Unlikely", "Possible", "Likely", "Almost certain"}
	impacts := []string{"negligible", "minor", "moderate", "major", "severe"}
	treatments := []string{"Mitigate", "Accept", "Avoid", "Transfer", "Reduce"}
	statuses := []string{"Open", "In progress", "New", "Treating"}
	for n := 2; n <= 501; n++ {
		l, i := 1+n%5, 1+(n/5)%5
		var likelihood any = l
		if n%2 == 0 {
			likelihood = labels[l-1]
		}
		status := statuses[n%4]
		rl, ri := 1, 1+n%2
		if n%10 == 0 {
			status = "Closed" // within appetite: residual 1×1 or 1×2
		}
		title, controls := fmt.Sprintf("Risk from row %d", n), fmt.Sprintf("CTL-%03d, ctl-%d", 1+n%10, 1+(n+3)%10)
		if bad {
			switch n {
			case 17:
				controls = "CTL-001, CTL-999"
			case 233:
				likelihood = 9
			case 498:
				title = ""
			}
		}
		review := time.Date(2026, time.Month(1+n%12), 1+n%28, 0, 0, 0, 0, time.UTC)
		row := []any{title, fmt.Sprintf("Scenario of row %d", n), fmt.Sprintf("Owner %d", n%7), likelihood, impacts[i-1],
			rl, ri, treatments[n%5], status, review, controls}
		if register == "security" {
			row = append(row, fmt.Sprintf("AST-%03d", 1+n%5), "Ransomware gang", "Unpatched servers", []string{"C, I", "Availability", "CIA", "C; A"}[n%4])
		} else {
			row = append(row, "Credit scoring model", []string{"Bias", "Privacy; Transparency", "Robustness", "Safety"}[n%4],
				[]string{"Individuals", "Individuals and groups", "Society", "groups"}[n%4])
		}
		rows = append(rows, row)
	}
	return rows
}

// csvOf writes rows as CSV with dates as YYYY-MM-DD.
func csvOf(rows [][]any) string {
	var b strings.Builder
	for _, row := range rows {
		for j, v := range row {
			if j > 0 {
				b.WriteByte(',')
			}
			s := fmt.Sprint(v)
			if d, ok := v.(time.Time); ok {
				s = d.Format(time.DateOnly)
			}
			if strings.ContainsAny(s, ",\"\n") {
				s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			}
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// xlsxOf writes rows as a workbook; dates become date cells.
func xlsxOf(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var riskRegisterProblems = []string{"body.rows[17].controls", "body.rows[233].inherent_likelihood", "body.rows[498].title"}

// TestImportRisksAPI is the acceptance test of risk register import: a
// 500-row spreadsheet with three bad rows is refused with every bad row
// named and nothing written, and the corrected file imports whole, 500
// risks with 500 trail entries — as CSV into the security register and as
// XLSX (with date cells) into the AI register.
func TestImportRisksAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		for i := 1; i <= 10; i++ {
			c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": fmt.Sprint("Control ", i)}), 201)
		}
		for i := 1; i <= 5; i++ {
			c.want(c.do("POST", "/api/v1/orgs/acme/assets", map[string]any{"name": fmt.Sprint("Asset ", i), "type": "information",
				"classification": "internal", "confidentiality": 2, "integrity": 2, "availability": 2}), 201)
		}
		total := func(register string) int {
			return len(items(c.want(c.do("GET", "/api/v1/orgs/acme/risks?limit=500&register="+register, nil), 200)))
		}
		csv := func(path, body string) response {
			return c.do("POST", path, body, "Content-Type", "text/csv; charset=utf-8")
		}
		xlsx := func(path, body string) response {
			return c.do("POST", path, body, "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		}

		for _, tc := range []struct {
			register string
			send     func(path, body string) response
			file     func([][]any) string
			first    string
		}{
			{"security", csv, csvOf, "RSK-001"},
			{"ai", xlsx, func(rows [][]any) string { return xlsxOf(t, rows) }, "RSK-501"},
		} {
			path := "/api/v1/orgs/acme/risks/import?register=" + tc.register
			for _, dry := range []string{"&dry_run=true", ""} {
				r := c.want(tc.send(path+dry, tc.file(riskRegisterRows(tc.register, true))), 422)
				if locs := errorLocations(r); strings.Join(locs, " ") != strings.Join(riskRegisterProblems, " ") {
					t.Errorf("%s%s: locations %v, want %v", tc.register, dry, locs, riskRegisterProblems)
				}
				if !strings.Contains(r.raw, "CTL-999") || !strings.Contains(r.raw, "1 to 5") {
					t.Errorf("messages do not say what is wrong: %.600s", r.raw)
				}
			}
			if n := total(tc.register); n != 0 {
				t.Fatalf("%d %s risks written by a refused import", n, tc.register)
			}
			dry := c.want(tc.send(path+"&dry_run=true", tc.file(riskRegisterRows(tc.register, false))), 200)
			if dry.body["rows"] != float64(500) || len(items(dry)) != 500 || dry.body["mapping"].(map[string]any)["residual_likelihood"] != "Residual likelihood" {
				t.Errorf("dry run %.400s", dry.raw)
			}
			if n := total(tc.register); n != 0 {
				t.Fatalf("a dry run wrote %d risks", n)
			}
			done := c.want(tc.send(path, tc.file(riskRegisterRows(tc.register, false))), 201)
			list := items(done)
			if len(list) != 500 || list[0].(map[string]any)["ref"] != tc.first {
				t.Fatalf("%s import: %d items, first %v", tc.register, len(list), list[0].(map[string]any)["ref"])
			}
			if n := total(tc.register); n != 500 {
				t.Errorf("%d %s risks after the import, want 500", n, tc.register)
			}
			// Row 3: likelihood 1+3%5 = 4 written as a number, impact
			// "negligible", review date 2026-04-04 (a date cell in the workbook).
			row3 := list[1].(map[string]any)
			inherent := row3["inherent"].(map[string]any)
			if row3["title"] != "Risk from row 3" || inherent["likelihood"] != float64(4) || inherent["impact"] != float64(1) ||
				row3["next_review"] != "2026-04-04" || row3["treatment"] != "share" || row3["status"] != "treating" ||
				fmt.Sprint(row3["controls"]) != "[CTL-004 CTL-007]" || row3["register"] != tc.register {
				t.Errorf("%s row 3 became %v", tc.register, row3)
			}
			if tc.register == "security" && (fmt.Sprint(row3["assets"]) != "[AST-004]" || fmt.Sprint(row3["cia"]) != "[confidentiality availability]") {
				t.Errorf("security fields of row 3: %v %v", row3["assets"], row3["cia"])
			}
			if tc.register == "ai" && (fmt.Sprint(row3["sources"]) != "[safety]" || fmt.Sprint(row3["parties"]) != "[groups]") {
				t.Errorf("AI fields of row 3: %v %v", row3["sources"], row3["parties"])
			}
		}
		trail := c.want(c.do("GET", "/api/v1/orgs/acme/trail?action=risk.import&limit=500", nil), 200)
		if n := len(items(trail)); n != 500 || trail.body["next"] == nil {
			t.Errorf("%d trail entries on the first page of 1,000 imported risks (next %v)", n, trail.body["next"])
		}
		more := c.want(c.do("GET", "/api/v1/orgs/acme/trail?action=risk.import&limit=500&cursor="+url.QueryEscape(trail.body["next"].(string)), nil), 200)
		if n := len(items(more)); n != 500 {
			t.Errorf("%d trail entries on the second page", n)
		}

		// The register, the mapping and the body are checked first.
		bad := c.want(csv("/api/v1/orgs/acme/risks/import?register=finance", "Risk\nX\n"), 422)
		if fmt.Sprint(errorLocations(bad)) != "[query.register]" {
			t.Errorf("unknown register: %v", errorLocations(bad))
		}
		r := c.want(csv("/api/v1/orgs/acme/risks/import?register=ai", "Risk,Who\nX,Y\n"), 422)
		for _, f := range []string{"query.mapping.owner", "query.mapping.inherent_likelihood", "query.mapping.inherent_impact", "query.mapping.treatment"} {
			if !slices.Contains(errorLocations(r), f) {
				t.Errorf("no %s in %v", f, errorLocations(r))
			}
		}
		// The AI register has no asset field.
		r = c.want(csv("/api/v1/orgs/acme/risks/import?register=ai&mapping="+url.QueryEscape(`{"assets":"Risk"}`), "Risk\nX\n"), 422)
		if !slices.Contains(errorLocations(r), "query.mapping.assets") {
			t.Errorf("assets mapped in the AI register: %v", errorLocations(r))
		}
		c.want(c.do("POST", "/api/v1/orgs/acme/risks/import?register=ai", `{"title":"x"}`), http.StatusUnsupportedMediaType)

		// Multipart, with a mapping part; a risk above appetite cannot come in closed.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "register.csv")
		io.WriteString(fw, "Scenario;Person;P;I;Option;State\nFlood;Facilities;5;5;Insure;Closed\nFire;Facilities;2;2;Insure;Closed\n")
		mw.WriteField("mapping", `{"title":"Scenario","owner":"Person","inherent_likelihood":"P","inherent_impact":"I","treatment":"Option","status":"State"}`)
		mw.Close()
		r = c.want(c.do("POST", "/api/v1/orgs/acme/risks/import?register=security", body.String(), "Content-Type", mw.FormDataContentType()), 422)
		if fmt.Sprint(errorLocations(r)) != "[body.rows[2].status]" {
			t.Errorf("closed above appetite: %v", errorLocations(r))
		}
	})
}

func TestImportAssetsAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme"}), 201)
		c.want(c.do("POST", "/api/v1/orgs/acme/controls", map[string]any{"title": "Backups"}), 201)
		csv := func(path, body string) response {
			return c.do("POST", path, body, "Content-Type", "text/csv")
		}
		file := "Asset;Type;Owner;Location;Classification;C;I;A;Notes;Controls\n" +
			"Customer database;Data;DBA team;EU data centre;Confidential;High;High;Medium;Orders and invoices;CTL-001\n" +
			"Payroll;Application;HR;SaaS;Restricted;3;3;2;;\n" +
			"Badge system;Hardware;Facilities;Head office;Internal;Low;2;3;;CTL-2\n"
		r := c.want(csv("/api/v1/orgs/acme/assets/import", file), 422)
		if fmt.Sprint(errorLocations(r)) != "[body.rows[4].controls]" {
			t.Errorf("locations %v", errorLocations(r))
		}
		if n := len(items(c.want(c.do("GET", "/api/v1/orgs/acme/assets", nil), 200))); n != 0 {
			t.Fatalf("%d assets written by a refused import", n)
		}
		file = strings.Replace(file, "CTL-2", "CTL-1", 1)
		dry := c.want(csv("/api/v1/orgs/acme/assets/import?dry_run=true", file), 200)
		if len(items(dry)) != 3 || dry.body["mapping"].(map[string]any)["confidentiality"] != "C" {
			t.Errorf("dry run %.300s", dry.raw)
		}
		done := c.want(csv("/api/v1/orgs/acme/assets/import", file), 201)
		list := items(done)
		first := list[0].(map[string]any)
		if len(list) != 3 || first["ref"] != "AST-001" || first["type"] != "information" || first["classification"] != "confidential" ||
			first["confidentiality"] != float64(3) || first["availability"] != float64(2) || fmt.Sprint(first["controls"]) != "[CTL-001]" ||
			first["location"] != "EU data centre" || first["description"] != "Orders and invoices" {
			t.Errorf("row 2 became %v", first)
		}
		trail := c.want(c.do("GET", "/api/v1/orgs/acme/trail?action=asset.import", nil), 200)
		if n := len(items(trail)); n != 3 {
			t.Errorf("%d trail entries for 3 imported assets", n)
		}
		if n := len(items(c.want(c.do("GET", "/api/v1/orgs/acme/assets", nil), 200))); n != 3 {
			t.Errorf("%d assets, want 3", n)
		}
		// A mapping may name fields the headers would not guess.
		r = c.want(csv("/api/v1/orgs/acme/assets/import?mapping="+url.QueryEscape(`{"name":"Thing"}`), "Thing\nX\n"), 422)
		if !slices.Contains(errorLocations(r), "query.mapping.type") {
			t.Errorf("unmapped type: %v", errorLocations(r))
		}
	})
}
