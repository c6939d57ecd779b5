package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
)

// controlPages serves n made-up controls in pages of size, building each
// page only when it is asked for, and counts the pages asked for and the
// most controls handed out but not yet followed by another call.
type controlPages struct {
	n, size, served, calls int
}

func (p *controlPages) next() ([]domain.Control, bool, error) {
	p.calls++
	page := make([]domain.Control, 0, p.size)
	for len(page) < p.size && p.served < p.n {
		p.served++
		i := p.served
		at := time.Date(2026, 1, 2, 8, 4, 5, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		c := domain.Control{
			Ref: "CTL-" + strconv.Itoa(i), Title: "Control " + strconv.Itoa(i), Owner: owners[i%len(owners)],
			Description:  "What control " + strconv.Itoa(i) + " does.\nSecond line.",
			Status:       domain.Statuses[i%len(domain.Statuses)],
			Requirements: []string{"iso27001-2022/A.5.1", "iso27001-2022/6.1.2", "iso42001-2023/A.2.2"}[:1+i%3],
			CreatedAt:    at, UpdatedAt: at.Add(30 * time.Minute),
		}
		if i == 7 {
			c.Title = "=cmd|' /C calc'!A0"
			c.Requirements = []string{"nist-ai-rmf/GOVERN-1.1"}
		}
		c.Scope = domain.ScopeOf(c.Requirements)
		page = append(page, c)
	}
	return page, p.served < p.n, nil
}

var testOrg = domain.Org{Slug: "muller", Name: "Müller & Søn Analytics", TimeZone: "Europe/Amsterdam"}

func TestControlsXLSX(t *testing.T) {
	pages := &controlPages{n: 1200, size: 500}
	var buf bytes.Buffer
	start := time.Now()
	if err := ControlsXLSX(&buf, testOrg, pages.next); err != nil {
		t.Fatal(err)
	}
	t.Logf("control register, 1,200 controls: %d bytes in %v", buf.Len(), time.Since(start).Round(time.Millisecond))
	if pages.calls != 3 {
		t.Errorf("%d pages asked for, want 3", pages.calls)
	}

	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Controls"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Controls")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1201 || !slices.Equal(rows[0], ControlColumns()) {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	want := []string{"CTL-2", "Control 2", "What control 2 does.\nSecond line.", "Zoë Ångström (CISO)", "Implemented", "Shared",
		"A.5.1, 6.1.2", "A.2.2", "", "2026-01-02 11:04", "2026-01-02 11:34"}
	if !slices.Equal(rows[2], want) {
		t.Errorf("row 2:\n got %q\nwant %q", rows[2], want)
	}
	if rows[1200][0] != "CTL-1200" {
		t.Errorf("last row %q", rows[1200])
	}
	// A formula typed as a title stays text; another standard's link has
	// its own column.
	if rows[7][1] != "=cmd|' /C calc'!A0" || rows[7][8] != "nist-ai-rmf/GOVERN-1.1" || rows[7][5] != "Other standards" {
		t.Errorf("row 7 %q", rows[7])
	}
	if formula, _ := f.GetCellFormula("Controls", "B8"); formula != "" {
		t.Errorf("title became a formula %q", formula)
	}
	// Dates are dates (numbers with a date format), not text.
	if v, _ := f.GetCellValue("Controls", "J3", excelize.Options{RawCellValue: true}); !strings.HasPrefix(v, "46024.") {
		t.Errorf("created is %q, want a date serial", v)
	}

	panes, err := f.GetPanes("Controls")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	tables, err := f.GetTables("Controls")
	if err != nil || len(tables) != 1 || tables[0].Range != "A1:K1201" {
		t.Errorf("tables %+v %v", tables, err)
	}
	for i, c := range controlColumns {
		if got, _ := f.GetColWidth("Controls", colName(i+1)); got != c.width {
			t.Errorf("column %s width %v, want %v", colName(i+1), got, c.width)
		}
	}
	if s := cellStyle(t, f, "Controls", "E3"); len(s.Fill.Color) == 0 || s.Fill.Color[0] != stateColours["implemented"].Fill {
		t.Errorf("status fill %+v", s.Fill)
	}
	if s := cellStyle(t, f, "Controls", "C3"); s.Alignment == nil || !s.Alignment.WrapText {
		t.Errorf("description not wrapped: %+v", s.Alignment)
	}
	if h, _ := f.GetRowHeight("Controls", 3); h < 25 {
		t.Errorf("two-line row is %v pt high", h)
	}
	layout, err := f.GetPageLayout("Controls")
	if err != nil || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 {
		t.Errorf("layout %+v %v", layout, err)
	}
	var titles bool
	for _, n := range f.GetDefinedName() {
		titles = titles || n.Name == "_xlnm.Print_Titles" && n.RefersTo == "'Controls'!$1:$1"
	}
	if !titles {
		t.Errorf("no print titles in %+v", f.GetDefinedName())
	}

	// An empty register is the header (and an empty table row).
	buf.Reset()
	empty := &controlPages{n: 0, size: 500}
	if err := ControlsXLSX(&buf, testOrg, empty.next); err != nil || empty.calls != 1 {
		t.Fatalf("empty: %v after %d pages", err, empty.calls)
	}
	// A failing page fails the export.
	broken := errors.New("database gone")
	if err := ControlsXLSX(&buf, testOrg, func() ([]domain.Control, bool, error) { return nil, false, broken }); !errors.Is(err, broken) {
		t.Errorf("failing page: %v", err)
	}
}

func TestControlsCSV(t *testing.T) {
	pages := &controlPages{n: 1200, size: 500}
	var buf bytes.Buffer
	start := time.Now()
	if err := ControlsCSV(&buf, testOrg, pages.next); err != nil {
		t.Fatal(err)
	}
	t.Logf("control register CSV, 1,200 controls: %d bytes in %v", buf.Len(), time.Since(start).Round(time.Millisecond))
	if pages.calls != 3 {
		t.Errorf("%d pages asked for, want 3", pages.calls)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1201 || !slices.Equal(rows[0], ControlColumns()) {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	want := []string{"CTL-2", "Control 2", "What control 2 does.\nSecond line.", "Zoë Ångström (CISO)", "Implemented", "Shared",
		"A.5.1, 6.1.2", "A.2.2", "", "2026-01-02T11:04:05+01:00", "2026-01-02T11:34:05+01:00"}
	if !slices.Equal(rows[2], want) {
		t.Errorf("row 2:\n got %q\nwant %q", rows[2], want)
	}
	if rows[7][1] != "'=cmd|' /C calc'!A0" {
		t.Errorf("formula not guarded: %q", rows[7][1])
	}
	// Each page reaches the writer before the next is read.
	var w pageWriter
	pages = &controlPages{n: 1200, size: 500}
	next := func() ([]domain.Control, bool, error) {
		w.before = append(w.before, w.n)
		return pages.next()
	}
	if err := ControlsCSV(&w, testOrg, next); err != nil {
		t.Fatal(err)
	}
	if len(w.before) != 3 || w.before[1] == w.before[0] || w.before[2] == w.before[1] {
		t.Errorf("bytes written before each page: %v", w.before)
	}
}

// pageWriter counts the bytes written to it.
type pageWriter struct {
	n      int
	before []int
}

func (w *pageWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// go test -run XXX -bench Controls -benchmem ./internal/report
func BenchmarkControlsXLSX(b *testing.B) {
	for _, n := range []int{1200, 20000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				var w pageWriter
				pages := &controlPages{n: n, size: 500}
				if err := ControlsXLSX(&w, testOrg, pages.next); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(w.n), "bytes/file")
			}
		})
	}
}

func BenchmarkControlsCSV(b *testing.B) {
	for b.Loop() {
		var w pageWriter
		pages := &controlPages{n: 20000, size: 500}
		if err := ControlsCSV(&w, testOrg, pages.next); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.n), "bytes/file")
	}
}

func BenchmarkSoAPDF(b *testing.B) {
	a, _ := testDocs(b)
	for b.Loop() {
		var w pageWriter
		if err := SoAPDF(&w, a); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.n), "bytes/file")
	}
}
