package api_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/report"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// readXLSX opens a workbook answer and returns the rows of its one sheet.
func readXLSX(t *testing.T, raw string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1 {
		t.Fatalf("sheets %q", sheets)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestControlExport(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st)
		ctx := context.Background()
		c.want(c.do("POST", "/api/v1/orgs", map[string]any{"slug": "acme", "name": "Acme", "time_zone": "Europe/Amsterdam"}), 201)
		acme, err := st.Org(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		// More controls than one page of the store, so the export pages.
		n := store.MaxLimit + 12
		for i := range n {
			status, reqs := domain.StatusPlanned, []string{"iso27001-2022/A.5.1"}
			if i%4 == 0 {
				status, reqs = domain.StatusImplemented, []string{"iso27001-2022/A.5.1", "iso42001-2023/A.2.2", "iso27001-2022/6.1.2"}
			}
			title := "Control " + strconv.Itoa(i+1)
			if i == 1 {
				title = "=1+2 looks like a formula"
			}
			if _, err := acme.CreateControl(ctx, domain.Actor{Kind: "system", Name: "test"},
				domain.ControlInput{Title: &title, Status: &status, Requirements: &reqs, Owner: ptrTo("Søren Müller")}); err != nil {
				t.Fatal(err)
			}
		}
		shared := (n + 3) / 4

		// XLSX: every control, the cursor and limit ignored.
		r := c.want(c.do("GET", "/api/v1/orgs/acme/controls?format=xlsx&limit=2&cursor=ignored", nil), 200)
		if ct := r.header.Get("Content-Type"); ct != xlsxType {
			t.Errorf("content type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="acme-controls.xlsx"` {
			t.Errorf("content disposition %q", cd)
		}
		rows := readXLSX(t, r.raw)
		if len(rows) != n+1 || !slices.Equal(rows[0], report.ControlColumns()) {
			t.Fatalf("%d rows (want %d and the header), header %q", len(rows), n, rows[0])
		}
		for i, row := range rows[1:] {
			if want := "CTL-" + pad3(i+1); row[0] != want {
				t.Fatalf("row %d is %s, want %s (in order, none lost between pages)", i+1, row[0], want)
			}
		}
		if got := rows[1]; got[3] != "Søren Müller" || got[4] != "Implemented" || got[5] != "Shared" || got[6] != "6.1.2, A.5.1" || got[7] != "A.2.2" {
			t.Errorf("first row %q", got)
		}
		if rows[2][1] != "=1+2 looks like a formula" {
			t.Errorf("title %q", rows[2][1])
		}

		// The filters of the list apply to the file.
		r = c.want(c.do("GET", "/api/v1/orgs/acme/controls?format=xlsx&scope=shared&status=implemented", nil), 200)
		if rows := readXLSX(t, r.raw); len(rows) != shared+1 {
			t.Errorf("filtered XLSX: %d rows, want %d", len(rows), shared+1)
		}

		// CSV, by format or by Accept; guarded.
		r = c.want(c.do("GET", "/api/v1/orgs/acme/controls?format=csv", nil), 200)
		if ct, cd := r.header.Get("Content-Type"), r.header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" || cd != `attachment; filename="acme-controls.csv"` {
			t.Errorf("CSV headers %q %q", ct, cd)
		}
		rows = readCSV(t, r.raw)
		if len(rows) != n+1 || rows[2][1] != "'=1+2 looks like a formula" || rows[n][0] != "CTL-"+strconv.Itoa(n) {
			t.Errorf("CSV: %d rows, row 2 %q", len(rows), rows[2])
		}
		r = c.want(c.do("GET", "/api/v1/orgs/acme/controls?q=formula", nil, "Accept", "text/csv"), 200)
		if rows := readCSV(t, r.raw); len(rows) != 2 {
			t.Errorf("CSV by Accept: %q", rows)
		}
		r = c.want(c.do("GET", "/api/v1/orgs/acme/controls?q=formula", nil, "Accept", xlsxType), 200)
		if rows := readXLSX(t, r.raw); len(rows) != 2 {
			t.Errorf("XLSX by Accept: %q", rows)
		}

		// JSON stays the default, paginated as before.
		r = c.want(c.do("GET", "/api/v1/orgs/acme/controls?limit=2", nil), 200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || len(items(r)) != 2 || r.body["total"] != float64(n) || r.body["next"] == nil {
			t.Errorf("JSON page: %s %.200s", r.header.Get("Content-Type"), r.raw)
		}
		r = c.want(c.do("GET", "/api/v1/orgs/acme/controls?format=json&limit=1", nil, "Accept", "text/csv"), 200)
		if len(items(r)) != 1 {
			t.Errorf("format=json with Accept: text/csv: %.200s", r.raw)
		}

		// A bad filter is a clean 422, not a broken file; so is a bad format.
		bad := c.want(c.do("GET", "/api/v1/orgs/acme/controls?format=xlsx&status=done", nil), 422)
		if got := strings.Join(errorLocations(bad), ","); got != "query.status" {
			t.Errorf("locations %s", got)
		}
		c.want(c.do("GET", "/api/v1/orgs/acme/controls?format=pdf", nil), 422)
		// Another organization's register is not found.
		c.want(c.do("GET", "/api/v1/orgs/nope/controls?format=xlsx", nil), 404)
	})
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}
