package web

import (
	"fmt"
	"math"
)

// The charts are plain SVG computed here and written out by
// templates/charts.html: geometry in Go, markup and colours (CSS classes) in
// the templates. Numbers are formatted once so templates print strings.

// segment is one part of a whole: a status among all controls.
type segment struct {
	Label string
	Class string
	Count int
	Href  string
}

// legendItem is a segment as the legend next to a chart lists it.
type legendItem segment

// donut is a ring of segments. It uses the circle whose circumference is
// 100 units, so a segment's dash length is its percentage.
type donut struct {
	Total int
	Arcs  []arc
}

type arc struct {
	segment
	Dash   string // stroke-dasharray
	Offset string // stroke-dashoffset
}

// donutRadius gives a circumference of exactly 100.
const donutRadius = 100 / (2 * math.Pi)

func makeDonut(segs []segment) donut {
	d := donut{}
	nonzero := 0
	for _, s := range segs {
		d.Total += s.Count
		if s.Count > 0 {
			nonzero++
		}
	}
	if d.Total == 0 {
		return d
	}
	// A small gap separates neighbouring segments; a lone segment is a full ring.
	gap := 0.0
	if nonzero > 1 {
		gap = 0.6
	}
	start := 0.0
	for _, s := range segs {
		if s.Count == 0 {
			continue
		}
		p := 100 * float64(s.Count) / float64(d.Total)
		length := math.Max(p-gap, 0.4)
		d.Arcs = append(d.Arcs, arc{segment: s,
			Dash: fmt.Sprintf("%.3f %.3f", length, 100-length),
			// The ring starts at 3 o'clock; 25 units back is 12 o'clock.
			Offset: fmt.Sprintf("%.3f", 25-start)})
		start += p
	}
	return d
}

// Radius is for the template (r attribute of the ring).
func (donut) Radius() string { return fmt.Sprintf("%.4f", donutRadius) }

// hbar is one horizontal bar of a bar chart, scaled to the largest bar.
type hbar struct {
	segment
	Width string // of 100
}

func makeHBar(label, class string, count, maxCount int, href string) hbar {
	w := 0.0
	if maxCount > 0 {
		w = 100 * float64(count) / float64(maxCount)
	}
	if count > 0 {
		w = math.Max(w, 1) // a bar that exists stays visible
	}
	return hbar{segment: segment{Label: label, Class: class, Count: count, Href: href}, Width: fmt.Sprintf("%.2f", w)}
}

// progressBar shows, of a total, how many are covered (lighter) and how many
// of those are done (solid).
type progressBar struct {
	Href    string
	Covered string // width of 100
	Done    string
	Percent int // covered, rounded down
}

func makeProgress(done, covered, total int, href string) progressBar {
	pct := func(n int) float64 {
		if total == 0 {
			return 0
		}
		return 100 * float64(n) / float64(total)
	}
	return progressBar{Href: href, Covered: fmt.Sprintf("%.2f", pct(covered)),
		Done: fmt.Sprintf("%.2f", pct(done)), Percent: int(pct(covered))}
}

// cellGrid is one small square per requirement, coloured by its state.
type cellGrid struct {
	Width, Height int
	Cells         []cell
}

type cell struct {
	Label string // accessible name and tooltip
	Href  string
	Class string
	X, Y  int
}

// Cell geometry in pixels; cellColumns keeps the largest group (37 Annex A
// organizational controls) to two rows.
const (
	cellSize    = 13
	cellGap     = 3
	cellColumns = 19
)

// CellSize is for the template (width and height of a cell).
func (cellGrid) CellSize() int { return cellSize }

func makeCells(cells []cell) cellGrid {
	g := cellGrid{Cells: cells}
	if len(cells) == 0 {
		return g
	}
	cols := min(len(cells), cellColumns)
	rows := (len(cells) + cellColumns - 1) / cellColumns
	for i := range g.Cells {
		g.Cells[i].X = (i % cellColumns) * (cellSize + cellGap)
		g.Cells[i].Y = (i / cellColumns) * (cellSize + cellGap)
	}
	g.Width = cols*(cellSize+cellGap) - cellGap
	g.Height = rows*(cellSize+cellGap) - cellGap
	return g
}
