package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
)

// How the risk pages show the method's levels, scores and matrix. The
// colours are the organization's own (any #rrggbb), which CSS classes
// cannot carry and inline styles may not (the CSP forbids them), so every
// coloured thing is a small SVG with the colour as a fill attribute.

// levelView is a level of the risk method as a chip shows it. A level id
// the method does not know (a score from an older version) keeps its id
// as label and a neutral grey.
type methodLevel struct {
	ID, Label, Colour string
	Acceptor          string
	Known             bool
}

const unknownLevelColour = "#9aa3af"

func methodLevelOf(m domain.RiskMethod, id string) methodLevel {
	for _, l := range m.Levels {
		if l.ID == id {
			return methodLevel{ID: l.ID, Label: l.Label, Colour: l.Colour, Acceptor: l.Acceptor, Known: true}
		}
	}
	return methodLevel{ID: id, Label: id, Colour: unknownLevelColour}
}

// scoreView is one score with the labels of the method version it was
// given under, so an old score reads as it was meant.
type riskScoreView struct {
	domain.RiskScore
	LikelihoodLabel string
	ImpactLabel     string
	Level           methodLevel
}

func scaleLabel(steps []domain.ScaleStep, n int) string {
	if n < 1 || n > len(steps) {
		return ""
	}
	return steps[n-1].Label
}

func riskScoreOf(s domain.RiskScore, given domain.RiskMethod) riskScoreView {
	return riskScoreView{RiskScore: s, LikelihoodLabel: scaleLabel(given.Likelihood, s.Likelihood),
		ImpactLabel: scaleLabel(given.Impact, s.Impact), Level: methodLevelOf(given, s.Level)}
}

// methodVersions reads the method versions a page refers to, each once:
// a risk's two scores name at most two versions besides the one in force.
type methodCache struct {
	o       *store.OrgStore
	current domain.RiskMethod
	seen    map[int64]domain.RiskMethod
}

func newMethodCache(o *store.OrgStore, current domain.RiskMethod) *methodCache {
	return &methodCache{o: o, current: current, seen: map[int64]domain.RiskMethod{current.Version: current}}
}

// get returns version v; a version that is gone reads as the one in force.
func (mv *methodCache) get(ctx context.Context, v int64) (domain.RiskMethod, error) {
	if m, ok := mv.seen[v]; ok {
		return m, nil
	}
	m, err := mv.o.RiskMethodVersion(ctx, v)
	if errors.Is(err, domain.ErrNotFound) {
		m, err = mv.current, nil
	}
	if err != nil {
		return m, err
	}
	mv.seen[v] = m
	return m, nil
}

// matrixView is the method's matrix drawn as an SVG grid: likelihood
// upwards, impact to the right, each cell in its level's colour. The full
// drawing (the method page) writes level labels in the cells and the
// steps' labels on the axes; the mini drawing (a risk's page) numbers the
// axes and marks where the risk's scores sit.
type methodGrid struct {
	Title         string // what the drawing shows, for assistive technology
	Width, Height int
	Mini          bool
	Cells         []methodGridCell
	Rows, Cols    []methodGridLabel
	LikelihoodAt  methodGridLabel
	ImpactAt      methodGridLabel
	Marks         []methodGridMark
}

type methodGridCell struct {
	X, Y, W, H int
	TX, TY     int // where the cell's text sits
	Fill, Ink  string
	Text       string
	Title      string
}

type methodGridLabel struct {
	X, Y  int
	Y2    int // second line (the step's label under its number)
	Text  string
	Text2 string
	Title string
}

type methodGridMark struct {
	X, Y   int
	Kind   string // inherent or residual
	Letter string
	Title  string
}

