package web

import (
	"fmt"
	"math"
	"strings"

	"tandem/internal/domain"
)

// trendChart is one metric of an AI system over time: a line through its
// results, a dashed threshold line, failing points marked. Drawn on a
// 300 × 120 canvas with room for the axis labels.
type trendChart struct {
	Title      string
	Threshold  string // as people read it, with its comparator
	Line       string // polyline points
	Points     []trendPoint
	ThresholdY string
	YMin, YMax string
	XFirst     string
	XLast      string
	Latest     domain.AITest
}

type trendPoint struct {
	X, Y   string
	Failed bool
	Label  string
}

const (
	trendLeft, trendRight = 34.0, 292.0
	trendTop, trendBottom = 10.0, 96.0
)

func makeTrend(tr domain.AITrend) trendChart {
	c := trendChart{Title: tr.Metric, Threshold: tr.Comparator + " " + domain.FormatMeasure(tr.Threshold)}
	if tr.Slice != "" {
		c.Title += " · " + tr.Slice
	}
	if len(tr.Points) == 0 {
		return c
	}
	lo, hi := tr.Threshold, tr.Threshold
	for _, p := range tr.Points {
		lo, hi = math.Min(lo, p.Result), math.Max(hi, p.Result)
	}
	pad := (hi - lo) * 0.1
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 0.01)
	}
	lo, hi = lo-pad, hi+pad
	y := func(v float64) float64 { return trendBottom - (v-lo)/(hi-lo)*(trendBottom-trendTop) }
	n := len(tr.Points)
	var line []string
	for i, p := range tr.Points {
		x := (trendLeft + trendRight) / 2
		if n > 1 {
			x = trendLeft + float64(i)*(trendRight-trendLeft)/float64(n-1)
		}
		xs, ys := fmt.Sprintf("%.1f", x), fmt.Sprintf("%.1f", y(p.Result))
		line = append(line, xs+","+ys)
		c.Points = append(c.Points, trendPoint{X: xs, Y: ys, Failed: !p.Passed,
			Label: p.TestedOn + ": " + domain.FormatMeasure(p.Result) + " (" + p.ModelVersion + ")"})
	}
	c.Line = strings.Join(line, " ")
	c.ThresholdY = fmt.Sprintf("%.1f", y(tr.Threshold))
	c.YMin, c.YMax = domain.FormatMeasure(math.Round(lo*1000)/1000), domain.FormatMeasure(math.Round(hi*1000)/1000)
	c.XFirst, c.XLast = tr.Points[0].TestedOn, tr.Points[n-1].TestedOn
	c.Latest = tr.Points[n-1]
	return c
}
