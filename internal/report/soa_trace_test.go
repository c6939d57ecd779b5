package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

func TestUntraced(t *testing.T) {
	yes, no := true, false
	risk := []domain.SoARisk{{Ref: "RSK-001", Control: "CTL-001"}}
	treat := []string{domain.ReasonRiskTreatment}
	for _, tt := range []struct {
		name string
		row  domain.SoARow
		want bool
	}{
		{"risk treatment, no risk", domain.SoARow{Applicable: &yes, Reasons: treat, Risks: []domain.SoARisk{}}, true},
		{"risk treatment with a risk", domain.SoARow{Applicable: &yes, Reasons: treat, Risks: risk}, false},
		{"other reason, no risk", domain.SoARow{Applicable: &yes, Reasons: []string{domain.ReasonLegal}, Risks: []domain.SoARisk{}}, false},
		{"excluded", domain.SoARow{Applicable: &no, Reasons: []string{}, Risks: []domain.SoARisk{}}, false},
		{"undecided", domain.SoARow{Risks: []domain.SoARisk{}}, false},
		{"frozen before the trace", domain.SoARow{Applicable: &yes, Reasons: treat}, false},
	} {
		if got := Untraced(tt.row); got != tt.want {
			t.Errorf("%s: Untraced = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// untracedFixture checks that the fixture has both kinds of risk-treatment
// row and returns its trace.
func untracedFixture(t *testing.T, doc SoADocument) RiskTrace {
	t.Helper()
	tr := TraceOf(doc.Rows)
	if !tr.Recorded || len(tr.Untraced) == 0 || tr.Reason <= len(tr.Untraced) || tr.WithRisks == 0 {
		t.Fatalf("%s: fixture trace %+v", doc.standardID(), tr)
	}
	return tr
}

// Every export lists the risks behind each row as "RSK-001 (via CTL-003)",
// marks a risk-treatment row without one, and counts such rows in its
// summary.
func TestSoAExportsTraceRisks(t *testing.T) {
	a, b := testDocs(t)
	tr := untracedFixture(t, a)
	untracedFixture(t, b)
	var traced, untraced domain.SoARow
	for _, r := range a.Rows {
		switch {
		case len(r.Risks) >= 2 && traced.Ref == "":
			traced = r
		case Untraced(r) && untraced.Ref == "":
			untraced = r
		}
	}
	via := func(k domain.SoARisk) string { return k.Ref + " (via " + k.Control + ")" }
	summary := i18n.T("report.soa.trace_summary", tr.Reason-len(tr.Untraced), tr.Reason, len(tr.Untraced))
	list := i18n.T("report.soa.trace_untraced", strings.Join(tr.Untraced, ", "))

	// CSV: the last column, one risk per line.
	var buf bytes.Buffer
	if err := SoACSV(&buf, a); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][colRisks] != "Risks" {
		t.Errorf("CSV header %q", rows[0])
	}
	for _, r := range rows[1:] {
		switch r[colRef] {
		case traced.Ref:
			if want := via(traced.Risks[0]) + "\n" + via(traced.Risks[1]); !strings.HasPrefix(r[colRisks], want) {
				t.Errorf("CSV risks of %s: %q, want %q…", traced.Ref, r[colRisks], want)
			}
		case untraced.Ref:
			if r[colRisks] != i18n.T("report.soa.untraced_cell") {
				t.Errorf("CSV risks of untraced %s: %q", untraced.Ref, r[colRisks])
			}
		}
	}

	// XLSX: the column, the amber cell, the trace in the title block.
	buf.Reset()
	if err := SoAXLSX(&buf, a); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	trace, _ := f.GetCellValue(sheet, "A4")
	if !strings.Contains(trace, summary) || !strings.Contains(trace, list) {
		t.Errorf("XLSX trace line %q", trace)
	}
	for i, r := range a.Rows {
		cell := colName(int(colRisks)+1) + strconv.Itoa(soaFirstRow+i)
		v, _ := f.GetCellValue(sheet, cell)
		fill := cellStyle(t, f, sheet, cell).Fill.Color
		switch r.Ref {
		case traced.Ref:
			if !strings.HasPrefix(v, via(traced.Risks[0])+"\n") || len(fill) != 0 {
				t.Errorf("XLSX %s: %q fill %v", cell, v, fill)
			}
		case untraced.Ref:
			if v != i18n.T("report.soa.untraced_cell") || !slices.Equal(fill, []string{stateColours["partially_implemented"].Fill}) {
				t.Errorf("XLSX untraced %s: %q fill %v", cell, v, fill)
			}
		}
	}

	// Markdown: the summary line and the column.
	buf.Reset()
	if err := SoAMarkdown(&buf, a); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"### Risk trace", mdText(summary), "**" + mdText(list) + "**", "| Risks |",
		via(traced.Risks[0]) + "<br>" + via(traced.Risks[1]), mdText(i18n.T("report.soa.untraced_cell"))} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}

	// PDF: it renders with the extra column (its text is compressed).
	buf.Reset()
	if err := SoAPDF(&buf, a); err != nil || pdfPages(buf.Bytes()) < 6 {
		t.Errorf("PDF: %d pages, %v", pdfPages(buf.Bytes()), err)
	}
}

// A version issued before the SoA traced its risks has rows without Risks:
// every export still works, shows no risks, flags nothing and says the
// trace was not recorded.
func TestSoAExportsOfVersionsBeforeTheTrace(t *testing.T) {
	doc := testSoA(t, domain.ISO27001, testVersion(domain.ISO27001))
	for i := range doc.Rows {
		doc.Rows[i].Risks = nil
	}
	if tr := TraceOf(doc.Rows); tr.Recorded || len(tr.Untraced) != 0 || tr.WithRisks != 0 {
		t.Fatalf("trace of an old version %+v", tr)
	}
	names := doc.groupNames()
	for _, r := range doc.Rows {
		if c := doc.cells(r, names); len(c.Risks) != 0 || c.Untraced {
			t.Fatalf("%s: risks %q", r.Ref, c.Risks)
		}
	}
	var buf bytes.Buffer
	if err := SoAMarkdown(&buf, doc); err != nil {
		t.Fatal(err)
	}
	if md := buf.String(); !strings.Contains(md, mdText(i18n.T("report.soa.trace_not_recorded"))) ||
		strings.Contains(md, "(via ") || strings.Contains(md, mdText(i18n.T("report.soa.untraced_cell"))) {
		t.Errorf("Markdown of an old version:\n%.3000s", md)
	}
	for name, render := range map[string]func() error{
		"csv":  func() error { return SoACSV(&buf, doc) },
		"xlsx": func() error { return SoAXLSX(&buf, doc) },
		"pdf":  func() error { return SoAPDF(&buf, doc) },
	} {
		buf.Reset()
		if err := render(); err != nil || buf.Len() == 0 {
			t.Errorf("%s of an old version: %v", name, err)
		}
	}
}
