package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// testRisk raises a risk in o's register.
func testRisk(t *testing.T, o *store.OrgStore, register, title, status string, residual int, controls ...string) domain.Risk {
	t.Helper()
	owner, treatment, four, five := "Dana", "modify", 4, 5
	r, err := o.CreateRisk(context.Background(), testActor, domain.RiskInput{Title: &title, Register: &register, Owner: &owner,
		InherentL: &four, InherentI: &five, ResidualL: &residual, ResidualI: &residual, Treatment: &treatment, Controls: &controls, Status: &status})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRiskExportDownloads(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		s.control(o, "Immutable backups", "implemented")
		testRisk(t, o, "security", "=cmd|' /C calc'!A0", "open", 1, "CTL-001")
		testRisk(t, o, "ai", "Opaque credit decisions", "treating", 2)
		// More than a page of the store, so that the download pages.
		for i := range store.MaxLimit + 2 {
			testRisk(t, o, "security", "Bulk risk "+strconv.Itoa(i+1), "treating", 2)
		}
		total := store.MaxLimit + 4 // rows: the header and 503 security risks

		name := regexp.MustCompile(`^attachment; filename="acme-security-risks-\d{4}-\d{2}-\d{2}\.csv"$`)
		w := s.get("/orgs/acme/risks/export?register=security&format=csv")
		wantStatus(t, w, http.StatusOK)
		if ct, cd := w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"); ct != "text/csv; charset=utf-8" || !name.MatchString(cd) {
			t.Errorf("CSV headers %q %q", ct, cd)
		}
		rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if err != nil || len(rows) != total {
			t.Fatalf("CSV: %d rows, want %d (%v)", len(rows), total, err)
		}
		if rows[1][0] != "RSK-001" || rows[1][1] != "'=cmd|' /C calc'!A0" || rows[total-1][1] != "Bulk risk "+strconv.Itoa(store.MaxLimit+2) {
			t.Errorf("CSV rows %q … %q", rows[1], rows[total-1])
		}
		if strings.Contains(w.Body.String(), "Opaque credit decisions") {
			t.Error("the security export holds an AI risk")
		}

		// The list's filters apply.
		w = s.get("/orgs/acme/risks/export?register=security&status=open&control=ctl-001&format=xlsx")
		wantStatus(t, w, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheet, _ := f.GetRows(i18n.T("report.risk.sheet"))
		f.Close()
		if len(sheet) != 5 || sheet[4][0] != "RSK-001" || !strings.Contains(sheet[2][0], "status Open; treated by CTL-001") {
			t.Errorf("filtered XLSX %q", sheet)
		}
		w = s.get("/orgs/acme/risks/export?register=ai&format=pdf&score=inherent&likelihood=4&impact=5&current=1")
		wantStatus(t, w, http.StatusOK)
		if w.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF")) {
			t.Errorf("PDF %q", w.Header())
		}

		// What cannot be exported is refused, saying why.
		for _, tt := range []struct{ query, says string }{
			{"format=csv", "register: " + i18n.T("error.risk_export_register")},
			{"register=both&format=csv", "register: "},
			{"register=security&format=docx", "format: "},
			{"register=security&format=csv&likelihood=9", "likelihood: "},
			{"register=security&format=csv&score=worst", "score: "},
			{"register=security&format=csv&status=gone", "status: "},
		} {
			w := s.get("/orgs/acme/risks/export?" + tt.query)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBody(t, w, i18n.T("web.risk_export.refused_title"), tt.says)
		}
	})
}

func TestRiskPlanDownloads(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		s.control(o, "Immutable backups", "in_progress")
		r := testRisk(t, o, "security", "Ransomware", "treating", 4, "CTL-001")
		title, owner, due := "Offline copies", "Dana", "2020-01-31"
		if _, err := o.AddRiskAction(context.Background(), testActor, r.Ref, domain.ActionInput{Title: &title, Owner: &owner, Due: &due}); err != nil {
			t.Fatal(err)
		}
		testRisk(t, o, "ai", "Opaque credit decisions", "open", 1)

		w := s.get("/orgs/acme/risks/plan?register=security&format=xlsx")
		wantStatus(t, w, http.StatusOK)
		if cd := w.Header().Get("Content-Disposition"); !regexp.MustCompile(`filename="acme-security-risk-treatment-plan-\d{4}-\d{2}-\d{2}\.xlsx"`).MatchString(cd) {
			t.Errorf("disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		plan, _ := f.GetRows(i18n.T("report.plan.sheet_plan"))
		summary, _ := f.GetRows(i18n.T("report.plan.sheet_summary"))
		f.Close()
		if len(plan) != 5 || plan[4][1] != "RSK-001" || !strings.Contains(plan[4][9], "CTL-001 Immutable backups — In progress") || plan[4][11] != "1" {
			t.Errorf("plan %q", plan)
		}
		// The residual risk is critical and not accepted: the summary says so.
		if !strings.Contains(strings.Join(summary[len(summary)-1], "|"), "RSK-001") {
			t.Errorf("summary %q", summary)
		}

		for _, q := range []string{"register=ai&format=pdf", "register=ai"} {
			w = s.get("/orgs/acme/risks/plan?" + q)
			wantStatus(t, w, http.StatusOK)
			if w.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF")) {
				t.Errorf("%s: %q", q, w.Header())
			}
		}
		for _, q := range []string{"", "register=both", "register=security&format=csv"} {
			w := s.get("/orgs/acme/risks/plan?" + q)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBody(t, w, i18n.T("web.risk_export.refused_title"))
		}
	})
}
