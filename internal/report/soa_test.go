package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/xuri/excelize/v2"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

var testCatalog = catalog.MustLoad()

// Values a spreadsheet or a page could trip over, placed in the fixture.
const (
	formulaJustification = `=HYPERLINK("http://evil.example","click")`
	pipeJustification    = "Covered by the | pipe policy\nsecond line"
)

var owners = []string{"Jürgen Müller", "Søren Kierkegaard", "Zoë Ångström (CISO)", "Łukasz Żółć", "Ada Lovelace"}

// testSoA builds a Statement of Applicability of every Annex A control of
// a standard by hand, with a mix of decisions, reasons, states and
// implementing controls.
func testSoA(t testing.TB, standard string, version *domain.SoAVersion) SoADocument {
	t.Helper()
	std := testCatalog.Standard(standard)
	if std == nil {
		t.Fatalf("no standard %s", standard)
	}
	yes, no := true, false
	doc := SoADocument{
		Org:         domain.Org{Slug: "muller", Name: "Müller & Søn Analytics", TimeZone: "Europe/Amsterdam"},
		Standard:    std,
		Version:     version,
		GeneratedAt: time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC),
	}
	statuses := domain.Statuses
	n := 0
	for _, req := range std.Requirements {
		if req.Kind != catalog.KindAnnex {
			continue
		}
		n++
		row := domain.SoARow{Key: req.Key, Ref: req.Ref, Title: req.Title, Group: req.Group, Reasons: []string{},
			Controls: []domain.SoAControl{}, Risks: []domain.SoARisk{}}
		switch {
		case n%9 == 0:
			// undecided
		case n%5 == 0:
			row.Applicable = &no
			row.Justification = "Not relevant: the organization has no " + strings.ToLower(req.Title) + "."
		default:
			row.Applicable = &yes
			row.Justification = "Needed to treat risks R-" + strconv.Itoa(n) + " and R-" + strconv.Itoa(n+1) + "; reviewed yearly by the security board."
			row.Reasons = []string{domain.Reasons[n%4]}
			if n%3 == 0 {
				row.Reasons = append(row.Reasons, domain.ReasonLegal)
			}
			for i := range n % 4 {
				row.Controls = append(row.Controls, domain.SoAControl{
					Ref: "CTL-" + strconv.Itoa(100+n*3+i), Title: "Control for " + req.Title,
					Owner: owners[(n+i)%len(owners)], Status: statuses[(n/4+i*(n%2))%len(statuses)],
				})
			}
			// Every other row with controls is traced to risks; the rows
			// giving risk treatment as their only reason have no control,
			// so no risk can reach them (untraced).
			if len(row.Controls) > 0 && n%2 == 0 {
				for i := range 1 + n%3 {
					row.Risks = append(row.Risks, domain.SoARisk{Ref: fmt.Sprintf("RSK-%03d", n+i), Title: "Risk behind " + req.Ref,
						Register: domain.Registers[i%2], Level: "high", Control: row.Controls[i%len(row.Controls)].Ref})
				}
				row.Reasons = append(row.Reasons, domain.ReasonRiskTreatment)
			}
		}
		row.State = domain.StateOf(row.Controls)
		doc.Rows = append(doc.Rows, row)
	}
	// Cells that must survive every format.
	doc.Rows[1].Justification = formulaJustification
	doc.Rows[2].Justification = pipeJustification
	doc.Rows[3].Justification = strings.Repeat("A long justification that goes on and on, as some do. ", 60) // ~3,300 characters
	return doc
}

func testVersion(std string) *domain.SoAVersion {
	return &domain.SoAVersion{Standard: std, Number: 3, IssuedAt: time.Date(2026, 2, 27, 23, 30, 0, 0, time.UTC),
		Approver: "Ådne Ørsted-Müller (CEO)", Note: "Annual review after the surveillance audit."}
}

func testDocs(t testing.TB) (SoADocument, SoADocument) {
	return testSoA(t, domain.ISO27001, testVersion(domain.ISO27001)), testSoA(t, domain.ISO42001, nil)
}

