package report

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"tandem/internal/i18n"
)

// Layout of an SoA sheet: a title block of four rows (title, organization,
// version, risk trace), the header row, then one row per Annex A control.
const (
	soaHeaderRow = 5
	soaFirstRow  = soaHeaderRow + 1
)

// soaWidths are the column widths, in characters, in soaHeader order.
var soaWidths = [soaColumnCount]float64{9, 36, 22, 12, 56, 26, 21, 44, 24, 26}

// soaStyles are the cell styles of an SoA workbook, made once and shared by
// its sheets.
type soaStyles struct {
	title, meta, header, ref, text, muted, undecided, warn int
	state                                                  map[string]int
}

func newSoAStyles(f *excelize.File) (*soaStyles, error) {
	var err error
	style := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	rule := []excelize.Border{{Type: "bottom", Color: xlRule, Style: 1}, {Type: "right", Color: xlRule, Style: 1}}
	cell := func(font *excelize.Font, fill string) *excelize.Style {
		s := &excelize.Style{Font: font, Border: rule,
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}
		if fill != "" {
			s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
		}
		return s
	}
	st := &soaStyles{state: map[string]int{}}
	st.title = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: xlHeaderFill},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	st.meta = style(&excelize.Style{Font: &excelize.Font{Size: 10, Color: xlMuted},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	st.header = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 10, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{xlHeaderFill}},
		Border:    []excelize.Border{{Type: "right", Color: "FFFFFF", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	st.ref = style(cell(&excelize.Font{Bold: true, Size: 10}, ""))
	st.text = style(cell(&excelize.Font{Size: 10}, ""))
	st.muted = style(cell(&excelize.Font{Size: 10, Color: xlMuted}, ""))
	st.undecided = style(cell(&excelize.Font{Size: 10, Bold: true, Color: stateColours["partially_implemented"].Text}, stateColours["partially_implemented"].Fill))
	// A risk-treatment row without a traced risk: the amber of a gap.
	st.warn = style(cell(&excelize.Font{Size: 10, Color: stateColours["partially_implemented"].Text}, stateColours["partially_implemented"].Fill))
	for state, c := range stateColours {
		st.state[state] = style(cell(&excelize.Font{Size: 10, Color: c.Text}, c.Fill))
	}
	return st, err
}

// SoAXLSX writes one or more Statements of Applicability as a workbook with
// one sheet per document, named after the standard ("ISO 27001",
// "ISO 42001"), made to be handed to a certification auditor: a title
// block (organization, standard, version or draft, approver and date), a
// frozen header row with a filter, wrapped text, the implementation state
// colour-coded, and printing set to landscape A4, one page wide, with the
// header row on every page.
func SoAXLSX(w io.Writer, docs ...SoADocument) error {
	if len(docs) == 0 {
		return errors.New("report: an SoA workbook needs at least one document")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newSoAStyles(f)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	first := f.GetSheetName(0)
	for i, doc := range docs {
		name := sheetName(doc.standardTitle(), used)
		if i == 0 {
			err = f.SetSheetName(first, name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		if err := writeSoASheet(f, name, doc, st); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	d := docs[0]
	titles := make([]string, len(docs))
	for i, doc := range docs {
		titles[i] = doc.standardTitle()
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:   i18n.T("report.soa.title") + " — " + strings.Join(titles, ", "),
		Subject: d.Org.Name, Creator: i18n.T("report.product"), LastModifiedBy: i18n.T("report.product"),
		Created: d.generatedAt().UTC().Format("2006-01-02T15:04:05Z"), Modified: d.generatedAt().UTC().Format("2006-01-02T15:04:05Z"),
	}); err != nil {
		return err
	}
	return f.Write(w)
}

func writeSoASheet(f *excelize.File, sheet string, doc SoADocument, st *soaStyles) error {
	last := colName(int(soaColumnCount))
	for i, width := range soaWidths {
		c := colName(i + 1)
		if err := f.SetColWidth(sheet, c, c, width); err != nil {
			return err
		}
	}

	// The title block: title, organization, version (or draft), risk trace.
	meta := i18n.T("report.soa.organization") + ": " + doc.Org.Name
	version := doc.versionLine()
	if doc.Version != nil && strings.TrimSpace(doc.Version.Note) != "" {
		version += " · " + i18n.T("report.soa.note") + ": " + strings.Join(strings.Fields(doc.Version.Note), " ")
	}
	trace := i18n.T("report.soa.trace") + ": " + doc.traceLine()
	if more := doc.untracedLine(); more != "" {
		trace += " " + more
	}
	for i, line := range []struct {
		text   string
		style  int
		height float64
	}{{doc.title(), st.title, 24}, {meta, st.meta, 16}, {version, st.meta, 16}, {trace, st.meta, 16}} {
		cell := "A" + strconv.Itoa(i+1)
		if err := f.SetCellStr(sheet, cell, xlText(line.text)); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, cell, last+strconv.Itoa(i+1)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, line.style); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, i+1, line.height); err != nil {
			return err
		}
	}

	header := doc.soaHeader()
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = h
	}
	hcell := "A" + strconv.Itoa(soaHeaderRow)
	if err := f.SetSheetRow(sheet, hcell, &head); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, hcell, last+strconv.Itoa(soaHeaderRow), st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, soaHeaderRow, 30); err != nil {
		return err
	}

	names := doc.groupNames()
	for i, r := range doc.Rows {
		rowNum := soaFirstRow + i
		c := doc.cells(r, names)
		record := c.record("\n")
		lines := 1
		for col, text := range record {
			ref := colName(col+1) + strconv.Itoa(rowNum)
			if err := f.SetCellStr(sheet, ref, xlText(text)); err != nil {
				return err
			}
			style := st.text
			switch soaColumn(col) {
			case colRef:
				style = st.ref
			case colApplicable:
				switch c.Decision {
				case decisionNo:
					style = st.muted
				case decisionUndecided:
					style = st.undecided
				}
			case colRisks:
				if c.Untraced {
					style = st.warn
				}
			case colState:
				// An excluded control's state is shown, not highlighted.
				if s, ok := st.state[r.State]; ok && c.Decision != decisionNo {
					style = s
				} else if c.Decision == decisionNo {
					style = st.muted
				}
			}
			if err := f.SetCellStyle(sheet, ref, ref, style); err != nil {
				return err
			}
			lines = max(lines, xlLines(text, soaWidths[col]))
		}
		if err := f.SetRowHeight(sheet, rowNum, xlRowHeight(lines)); err != nil {
			return err
		}
	}

	lastRow := soaHeaderRow + len(doc.Rows)
	if err := f.AutoFilter(sheet, "A"+strconv.Itoa(soaHeaderRow)+":"+last+strconv.Itoa(lastRow), nil); err != nil {
		return err
	}
	// The header row and the ID column stay in view.
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: soaHeaderRow,
		TopLeftCell: "B" + strconv.Itoa(soaFirstRow), ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B" + strconv.Itoa(soaFirstRow), ActiveCell: "B" + strconv.Itoa(soaFirstRow), Pane: "bottomRight"}},
	}); err != nil {
		return err
	}
	footer := xlPageFooter(doc.Org.Name+" · "+doc.title()+" · "+doc.versionLabel(), i18n.T("report.page"))
	return xlPrintSetup(f, sheet, soaHeaderRow, footer)
}

// colName is the letter of the n-th column (1: A).
func colName(n int) string {
	name, _ := excelize.ColumnNumberToName(n)
	return name
}
