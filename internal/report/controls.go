package report

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The control register: every control of an organization with its links to
// both standards, as a spreadsheet (XLSX) or CSV. Both are written page by
// page from a callback, so that a register of any size is never held in
// memory whole. The callback, next, returns the next page of controls and
// whether another follows; its first call returns the first page.

// controlColumns are the register's columns with their widths (in
// characters) in the spreadsheet.
var controlColumns = []struct {
	id    string
	width float64
}{
	{"ref", 10}, {"title", 36}, {"description", 60}, {"owner", 24}, {"status", 16}, {"scope", 13},
	{"iso27001", 24}, {"iso42001", 24}, {"other", 20}, {"created", 17}, {"updated", 17},
}

// Positions of the columns that get their own style.
const (
	ctlRef     = 0
	ctlStatus  = 4
	ctlCreated = 9
	ctlUpdated = 10
)

// ControlColumns is the header row of the register, in the language of
// the export.
func ControlColumns() []string {
	out := make([]string, len(controlColumns))
	for i, c := range controlColumns {
		out[i] = i18n.T("report.controls.col." + c.id)
	}
	return out
}

// controlCells is one control as the text of its cells, times left out.
func controlCells(c domain.Control) []string {
	var iso27001, iso42001, other []string
	for _, key := range c.Requirements {
		std, ref, _ := strings.Cut(key, "/")
		switch std {
		case domain.ISO27001:
			iso27001 = append(iso27001, ref)
		case domain.ISO42001:
			iso42001 = append(iso42001, ref)
		default:
			other = append(other, key)
		}
	}
	return []string{
		c.Ref, c.Title, c.Description, c.Owner,
		labelOr("report.status."+c.Status, c.Status), labelOr("report.scope."+c.Scope, c.Scope),
		strings.Join(iso27001, ", "), strings.Join(iso42001, ", "), strings.Join(other, ", "),
	}
}

// ControlsCSV writes the control register as CSV: the header row, then one
// row per control, each page flushed to w before the next is asked for.
// Status and scope are in words; requirements are refs per standard
// ("A.5.1, 6.1.2"); created and updated are RFC 3339 times in the
// organization's time zone. Every cell is guarded against formula injection.
func ControlsCSV(w io.Writer, org domain.Org, next func() ([]domain.Control, bool, error)) error {
	loc := orgLocation(org)
	keepWriting(w)
	c := NewCSV(w)
	if err := c.Write(ControlColumns()...); err != nil {
		return err
	}
	record := make([]string, 0, len(controlColumns))
	for {
		items, more, err := next()
		if err != nil {
			return err
		}
		for _, ctl := range items {
			record = append(append(record[:0], controlCells(ctl)...),
				ctl.CreatedAt.In(loc).Format(time.RFC3339), ctl.UpdatedAt.In(loc).Format(time.RFC3339))
			if err := c.Write(record...); err != nil {
				return err
			}
		}
		if err := c.Flush(); err != nil {
			return err
		}
		if !more {
			return nil
		}
		keepWriting(w)
	}
}

// ControlsXLSX writes the control register as a workbook of one sheet,
// streamed row by row (excelize's StreamWriter keeps only a window of rows
// in memory and spills the rest to a temporary file): a frozen header row,
// a table with a filter on every column, wrapped text, the status
// colour-coded, dates as real dates in the organization's time zone, and
// printing set to landscape A4, one page wide, header row on every page.
func ControlsXLSX(w io.Writer, org domain.Org, next func() ([]domain.Control, bool, error)) error {
	loc := orgLocation(org)
	keepWriting(w)
	f := excelize.NewFile()
	defer f.Close()
	sheet := i18n.T("report.controls.sheet")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: i18n.T("report.controls.title"), Subject: i18n.T("report.controls.subject", org.Name),
		Creator: i18n.T("report.product"), LastModifiedBy: i18n.T("report.product"), Created: now, Modified: now,
	}); err != nil {
		return err
	}
	// Print settings live in the sheet's XML ahead of its rows, so they are
	// made before the stream starts.
	footer := xlPageFooter(org.Name+" · "+i18n.T("report.controls.title"), i18n.T("report.page"))
	if err := xlPrintSetup(f, sheet, 1, footer); err != nil {
		return err
	}

	var err error
	style := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	header := style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 10, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{xlHeaderFill}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	plain := style(&excelize.Style{Font: &excelize.Font{Size: 10}, Alignment: top})
	ref := style(&excelize.Style{Font: &excelize.Font{Size: 10, Bold: true}, Alignment: top})
	date := style(&excelize.Style{Font: &excelize.Font{Size: 10}, Alignment: &excelize.Alignment{Vertical: "top"},
		CustomNumFmt: ptr("yyyy-mm-dd hh:mm")})
	status := map[string]int{}
	for s, state := range map[string]string{
		domain.StatusImplemented: "implemented", domain.StatusInProgress: "partially_implemented",
		domain.StatusNotImplemented: "not_implemented", domain.StatusPlanned: "no_control",
	} {
		c := stateColours[state]
		status[s] = style(&excelize.Style{Font: &excelize.Font{Size: 10, Color: c.Text}, Alignment: top,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.Fill}}})
	}
	if err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, c := range controlColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}}}); err != nil {
		return err
	}
	cells := make([]any, len(controlColumns))
	for i, h := range ControlColumns() {
		cells[i] = excelize.Cell{StyleID: header, Value: h}
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}

	// Dates are shown as the organization reads them: its wall-clock time,
	// stored as the spreadsheet's zone-less date.
	wall := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	}
	rowNum := 1
	for {
		items, more, err := next()
		if err != nil {
			return err
		}
		for _, ctl := range items {
			rowNum++
			text := controlCells(ctl)
			lines := 1
			for i, s := range text {
				st := plain
				switch i {
				case ctlRef:
					st = ref
				case ctlStatus:
					if id, ok := status[ctl.Status]; ok {
						st = id
					}
				}
				s = xlText(s)
				cells[i] = excelize.Cell{StyleID: st, Value: s}
				lines = max(lines, xlLines(s, controlColumns[i].width))
			}
			cells[ctlCreated] = excelize.Cell{StyleID: date, Value: wall(ctl.CreatedAt)}
			cells[ctlUpdated] = excelize.Cell{StyleID: date, Value: wall(ctl.UpdatedAt)}
			if err := sw.SetRow("A"+strconv.Itoa(rowNum), cells, excelize.RowOpts{Height: xlRowHeight(lines)}); err != nil {
				return err
			}
		}
		if !more {
			break
		}
		keepWriting(w)
	}
	last := colName(len(controlColumns))
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last + strconv.Itoa(max(rowNum, 2)), Name: "ControlRegister",
		StyleName: "TableStyleLight1", ShowRowStripes: ptr(true)}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	keepWriting(w)
	return f.Write(w)
}

// Paged turns a list read page by page with a cursor into the callback the
// exports read: first is the page already read (so that a bad filter is
// refused before anything is written), fetch reads the page after a
// cursor. It stops when the last page is read or when ctx ends.
func Paged[T any](ctx context.Context, first domain.Page[T], fetch func(ctx context.Context, cursor string) (domain.Page[T], error)) func() ([]T, bool, error) {
	var page *domain.Page[T]
	return func() ([]T, bool, error) {
		if page == nil {
			page = &first
			return first.Items, first.Next != nil, nil
		}
		if page.Next == nil {
			return nil, false, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		next, err := fetch(ctx, *page.Next)
		if err != nil {
			return nil, false, err
		}
		page = &next
		return next.Items, next.Next != nil, nil
	}
}
