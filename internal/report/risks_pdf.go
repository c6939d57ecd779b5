package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// riskPDF lays out the risk documents (the register and the treatment
// plan) on A4 landscape, in the SoA's type and colours.
type riskPDF struct {
	m core.Maroto
}

func newRiskPDF(org domain.Org, title string, gen time.Time, footer string) (*riskPDF, error) {
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
		WithTitle(pdfText(title), true).
		WithSubject(pdfText(org.Name+" — "+title), true).
		WithAuthor(pdfText(org.Name), true).
		WithCreator(i18n.T("report.product"), true).
		WithCreationDate(gen).
		WithCompression(true).
		Build()
	p := &riskPDF{m: maroto.New(cfg)}
	// The footer names the document in one line, clear of the page number.
	lines := wrap(footer, pdfTextWidth*0.8, fontstyle.Normal, 7)
	if len(lines) > 1 {
		lines[0] += "…"
	}
	err := p.m.RegisterFooter(row.New(pdfFooterGap).Add(col.New(pdfGrid).Add(text.New(lines[0], props.Text{
		Family: pdfFamily, Style: fontstyle.Normal, Size: 7, Color: pdfMuted, Top: pdfFooterGap,
	}))))
	return p, err
}

func (p *riskPDF) write(w io.Writer, what string) error {
	out, err := p.m.Generate()
	if err != nil {
		return fmt.Errorf("report: %s PDF: %w", what, err)
	}
	_, err = w.Write(out.GetBytes())
	return err
}

func (p *riskPDF) newPage()            { p.m.AddPages(page.New()) }
func (p *riskPDF) space(mm float64)    { p.m.AddRows(row.New(mm)) }
func (p *riskPDF) fits(h float64) bool { return p.m.FitlnCurrentPage(h) }

// paragraph adds text across the whole width.
func (p *riskPDF) paragraph(s string, st pdfStyle) {
	r, _ := pdfRow([]pdfCell{{Span: pdfGrid, Lines: wrap(s, pdfTextWidth-2*padX, st.Style, st.Size), pdfStyle: st}}, nil)
	p.m.AddRows(r)
}

