package report

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// Layout of a register sheet: a title block of three rows, the header row,
// then one row per risk.
const (
	riskHeaderRow = 4
	riskFirstRow  = riskHeaderRow + 1
)

// riskStyles are the cell styles of a risk workbook.
type riskStyles struct {
	title, meta, header, ref, text, number, date, moment, needed int
	level                                                        map[string]int // by fill colour
	f                                                            *excelize.File
	err                                                          error
}

func newRiskStyles(f *excelize.File) *riskStyles {
	st := &riskStyles{level: map[string]int{}, f: f}
	st.title = st.add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: xlHeaderFill},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	st.meta = st.add(&excelize.Style{Font: &excelize.Font{Size: 10, Color: xlMuted},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	st.header = st.add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 10, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{xlHeaderFill}},
		Border:    []excelize.Border{{Type: "right", Color: "FFFFFF", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	st.ref = st.cell(&excelize.Font{Bold: true, Size: 10}, "", "")
	st.text = st.cell(&excelize.Font{Size: 10}, "", "")
	st.number = st.cell(&excelize.Font{Size: 10}, "", "center")
	st.date = st.add(&excelize.Style{Font: &excelize.Font{Size: 10}, Border: xlRules,
		Alignment: &excelize.Alignment{Vertical: "top"}, CustomNumFmt: ptr("yyyy-mm-dd")})
	st.moment = st.add(&excelize.Style{Font: &excelize.Font{Size: 10}, Border: xlRules,
		Alignment: &excelize.Alignment{Vertical: "top"}, CustomNumFmt: ptr("yyyy-mm-dd hh:mm")})
	c := stateColours["partially_implemented"]
	st.needed = st.cell(&excelize.Font{Size: 10, Bold: true, Color: c.Text}, c.Fill, "")
	return st
}

// xlRules are the thin grey lines between cells.
var xlRules = []excelize.Border{{Type: "bottom", Color: xlRule, Style: 1}, {Type: "right", Color: xlRule, Style: 1}}

func (st *riskStyles) add(s *excelize.Style) int {
	if st.err != nil {
		return 0
	}
	id, err := st.f.NewStyle(s)
	st.err = err
	return id
}

// cell is a wrapped, top-aligned cell style with grey rules.
func (st *riskStyles) cell(font *excelize.Font, fill, horizontal string) int {
	s := &excelize.Style{Font: font, Border: xlRules,
		Alignment: &excelize.Alignment{Vertical: "top", Horizontal: horizontal, WrapText: true}}
	if fill != "" {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
	}
	return st.add(s)
}

// levelStyle fills a cell with a level's colour (one style per colour).
func (st *riskStyles) levelStyle(l level) int {
	if id, ok := st.level[l.Fill]; ok {
		return id
	}
	id := st.cell(&excelize.Font{Size: 10, Bold: true, Color: l.Ink}, l.Fill, "center")
	st.level[l.Fill] = id
	return id
}

// wallClock is t as the organization reads it, stored as the spreadsheet's
// zone-less date.
func wallClock(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// xlDate is a YYYY-MM-DD date as a spreadsheet date, or the text itself
// when it is not one.
func xlDate(s string, style int, text int) excelize.Cell {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return excelize.Cell{StyleID: style, Value: d}
	}
	return excelize.Cell{StyleID: text, Value: xlText(s)}
}

// writeTitleBlock writes the three rows above a sheet's header row.
func writeTitleBlock(sw *excelize.StreamWriter, st *riskStyles, lastCol string, lines ...string) error {
	for i, line := range lines {
		styleID, height := st.meta, 16.0
		if i == 0 {
			styleID, height = st.title, 24
		}
		cell := "A" + strconv.Itoa(i+1)
		if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: styleID, Value: xlText(line)}}, excelize.RowOpts{Height: height}); err != nil {
			return err
		}
		if err := sw.MergeCell(cell, lastCol+strconv.Itoa(i+1)); err != nil {
			return err
		}
	}
	return nil
}

// xlWidePrintSetup prints a sheet too wide for one page (the register has
// two dozen columns) as the SoA prints, but two pages wide, left half then
// right half of the same rows, with the ref column and the header row on
// every page.
func xlWidePrintSetup(f *excelize.File, sheet string, headerRow int, footer string) error {
	if err := xlPrintSetup(f, sheet, headerRow, footer); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{FitToWidth: ptr(2), PageOrder: ptr("overThenDown")}); err != nil {
		return err
	}
	if err := f.DeleteDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet}); err != nil {
		return err
	}
	quoted, row := "'"+strings.ReplaceAll(sheet, "'", "''")+"'", strconv.Itoa(headerRow)
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: quoted + "!$A:$A," + quoted + "!$" + row + ":$" + row, Scope: sheet})
}

