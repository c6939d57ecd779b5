package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"tandem/internal/i18n"
)

// Page geometry of the SoA PDF: A4 landscape, in millimetres.
const (
	pdfPageWidth  = 297.0
	pdfPageHeight = 210.0
	pdfMarginX    = 12.0
	pdfMarginTop  = 12.0
	pdfMarginBot  = 14.0
	pdfFooterGap  = 2.0 // space kept free above the footer line
	pdfGrid       = 100 // columns are sized in percent of the text width
	pdfBody       = 7.5 // table text, in points
)

const (
	pdfTextWidth  = pdfPageWidth - 2*pdfMarginX
	pdfTextHeight = pdfPageHeight - pdfMarginTop - pdfMarginBot
)

// pdfSoAColumns are the table's columns: their share of the text width in
// percent. The group is the section heading, so it has no column.
var pdfSoAColumns = []struct {
	col  soaColumn
	span int
}{
	{colRef, 5}, {colTitle, 13}, {colApplicable, 7}, {colJustification, 20},
	{colReasons, 10}, {colState, 9}, {colControls, 14}, {colOwners, 9}, {colRisks, 13},
}

func rgb(hex string) *props.Color {
	v, _ := strconv.ParseUint(hex, 16, 32)
	return &props.Color{Red: int(v >> 16 & 0xFF), Green: int(v >> 8 & 0xFF), Blue: int(v & 0xFF)}
}

var (
	pdfInk     = rgb("1A1A1A")
	pdfMuted   = rgb(xlMuted)
	pdfHeading = rgb(xlHeaderFill)
	pdfRule    = rgb(xlRule)
	pdfWhite   = rgb("FFFFFF")
	pdfPanel   = rgb("F2F4F8")
)

// soaPDF builds the document: maroto lays out the pages; this keeps a
// table's header row with its rows across page breaks.
type soaPDF struct {
	doc SoADocument
	m   core.Maroto
}

// SoAPDF writes the Statement of Applicability as a PDF on A4 landscape: a
// title page (organization, standard, "Statement of Applicability", the
// version with its issue date and approver, or "Draft — generated …"), a
// summary of the decisions and implementation states, then the table of
// Annex A controls grouped by theme or objective group, its header row
// repeated on every page. Every page has "Page X of Y" in the footer.
func SoAPDF(w io.Writer, doc SoADocument) error {
	gen := doc.generatedAt()
	cfg := config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithOrientation(orientation.Horizontal).
		WithLeftMargin(pdfMarginX).WithRightMargin(pdfMarginX).
		WithTopMargin(pdfMarginTop).WithBottomMargin(pdfMarginBot).
		WithMaxGridSize(pdfGrid).
		WithCustomFonts(pdfFonts()).
		WithDefaultFont(&props.Font{Family: pdfFamily, Style: fontstyle.Normal, Size: pdfBody, Color: pdfInk}).
		WithPageNumber(props.PageNumber{Pattern: i18n.T("report.page"), Place: props.RightBottom,
			Family: pdfFamily, Style: fontstyle.Normal, Size: 7, Color: pdfMuted}).
		WithTitle(pdfText(doc.title()), true).
		WithSubject(pdfText(doc.Org.Name+" — "+doc.versionLabel()), true).
		WithAuthor(pdfText(doc.Org.Name), true).
		WithCreator(i18n.T("report.product"), true).
		WithCreationDate(gen).
		WithCompression(true).
		Build()
	p := &soaPDF{doc: doc, m: maroto.New(cfg)}
	// The footer names the document in one line, clear of the page number.
	footer := wrap(doc.Org.Name+" · "+doc.title()+" · "+doc.versionLabel(), pdfTextWidth*0.8, fontstyle.Normal, 7)
	if len(footer) > 1 {
		footer[0] += "…"
	}
	if err := p.m.RegisterFooter(row.New(pdfFooterGap).Add(col.New(pdfGrid).Add(text.New(footer[0], props.Text{
		Family: pdfFamily, Style: fontstyle.Normal, Size: 7, Color: pdfMuted, Top: pdfFooterGap,
	})))); err != nil {
		return err
	}

	p.titlePage()
	p.newPage()
	p.summary()
	p.newPage()
	p.table()

	out, err := p.m.Generate()
	if err != nil {
		return fmt.Errorf("report: SoA PDF: %w", err)
	}
	_, err = w.Write(out.GetBytes())
	return err
}

func (p *soaPDF) newPage() { p.m.AddPages(page.New()) }

// space adds empty height.
func (p *soaPDF) space(mm float64) { p.m.AddRows(row.New(mm)) }

