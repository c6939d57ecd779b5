package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

func TestSoADownloads(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	s.control(o, "Policy set", "implemented", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
	no := false
	if _, err := o.Decide(context.Background(), testActor, "iso27001-2022", "A.7.4", nil,
		domain.DecisionInput{Applicable: &no, Justification: "Fully remote: no premises"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.IssueSoA(context.Background(), testActor, "iso27001-2022", "root@example.com", "First"); err != nil {
		t.Fatal(err)
	}

	w := s.get("/orgs/acme/soa/iso27001-2022")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `href="/orgs/acme/soa/iso27001-2022/export?format=pdf"`, `href="/orgs/acme/soa.xlsx"`)
	// Each decision form tells, before saving, what flipping it does to readiness
	// (122 counted: 30 clauses and 93 Annex A controls less the exclusion).
	wantBody(t, w, i18n.T("web.soa.impact_exclude", 1, 122, 0, 121), // A.5.1, implemented
		i18n.T("web.soa.impact_include", 1, 122, 1, 123), // A.7.4, excluded
		i18n.T("web.soa.impact_exclude", 1, 122, 1, 121)) // an undecided row without a control
	wantBody(t, s.get("/orgs/acme/soa/iso27001-2022/versions"), `export?format=pdf&version=1`)

	cases := []struct {
		path, contentType, filename, starts string
	}{
		{"/orgs/acme/soa/iso27001-2022/export?format=pdf", "application/pdf", "acme-soa-iso27001-2022.pdf", "%PDF"},
		{"/orgs/acme/soa/iso27001-2022/export?format=pdf&version=1", "application/pdf", "acme-soa-iso27001-2022-v1.pdf", "%PDF"},
		{"/orgs/acme/soa/iso42001-2023/export?format=md", "text/markdown; charset=utf-8", "acme-soa-iso42001-2023.md", "#"},
		{"/orgs/acme/soa/iso27001-2022/export?format=csv", "text/csv; charset=utf-8", "acme-soa-iso27001-2022.csv", ""},
	}
	for _, tt := range cases {
		w := s.get(tt.path)
		wantStatus(t, w, http.StatusOK)
		if w.Header().Get("Content-Type") != tt.contentType || !strings.Contains(w.Header().Get("Content-Disposition"), tt.filename) ||
			!strings.HasPrefix(w.Body.String(), tt.starts) {
			t.Errorf("%s: %s %s", tt.path, w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"))
		}
	}
	w = s.get("/orgs/acme/soa.xlsx")
	wantStatus(t, w, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil || len(f.GetSheetList()) != 2 {
		t.Fatalf("workbook: %v %v", f.GetSheetList(), err)
	}
	wantStatus(t, s.get("/orgs/acme/soa/iso27001-2022/export?format=docx"), http.StatusNotFound)
	wantStatus(t, s.get("/orgs/acme/soa/iso27001-2022/export?format=pdf&version=7"), http.StatusNotFound)
}