func TestSoAFixture(t *testing.T) {
	a, b := testDocs(t)
	if len(a.Rows) != 93 || len(b.Rows) != 38 {
		t.Fatalf("rows %d and %d, want 93 and 38", len(a.Rows), len(b.Rows))
	}
	seen := map[string]bool{}
	for _, r := range append(a.Rows, b.Rows...) {
		seen[decisionOf(r)+"/"+r.State] = true
	}
	for _, want := range []string{"yes/implemented", "yes/partially_implemented", "yes/not_implemented", "yes/no_control", "no/no_control", "undecided/no_control"} {
		if !seen[want] {
			t.Errorf("fixture lacks %s (has %v)", want, seen)
		}
	}
}

func TestSoAXLSX(t *testing.T) {
	a, b := testDocs(t)
	var buf bytes.Buffer
	start := time.Now()
	if err := SoAXLSX(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	t.Logf("SoA workbook (93 + 38 rows): %d bytes in %v", buf.Len(), time.Since(start).Round(time.Millisecond))

	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"ISO 27001", "ISO 42001"}) {
		t.Fatalf("sheets %q", got)
	}
	if props, err := f.GetDocProps(); err != nil || props.Creator != "Tandem" || !strings.Contains(props.Title, "ISO/IEC 42001:2023") {
		t.Errorf("doc props %+v %v", props, err)
	}
	names := f.GetDefinedName()
	for _, tt := range []struct {
		sheet string
		doc   SoADocument
		count int
		title []string
	}{
		{"ISO 27001", a, 93, []string{"Statement of Applicability — ISO/IEC 27001:2022", "Organization: Müller & Søn Analytics", "Version 3 · issued 2026-02-28 · approved by Ådne Ørsted-Müller (CEO) · Note: Annual review after the surveillance audit.", "Risk trace: "}},
		{"ISO 42001", b, 38, []string{"Statement of Applicability — ISO/IEC 42001:2023", "Organization: Müller & Søn Analytics", "Draft — generated 2026-03-14 10:26 CET", "Risk trace: "}},
	} {
		rows, err := f.GetRows(tt.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rows) - soaHeaderRow; got != tt.count {
			t.Errorf("%s: %d data rows, want %d", tt.sheet, got, tt.count)
		}
		for i, want := range tt.title {
			if got := rows[i][0]; got != want && !(strings.HasSuffix(want, ": ") && strings.HasPrefix(got, want)) {
				t.Errorf("%s: title block line %d %q, want %q", tt.sheet, i+1, rows[i][0], want)
			}
		}
		if !slices.Equal(rows[soaHeaderRow-1], tt.doc.soaHeader()) {
			t.Errorf("%s: header %q", tt.sheet, rows[soaHeaderRow-1])
		}
		first := rows[soaHeaderRow]
		if first[colRef] != tt.doc.Rows[0].Ref || first[colTitle] != tt.doc.Rows[0].Title || first[colGroup] == "" || first[colGroup] == tt.doc.Rows[0].Group && tt.sheet == "ISO 27001" {
			t.Errorf("%s: first row %q", tt.sheet, first)
		}
		if !strings.HasPrefix(first[colRef], "A.") {
			t.Errorf("%s: ref %q is not an Annex A ref", tt.sheet, first[colRef])
		}

		// The header row (and the ID column) are frozen.
		panes, err := f.GetPanes(tt.sheet)
		if err != nil || !panes.Freeze || panes.YSplit != soaHeaderRow || panes.XSplit != 1 || panes.TopLeftCell != "B"+strconv.Itoa(soaFirstRow) {
			t.Errorf("%s: panes %+v %v", tt.sheet, panes, err)
		}
		// A filter over the whole table, and the header repeated in print.
		wantFilter := "'" + tt.sheet + "'!$A$" + strconv.Itoa(soaHeaderRow) + ":$" + colName(int(soaColumnCount)) + "$" + strconv.Itoa(soaHeaderRow+tt.count)
		var filter, titles bool
		for _, n := range names {
			if n.Scope != tt.sheet {
				continue
			}
			switch n.Name {
			case "_xlnm._FilterDatabase":
				filter = n.RefersTo == wantFilter
				if !filter {
					t.Errorf("%s: filter %q, want %q", tt.sheet, n.RefersTo, wantFilter)
				}
			case "_xlnm.Print_Titles":
				titles = n.RefersTo == "'"+tt.sheet+"'!$"+strconv.Itoa(soaHeaderRow)+":$"+strconv.Itoa(soaHeaderRow)
			}
		}
		if !filter || !titles {
			t.Errorf("%s: autofilter %v, print titles %v in %+v", tt.sheet, filter, titles, names)
		}
		layout, err := f.GetPageLayout(tt.sheet)
		if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
			t.Errorf("%s: page layout %+v %v", tt.sheet, layout, err)
		}
		hf, err := f.GetHeaderFooter(tt.sheet)
		if err != nil || !strings.Contains(hf.OddFooter, "Page &P of &N") || !strings.Contains(hf.OddFooter, "Müller && Søn") {
			t.Errorf("%s: footer %+v %v", tt.sheet, hf, err)
		}
		// Column widths as designed; the justification is wrapped.
		for i, want := range soaWidths {
			if got, _ := f.GetColWidth(tt.sheet, colName(i+1)); got != want {
				t.Errorf("%s: column %s width %v, want %v", tt.sheet, colName(i+1), got, want)
			}
		}
		just := colName(int(colJustification)+1) + strconv.Itoa(soaFirstRow)
		if s := cellStyle(t, f, tt.sheet, just); s.Alignment == nil || !s.Alignment.WrapText || s.Alignment.Vertical != "top" {
			t.Errorf("%s: justification style %+v", tt.sheet, s.Alignment)
		}
		if s := cellStyle(t, f, tt.sheet, "A"+strconv.Itoa(soaHeaderRow)); !s.Font.Bold || len(s.Fill.Color) == 0 || s.Fill.Color[0] != xlHeaderFill {
			t.Errorf("%s: header style %+v %+v", tt.sheet, s.Font, s.Fill)
		}
		// Every state cell is filled with its state's colour (unless excluded).
		for i, r := range tt.doc.Rows {
			ref := colName(int(colState)+1) + strconv.Itoa(soaFirstRow+i)
			s := cellStyle(t, f, tt.sheet, ref)
			want := stateColours[r.State].Fill
			if decisionOf(r) == decisionNo {
				want = ""
			}
			got := ""
			if len(s.Fill.Color) > 0 {
				got = s.Fill.Color[0]
			}
			if got != want {
				t.Errorf("%s %s (%s, %s): fill %q, want %q", tt.sheet, ref, decisionOf(r), r.State, got, want)
				break
			}
			if v, _ := f.GetCellValue(tt.sheet, ref); v != i18n.T("report.soa.state."+r.State) {
				t.Errorf("%s %s: state %q", tt.sheet, ref, v)
			}
		}
		// Rows are tall enough for their text.
		if h, _ := f.GetRowHeight(tt.sheet, soaFirstRow+3); h < 100 {
			t.Errorf("%s: row with a long justification is %v pt high", tt.sheet, h)
		}
	}

	// The formula is text, not a formula; names keep their letters; lists
	// are one per line; reasons are translated.
	sheet := "ISO 27001"
	cell := colName(int(colJustification)+1) + strconv.Itoa(soaFirstRow+1)
	if v, _ := f.GetCellValue(sheet, cell); v != formulaJustification {
		t.Errorf("formula cell %q", v)
	}
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
		t.Errorf("justification became a formula: %q", formula)
	}
	rows, _ := f.GetRows(sheet)
	var multi []string
	for i, r := range a.Rows {
		if len(r.Controls) >= 2 {
			multi = rows[soaHeaderRow+i]
			break
		}
	}
	if multi == nil || strings.Count(multi[colControls], "\n") < 1 || !strings.Contains(multi[colControls], "CTL-") {
		t.Errorf("controls cell %q", multi)
	}
	all := ""
	for _, r := range rows {
		all += strings.Join(r, "\t")
	}
	for _, want := range []string{"Jürgen Müller", "Søren Kierkegaard", "Łukasz Żółć", "Risk treatment", "Legal or regulatory requirement", "Undecided", "Partially implemented"} {
		if !strings.Contains(all, want) {
			t.Errorf("workbook lacks %q", want)
		}
	}

	// One sheet alone works too; no document at all is an error.
	buf.Reset()
	if err := SoAXLSX(&buf, b); err != nil {
		t.Fatal(err)
	}
	if err := SoAXLSX(&buf); err == nil {
		t.Error("a workbook of no documents")
	}
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Font == nil {
		s.Font = &excelize.Font{}
	}
	return s
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	for _, tt := range []struct{ in, want string }{
		{"ISO/IEC 27001:2022", "ISO 27001"},
		{"ISO/IEC 42001:2023", "ISO 42001"},
		{"ISO/IEC 27001:2013", "ISO 27001 (2)"},
		{"NIST AI RMF 1.0", "NIST AI RMF 1.0"},
		{"A [very] long title with a * and ? that goes on", "A -very- long title with a - an"},
		{"", "SoA"},
	} {
		if got := sheetName(tt.in, used); got != tt.want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// pdfPages counts the pages of a PDF by its page objects.
func pdfPages(b []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(b, -1))
}