// label cuts a label to fit n characters, with an ellipsis.
func clipLabel(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// fullMatrix draws the matrix of m with its labels.
func methodGridFull(m domain.RiskMethod, cellTitle func(l, i int, lv methodLevel) string) methodGrid {
	const labelW, cellW, cellH, gap, top = 138, 86, 46, 4, 26
	rows, cols := len(m.Likelihood), len(m.Impact)
	v := methodGrid{}
	for l := rows; l >= 1; l-- {
		y := top + (rows-l)*(cellH+gap)
		step := m.Likelihood[l-1]
		v.Rows = append(v.Rows, methodGridLabel{X: labelW - 12, Y: y + cellH/2 + 5, Text: strconv.Itoa(l) + "  " + clipLabel(step.Label, 16), Title: step.Label})
		for i := 1; i <= cols; i++ {
			x := labelW + (i-1)*(cellW+gap)
			lv := methodLevelOf(m, m.Level(l, i))
			v.Cells = append(v.Cells, methodGridCell{X: x, Y: y, W: cellW, H: cellH, TX: x + cellW/2, TY: y + cellH/2 + 5,
				Fill: lv.Colour, Ink: levelInk(lv.Colour), Text: clipLabel(lv.Label, 11), Title: cellTitle(l, i, lv)})
		}
	}
	bottom := top + rows*(cellH+gap) - gap
	for i := 1; i <= cols; i++ {
		step := m.Impact[i-1]
		v.Cols = append(v.Cols, methodGridLabel{X: labelW + (i-1)*(cellW+gap) + cellW/2, Y: bottom + 20, Y2: bottom + 37,
			Text: strconv.Itoa(i), Text2: clipLabel(step.Label, 13), Title: step.Label})
	}
	v.LikelihoodAt = methodGridLabel{X: labelW - 12, Y: 16}
	v.ImpactAt = methodGridLabel{X: labelW + (cols*(cellW+gap)-gap)/2, Y: bottom + 62}
	v.Width, v.Height = labelW+cols*(cellW+gap)-gap+2, bottom+72
	return v
}

// miniMatrix draws the matrix of m small, marking the inherent and the
// residual score where they lie inside it.
func methodGridMini(m domain.RiskMethod, inherent, residual riskScoreView, inherentTitle, residualTitle string) methodGrid {
	const labelW, cell, gap, top = 22, 28, 3, 18
	rows, cols := len(m.Likelihood), len(m.Impact)
	v := methodGrid{Mini: true}
	pos := func(l, i int) (int, int) {
		return labelW + (i-1)*(cell+gap), top + (rows-l)*(cell+gap)
	}
	for l := rows; l >= 1; l-- {
		_, y := pos(l, 1)
		v.Rows = append(v.Rows, methodGridLabel{X: labelW - 7, Y: y + cell/2 + 4, Text: strconv.Itoa(l), Title: m.Likelihood[l-1].Label})
		for i := 1; i <= cols; i++ {
			x, _ := pos(l, i)
			lv := methodLevelOf(m, m.Level(l, i))
			v.Cells = append(v.Cells, methodGridCell{X: x, Y: y, W: cell, H: cell, Fill: lv.Colour,
				Title: fmt.Sprintf("%d × %d: %s", l, i, lv.Label)})
		}
	}
	bottom := top + rows*(cell+gap) - gap
	for i := 1; i <= cols; i++ {
		x, _ := pos(1, i)
		v.Cols = append(v.Cols, methodGridLabel{X: x + cell/2, Y: bottom + 14, Text: strconv.Itoa(i), Title: m.Impact[i-1].Label})
	}
	inside := func(s riskScoreView) bool {
		return s.Likelihood >= 1 && s.Likelihood <= rows && s.Impact >= 1 && s.Impact <= cols
	}
	same := inherent.Likelihood == residual.Likelihood && inherent.Impact == residual.Impact
	for _, s := range []struct {
		score         riskScoreView
		kind, letter  string
		title         string
		offsetIfShare int
	}{{inherent, "inherent", "I", inherentTitle, -6}, {residual, "residual", "R", residualTitle, 6}} {
		if !inside(s.score) {
			continue
		}
		x, y := pos(s.score.Likelihood, s.score.Impact)
		cx := x + cell/2
		if same {
			cx += s.offsetIfShare
		}
		v.Marks = append(v.Marks, methodGridMark{X: cx, Y: y + cell/2, Kind: s.kind, Letter: s.letter, Title: s.title})
	}
	v.LikelihoodAt = methodGridLabel{X: 2, Y: 11}
	v.ImpactAt = methodGridLabel{X: labelW + (cols*(cell+gap)-gap)/2, Y: bottom + 30}
	v.Width, v.Height = labelW+cols*(cell+gap)-gap+2, bottom+36
	return v
}

// inkFor picks the text colour (white or near-black) that reads best on
// a fill, by the WCAG contrast of each against it.
func levelInk(hex string) string {
	const dark = "#1b2330"
	if len(hex) != 7 || hex[0] != '#' {
		return dark
	}
	lum := srgbLuminance(hex)
	onWhite := 1.05 / (lum + 0.05)
	onDark := (lum + 0.05) / (srgbLuminance(dark) + 0.05)
	if onWhite >= onDark {
		return "#ffffff"
	}
	return dark
}

func srgbLuminance(hex string) float64 {
	channel := func(s string) float64 {
		n, err := strconv.ParseUint(s, 16, 8)
		if err != nil {
			return 0
		}
		c := float64(n) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(hex[1:3]) + 0.7152*channel(hex[3:5]) + 0.0722*channel(hex[5:7])
}

// mayChangeRisk tells whether the person may change a record of the risk
// registers (a risk, an action) with this owner: managers and admins
// everywhere, contributors where they own it. Pages use it to offer
// forms; each write's own rule and ownership check still decide.
func (s *Shell) mayChangeRisk(owners ...string) bool {
	if s.scope == nil || s.scope.Org == nil {
		return false
	}
	switch auth.Decide(s.scope.Role, auth.Update, auth.ResRisk) {
	case auth.Allow:
		return true
	case auth.AllowOwn:
		for _, o := range owners {
			if s.scope.Owns(o) {
				return true
			}
		}
	}
	return false
}

// riskEditable tells whether the person may change every record of the
// risk family, not only their own (the risk method is one of those).
func (s *Shell) riskEditable() bool {
	return s.scope != nil && s.scope.Org != nil && auth.Decide(s.scope.Role, auth.Update, auth.ResRisk) == auth.Allow
}
