package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// riskSheet is a security risk register of n rows (spreadsheet rows 2 to
// n+1). The rows listed in bad are wrong: 17 names an unknown control,
// 233 has likelihood 9, 498 has no title; any other a bad treatment.
func riskSheet(n int, bad ...int) [][]any {
	rows := [][]any{{"Risk", "Risk owner", "Likelihood", "Impact", "Residual likelihood", "Residual impact", "Treatment",
		"Status", "Review date", "Controls", "Asset(s)", "Threat", "CIA"}}
	for r := 2; r <= n+1; r++ {
		title, controls := fmt.Sprintf("Risk from row %d", r), fmt.Sprintf("CTL-%03d", 1+r%3)
		var likelihood any = []string{"Rare", "Unlikely", "Possible", "Likely", "Almost certain"}[r%5]
		treatment := []string{"Mitigate", "Accept", "Transfer", "Avoid"}[r%4]
		for _, b := range bad {
			switch {
			case b != r:
			case r == 17:
				controls = "CTL-001, CTL-404"
			case r == 233:
				likelihood = 9
			case r == 498:
				title = ""
			default:
				treatment = "Hope"
			}
		}
		rows = append(rows, []any{title, fmt.Sprint("Owner ", r%4), likelihood, 1 + r%5, 1, 1 + r%2, treatment,
			[]string{"Open", "In progress", "Closed"}[r%3], time.Date(2026, 6, 1+r%28, 0, 0, 0, 0, time.UTC), controls,
			"AST-001", "Theft", "C, I"})
	}
	return rows
}