// fittingLines is how many lines of body text still fit on the page.
func (p *riskPDF) fittingLines(style pdfStyle) int {
	lo, hi := 0, 200
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if p.fits(cellHeight(mid, style)) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// Styles of the title block.
var (
	riskTitleStyle    = pdfStyle{Size: 17, Style: fontstyle.Bold, Color: pdfHeading}
	riskSubtitleStyle = pdfStyle{Size: 9, Color: pdfMuted}
	factLabel         = pdfStyle{Size: 8, Style: fontstyle.Bold, Color: pdfMuted, Fill: pdfPanel}
	factValue         = pdfStyle{Size: 8, Color: pdfInk, Fill: pdfPanel}
)

// titleBlock opens a document: its title, the clauses it evidences, and
// the facts that identify it on a panel, two to a row.
func (p *riskPDF) titleBlock(title, subtitle string, facts [][2]string) {
	p.paragraph(title, riskTitleStyle)
	p.paragraph(subtitle, riskSubtitleStyle)
	p.space(2.5)
	const label, value = 11, 39
	for i := 0; i < len(facts); i += 2 {
		var cells []pdfCell
		for _, f := range facts[i:min(i+2, len(facts))] {
			cells = append(cells,
				pdfCell{Span: label, Lines: wrap(f[0], colWidth(label), factLabel.Style, factLabel.Size), pdfStyle: factLabel},
				pdfCell{Span: value, Lines: wrap(f[1], colWidth(value), factValue.Style, factValue.Size), pdfStyle: factValue})
		}
		if len(cells) < 4 {
			cells = append(cells, pdfCell{Span: label + value, Lines: []string{""}, pdfStyle: factValue})
		}
		r, _ := pdfRow(cells, nil)
		p.m.AddRows(r)
	}
}

// legend shows the method's levels as chips in their colours, lowest
// first, the appetite marked.
func (p *riskPDF) legend(m domain.RiskMethod) {
	cells := []pdfCell{{Span: 11, Lines: []string{i18n.T("report.risk.levels")}, pdfStyle: factLabel}}
	used := 11
	for i, l := range m.Levels {
		lv := levelOf(m, l.ID)
		label := lv.Label
		if l.ID == m.Appetite {
			label += " · " + i18n.T("report.risk.appetite")
		}
		span := 8
		if l.ID == m.Appetite {
			span = 13
		}
		if used+span+1 > pdfGrid {
			break
		}
		if i > 0 {
			cells = append(cells, pdfCell{Span: 1, Lines: []string{""}, pdfStyle: factValue})
			used++
		}
		st := pdfStyle{Size: 7.5, Style: fontstyle.Bold, Color: rgb(lv.Ink), Fill: rgb(lv.Fill), Align: "center"}
		cells = append(cells, pdfCell{Span: span, Lines: wrap(label, colWidth(span), st.Style, st.Size)[:1], pdfStyle: st})
		used += span
	}
	cells = append(cells, pdfCell{Span: pdfGrid - used, Lines: []string{""}, pdfStyle: factValue})
	r, _ := pdfRow(cells, nil)
	p.m.AddRows(r)
}

// table adds a table whose header row is repeated on every page it runs
// onto, under a "continued" line. A row taller than a dozen lines is split
// to fill the page rather than moved whole (leaving a gap).
func (p *riskPDF) table(titles []string, spans []int, rows [][]pdfCell, continued string) {
	header := func() {
		r, _ := pdfRow(headerCells(titles, spans, 0), nil)
		p.m.AddRows(r)
	}
	_, headerHeight := pdfRow(headerCells(titles, spans, 0), nil)
	body := pdfStyle{Size: pdfBody}
	const tall, minPart = 12, 4
	if len(rows) > 0 && !p.fits(headerHeight+cellHeight(min(lineCount(rows[0]), tall), body)) {
		p.newPage()
	}
	header()
	for _, cells := range rows {
		for fresh := false; ; {
			r, h := pdfRow(cells, pdfRule)
			if p.fits(h) {
				p.m.AddRows(r)
				break
			}
			if n := lineCount(cells); n > tall || fresh {
				if cut := min(p.fittingLines(body), n-minPart); cut >= minPart || fresh && cut >= 1 {
					var head []pdfCell
					head, cells = splitRow(cells, cut)
					r, _ = pdfRow(head, pdfRule)
					p.m.AddRows(r)
				}
			}
			p.newPage()
			p.paragraph(continued, pdfStyle{Size: 9, Style: fontstyle.Bold, Color: pdfHeading})
			p.space(1)
			header()
			fresh = true
		}
	}
}

// pairTable is a table of entries of two rows each, a main row and a
// detail row under it, kept together on a page; the rule runs under the
// detail row only. A detail too tall for a page is split across pages.
func (p *riskPDF) pairTable(titles []string, spans []int, entries [][2][]pdfCell, continued string) {
	header := func() {
		r, _ := pdfRow(headerCells(titles, spans, 0), nil)
		p.m.AddRows(r)
	}
	newPage := func() {
		p.newPage()
		p.paragraph(continued, pdfStyle{Size: 9, Style: fontstyle.Bold, Color: pdfHeading})
		p.space(1)
		header()
	}
	_, headerHeight := pdfRow(headerCells(titles, spans, 0), nil)
	if len(entries) > 0 {
		_, h := pdfRow(entries[0][0], nil)
		if !p.fits(headerHeight + h + cellHeight(2, detailValue)) {
			p.newPage()
		}
	}
	header()
	for _, e := range entries {
		main, mainHeight := pdfRow(e[0], nil)
		detail, detailHeight := pdfRow(e[1], pdfRule)
		if !p.fits(mainHeight + detailHeight) {
			// Move the pair on, unless it would not fit a fresh page either.
			if mainHeight+detailHeight < pdfTextHeight-pdfFooterGap-headerHeight-12 || !p.fits(mainHeight+cellHeight(3, detailValue)) {
				newPage()
			}
		}
		p.m.AddRows(main)
		if p.fits(detailHeight) {
			p.m.AddRows(detail)
			continue
		}
		cells := e[1]
		for {
			cut := p.fittingLines(detailValue)
			if cut >= lineCount(cells) {
				r, _ := pdfRow(cells, pdfRule)
				p.m.AddRows(r)
				break
			}
			if cut >= 1 {
				var head []pdfCell
				head, cells = splitRow(cells, cut)
				r, _ := pdfRow(head, nil)
				p.m.AddRows(r)
			}
			newPage()
		}
	}
}

// levelCell is a score as a chip in its level's colour: the level, and
// under it likelihood × impact (and a note when it needs re-scoring).
func levelCell(m domain.RiskMethod, s domain.RiskScore, span int, size float64) pdfCell {
	lv := levelOf(m, s.Level)
	st := pdfStyle{Size: size, Style: fontstyle.Bold, Color: rgb(lv.Ink), Fill: rgb(lv.Fill), Align: "center"}
	lines := wrap(lv.Label, colWidth(span), st.Style, st.Size)
	lines = append(lines, score(s))
	if s.Rescore {
		lines = append(lines, i18n.T("report.risk.rescore"))
	}
	return pdfCell{Span: span, Lines: lines, pdfStyle: st}
}

// pdfRiskColumn is a column of the register's PDF table.
type pdfRiskColumn struct {
	id   string
	span int
	cell func(d *RiskRegister, r *domain.Risk, span int) pdfCell
}

var riskBody = pdfStyle{Size: pdfBody, Color: pdfInk}

// textColumn is a column of plain text.
func textColumn(id string, span int, st pdfStyle, value func(r *domain.Risk) string) pdfRiskColumn {
	return pdfRiskColumn{id, span, func(_ *RiskRegister, r *domain.Risk, span int) pdfCell {
		return pdfCell{Span: span, Lines: wrap(value(r), colWidth(span), st.Style, st.Size), pdfStyle: st}
	}}
}

// pdfRiskColumns are the columns of a risk's main row, the same in both
// registers: their share of the text width in percent (summing to 100).
var pdfRiskColumns = []pdfRiskColumn{
	textColumn("ref", 6, pdfStyle{Size: pdfBody, Style: fontstyle.Bold, Color: pdfInk}, func(r *domain.Risk) string { return r.Ref }),
	textColumn("title", 23, pdfStyle{Size: pdfBody, Style: fontstyle.Bold, Color: pdfInk}, func(r *domain.Risk) string { return r.Title }),
	textColumn("owner", 9, riskBody, func(r *domain.Risk) string { return r.Owner }),
	{"inherent", 7, func(d *RiskRegister, r *domain.Risk, span int) pdfCell {
		return levelCell(d.Method, r.Inherent, span, pdfBody)
	}},
	textColumn("treatment", 7, riskBody, func(r *domain.Risk) string { return valueLabel("report.risk.treatment.", r.Treatment) }),
	{"controls", 7, func(_ *RiskRegister, r *domain.Risk, span int) pdfCell {
		return pdfCell{Span: span, Lines: wrapList(r.Controls, colWidth(span), riskBody.Style, riskBody.Size), pdfStyle: riskBody}
	}},
	{"residual", 7, func(d *RiskRegister, r *domain.Risk, span int) pdfCell {
		return levelCell(d.Method, r.Residual, span, pdfBody)
	}},
	textColumn("status", 7, riskBody, func(r *domain.Risk) string { return valueLabel("report.risk.status.", r.Status) }),
	{"acceptance", 20, func(d *RiskRegister, r *domain.Risk, span int) pdfCell {
		state, text := acceptance(d.Method, *r, d.today())
		st := riskBody
		switch state {
		case acceptNeeded:
			c := stateColours["partially_implemented"]
			st.Style, st.Color, st.Fill = fontstyle.Bold, rgb(c.Text), rgb(c.Fill)
		case acceptNotNeeded:
			st.Color = pdfMuted
		case acceptValid:
			a := r.Acceptance
			text = i18n.T("report.risk.accepted_short", levelLabel(d.Method, a.Level), a.By, valueLabel("report.risk.role.", a.Role), a.Date, a.Expires)
		}
		return pdfCell{Span: span, Lines: wrap(text, colWidth(span), st.Style, st.Size), pdfStyle: st}
	}},
	{"next_review", 7, func(_ *RiskRegister, r *domain.Risk, span int) pdfCell {
		st := riskBody
		lines := []string{orNone(r.NextReview)}
		if r.ReviewDue {
			st.Style, st.Color = fontstyle.Bold, rgb(stateColours["not_implemented"].Text)
			lines = append(lines, i18n.T("report.risk.review_due"))
		}
		return pdfCell{Span: span, Lines: lines, pdfStyle: st}
	}},
}

// Styles of a risk's detail row: a small bold label beside its value.
var (
	detailLabel = pdfStyle{Size: 6.5, Style: fontstyle.Bold, Color: pdfMuted}
	detailValue = pdfStyle{Size: 6.8, Color: pdfInk}
)

// detailField is one field of the detail row: label and value spans.
type detailField struct {
	id           string
	label, value int
	text         func(r *domain.Risk) string
}

// detailFields are what a register adds to a risk, set under its main row
// across the width, so that long threats and descriptions of AI systems
// read as prose instead of a narrow column.
func detailFields(register string) []detailField {
	if register == domain.RegisterAI {
		return []detailField{
			{"ai_systems", 7, 24, func(r *domain.Risk) string { return r.AISystems }},
			{"sources", 8, 25, func(r *domain.Risk) string { return join(valueLabels("report.risk.source.", r.Sources)) }},
			{"parties", 10, 20, func(r *domain.Risk) string { return join(valueLabels("report.risk.party.", r.Parties)) }},
		}
	}
	return []detailField{
		{"assets", 5, 11, func(r *domain.Risk) string { return join(r.Assets) }},
		{"threat", 5, 26, func(r *domain.Risk) string { return r.Threat }},
		{"vulnerability", 8, 23, func(r *domain.Risk) string { return r.Vulnerability }},
		{"cia", 4, 12, func(r *domain.Risk) string { return join(valueLabels("report.risk.cia.", r.CIA)) }},
	}
}

// detailCells is a risk's detail row, indented under its ref.
func detailCells(register string, r *domain.Risk) []pdfCell {
	cells := []pdfCell{{Span: pdfRiskColumns[0].span, Lines: []string{""}, pdfStyle: detailValue}}
	for _, f := range detailFields(register) {
		cells = append(cells,
			pdfCell{Span: f.label, Lines: wrap(i18n.T("report.risk.col."+f.id), colWidth(f.label), detailLabel.Style, detailLabel.Size), pdfStyle: detailLabel},
			pdfCell{Span: f.value, Lines: wrap(orNone(f.text(r)), colWidth(f.value), detailValue.Style, detailValue.Size), pdfStyle: detailValue})
	}
	return cells
}

// levelCounts says how many risks are at each residual level, highest
// first: "31 — residual: Critical 3 · High 8 · Medium 12 · Low 8".
func levelCounts(m domain.RiskMethod, risks []domain.Risk) string {
	count := map[string]int{}
	for _, r := range risks {
		count[r.Residual.Level]++
	}
	var parts []string
	for i := len(m.Levels) - 1; i >= 0; i-- {
		if n := count[m.Levels[i].ID]; n > 0 {
			parts = append(parts, m.Levels[i].Label+" "+strconv.Itoa(n))
			delete(count, m.Levels[i].ID)
		}
	}
	for id, n := range count { // levels of an older method version
		parts = append(parts, levelLabel(m, id)+" "+strconv.Itoa(n))
	}
	s := strconv.Itoa(len(risks))
	if len(parts) > 0 {
		s += " — " + strings.ToLower(i18n.T("report.risk.col.residual")) + ": " + strings.Join(parts, " · ")
	}
	return s
}

// RisksPDF writes a register as a PDF on A4 landscape, to hand to an
// auditor: a title block (register, the clauses it evidences,
// organization, method version, appetite, filter, generated date in the
// organization's time zone, the count per residual level), the method's
// levels as a legend, then one table row per risk with the levels as
// chips in their colours, the header row repeated on every page. Every
// page has "Page X of Y" in the footer.
func RisksPDF(w io.Writer, doc RiskRegister, next RiskPages) error {
	if err := doc.check(); err != nil {
		return err
	}
	var risks []domain.Risk
	for {
		items, more, err := next()
		if err != nil {
			return err
		}
		if risks = append(risks, items...); len(risks) > MaxDocumentRisks {
			return tooManyRisks()
		}
		if !more {
			break
		}
	}
	p, err := newRiskPDF(doc.Org, doc.title(), doc.generatedAt(), doc.Org.Name+" · "+doc.title()+" · "+doc.moment())
	if err != nil {
		return err
	}
	meta := doc.metadata()
	facts := append([][2]string{meta[0], meta[1]}, meta[2], meta[3],
		[2]string{i18n.T("report.risk.count"), levelCounts(doc.Method, risks)}, meta[5], meta[4])
	p.titleBlock(doc.title(), i18n.T("report.risk.clauses."+doc.Register), facts)
	p.space(1)
	p.legend(doc.Method)
	p.space(4)

	cols := pdfRiskColumns
	titles, spans := make([]string, len(cols)), make([]int, len(cols))
	for i, c := range cols {
		titles[i], spans[i] = i18n.T("report.risk.col."+c.id), c.span
	}
	rows := make([][2][]pdfCell, len(risks))
	for i := range risks {
		cells := make([]pdfCell, len(cols))
		for j, c := range cols {
			cells[j] = c.cell(&doc, &risks[i], c.span)
		}
		rows[i] = [2][]pdfCell{cells, detailCells(doc.Register, &risks[i])}
	}
	p.pairTable(titles, spans, rows, i18n.T("report.risk.continued", doc.title()))
	if len(risks) == 0 {
		p.paragraph(i18n.T("report.risk.none_found"), pdfStyle{Size: 9, Color: pdfMuted})
	}
	p.space(4)
	p.paragraph(i18n.T("report.generated_by", doc.moment()), pdfStyle{Size: 7, Style: fontstyle.Italic, Color: pdfMuted})
	return p.write(w, "risk register")
}
