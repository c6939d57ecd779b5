// Package importer turns a register someone already keeps — a CSV file or
// an Excel workbook of controls, of risks (one register per file) or of
// information assets — into Tandem records: it reads the file into a
// table, guesses which column holds which field, reads references, scale
// steps, dates and status words the way people write them, and names
// every row that cannot become a valid record. It writes nothing; the
// store imports the rows it returns, all or none.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// Table is a register as read from a file: the header row and the rows
// below it that hold anything.
type Table struct {
	Headers []string `json:"headers"`
	Rows    []Row    `json:"rows"`
	// Format is FormatCSV or FormatXLSX: only a workbook's numbers may be
	// dates (Excel keeps a date as a day count).
	Format string `json:"format,omitempty"`
	// Date1904 is set for a workbook that counts days from 1904.
	Date1904 bool `json:"date1904,omitempty"`
}

// Row is one non-empty row: its number as a spreadsheet shows it (the
// first row of the file is 1) and its cells. Raw holds, for a workbook
// cell whose number is shown formatted (a date as 15/03/2026), the number
// itself, so that a date is read from its value and not from its
// locale's way of writing it.
type Row struct {
	Number int            `json:"n"`
	Cells  []string       `json:"c"`
	Raw    map[int]string `json:"r,omitempty"`
}

// RawCell returns the workbook's own value of column i where it differs
// from the cell's text, or "".
func (r Row) RawCell(i int) string { return strings.TrimSpace(r.Raw[i]) }

// Cell returns the trimmed cell of column i, or "" (also for i < 0).
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

// Limits of one file, beyond the server's 4 MiB request limit.
const (
	MaxColumns = 200
	// maxUnzipped bounds what an XLSX may expand to (a zip bomb guard).
	maxUnzipped = 64 << 20
	// readLimit stops reading once a file is known to be too long: the
	// header and one row more than an import may hold.
	readLimit = domain.MaxImportRows + 1
)

// Formats a file may have.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Sniff tells an XLSX workbook (a zip archive) from anything else, which is
// read as CSV.
func Sniff(data []byte) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return FormatXLSX
	}
	return FormatCSV
}

// Read parses a register file: the first worksheet of an XLSX workbook, or
// CSV separated by commas, semicolons or tabs (whichever the header row
// uses), with or without a byte-order mark, in UTF-8 or (as older Excel
// versions save it) Windows-1252. The header is the first row that holds
// anything. Problems are field errors on "file".
func Read(name string, data []byte) (*Table, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileError("error.import_empty", name)
	}
	var sh sheet
	var err error
	switch {
	case Sniff(data) == FormatXLSX:
		sh, err = readXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) || strings.EqualFold(path.Ext(name), ".xls"):
		return nil, fileError("error.import_xls", name)
	default:
		sh.format = FormatCSV
		sh.grid, sh.numbers, err = readCSV(data)
	}
	if err != nil {
		v := &domain.ValidationError{}
		v.Add("file", "error.import_unreadable", name, err.Error())
		return nil, v
	}
	t, err := tableOf(name, sh)
	if err != nil {
		return nil, err
	}
	t.Format, t.Date1904 = sh.format, sh.date1904
	return t, nil
}

// sheet is a file's cells as read, before the header is found: the rows,
// their numbers, and (workbooks) the raw values of formatted cells.
type sheet struct {
	grid     [][]string
	numbers  []int
	raw      []map[int]string
	format   string
	date1904 bool
}

func fileError(code, name string, args ...any) error {
	v := &domain.ValidationError{}
	v.Add("file", code, name, args...)
	return v
}

