package importer

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Cell readers shared by the risk and asset registers: words from a
// vocabulary, lists of words, record refs, dates. Each returns what it
// read and, for what it could not read, the offending text.

// word looks a cell up in a vocabulary of normalized words (see
// normalizeHeader; underscores count as spaces, so Tandem's own ids are
// words too).
// A cell of several words that all mean the same ("Mitigate / Reduce",
// "Accept or tolerate") is that value.
func word(cell string, vocabulary map[string]string) (string, bool) {
	if v, ok := vocabulary[normalizeHeader(strings.ReplaceAll(cell, "_", " "))]; ok {
		return v, true
	}
	value := ""
	for _, part := range splitList(cell) {
		for _, piece := range splitWords(normalizeHeader(strings.ReplaceAll(part, "_", " "))) {
			v, ok := vocabulary[piece]
			if !ok || (value != "" && v != value) {
				return "", false
			}
			value = v
		}
	}
	return value, value != ""
}

// splitWords cuts a normalized text at " and " and " or ".
func splitWords(s string) []string {
	var out []string
	for _, a := range strings.Split(s, " and ") {
		out = append(out, strings.Split(a, " or ")...)
	}
	return out
}

// words reads a cell holding several words of a vocabulary, separated by
// commas, semicolons, slashes, ampersands, plus signs, line breaks or
// "and" ("Bias; Privacy", "Individuals and groups"). It returns the
// values in the order first named, without repeats, and the parts it
// could not read.
func words(cell string, vocabulary map[string]string) (values, bad []string) {
	values = []string{}
	for _, part := range splitList(cell) {
		v, ok := word(part, vocabulary)
		if !ok {
			// "Bias and fairness" is one source; "individuals and
			// groups" is two parties: try the whole part first.
			pieces := strings.Split(normalizeHeader(part), " and ")
			if len(pieces) == 1 {
				bad = append(bad, part)
				continue
			}
			for _, p := range pieces {
				if v, ok := word(p, vocabulary); ok {
					values = appendNew(values, v)
				} else {
					bad = append(bad, strings.TrimSpace(p))
				}
			}
			continue
		}
		values = appendNew(values, v)
	}
	return values, bad
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// splitList cuts a cell at the separators of a list of words.
func splitList(cell string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '&' || r == '+' || r == '|' || r == '\n' || r == '\r'
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// recordRef finds refs such as CTL-001, ctl-1, CTL 12 or AST001 in a part
// of a cell (a title may follow: "CTL-004 Backups").
var recordRef = regexp.MustCompile(`(?i)\b([a-z]{2,5})[-\s]?0*(\d{1,6})\b`)

// refs reads a cell of record refs, several per cell separated by commas,
// semicolons or line breaks, each written with or without leading zeros
// (ctl-4 is CTL-004). It returns the refs in Tandem's spelling, without
// repeats, and the parts that hold no ref at all.
func refs(cell string) (out, bad []string) {
	out = []string{}
	parts := strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		found := recordRef.FindAllStringSubmatch(part, -1)
		if found == nil {
			bad = append(bad, part)
			continue
		}
		for _, m := range found {
			n, _ := strconv.Atoi(m[2])
			out = appendNew(out, fmt.Sprintf("%s-%03d", strings.ToUpper(m[1]), n))
		}
	}
	return out, bad
}

// isoDate is a date written year first (a time may follow, as a
// workbook's date-and-time cell shows it).
var isoDate = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$`)

// date reads a date cell as YYYY-MM-DD. Year-first dates are read
// whatever the separator. From a workbook, a date cell is read from its
// value (a day count, whatever format shows it), and so is a bare day
// count from 1950 on (a smaller number is no date anyone means).
// Day-first and month-first dates (03/04/2026) are refused: which of the
// two a file means cannot be told from the file. An empty cell is no
// date.
func date(cell, raw string, t *Table) (string, bool) {
	if cell == "" {
		return "", true
	}
	if m := isoDate.FindStringSubmatch(cell); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		day := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if day.Year() != y || int(day.Month()) != mo || day.Day() != d {
			return "", false // 2026-02-30
		}
		return day.Format(time.DateOnly), true
	}
	if t == nil || t.Format != FormatXLSX {
		return "", false
	}
	serial, lowest := raw, 1.0
	if _, err := strconv.ParseFloat(cell, 64); err == nil {
		// The cell shows a number, not a date: only a day count that
		// is a plausible date is one.
		serial, lowest = cell, 18264 // 1950-01-01
	}
	n, err := strconv.ParseFloat(serial, 64)
	// 2958465 is 9999-12-31, the last day Excel knows.
	if err != nil || math.IsNaN(n) || n < lowest || n > 2958465 {
		return "", false
	}
	day, err := excelize.ExcelDateToTime(n, t.Date1904)
	if err != nil {
		return "", false
	}
	return day.Format(time.DateOnly), true
}

// leadingNumber reads "3", "3.0" (a workbook's number), "3 - Possible" or
// "3 (Possible)": a whole number at the start of the cell.
var leadingNumber = regexp.MustCompile(`^(\d+)(?:\.0+)?(?:$|\s*[-–:(]|\s)`)