func sheetCSV(rows [][]any) string {
	var b strings.Builder
	for _, row := range rows {
		for j, v := range row {
			if j > 0 {
				b.WriteByte(';')
			}
			if d, ok := v.(time.Time); ok {
				v = d.Format(time.DateOnly)
			}
			b.WriteString(fmt.Sprint(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func sheetXLSX(t *testing.T, rows [][]any) string {
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

// registerBasics gives an organization the controls and the asset the
// sheets link to.
func registerBasics(t *testing.T, s *site, o *store.OrgStore) {
	t.Helper()
	for i := 1; i <= 3; i++ {
		s.control(o, fmt.Sprint("Control ", i), "implemented")
	}
	name, typ, class, two := "Laptops", "hardware", "internal", 2
	if _, err := o.CreateAsset(context.Background(), testActor, domain.AssetInput{Name: &name, Type: &typ, Classification: &class,
		Confidentiality: &two, Integrity: &two, Availability: &two}); err != nil {
		t.Fatal(err)
	}
}

func riskCount(t *testing.T, o *store.OrgStore, register string) int {
	t.Helper()
	n, err := o.CountRisks(context.Background(), domain.RiskFilter{Register: register})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var importID = regexp.MustCompile(`name="import" value="([0-9a-f]{32})"`)

// TestRiskImportPages is the acceptance test of the risk register import
// in the UI: the 500-row file with three bad rows is refused with every
// bad row named and nothing written; the corrected workbook imports whole.
func TestRiskImportPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		registerBasics(t, s, o)

		w := s.get("/orgs/acme/risks/import?register=ai")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.regimport.risks.title.ai"), `action="/orgs/acme/risks/import?register=ai"`, `name="file"`)
		if m := inlineCode.FindString(w.Body.String()); m != "" {
			t.Errorf("import page has inline code: %q", m)
		}
		wantStatus(t, s.get("/orgs/acme/risks/import?register=finance"), http.StatusNotFound)
		wantBody(t, s.get("/orgs/acme/risks/import"), i18n.T("web.regimport.risks.title.security"))

		// 500 rows, 3 bad: every bad row is named, nothing is written.
		w = s.upload("/orgs/acme/risks/import?register=security", "risks.csv", sheetCSV(riskSheet(500, 17, 233, 498)))
		wantStatus(t, w, http.StatusUnprocessableEntity)
		body := w.Body.String()
		if m := inlineCode.FindString(body); m != "" {
			t.Errorf("mapping page has inline code: %q", m)
		}
		wantBody(t, w, i18n.T("web.import.file_summary", "risks.csv", 13, 500),
			`<option value="0" selected>Risk</option>`, `<option value="4" selected>Residual likelihood</option>`,
			`<option value="10" selected>Asset(s)</option>`, i18n.T("web.import.summary_bad", 3, 500),
			i18n.T("error.unknown_control", "CTL-404"), i18n.T("error.risk_step", 5), i18n.T("error.required"))
		for _, row := range []int{17, 233, 498} {
			if !strings.Contains(body, fmt.Sprintf("<td class=\"nowrap\">%s %d</td>", i18n.T("web.import.row"), row)) {
				t.Errorf("row %d is not named", row)
			}
		}
		for _, field := range []string{"controls", "inherent_likelihood", "title"} {
			wantBody(t, w, "<td class=\"nowrap\">"+i18n.T("web.regimport.field."+field)+"</td>")
		}
		wantNoBody(t, w, `id="import-commit"`, "web.regimport.", "error.import", "%!")
		if n := riskCount(t, o, ""); n != 0 {
			t.Fatalf("%d risks written before the commit", n)
		}
		id := importID.FindStringSubmatch(body)
		if id == nil {
			t.Fatal("no import id on the mapping page")
		}

		// Another mapping is checked on the stored file: without an owner
		// column it is refused at the mapping.
		form := url.Values{"import": {id[1]}}
		for i, f := range []string{"title", "owner", "inherent_likelihood", "inherent_impact", "residual_likelihood",
			"residual_impact", "treatment", "status", "next_review", "controls", "assets", "threat", "cia"} {
			form.Set("col_"+f, fmt.Sprint(i))
		}
		unmapped := url.Values{"import": {id[1]}, "col_title": {"0"}}
		w = s.post("/orgs/acme/risks/import/preview?register=security", unmapped)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="m-owner-error"`, i18n.T("error.import_required_unmapped"))

		// A commit of the bad file is refused whole, whatever the browser sends.
		w = s.post("/orgs/acme/risks/import/commit?register=security", form)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("web.import.summary_bad", 3, 500))
		// The upload is the security register's: the AI register's commit does not find it.
		wantStatus(t, s.post("/orgs/acme/risks/import/commit?register=ai", form), http.StatusGone)
		if n := riskCount(t, o, ""); n != 0 {
			t.Fatalf("%d risks written by a refused commit", n)
		}

		// The corrected workbook (dates as date cells): one commit writes all 500.
		w = s.upload("/orgs/acme/risks/import?register=security", "risks.xlsx", sheetXLSX(t, riskSheet(500)))
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.import.summary_ok", 500), i18n.T("web.regimport.risks.commit", 500),
			i18n.T("web.import.preview_more", 480), "Risk from row 2", "2026-06-03")
		good := importID.FindStringSubmatch(w.Body.String())
		form.Set("import", good[1])
		w = s.post("/orgs/acme/risks/import/commit?register=security", form)
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/risks?register=security&notice=imported" {
			t.Fatalf("commit redirects to %q", loc)
		}
		if n := riskCount(t, o, domain.RegisterSecurity); n != 500 {
			t.Errorf("%d security risks, want 500", n)
		}
		r, err := o.Risk(context.Background(), "RSK-002")
		if err != nil {
			t.Fatal(err)
		}
		// Row 3: Likely × 4, residual 1×2, Avoid, Open, 2026-06-04.
		if r.Title != "Risk from row 3" || r.Inherent.Likelihood != 4 || r.Inherent.Impact != 4 || r.Residual.Impact != 2 ||
			r.Treatment != "avoid" || r.Status != "open" || r.NextReview != "2026-06-04" || strings.Join(r.Controls, " ") != "CTL-001" ||
			strings.Join(r.Assets, " ") != "AST-001" || strings.Join(r.CIA, " ") != "confidentiality integrity" || r.Acceptance != nil {
			t.Errorf("row 3 became %+v", r)
		}
		page, err := o.Trail(context.Background(), domain.TrailFilter{Action: "risk.import", Limit: 500})
		if err != nil || len(page.Items) != 500 || page.Next != nil {
			t.Errorf("%d risk.import trail entries (%v)", len(page.Items), err)
		}

		// The upload is gone with the commit: a second commit imports nothing.
		w = s.post("/orgs/acme/risks/import/commit?register=security", form)
		wantStatus(t, w, http.StatusGone)
		wantBody(t, w, i18n.T("error.import_expired"))
		if n := riskCount(t, o, ""); n != 500 {
			t.Errorf("%d risks after a second commit, want 500", n)
		}
	})
}

func TestAssetImportPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		s.control(o, "Backups", "implemented")

		wantBody(t, s.get("/orgs/acme/assets/import"), i18n.T("web.regimport.assets.title"), `action="/orgs/acme/assets/import"`)
		file := "Asset;Type;Owner;Location;Classification;Confidentiality;Integrity;Availability;Controls\n" +
			"Customer database;Data;DBA team;EU data centre;Confidential;High;High;Medium;CTL-001\n" +
			"Payroll;Application;HR;SaaS;Secret;3;3;9;\n"
		w := s.upload("/orgs/acme/assets/import", "assets.csv", file)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("web.import.summary_bad", 1, 2), i18n.T("error.one_of", "1, 2, 3"), "Customer database",
			i18n.T("web.asset.class.restricted"))
		id := importID.FindStringSubmatch(w.Body.String())

		// The mapping step reads the same stored file: another column for
		// availability makes every row valid.
		form := url.Values{"import": {id[1]}, "col_name": {"0"}, "col_type": {"1"}, "col_owner": {"2"}, "col_location": {"3"},
			"col_classification": {"4"}, "col_confidentiality": {"5"}, "col_integrity": {"6"}, "col_availability": {"6"},
			"col_controls": {"8"}}
		w = s.post("/orgs/acme/assets/import/preview", form)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.import.summary_ok", 2), i18n.T("web.regimport.assets.commit", 2))
		w = s.post("/orgs/acme/assets/import/commit", form)
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/assets?notice=imported" {
			t.Fatalf("commit redirects to %q", loc)
		}
		w = s.get("/orgs/acme/assets")
		wantBody(t, w, "Customer database", "Payroll")
		a, err := o.Asset(context.Background(), "AST-002")
		if err != nil || a.Classification != "restricted" || a.Availability != 3 || a.Type != "software" {
			t.Errorf("row 3 became %+v %v", a, err)
		}
		// An asset upload is not a risk upload.
		w = s.upload("/orgs/acme/assets/import", "assets.csv", file)
		other := importID.FindStringSubmatch(w.Body.String())
		wantStatus(t, s.post("/orgs/acme/risks/import/preview?register=security", url.Values{"import": {other[1]}}), http.StatusGone)
	})
}
