package report

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The PDFs are set in the Go fonts: they are embedded in the binary, cover
// the Latin, Greek and Cyrillic alphabets (Müller, Søren, Łukasz, Ελένη),
// and are embedded in each PDF as a subset of the glyphs it uses.
const pdfFamily = "go"

// pdfFonts are the faces registered with the PDF library.
func pdfFonts() []*entity.CustomFont {
	return []*entity.CustomFont{
		{Family: pdfFamily, Style: fontstyle.Normal, Bytes: goregular.TTF},
		{Family: pdfFamily, Style: fontstyle.Bold, Bytes: gobold.TTF},
		{Family: pdfFamily, Style: fontstyle.Italic, Bytes: goitalic.TTF},
	}
}

// ptPerMM converts a font size in points to millimetres, the PDF's unit.
const ptPerMM = 72 / 25.4

// widths holds the advance width of every rune of the Basic Multilingual
// Plane in thousandths of an em, rounded as the PDF library rounds them (so
// a line measured here is exactly as wide there); 0 marks a rune the font
// has no glyph for.
type widths struct {
	em      [0x10000]uint16
	missing int
}

var (
	faceOnce  sync.Once
	faceTable map[fontstyle.Type]*widths
)

func measureFaces() map[fontstyle.Type]*widths {
	faceOnce.Do(func() {
		faceTable = map[fontstyle.Type]*widths{
			fontstyle.Normal: loadWidths(goregular.TTF),
			fontstyle.Bold:   loadWidths(gobold.TTF),
			fontstyle.Italic: loadWidths(goitalic.TTF),
		}
	})
	return faceTable
}

func loadWidths(ttf []byte) *widths {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		panic("report: the embedded Go font does not parse: " + err.Error())
	}
	var buf sfnt.Buffer
	upem := int(f.UnitsPerEm())
	scale := 1000 / float64(upem)
	advance := func(g sfnt.GlyphIndex) int {
		a, err := f.GlyphAdvance(&buf, g, fixed.I(upem), font.HintingNone)
		if err != nil {
			return 0
		}
		return int(float64(a)/64*scale + 0.5)
	}
	w := &widths{missing: advance(0)}
	for r := rune(1); r < 0x10000; r++ {
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			continue
		}
		if a := advance(g); a > 0 && a < 0xFFFF {
			w.em[r] = uint16(a)
		}
	}
	return w
}

// textWidth is how wide s is, in millimetres, at size points.
func textWidth(s string, style fontstyle.Type, size float64) float64 {
	w := measureFaces()[style]
	if w == nil {
		w = measureFaces()[fontstyle.Normal]
	}
	total := 0
	for _, r := range s {
		if r < 0x10000 && w.em[r] > 0 {
			total += int(w.em[r])
		} else {
			total += w.missing
		}
	}
	return float64(total) * size / ptPerMM / 1000
}

// pdfText makes s printable in the PDF: tabs become spaces, other control
// characters and runes the font has no glyph for (CJK, emoji) become a
// question mark rather than an invisible or empty box. Line breaks stay.
func pdfText(s string) string {
	w := measureFaces()[fontstyle.Normal]
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == ' ':
			return r
		case r == '\t' || r == '\r' || r == '\u00a0':
			return ' '
		case unicode.IsControl(r) || r == '\u200b' || r == '\ufeff':
			return -1
		case r >= 0x10000 || w.em[r] == 0:
			return '?'
		}
		return r
	}, s)
}