func TestSoAPDF(t *testing.T) {
	a, b := testDocs(t)
	for _, tt := range []struct {
		doc      SoADocument
		min, max int
	}{{a, 6, 30}, {b, 3, 10}} {
		var buf bytes.Buffer
		start := time.Now()
		if err := SoAPDF(&buf, tt.doc); err != nil {
			t.Fatal(err)
		}
		pages := pdfPages(buf.Bytes())
		t.Logf("%s: %d pages, %d bytes in %v", tt.doc.Standard.ID, pages, buf.Len(), time.Since(start).Round(time.Millisecond))
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || !bytes.Contains(buf.Bytes(), []byte("%%EOF")) {
			t.Fatalf("not a PDF: %.20q", buf.Bytes())
		}
		if pages < tt.min || pages > tt.max {
			t.Errorf("%s: %d pages, want %d–%d", tt.doc.Standard.ID, pages, tt.min, tt.max)
		}
		// The Go font is embedded (as a subset), so any Latin name renders.
		if !bytes.Contains(buf.Bytes(), []byte("FontFile2")) {
			t.Error("no embedded TrueType font")
		}
		if dir := os.Getenv("TANDEM_REPORT_SAMPLES"); dir != "" {
			name := filepath.Join(dir, "soa-"+tt.doc.Standard.ID+".pdf")
			if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Extremes: a long name, a note and a justification without a space at
	// the limit, fifty implementing controls on one row.
	x := testSoA(t, domain.ISO42001, testVersion(domain.ISO42001))
	x.Org.Name = strings.Repeat("Überlange Gesellschaft für Künstliche Intelligenz ", 4)
	x.Version.Note = strings.Repeat("A note that goes on. ", 40)
	x.Rows[0].Justification = strings.Repeat("x", 4000)
	for i := range 50 {
		x.Rows[1].Controls = append(x.Rows[1].Controls, domain.SoAControl{Ref: "CTL-" + strconv.Itoa(500+i), Title: "Fifty controls", Owner: "Owner " + strconv.Itoa(i), Status: domain.StatusImplemented})
	}
	var xbuf bytes.Buffer
	if err := SoAPDF(&xbuf, x); err != nil {
		t.Fatal(err)
	}
	if pages := pdfPages(xbuf.Bytes()); pages < 5 || pages > 20 {
		t.Errorf("extreme SoA: %d pages", pages)
	}
	if dir := os.Getenv("TANDEM_REPORT_SAMPLES"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "soa-extreme.pdf"), xbuf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A draft with no rows still makes a document.
	var buf bytes.Buffer
	empty := SoADocument{Org: domain.Org{Name: "Empty"}, Standard: testCatalog.Standard(domain.ISO42001)}
	if err := SoAPDF(&buf, empty); err != nil || pdfPages(buf.Bytes()) != 3 {
		t.Errorf("empty SoA: %d pages, %v", pdfPages(buf.Bytes()), err)
	}
}

// Writes every sample export for a person to look at, when asked:
// TANDEM_REPORT_SAMPLES=/tmp/report-samples go test -run Samples ./internal/report
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("TANDEM_REPORT_SAMPLES")
	if dir == "" {
		t.Skip("TANDEM_REPORT_SAMPLES is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	a, b := testDocs(t)
	write := func(name string, render func(*bytes.Buffer) error) {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("soa.xlsx", func(w *bytes.Buffer) error { return SoAXLSX(w, a, b) })
	write("soa-iso27001-2022.pdf", func(w *bytes.Buffer) error { return SoAPDF(w, a) })
	write("soa-iso42001-2023.pdf", func(w *bytes.Buffer) error { return SoAPDF(w, b) })
	write("soa-iso27001-2022.csv", func(w *bytes.Buffer) error { return SoACSV(w, a) })
	write("soa-iso42001-2023.md", func(w *bytes.Buffer) error { return SoAMarkdown(w, b) })
	write("soa-iso27001-2022.md", func(w *bytes.Buffer) error { return SoAMarkdown(w, a) })
	write("controls.xlsx", func(w *bytes.Buffer) error {
		return ControlsXLSX(w, testOrg, (&controlPages{n: 1200, size: 500}).next)
	})
	write("controls.csv", func(w *bytes.Buffer) error {
		return ControlsCSV(w, testOrg, (&controlPages{n: 1200, size: 500}).next)
	})
}

func TestWrapFitsTheColumn(t *testing.T) {
	for _, s := range []string{
		"short",
		"Jürgen Müller, Søren Kierkegaard and Łukasz Żółć review this every year.",
		strings.Repeat("x", 300),
		"two\nlines\n\nand a gap",
		"tab\tand\u00a0nbsp and 漢字 and 🙂",
	} {
		for _, width := range []float64{10, 40, 120} {
			lines := wrap(s, width, fontstyle.Normal, pdfBody)
			for _, l := range lines {
				if w := textWidth(l, fontstyle.Normal, pdfBody); w > width {
					t.Errorf("wrap(%.20q, %v): line %q is %v mm wide", s, width, l, w)
				}
				if strings.ContainsAny(l, "\n\t漢🙂") {
					t.Errorf("wrap(%.20q): line %q keeps what the font cannot show", s, l)
				}
			}
			if strings.Contains(s, "\n\n") && !slices.Contains(lines, "") {
				t.Errorf("wrap(%q) lost the blank line: %q", s, lines)
			}
		}
	}
	if got := wrap("a b c", 100, fontstyle.Normal, pdfBody); !slices.Equal(got, []string{"a b c"}) {
		t.Errorf("short text wrapped: %q", got)
	}
}

func TestSoACSV(t *testing.T) {
	a, b := testDocs(t)
	for _, doc := range []SoADocument{a, b} {
		var buf bytes.Buffer
		if err := SoACSV(&buf, doc); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(doc.Rows)+1 || !slices.Equal(rows[0], doc.soaHeader()) {
			t.Fatalf("%s: %d rows, header %q", doc.Standard.ID, len(rows), rows[0])
		}
		for i, r := range doc.Rows {
			if rows[i+1][colRef] != r.Ref || len(rows[i+1]) != int(soaColumnCount) {
				t.Fatalf("%s row %d: %q", doc.Standard.ID, i+1, rows[i+1])
			}
		}
		if got := rows[2][colJustification]; got != "'"+formulaJustification {
			t.Errorf("formula not guarded: %q", got)
		}
		if got := rows[3][colJustification]; got != pipeJustification {
			t.Errorf("multi-line cell %q", got)
		}
	}
	var buf bytes.Buffer
	if err := SoACSV(&buf, a); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Jürgen Müller", "Organizational controls", "Yes", "No", "Undecided", "Partially implemented"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("CSV lacks %q", want)
		}
	}
}

func TestSoAMarkdown(t *testing.T) {
	a, b := testDocs(t)
	for _, tt := range []struct {
		doc    SoADocument
		groups int
		meta   string
	}{{a, 4, "- **Version:** 3"}, {b, 9, "- **Version:** Draft"}} {
		var buf bytes.Buffer
		if err := SoAMarkdown(&buf, tt.doc); err != nil {
			t.Fatal(err)
		}
		md := buf.String()
		if !strings.HasPrefix(md, "# Statement of Applicability — "+tt.doc.Standard.Title+"\n") {
			t.Errorf("heading: %.80q", md)
		}
		for _, want := range []string{tt.meta, "- **Organization:** Müller & Søn Analytics", "## Summary", "| **Total** |"} {
			if !strings.Contains(md, want) {
				t.Errorf("%s lacks %q", tt.doc.Standard.ID, want)
			}
		}
		// One table per group; every row has as many cells as its header.
		if got := strings.Count(md, "\n## ") - 1; got != tt.groups {
			t.Errorf("%s: %d group sections, want %d", tt.doc.Standard.ID, got, tt.groups)
		}
		cells := regexp.MustCompile(`(^|[^\\])\|`)
		rows := 0
		width := 0
		inGroups := false
		for _, line := range strings.Split(md, "\n") {
			if strings.HasPrefix(line, "## ") && line != "## Summary" {
				inGroups = true
			}
			if !strings.HasPrefix(line, "| ") {
				width = 0
				continue
			}
			n := len(cells.FindAllString(line, -1))
			if width == 0 {
				width = n
			} else if n != width {
				t.Errorf("%s: row with %d cells under a header of %d: %q", tt.doc.Standard.ID, n, width, line)
			}
			if inGroups && strings.HasPrefix(line, "| A.") {
				rows++
			}
		}
		if rows != len(tt.doc.Rows) {
			t.Errorf("%s: %d table rows, want %d", tt.doc.Standard.ID, rows, len(tt.doc.Rows))
		}
		if !strings.Contains(md, `Covered by the \| pipe policy<br>second line`) {
			t.Errorf("pipe and line break not escaped")
		}
	}
	if got := mdCell("<script>alert(1)</script> *bold* [x](y)"); got != `&lt;script&gt;alert(1)&lt;/script&gt; \*bold\* \[x\](y)` {
		t.Errorf("mdCell %q", got)
	}
}

// Every message the exports ask for exists: the ids written out in the
// code and those derived from a value (state, reason, status, scope).
func TestReportMessages(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`i18n\.T\("(report\.[a-z0-9_.-]*[a-z0-9_-])"[,)]`)
	var ids []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			ids = append(ids, m[1])
		}
	}
	if len(ids) < 20 {
		t.Fatalf("only %d message ids found: the scan is broken", len(ids))
	}
	for _, s := range domain.States {
		ids = append(ids, "report.soa.state."+s)
	}
	for _, r := range domain.Reasons {
		ids = append(ids, "report.soa.reason."+r)
	}
	for _, d := range decisions {
		ids = append(ids, "report.soa.applicable."+d, "report.soa.decision."+d)
	}
	for _, s := range domain.Statuses {
		ids = append(ids, "report.status."+s)
	}
	for _, s := range append(domain.Scopes, domain.ScopeOther) {
		ids = append(ids, "report.scope."+s)
	}
	for _, c := range controlColumns {
		ids = append(ids, "report.controls.col."+c.id)
	}
	for _, id := range ids {
		if !i18n.Has(id) {
			t.Errorf("message %s is missing", id)
		}
	}
}