// paragraph adds text across the whole width (or span percent of it).
func (p *soaPDF) paragraph(s string, st pdfStyle) {
	r, _ := pdfRow([]pdfCell{{Span: pdfGrid, Lines: wrap(s, pdfTextWidth-2*padX, st.Style, st.Size), pdfStyle: st}}, nil)
	p.m.AddRows(r)
}

func (p *soaPDF) titlePage() {
	d := p.doc
	// The page is laid out first and then placed a third of the way down
	// the space it leaves, so that a long name or note still fits on it.
	var rows []core.Row
	height := 0.0
	add := func(r core.Row, h float64) { rows, height = append(rows, r), height+h }
	space := func(mm float64) { add(row.New(mm), mm) }
	centered := func(s string, size float64, style fontstyle.Type, color *props.Color) {
		st := pdfStyle{Size: size, Style: style, Color: color, Align: "center"}
		add(pdfRow([]pdfCell{{Span: pdfGrid, Lines: wrap(s, pdfTextWidth-2*padX, st.Style, st.Size), pdfStyle: st}}, nil))
	}
	centered(i18n.T("report.soa.title"), 26, fontstyle.Bold, pdfHeading)
	space(3)
	centered(d.standardTitle(), 18, fontstyle.Normal, pdfInk)
	if name := d.standardName(); name != "" {
		centered(name, 11, fontstyle.Normal, pdfMuted)
	}
	space(12)
	centered(d.Org.Name, 16, fontstyle.Bold, pdfInk)
	space(10)

	// The facts that identify this SoA, label beside value, on a panel.
	label := pdfStyle{Size: 10, Style: fontstyle.Bold, Color: pdfMuted, Fill: pdfPanel, Align: "right"}
	value := pdfStyle{Size: 10, Style: fontstyle.Normal, Color: pdfInk, Fill: pdfPanel}
	edge := pdfCell{Span: 20, Lines: []string{""}}
	for _, m := range d.metadata() {
		if m[0] == i18n.T("report.soa.organization") || m[0] == i18n.T("report.soa.standard") {
			continue // on the page above
		}
		add(pdfRow([]pdfCell{
			edge,
			{Span: 22, Lines: wrap(m[0], colWidth(22), label.Style, label.Size), pdfStyle: label},
			{Span: 38, Lines: wrap(m[1], colWidth(38), value.Style, value.Size), pdfStyle: value},
		}, nil))
	}
	if d.Version == nil {
		space(6)
		c := stateColours["partially_implemented"]
		note := pdfStyle{Size: 10, Style: fontstyle.Bold, Color: rgb(c.Text), Fill: rgb(c.Fill), Align: "center"}
		add(pdfRow([]pdfCell{edge,
			{Span: 60, Lines: wrap(i18n.T("report.soa.draft_generated", d.moment(d.generatedAt())), colWidth(60), note.Style, note.Size), pdfStyle: note},
		}, nil))
		space(2)
		centered(i18n.T("report.soa.draft_note"), 9, fontstyle.Italic, pdfMuted)
	}
	if top := (pdfTextHeight - pdfFooterGap - height) / 3; top > 0 {
		p.space(min(top, 45))
	}
	p.m.AddRows(rows...)
}

// headerCells is a table's header row: white bold text on dark blue.
func headerCells(titles []string, spans []int, numericFrom int) []pdfCell {
	st := pdfStyle{Size: pdfBody, Style: fontstyle.Bold, Color: pdfWhite, Fill: pdfHeading}
	cells := make([]pdfCell, len(titles))
	for i, t := range titles {
		s := st
		if numericFrom > 0 && i >= numericFrom {
			s.Align = "right"
		}
		cells[i] = pdfCell{Span: spans[i], Lines: wrap(t, pdfTextWidth*float64(spans[i])/pdfGrid-2*padX, s.Style, s.Size), pdfStyle: s}
	}
	return cells
}

// countTable adds a table of a label column and numeric columns.
func (p *soaPDF) countTable(head []string, spans []int, rows [][]string, totals []string) {
	r, _ := pdfRow(headerCells(head, spans, 1), nil)
	p.m.AddRows(r)
	add := func(cells []string, style fontstyle.Type) {
		out := make([]pdfCell, len(cells))
		for i, c := range cells {
			st := pdfStyle{Size: 8.5, Style: style, Color: pdfInk}
			if i > 0 {
				st.Align = "right"
			}
			out[i] = pdfCell{Span: spans[i], Lines: wrap(c, pdfTextWidth*float64(spans[i])/pdfGrid-2*padX, st.Style, st.Size), pdfStyle: st}
		}
		r, _ := pdfRow(out, pdfRule)
		p.m.AddRows(r)
	}
	for _, cells := range rows {
		add(cells, fontstyle.Normal)
	}
	if totals != nil {
		add(totals, fontstyle.Bold)
	}
}

