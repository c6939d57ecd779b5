package report

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Shared by the XLSX exports: colours, cell text and row heights.

// Colours of the exports (XLSX as hex, PDF as RGB): a dark blue for
// headings, and for the implementation states the familiar spreadsheet
// "good / neutral / bad" pairs of a light fill with dark text, which stay
// readable printed in black and white.
var (
	xlHeaderFill = "1F3864"
	xlRule       = "BFBFBF"
	xlMuted      = "595959"

	stateColours = map[string]struct{ Fill, Text string }{
		"implemented":           {"C6EFCE", "006100"},
		"partially_implemented": {"FFEB9C", "7A4A00"},
		"not_implemented":       {"FFC7CE", "9C0006"},
		"no_control":            {"E7E6E6", "3A3838"},
	}
)

// xlText makes s fit an XLSX cell: characters XML cannot carry are dropped
// and the text is cut at the 32,767 characters a cell holds.
func xlText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case r == utf8.RuneError, r == 0xFFFE, r == 0xFFFF, unicode.IsControl(r) && r < 0x20:
			return -1
		}
		return r
	}, s)
	const maxCell = 32767
	if utf8.RuneCountInString(s) > maxCell {
		s = string([]rune(s)[:maxCell-1]) + "…"
	}
	return s
}

// xlLines estimates how many lines text takes in a wrapped column of the
// given width (in the spreadsheet's character units).
func xlLines(text string, width float64) int {
	perLine := max(1, int(width*1.1)-1)
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		n := utf8.RuneCountInString(para)
		lines += max(1, int(math.Ceil(float64(n)/float64(perLine))))
	}
	return lines
}

// xlRowHeight is the height, in points, of a row whose tallest cell has
// the given number of lines at 10 pt. Spreadsheets do not all grow rows to
// fit wrapped text when they open a file, so the heights are set.
func xlRowHeight(lines int) float64 {
	return min(409, 4+13.2*float64(max(1, lines)))
}

// xlFooterText escapes s for a print header or footer, where & starts a code.
func xlFooterText(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// xlPageFooter is the printed footer: what the document is on the left,
// "Page X of Y" on the right.
func xlPageFooter(left, pagePattern string) string {
	page := strings.NewReplacer("{current}", "&P", "{total}", "&N").Replace(xlFooterText(pagePattern))
	return "&L&8" + xlFooterText(left) + "&R&8" + page
}

func ptr[T any](v T) *T { return &v }

// xlPrintSetup prints a sheet landscape on A4, all columns on one page
// wide, with the header row repeated on every page.
func xlPrintSetup(f *excelize.File, sheet string, headerRow int, footer string) error {
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.4), Right: ptr(0.4), Top: ptr(0.5), Bottom: ptr(0.6), Header: ptr(0.25), Footer: ptr(0.3),
	}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: footer}); err != nil {
		return err
	}
	row := strconv.Itoa(headerRow)
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$" + row + ":$" + row, Scope: sheet,
	})
}

// sheetName makes a valid, unique worksheet name (at most 31 characters,
// none of : \ / ? * [ ]) from a title such as "ISO/IEC 27001:2022": the
// edition after the colon and the joint body after the slash are left out,
// giving "ISO 27001".
func sheetName(title string, used map[string]bool) string {
	name, _, _ := strings.Cut(title, ":")
	fields := strings.Fields(name)
	if len(fields) > 1 {
		fields[0], _, _ = strings.Cut(fields[0], "/")
	}
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, strings.Join(fields, " "))
	name = strings.Trim(name, "' ")
	if name == "" {
		name = "SoA"
	}
	base := truncRunes(name, 31)
	name = base
	for n := 2; used[strings.ToLower(name)]; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		name = truncRunes(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
