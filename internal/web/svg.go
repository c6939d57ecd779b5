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

// riskHeatMap is one risk matrix of a register (inherent or residual
// scores): likelihood rises upwards, impact to the right, each cell in the
// colour of its level with the number of current risks in it. An appetite
// line runs between the cells above the method's appetite and those within.
type riskHeatMap struct {
	Score         string // inherent or residual
	Title         string
	Width, Height int
	Cells         []riskHeatCell
	Rows          []riskHeatTick // likelihood steps, highest first
	Cols          []riskHeatTick // impact steps
	AppetiteLine  string         // SVG path; empty when no edge separates the two sides
	// Axis titles; likelihood is written upwards along the left edge.
	LikelihoodX, LikelihoodY int
	ImpactX, ImpactY         int
	Total                    int
}

// riskHeatCell is one cell: its box, colour, count and link.
type riskHeatCell struct {
	X, Y, W, H int
	CX, CY     int    // centre, where the count is written
	Fill       string // the level's colour
	Ink        string // text colour legible on Fill
	Count      int
	Href       string // empty for an empty cell
	Label      string // accessible name and tooltip
	Selected   bool   // the cell the list is filtered on
}

// riskHeatTick is a step of an axis: its number and its label on one or
// two lines.
type riskHeatTick struct {
	Step   int
	X, Y   int // of the step number
	LabelX int
	Lines  []riskHeatLine
	Label  string // the whole label, as tooltip
}

type riskHeatLine struct {
	Y    int
	Text string
}

// riskHeatInput is what a heat map is drawn from, in the method's terms
// but without its types: the scale labels (lowest first), and per cell
// its level's colour, whether it lies above appetite, its count, link and
// accessible name.
type riskHeatInput struct {
	Score, Title string
	Likelihood   []string
	Impact       []string
	Cell         func(likelihood, impact int) riskHeatCellInput
	// The cell the list is filtered on (0, 0: none).
	SelLikelihood, SelImpact int
}

type riskHeatCellInput struct {
	Colour string
	Above  bool
	Count  int
	Href   string
	Label  string
}

// Geometry of a heat map in SVG units: the matrix keeps the same outer
// size whatever the scales (3 to 5 steps), so both maps and every method
// line up; the labels sit in a gutter on the left and a band below.
const (
	heatAxisTitle = 18  // left band for the rotated likelihood title
	heatRowLabels = 100 // likelihood labels and step numbers
	heatMatrixW   = 316 // the cells and their gaps
	heatMatrixH   = 248
	heatGap       = 4
	heatTop       = 6
	heatBottom    = 68 // step numbers, impact labels, axis title
	heatRight     = 8
	heatLine      = 11 // line height of a label
	heatRowChars  = 14 // a likelihood label line, in characters
)