func (p *soaPDF) summary() {
	d := p.doc
	sum := d.summary()
	p.paragraph(i18n.T("report.soa.summary"), pdfStyle{Size: 16, Style: fontstyle.Bold, Color: pdfHeading})
	p.space(2)
	p.paragraph(d.title()+" · "+d.Org.Name+" · "+d.versionLabel(), pdfStyle{Size: 9, Color: pdfMuted})
	p.space(4)

	p.paragraph(i18n.T("report.soa.summary_decisions"), pdfStyle{Size: 11, Style: fontstyle.Bold, Color: pdfInk})
	p.space(1)
	head := []string{i18n.T("report.soa.col.state")}
	spans := []int{28}
	for _, dec := range decisions {
		head = append(head, i18n.T("report.soa.decision."+dec))
		spans = append(spans, 13)
	}
	head, spans = append(head, i18n.T("report.soa.total")), append(spans, 13)
	var rows [][]string
	for _, st := range d.summaryStates() {
		cells := []string{stateLabel(st)}
		for _, dec := range decisions {
			cells = append(cells, strconv.Itoa(sum.Count[[2]string{dec, st}]))
		}
		rows = append(rows, append(cells, strconv.Itoa(sum.State[st])))
	}
	totals := []string{i18n.T("report.soa.total")}
	for _, dec := range decisions {
		totals = append(totals, strconv.Itoa(sum.Decision[dec]))
	}
	p.countTable(head, spans, rows, append(totals, strconv.Itoa(sum.Total)))

	p.space(8)
	p.paragraph(i18n.T("report.soa.summary_groups"), pdfStyle{Size: 11, Style: fontstyle.Bold, Color: pdfInk})
	p.space(1)
	head = []string{d.groupLabel(), i18n.T("report.soa.controls_count")}
	spans = []int{41, 13}
	for _, dec := range decisions {
		head = append(head, i18n.T("report.soa.decision."+dec))
		spans = append(spans, 13)
	}
	rows = nil
	for _, g := range sum.Groups {
		cells := []string{g.Title, strconv.Itoa(g.Total)}
		for _, dec := range decisions {
			cells = append(cells, strconv.Itoa(g.Decision[dec]))
		}
		rows = append(rows, cells)
	}
	p.countTable(head, spans, rows, nil)

	p.space(8)
	p.paragraph(i18n.T("report.soa.trace"), pdfStyle{Size: 11, Style: fontstyle.Bold, Color: pdfInk})
	p.space(1)
	p.paragraph(d.traceLine(), pdfStyle{Size: 9, Color: pdfInk})
	if more := d.untracedLine(); more != "" {
		c := stateColours["partially_implemented"]
		p.paragraph(more, pdfStyle{Size: 9, Style: fontstyle.Bold, Color: rgb(c.Text)})
	}
}

// colWidth is the width of the text inside a table column, in millimetres.
func colWidth(span int) float64 { return pdfTextWidth*float64(span)/pdfGrid - 2*padX }

// dataCells lays out one SoA row: the text of each column broken into lines.
func (p *soaPDF) dataCells(c soaCells, state string) []pdfCell {
	record := c.record("\n")
	cells := make([]pdfCell, len(pdfSoAColumns))
	for i, column := range pdfSoAColumns {
		st := pdfStyle{Size: pdfBody, Style: fontstyle.Normal, Color: pdfInk}
		switch column.col {
		case colRef:
			st.Style = fontstyle.Bold
		case colApplicable:
			switch c.Decision {
			case decisionNo:
				st.Color = pdfMuted
			case decisionUndecided:
				colours := stateColours["partially_implemented"]
				st.Style, st.Color, st.Fill = fontstyle.Bold, rgb(colours.Text), rgb(colours.Fill)
			}
		case colRisks:
			if c.Untraced {
				colours := stateColours["partially_implemented"]
				st.Color, st.Fill = rgb(colours.Text), rgb(colours.Fill)
			}
		case colState:
			if colours, ok := stateColours[state]; ok && c.Decision != decisionNo {
				st.Color, st.Fill = rgb(colours.Text), rgb(colours.Fill)
			} else {
				st.Color = pdfMuted
			}
		}
		lines := wrap(record[column.col], colWidth(column.span), st.Style, st.Size)
		switch column.col {
		case colControls:
			lines = wrapList(c.Controls, colWidth(column.span), st.Style, st.Size)
		case colOwners:
			lines = wrapList(c.Owners, colWidth(column.span), st.Style, st.Size)
		case colRisks:
			lines = wrapList(c.Risks, colWidth(column.span), st.Style, st.Size)
		}
		cells[i] = pdfCell{Span: column.span, Lines: lines, pdfStyle: st}
	}
	return cells
}