// wrap breaks s into lines no wider than width millimetres: at its own line
// breaks, between words, and inside a word that is wider than a line. A
// small allowance keeps each line safely under the PDF library's own
// measure, so that it never wraps a line a second time.
func wrap(s string, width float64, style fontstyle.Type, size float64) []string {
	limit := width * 0.97
	var lines []string
	for _, para := range strings.Split(pdfText(s), "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			candidate := word
			if line != "" {
				candidate = line + " " + word
			}
			if textWidth(candidate, style, size) <= limit {
				line = candidate
				continue
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			// A word longer than the line is cut where it must be.
			for textWidth(word, style, size) > limit {
				cut, used := 0, 0.0
				for i, r := range word {
					used += textWidth(string(r), style, size)
					if used > limit {
						break
					}
					cut = i + utf8.RuneLen(r)
				}
				if cut == 0 {
					_, cut = utf8.DecodeRuneInString(word)
				}
				lines = append(lines, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		lines = append(lines, line)
	}
	// Trailing empty lines add nothing but height.
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// pdfStyle is how a block of text is set.
type pdfStyle struct {
	Size  float64
	Style fontstyle.Type
	Color *props.Color
	Fill  *props.Color // cell background
	Align string       // "" (left), "center" or "right"
}

// lineHeight is the distance between two baselines: the font size plus a
// little leading, in millimetres.
func (s pdfStyle) lineHeight() float64 { return s.Size / ptPerMM * 1.25 }

// fontHeight is the height the PDF library gives one line of text.
func (s pdfStyle) fontHeight() float64 { return s.Size / ptPerMM }

// Padding inside table cells, in millimetres.
const (
	padX = 1.4
	padY = 1.2
)

// pdfCell is one cell of a table row, already broken into lines.
type pdfCell struct {
	Span  int // grid columns
	Lines []string
	pdfStyle
}

// cellHeight is the height a cell of n lines needs.
func cellHeight(n int, s pdfStyle) float64 {
	if n < 1 {
		n = 1
	}
	return 2*padY + float64(n-1)*s.lineHeight() + s.fontHeight()
}

// hangIndent marks a line of a list entry after its first: wrapList puts
// it in front, pdfRow indents the line. (wrap never leaves a tab.)
const hangIndent = "\t"

// hangWidth is how far the later lines of a list entry are indented, in mm.
const hangWidth = 2.5

// wrapList breaks a list of entries (one control, one owner) into lines;
// the later lines of an entry hang, so that entries stay apart.
func wrapList(entries []string, width float64, style fontstyle.Type, size float64) []string {
	var lines []string
	for _, e := range entries {
		for i, l := range wrap(e, width-hangWidth, style, size) {
			if i > 0 {
				l = hangIndent + l
			}
			lines = append(lines, l)
		}
	}
	return lines
}

// pdfRow builds one table row of fixed height from cells whose lines are
// placed one by one, so maroto never re-wraps them (it does not know line
// breaks) and the height is known before the row is added.
func pdfRow(cells []pdfCell, rule *props.Color) (core.Row, float64) {
	height := 0.0
	for _, c := range cells {
		height = max(height, cellHeight(len(c.Lines), c.pdfStyle))
	}
	cols := make([]core.Col, 0, len(cells))
	for _, c := range cells {
		column := col.New(c.Span)
		for i, line := range c.Lines {
			left := padX
			if rest, ok := strings.CutPrefix(line, hangIndent); ok {
				line, left = rest, padX+hangWidth
			}
			if line == "" {
				continue
			}
			column.Add(text.New(line, props.Text{
				Family: pdfFamily, Style: c.Style, Size: c.Size, Color: c.Color,
				Top: padY + float64(i)*c.lineHeight(), Left: left, Right: padX, Align: alignOf(c.Align),
			}))
		}
		style := &props.Cell{BackgroundColor: c.Fill}
		if rule != nil {
			style.BorderType, style.BorderColor, style.BorderThickness = border.Bottom, rule, 0.2
		}
		if style.BackgroundColor != nil || style.BorderType != border.None {
			column.WithStyle(style)
		}
		cols = append(cols, column)
	}
	return row.New(height).Add(cols...), height
}

func alignOf(a string) align.Type {
	switch a {
	case "center":
		return align.Center
	case "right":
		return align.Right
	}
	return align.Left
}
