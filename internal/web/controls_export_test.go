package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestControlDownloads(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		s.control(o, "=1+2 shared policy", "implemented", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
		s.control(o, "Secure coding", "planned", "iso27001-2022/A.8.28")
		// More than one page of the store, so the download pages.
		for i := range store.MaxLimit + 5 {
			s.control(o, "Bulk control "+strconv.Itoa(i+1), "in_progress", "iso42001-2023/A.5.2")
		}
		total := store.MaxLimit + 7

		// The library offers both downloads, carrying its filters.
		w := s.get("/orgs/acme/controls?status=planned&q=secure&cursor=x")
		wantBody(t, w, `id="controls-xlsx" href="/orgs/acme/controls.xlsx?q=secure&status=planned"`,
			`id="controls-csv" href="/orgs/acme/controls.csv?q=secure&status=planned"`,
			i18n.T("web.controls.download_xlsx"), i18n.T("web.controls.download_csv"))
		w = s.get("/orgs/acme/controls")
		wantBody(t, w, `href="/orgs/acme/controls.xlsx"`, `href="/orgs/acme/controls.csv"`)

		// XLSX: every control, all pages.
		w = s.get("/orgs/acme/controls.xlsx")
		wantStatus(t, w, http.StatusOK)
		if ct := w.Header().Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("content type %q", ct)
		}
		if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="acme-controls.xlsx"` {
			t.Errorf("content disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(i18n.T("report.controls.sheet"))
		f.Close()
		if err != nil || len(rows) != total+1 || !slices.Equal(rows[0], report.ControlColumns()) {
			t.Fatalf("XLSX: %d rows (want %d), %v", len(rows), total+1, err)
		}
		if got := rows[1]; got[0] != "CTL-001" || got[1] != "=1+2 shared policy" || got[4] != "Implemented" || got[5] != "Shared" || got[6] != "A.5.1" || got[7] != "A.2.2" {
			t.Errorf("first row %q", got)
		}
		if rows[total][0] != "CTL-"+strconv.Itoa(total) {
			t.Errorf("last row %q", rows[total])
		}

		// CSV with the library's filters: a bare ref is resolved as on the page.
		w = s.get("/orgs/acme/controls.csv?requirement=A.8.28")
		wantStatus(t, w, http.StatusOK)
		if ct, cd := w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"); ct != "text/csv; charset=utf-8" || cd != `attachment; filename="acme-controls.csv"` {
			t.Errorf("CSV headers %q %q", ct, cd)
		}
		rows, err = csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][1] != "Secure coding" || rows[1][4] != "Planned" {
			t.Errorf("filtered CSV %q (%v)", rows, err)
		}
		w = s.get("/orgs/acme/controls.csv?scope=shared")
		rows, _ = csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if len(rows) != 2 || rows[1][1] != "'=1+2 shared policy" {
			t.Errorf("CSV not guarded: %q", rows)
		}
		w = s.get("/orgs/acme/controls.csv?status=in_progress")
		rows, _ = csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if len(rows) != store.MaxLimit+6 {
			t.Errorf("in-progress CSV: %d rows, want %d", len(rows), store.MaxLimit+6)
		}

		// A filter that cannot be read shows the library with its error.
		for _, q := range []string{"status=done", "requirement=5.1"} {
			w = s.get("/orgs/acme/controls.xlsx?" + q)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBody(t, w, `class="field-error"`)
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("%s answered as %q", q, ct)
			}
		}

		// Another organization's register looks missing.
		s.org("globex")
		s.as = s.user("viewer@example.com", "Viewer", false)
		if err := s.org("globex").SetMembership(t.Context(), testActor, "viewer@example.com", "viewer", nil); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.get("/orgs/globex/controls.csv"), http.StatusOK)
		wantStatus(t, s.get("/orgs/acme/controls.xlsx"), http.StatusNotFound)
		wantStatus(t, s.get("/orgs/acme/controls.csv"), http.StatusNotFound)
	})
}