// lineCount is the number of lines of a row's tallest cell.
func lineCount(cells []pdfCell) int {
	most := 0
	for _, c := range cells {
		most = max(most, len(c.Lines))
	}
	return most
}

// splitRow cuts a row after its first n lines: the rest goes on as a row
// of its own, with the ID repeated, greyed.
func splitRow(cells []pdfCell, n int) (head, rest []pdfCell) {
	head, rest = make([]pdfCell, len(cells)), make([]pdfCell, len(cells))
	for i, c := range cells {
		head[i], rest[i] = c, c
		k := min(n, len(c.Lines))
		head[i].Lines, rest[i].Lines = c.Lines[:k], c.Lines[k:]
		if i == 0 {
			head[i].Lines, rest[i].Lines = c.Lines, c.Lines
			rest[i].Color = pdfMuted
		}
	}
	return head, rest
}

// fittingLines is how many lines of body text still fit on the page.
func (p *soaPDF) fittingLines(style pdfStyle) int {
	lo, hi := 0, 200
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if p.m.FitlnCurrentPage(cellHeight(mid, style)) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func (p *soaPDF) table() {
	d := p.doc
	header := d.soaHeader()
	titles := make([]string, len(pdfSoAColumns))
	spans := make([]int, len(pdfSoAColumns))
	for i, c := range pdfSoAColumns {
		titles[i], spans[i] = header[c.col], c.span
	}
	headerRow := func() {
		r, _ := pdfRow(headerCells(titles, spans, 0), nil)
		p.m.AddRows(r)
	}
	_, headerHeight := pdfRow(headerCells(titles, spans, 0), nil)
	headingStyle := pdfStyle{Size: 11, Style: fontstyle.Bold, Color: pdfHeading}
	heading := func(s string) {
		p.space(2)
		p.paragraph(s, headingStyle)
	}
	body := pdfStyle{Size: pdfBody}
	// A row taller than this many lines is split to fill the page rather
	// than moved whole to the next one (leaving a gap); no part of a split
	// row is shorter than minPart lines.
	const tall, minPart = 12, 4

	names := d.groupNames()
	for gi, g := range d.groups() {
		rows := make([][]pdfCell, len(g.Rows))
		for i, r := range g.Rows {
			rows[i] = p.dataCells(d.cells(r, names), r.State)
		}
		title := i18n.T("report.soa.group_count", g.Title, len(g.Rows))
		first := cellHeight(min(lineCount(rows[0]), tall), body)
		headingHeight := cellHeight(1, headingStyle) + 2
		if gi > 0 {
			p.space(4)
		}
		// A heading never ends a page alone: it moves on with the header
		// row and the first row.
		if !p.m.FitlnCurrentPage(headingHeight + headerHeight + first) {
			p.newPage()
		}
		heading(title)
		headerRow()
		continued := func() {
			p.newPage()
			heading(i18n.T("report.soa.continued", g.Title))
			headerRow()
		}
		for _, cells := range rows {
			for fresh := false; ; {
				r, h := pdfRow(cells, pdfRule)
				if p.m.FitlnCurrentPage(h) {
					p.m.AddRows(r)
					break
				}
				// Too tall for what is left of the page: a tall row (or one
				// taller than a whole page) fills the page and goes on.
				if n := lineCount(cells); n > tall || fresh {
					if cut := min(p.fittingLines(body), n-minPart); cut >= minPart || fresh && cut >= 1 {
						var head []pdfCell
						head, cells = splitRow(cells, cut)
						r, _ = pdfRow(head, pdfRule)
						p.m.AddRows(r)
					}
				}
				continued()
				fresh = true
			}
		}
	}
	if len(d.Rows) == 0 {
		p.paragraph(i18n.T("report.none"), pdfStyle{Size: pdfBody, Color: pdfMuted})
	}
	p.space(4)
	p.paragraph(i18n.T("report.generated_by", d.moment(d.generatedAt())), pdfStyle{Size: 7, Style: fontstyle.Italic, Color: pdfMuted})
}
