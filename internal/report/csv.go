// Package report writes Tandem's exports. Every export a person opens in a
// spreadsheet goes through the guarded CSV writer here, so that no cell
// recorded by one user can run as a formula on another user's machine.
package report

import (
	"encoding/csv"
	"io"
	"strings"
)

// CSV writes comma-separated records (RFC 4180: CRLF line ends, also for
// line breaks inside a quoted cell, as spreadsheets expect) with formula-injection guarding: a cell that begins
// with a character a spreadsheet reads as the start of a formula (= + - @)
// or with a tab or carriage return is prefixed with a single quote, which
// makes the spreadsheet show it as text.
type CSV struct {
	w   *csv.Writer
	buf []string
}

// NewCSV writes to w. Call Flush when done (and between chunks of a stream).
func NewCSV(w io.Writer) *CSV {
	c := &CSV{w: csv.NewWriter(w)}
	c.w.UseCRLF = true
	return c
}

// Write writes one record, each cell guarded.
func (c *CSV) Write(record ...string) error {
	c.buf = c.buf[:0]
	for _, cell := range record {
		c.buf = append(c.buf, GuardCell(cell))
	}
	return c.w.Write(c.buf)
}

// Flush hands what is buffered to the underlying writer and reports any
// error of this or an earlier write.
func (c *CSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// formulaStart lists what makes a spreadsheet treat a cell as a formula
// (or, for tab and carriage return, lets it slip past such a check).
const formulaStart = "=+-@\t\r"

// GuardCell returns s, prefixed with a single quote when a spreadsheet
// would otherwise read it as a formula.
func GuardCell(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}