// tableOf finds the header and keeps the rows that hold anything.
func tableOf(name string, sh sheet) (*Table, error) {
	grid := sh.grid
	t := &Table{Rows: []Row{}}
	header := -1
	for i, cells := range grid {
		if blank(cells) {
			continue
		}
		if header < 0 {
			header = i
			continue
		}
		row := Row{Number: sh.numbers[i], Cells: trimRight(cells)}
		if i < len(sh.raw) && len(sh.raw[i]) > 0 {
			row.Raw = sh.raw[i]
		}
		t.Rows = append(t.Rows, row)
	}
	if header < 0 {
		return nil, fileError("error.import_empty", name)
	}
	hs := trimRight(grid[header])
	if len(hs) > MaxColumns {
		return nil, fileError("error.import_too_many_columns", name, len(hs), MaxColumns)
	}
	// Every column with data gets a header, named by its letter if empty.
	width := len(hs)
	for _, r := range t.Rows {
		width = max(width, len(r.Cells))
	}
	width = min(width, MaxColumns)
	t.Headers = make([]string, width)
	for i := range t.Headers {
		if i < len(hs) {
			t.Headers[i] = strings.TrimSpace(strings.TrimPrefix(hs[i], "\ufeff"))
		}
		if t.Headers[i] == "" {
			t.Headers[i] = ColumnName(i)
		}
	}
	for i := range t.Rows {
		if len(t.Rows[i].Cells) > width {
			t.Rows[i].Cells = t.Rows[i].Cells[:width]
		}
	}
	if len(t.Rows) == 0 {
		return nil, fileError("error.import_no_rows", name)
	}
	if len(t.Rows) > domain.MaxImportRows {
		return nil, fileError("error.import_too_many_rows", name, len(t.Rows), domain.MaxImportRows)
	}
	return t, nil
}

// ColumnName is a column's letter as spreadsheets name it: A, B … Z, AA.
func ColumnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return i18n.T("import.column", name)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func trimRight(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}

// readXLSX reads the first worksheet twice over, in step: as its cells
// show (dates of the short date format as YYYY-MM-DD) and as their raw
// values, keeping a raw value where it differs from the text.
func readXLSX(data []byte) (sheet, error) {
	sh := sheet{format: FormatXLSX}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped, ShortDatePattern: "yyyy-mm-dd",
	})
	if err != nil {
		return sh, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return sh, errors.New(i18n.T("import.no_sheet"))
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		sh.date1904 = *props.Date1904
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return sh, err
	}
	defer rows.Close()
	raws, err := f.Rows(sheets[0])
	if err != nil {
		return sh, err
	}
	defer raws.Close()
	filled := 0
	for n := 1; rows.Next() && filled <= readLimit; n++ {
		cells, err := rows.Columns()
		if err != nil {
			return sh, err
		}
		var raw map[int]string
		if raws.Next() {
			values, err := raws.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return sh, err
			}
			for i, v := range values {
				if i < len(cells) && v != cells[i] && v != "" {
					if raw == nil {
						raw = map[int]string{}
					}
					raw[i] = v
				}
			}
		}
		if !blank(cells) {
			filled++
		}
		sh.grid, sh.numbers, sh.raw = append(sh.grid, cells), append(sh.numbers, n), append(sh.raw, raw)
	}
	return sh, rows.Error()
}

// readCSV reads CSV text and numbers each record by the row a spreadsheet
// would show it on: blank lines count, a cell spanning lines does not.
func readCSV(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, nil, err
		}
		data = dec
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var grid [][]string
	var numbers []int
	row, lastLine := 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		start, _ := r.FieldPos(0)
		row += 1 + max(0, start-lastLine-1) // blank lines before it are rows too
		end, _ := r.FieldPos(len(rec) - 1)
		lastLine = end + strings.Count(rec[len(rec)-1], "\n")
		grid, numbers = append(grid, rec), append(numbers, row)
		if len(grid) > readLimit {
			break
		}
	}
	return grid, numbers, nil
}

// delimiter picks ',', ';' or tab: the one that occurs most often, outside
// quotes, in the first line that holds anything. A tie goes to ','.
func delimiter(data []byte) rune {
	counts := map[rune]int{}
	quoted, seen := false, false
	for _, ch := range string(data) {
		switch {
		case ch == '"':
			quoted = !quoted
		case quoted:
		case ch == '\n':
			if seen {
				return best(counts)
			}
		case ch == ',' || ch == ';' || ch == '\t':
			counts[ch]++
			seen = true
		case ch != '\r' && ch != ' ':
			seen = true
		}
	}
	return best(counts)
}

func best(counts map[rune]int) rune {
	d := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[d] {
			d = c
		}
	}
	return d
}

// String names a table for logs and tests.
func (t *Table) String() string {
	return fmt.Sprintf("%d columns × %d rows", len(t.Headers), len(t.Rows))
}