// RisksXLSX writes a register as a workbook of one sheet, streamed row by
// row: a title block (register, organization, method version, appetite,
// filter, generated), a frozen header row with a filter on every column,
// wrapped text, the inherent and residual levels filled with the method's
// colours, an acceptance that is needed highlighted, dates as real dates in
// the organization's time zone, and printing set to landscape A4, two pages
// wide, the ref column and the header row on every page.
func RisksXLSX(w io.Writer, doc RiskRegister, next RiskPages) error {
	if err := doc.check(); err != nil {
		return err
	}
	loc := doc.loc()
	keepWriting(w)
	f := excelize.NewFile()
	defer f.Close()
	sheet := i18n.T("report.risk.sheet")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	gen := doc.generatedAt().UTC().Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: doc.title(), Subject: i18n.T("report.risk.subject", doc.title(), doc.Org.Name),
		Creator: i18n.T("report.product"), LastModifiedBy: i18n.T("report.product"), Created: gen, Modified: gen,
	}); err != nil {
		return err
	}
	// Print settings live in the sheet's XML ahead of its rows, so they are
	// made before the stream starts.
	footer := xlPageFooter(doc.Org.Name+" · "+doc.title()+" · "+doc.moment(), i18n.T("report.page"))
	if err := xlWidePrintSetup(f, sheet, riskHeaderRow, footer); err != nil {
		return err
	}
	st := newRiskStyles(f)
	if st.err != nil {
		return st.err
	}

	cols := riskColumns(doc.Register)
	last := colName(len(cols))
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	first := "B" + strconv.Itoa(riskFirstRow)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: riskHeaderRow, TopLeftCell: first, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: first, ActiveCell: first, Pane: "bottomRight"}}}); err != nil {
		return err
	}
	meta := doc.metadata()
	if err := writeTitleBlock(sw, st, last, doc.title(),
		meta[0][0]+": "+meta[0][1]+" · "+meta[2][0]+": "+meta[2][1]+" · "+meta[3][0]+": "+meta[3][1],
		meta[4][0]+": "+meta[4][1]+" · "+meta[5][0]+": "+meta[5][1]); err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i, h := range RiskColumns(doc.Register) {
		cells[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A"+strconv.Itoa(riskHeaderRow), cells, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}

	rowNum := riskHeaderRow
	today := doc.today()
	for {
		items, more, err := next()
		if err != nil {
			return err
		}
		for i := range items {
			r := &items[i]
			rowNum++
			lines := 1
			for j, c := range cols {
				s := xlText(c.text(&doc, r))
				var cell excelize.Cell
				switch c.kind {
				case kindRef:
					cell = excelize.Cell{StyleID: st.ref, Value: s}
				case kindNumber:
					n, _ := strconv.Atoi(s)
					cell = excelize.Cell{StyleID: st.number, Value: n}
				case kindInherent:
					cell = excelize.Cell{StyleID: st.levelStyle(levelOf(doc.Method, r.Inherent.Level)), Value: s}
				case kindResidual:
					cell = excelize.Cell{StyleID: st.levelStyle(levelOf(doc.Method, r.Residual.Level)), Value: s}
				case kindAcceptance:
					style := st.text
					if state, _ := acceptance(doc.Method, *r, today); state == acceptNeeded {
						style = st.needed
					}
					cell = excelize.Cell{StyleID: style, Value: s}
				case kindDate:
					cell = xlDate(s, st.date, st.text)
				case kindTime:
					cell = excelize.Cell{StyleID: st.moment, Value: wallClock(r.UpdatedAt, loc)}
				default:
					cell = excelize.Cell{StyleID: st.text, Value: s}
				}
				cells[j] = cell
				if c.kind == kindText || c.kind == kindAcceptance {
					lines = max(lines, xlLines(s, c.width))
				}
			}
			if st.err != nil {
				return st.err
			}
			if err := sw.SetRow("A"+strconv.Itoa(rowNum), cells, excelize.RowOpts{Height: xlRowHeight(lines)}); err != nil {
				return err
			}
		}
		if !more {
			break
		}
		keepWriting(w)
	}
	name := "SecurityRisks"
	if doc.Register == domain.RegisterAI {
		name = "AIRisks"
	}
	if err := sw.AddTable(&excelize.Table{Range: "A" + strconv.Itoa(riskHeaderRow) + ":" + last + strconv.Itoa(max(rowNum, riskFirstRow)),
		Name: name, StyleName: "TableStyleLight1", ShowRowStripes: ptr(false)}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	keepWriting(w)
	return f.Write(w)
}