func makeRiskHeatMap(in riskHeatInput) riskHeatMap {
	nl, ni := len(in.Likelihood), len(in.Impact)
	hm := riskHeatMap{Score: in.Score, Title: in.Title}
	if nl == 0 || ni == 0 || in.Cell == nil {
		return hm
	}
	cw := (heatMatrixW - heatGap*(ni-1)) / ni
	ch := (heatMatrixH - heatGap*(nl-1)) / nl
	left := heatAxisTitle + heatRowLabels
	mw, mh := ni*cw+(ni-1)*heatGap, nl*ch+(nl-1)*heatGap
	hm.Width, hm.Height = left+mw+heatRight, heatTop+mh+heatBottom
	x := func(i int) int { return left + (i-1)*(cw+heatGap) }     // impact step i
	y := func(l int) int { return heatTop + (nl-l)*(ch+heatGap) } // likelihood step l

	cells := make([][]riskHeatCellInput, nl+1)
	for l := nl; l >= 1; l-- {
		cells[l] = make([]riskHeatCellInput, ni+1)
		for i := 1; i <= ni; i++ {
			c := in.Cell(l, i)
			cells[l][i] = c
			out := riskHeatCell{X: x(i), Y: y(l), W: cw, H: ch, CX: x(i) + cw/2, CY: y(l) + ch/2,
				Fill: c.Colour, Ink: heatTextColour(c.Colour), Count: c.Count, Label: c.Label,
				Selected: l == in.SelLikelihood && i == in.SelImpact}
			if c.Count > 0 {
				out.Href = c.Href
			}
			hm.Total += c.Count
			hm.Cells = append(hm.Cells, out)
		}
	}
	// The appetite line: every edge between two neighbouring cells of
	// which exactly one lies above appetite.
	half := heatGap / 2
	for l := 1; l <= nl; l++ {
		for i := 1; i <= ni; i++ {
			if i < ni && cells[l][i].Above != cells[l][i+1].Above {
				hm.AppetiteLine += fmt.Sprintf("M%d %dV%d", x(i)+cw+half, y(l)-half, y(l)+ch+half)
			}
			if l < nl && cells[l][i].Above != cells[l+1][i].Above {
				hm.AppetiteLine += fmt.Sprintf("M%d %dH%d", x(i)-half, y(l)-half, x(i)+cw+half)
			}
		}
	}

	lines := func(text []string, first int) []riskHeatLine {
		out := make([]riskHeatLine, len(text))
		for k, s := range text {
			out[k] = riskHeatLine{Y: first + k*heatLine, Text: s}
		}
		return out
	}
	for l := nl; l >= 1; l-- {
		label := in.Likelihood[l-1]
		text := wrapLabel(label, heatRowChars)
		mid := y(l) + ch/2 + 4
		hm.Rows = append(hm.Rows, riskHeatTick{Step: l, X: left - 8, Y: mid, LabelX: left - 24, Label: label,
			Lines: lines(text, mid-(len(text)-1)*heatLine/2)})
	}
	bottom := heatTop + mh
	colChars := max(6, cw/6)
	for i := 1; i <= ni; i++ {
		label := in.Impact[i-1]
		hm.Cols = append(hm.Cols, riskHeatTick{Step: i, X: x(i) + cw/2, Y: bottom + 16, LabelX: x(i) + cw/2, Label: label,
			Lines: lines(wrapLabel(label, colChars), bottom+30)})
	}
	hm.LikelihoodX, hm.LikelihoodY = 12, heatTop+mh/2
	hm.ImpactX, hm.ImpactY = left+mw/2, bottom+heatBottom-4
	return hm
}

// wrapLabel breaks a scale label into at most two lines of about width
// characters, at the space nearest the middle, and shortens what still
// does not fit (the tooltip keeps the whole label).
func wrapLabel(s string, width int) []string {
	cut := func(s string) string {
		r := []rune(s)
		if len(r) <= width {
			return s
		}
		return string(r[:max(1, width-1)]) + "…"
	}
	r := []rune(s)
	if len(r) <= width {
		return []string{s}
	}
	best, mid := -1, len(r)/2
	for i, c := range r {
		if c == ' ' && (best < 0 || math.Abs(float64(i-mid)) < math.Abs(float64(best-mid))) {
			best = i
		}
	}
	if best < 0 {
		return []string{cut(s)}
	}
	return []string{cut(string(r[:best])), cut(string(r[best+1:]))}
}

// heatTextColour is white or near-black, whichever contrasts more with the
// background colour hex (#rrggbb), by WCAG relative luminance.
func heatTextColour(hex string) string {
	const light, dark = "#ffffff", "#1b2330"
	var r, g, b uint8
	if n, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil || n != 3 || len(hex) != 7 {
		return dark
	}
	lin := func(v uint8) float64 {
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	lum := 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	// Contrast with white is 1.05/(L+0.05); with the dark ink (luminance
	// about 0.016) it is (L+0.05)/0.066.
	if 1.05/(lum+0.05) >= (lum+0.05)/0.066 {
		return light
	}
	return dark
}
