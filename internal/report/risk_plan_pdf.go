package report

import (
	"io"
	"strconv"

	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// Styles of the plan's risk blocks.
var (
	planBand      = pdfStyle{Size: 9.5, Style: fontstyle.Bold, Color: pdfHeading, Fill: pdfPanel}
	planBandMuted = pdfStyle{Size: 8, Style: fontstyle.Bold, Color: pdfMuted, Fill: pdfPanel, Align: "right"}
	planLabel     = pdfStyle{Size: 7, Style: fontstyle.Bold, Color: pdfMuted}
	planValue     = pdfStyle{Size: 8, Color: pdfInk}
	planSubHead   = pdfStyle{Size: 7, Style: fontstyle.Bold, Color: pdfMuted, Fill: rgb("E4E8F0")}
	planCell      = pdfStyle{Size: pdfBody, Color: pdfInk}
	planSection   = pdfStyle{Size: 12, Style: fontstyle.Bold, Color: pdfHeading}
	planHeading   = pdfStyle{Size: 10, Style: fontstyle.Bold, Color: pdfInk}
)

// planIndent is the empty span in front of a block's tables.
const planIndent = 2

// planRow is a row of a block with its height, laid out before it is
// placed, so that a block can be kept on one page.
type planRow struct {
	r core.Row
	h float64
}

func newPlanRow(cells []pdfCell, rule *props.Color) planRow {
	r, h := pdfRow(cells, rule)
	return planRow{r, h}
}

// cellOf is a cell of text set in st, broken to the span's width.
func cellOf(span int, s string, st pdfStyle) pdfCell {
	return pdfCell{Span: span, Lines: wrap(s, colWidth(span), st.Style, st.Size), pdfStyle: st}
}

func blank(span int) pdfCell { return pdfCell{Span: span, Lines: []string{""}} }

// chip is a score in its level's colour: the level, and under it what it is.
func chip(m domain.RiskMethod, caption string, s domain.RiskScore, span int) pdfCell {
	lv := levelOf(m, s.Level)
	st := pdfStyle{Size: 7.5, Style: fontstyle.Bold, Color: rgb(lv.Ink), Fill: rgb(lv.Fill), Align: "center"}
	second := caption + " · " + score(s)
	if s.Rescore {
		second += " · " + i18n.T("report.risk.rescore")
	}
	return pdfCell{Span: span, Lines: append(wrap(lv.Label, colWidth(span), st.Style, st.Size),
		wrap(second, colWidth(span), st.Style, st.Size)...), pdfStyle: st}
}

// stateCell is a control status in the implementation colours.
func stateCell(span int, status string) pdfCell {
	st := planCell
	if c, ok := stateColours[controlState[status]]; ok {
		st.Color, st.Fill = rgb(c.Text), rgb(c.Fill)
	}
	return cellOf(span, valueLabel("report.status.", status), st)
}

// Spans of a block's two tables, side by side: the controls on the left,
// the actions on the right.
var (
	controlSpans = []int{planIndent, 8, 26, 12}
	actionSpans  = []int{7, 19, 10, 7, 7}
)

const (
	controlsWidth = 48
	planGap       = 2
	actionsWidth  = pdfGrid - controlsWidth - planGap
)

// riskBlock lays out one risk of the plan: a band with ref, title, status
// and both levels; owner, option, review and appetite; the controls and
// the actions side by side; the acceptance.
func (p TreatmentPlan) riskBlock(r domain.Risk) []planRow {
	var rows []planRow
	m := p.Method
	rows = append(rows, newPlanRow([]pdfCell{
		cellOf(7, r.Ref, planBand),
		cellOf(54, r.Title, planBand),
		cellOf(10, valueLabel("report.risk.status.", r.Status), planBandMuted),
		blank(1),
		chip(m, i18n.T("report.risk.col.inherent"), r.Inherent, 13),
		blank(1),
		chip(m, i18n.T("report.risk.col.residual"), r.Residual, 14),
	}, nil))

	appetite := i18n.T("report.plan.appetite_within")
	appetiteStyle := planValue
	if r.AboveAppetite {
		appetite = i18n.T("report.plan.appetite_above")
		appetiteStyle.Style, appetiteStyle.Color = fontstyle.Bold, rgb(stateColours["not_implemented"].Text)
	}
	review := orNone(r.NextReview)
	reviewStyle := planValue
	if r.ReviewDue {
		review += " · " + i18n.T("report.risk.review_due")
		reviewStyle.Style, reviewStyle.Color = fontstyle.Bold, rgb(stateColours["not_implemented"].Text)
	}
	rows = append(rows, newPlanRow([]pdfCell{
		blank(planIndent),
		cellOf(6, i18n.T("report.plan.owner"), planLabel), cellOf(26, r.Owner, planValue),
		cellOf(9, i18n.T("report.plan.option_chosen"), planLabel), cellOf(12, valueLabel("report.risk.treatment.", r.Treatment), planValue),
		cellOf(7, i18n.T("report.plan.next_review"), planLabel), cellOf(19, review, reviewStyle),
		cellOf(19, appetite, appetiteStyle),
	}, nil))

	// The two tables' header rows, then their rows pairwise.
	gap := newPlanRow([]pdfCell{blank(planGap)}, nil)
	rows = append(rows, sideBySide(
		newPlanRow([]pdfCell{blank(planIndent),
			cellOf(controlSpans[1], i18n.T("report.plan.col.control"), planSubHead),
			cellOf(controlSpans[2], i18n.T("report.plan.col.control_title"), planSubHead),
			cellOf(controlSpans[3], i18n.T("report.plan.col.control_status"), planSubHead)}, nil),
		gap,
		newPlanRow([]pdfCell{
			cellOf(actionSpans[0], i18n.T("report.plan.col.action"), planSubHead),
			cellOf(actionSpans[1], i18n.T("report.plan.col.action_title"), planSubHead),
			cellOf(actionSpans[2], i18n.T("report.plan.owner"), planSubHead),
			cellOf(actionSpans[3], i18n.T("report.plan.col.due"), planSubHead),
			cellOf(actionSpans[4], i18n.T("report.plan.col.action_status"), planSubHead)}, nil)))
	none := pdfStyle{Size: pdfBody, Style: fontstyle.Italic, Color: pdfMuted}
	for i := 0; i < max(1, len(r.Controls), len(r.Actions)); i++ {
		left := newPlanRow([]pdfCell{blank(controlsWidth)}, nil)
		switch {
		case i < len(r.Controls):
			ref := r.Controls[i]
			title, status, found := p.planControl(ref)
			st := planCell
			if !found {
				st.Color, st.Style = pdfMuted, fontstyle.Italic
			}
			bold := planCell
			bold.Style = fontstyle.Bold
			left = newPlanRow([]pdfCell{blank(planIndent),
				cellOf(controlSpans[1], ref, bold), cellOf(controlSpans[2], title, st), stateCell(controlSpans[3], status)}, pdfRule)
		case i == 0:
			left = newPlanRow([]pdfCell{blank(planIndent), cellOf(controlsWidth-planIndent, i18n.T("report.plan.controls_none"), none)}, pdfRule)
		}
		right := newPlanRow([]pdfCell{blank(actionsWidth)}, nil)
		switch {
		case i < len(r.Actions):
			a := r.Actions[i]
			ref, due, status := planCell, planCell, planCell
			ref.Style = fontstyle.Bold
			switch {
			case a.Overdue:
				c := stateColours["not_implemented"]
				due.Style, due.Color = fontstyle.Bold, rgb(c.Text)
				status.Style, status.Color, status.Fill = fontstyle.Bold, rgb(c.Text), rgb(c.Fill)
			case a.Status == domain.ActionDone:
				c := stateColours["implemented"]
				status.Color, status.Fill = rgb(c.Text), rgb(c.Fill)
			}
			right = newPlanRow([]pdfCell{
				cellOf(actionSpans[0], a.Ref, ref), cellOf(actionSpans[1], a.Title, planCell), cellOf(actionSpans[2], a.Owner, planCell),
				cellOf(actionSpans[3], a.Due, due), cellOf(actionSpans[4], actionStatus(a), status)}, pdfRule)
		case i == 0:
			right = newPlanRow([]pdfCell{cellOf(actionsWidth, i18n.T("report.plan.actions_none"), none)}, pdfRule)
		}
		rows = append(rows, sideBySide(left, gap, right))
	}

	// The acceptance, or that one is needed and from whom.
	state, text := acceptance(m, r, p.today())
	st := planValue
	switch state {
	case acceptNeeded:
		c := stateColours["partially_implemented"]
		st.Style, st.Color, st.Fill = fontstyle.Bold, rgb(c.Text), rgb(c.Fill)
		text += ". " + acceptorText(m, r.Residual.Level)
	case acceptValid:
		if rat := r.Acceptance.Rationale; rat != "" {
			text += ". " + i18n.T("report.plan.rationale") + ": " + rat
		}
	}
	label := planLabel
	label.Fill = st.Fill
	rows = append(rows, newPlanRow([]pdfCell{blank(planIndent),
		cellOf(8, i18n.T("report.plan.acceptance"), label), cellOf(90, text, st)}, nil))
	return rows
}

// TreatmentPlanPDF writes a register's risk treatment plan as a PDF on A4
// landscape: a title block and the summary (risks per treatment option,
// open and overdue actions, residual risks above appetite without a valid
// acceptance), then one block per risk, the risks in treatment first and
// the accepted or closed ones after, each block kept on one page.
func TreatmentPlanPDF(w io.Writer, plan TreatmentPlan) error {
	if err := plan.check(); err != nil {
		return err
	}
	title := plan.title()
	p, err := newRiskPDF(plan.Org, title, plan.generatedAt(), plan.Org.Name+" · "+title+" · "+plan.moment())
	if err != nil {
		return err
	}
	sum := plan.summary()
	meta := plan.metadata()
	treating, closing := plan.sections()
	p.titleBlock(title, i18n.T("report.plan.clauses."+plan.Register), [][2]string{
		meta[0], meta[1], meta[2], meta[3],
		{i18n.T("report.plan.risks_count"), i18n.T("report.plan.section_count", i18n.T("report.plan.in_treatment"), sum.InTreatment) +
			" · " + i18n.T("report.plan.section_count", i18n.T("report.plan.accepted_closed"), sum.Closing)},
		meta[5],
	})
	p.space(1)
	p.legend(plan.Method)
	p.space(6)
	plan.summaryPDF(p, sum)

	for i, sec := range []struct {
		title string
		risks []domain.Risk
	}{{i18n.T("report.plan.section_treatment"), treating}, {i18n.T("report.plan.section_closed"), closing}} {
		heading := i18n.T("report.plan.section_count", sec.title, len(sec.risks))
		if i == 0 {
			p.newPage()
		} else {
			p.space(6)
		}
		if len(sec.risks) == 0 {
			p.paragraph(heading, planSection)
			p.paragraph(i18n.T("report.plan.section_empty"), pdfStyle{Size: 9, Color: pdfMuted})
			continue
		}
		for j, r := range sec.risks {
			rows := plan.riskBlock(r)
			height := 0.0
			for _, row := range rows {
				height += row.h
			}
			headingHeight := 0.0
			if j == 0 {
				headingHeight = cellHeight(1, planSection) + 2
			}
			// A block is kept on one page (and a section heading with its
			// first block) unless it is taller than a page.
			if !p.fits(headingHeight+height) && headingHeight+height < pdfTextHeight-pdfFooterGap-20 {
				p.newPage()
			}
			if j == 0 {
				p.paragraph(heading, planSection)
				p.space(2)
			}
			for _, row := range rows {
				if !p.fits(row.h) {
					p.newPage()
					p.paragraph(i18n.T("report.risk.continued", r.Ref+" "+r.Title), planHeading)
					p.space(1)
				}
				p.m.AddRows(row.r)
			}
			p.space(4)
		}
	}
	p.space(2)
	p.paragraph(i18n.T("report.generated_by", plan.moment()), pdfStyle{Size: 7, Style: fontstyle.Italic, Color: pdfMuted})
	return p.write(w, "risk treatment plan")
}

// sideBySide puts rows built by pdfRow next to each other in one row
// (each keeps its own rule), as tall as the tallest.
func sideBySide(parts ...planRow) planRow {
	var cols []core.Col
	height := 0.0
	for _, p := range parts {
		cols = append(cols, p.r.GetColumns()...)
		height = max(height, p.h)
	}
	return planRow{row.New(height).Add(cols...), height}
}

// summaryPDF adds the plan's first-page counts: risks per option and
// section beside the actions by state, then the residual risks above
// appetite that no acceptance covers.
func (plan TreatmentPlan) summaryPDF(p *riskPDF, sum planSummary) {
	p.paragraph(i18n.T("report.plan.summary"), planSection)
	p.space(3)
	number := pdfStyle{Size: 8.5, Color: pdfInk, Align: "right"}
	bold, label := number, pdfStyle{Size: 8.5, Color: pdfInk}
	bold.Style = fontstyle.Bold
	totalLabel := label
	totalLabel.Style = fontstyle.Bold
	ospans, aspans := []int{16, 11, 11, 8}, []int{10, 10, 10, 10}
	gap := pdfGrid - 46 - 40

	headings := sideBySide(
		newPlanRow([]pdfCell{cellOf(46, i18n.T("report.plan.summary_options"), planHeading)}, nil),
		newPlanRow([]pdfCell{blank(gap)}, nil),
		newPlanRow([]pdfCell{cellOf(40, i18n.T("report.plan.summary_actions"), planHeading)}, nil))
	p.m.AddRows(headings.r)
	p.space(1)
	actionHead := headerCells([]string{i18n.T("report.plan.actions_open"), i18n.T("report.plan.actions_overdue"),
		i18n.T("report.plan.actions_done"), i18n.T("report.plan.total")}, aspans, 0)
	for i := range actionHead {
		actionHead[i].Align = "right"
	}
	head := sideBySide(
		newPlanRow(headerCells([]string{i18n.T("report.plan.option"), i18n.T("report.plan.in_treatment"),
			i18n.T("report.plan.accepted_closed"), i18n.T("report.plan.total")}, ospans, 1), nil),
		newPlanRow([]pdfCell{blank(gap)}, nil),
		newPlanRow(actionHead, nil))
	p.m.AddRows(head.r)

	overdue := number
	if sum.Overdue > 0 {
		c := stateColours["not_implemented"]
		overdue.Style, overdue.Color, overdue.Fill = fontstyle.Bold, rgb(c.Text), rgb(c.Fill)
	}
	for i, opt := range append(sum.OptionsInOrder, "") {
		var option planRow
		if opt == "" {
			option = newPlanRow([]pdfCell{cellOf(ospans[0], i18n.T("report.plan.total"), totalLabel),
				cellOf(ospans[1], strconv.Itoa(sum.OptionTotal[0]), bold), cellOf(ospans[2], strconv.Itoa(sum.OptionTotal[1]), bold),
				cellOf(ospans[3], strconv.Itoa(sum.RisksTotal), bold)}, pdfRule)
		} else {
			c := sum.Options[opt]
			option = newPlanRow([]pdfCell{cellOf(ospans[0], valueLabel("report.risk.treatment.", opt), label),
				cellOf(ospans[1], strconv.Itoa(c[0]), number), cellOf(ospans[2], strconv.Itoa(c[1]), number),
				cellOf(ospans[3], strconv.Itoa(c[0]+c[1]), bold)}, pdfRule)
		}
		actions := newPlanRow([]pdfCell{blank(40)}, nil)
		if i == 0 {
			actions = newPlanRow([]pdfCell{cellOf(aspans[0], strconv.Itoa(sum.Open), number),
				cellOf(aspans[1], strconv.Itoa(sum.Overdue), overdue), cellOf(aspans[2], strconv.Itoa(sum.Done), number),
				cellOf(aspans[3], strconv.Itoa(sum.ActionsTotal), bold)}, pdfRule)
		}
		p.m.AddRows(sideBySide(option, newPlanRow([]pdfCell{blank(gap)}, nil), actions).r)
	}

	// Residual risks above appetite that no acceptance covers.
	p.space(8)
	p.paragraph(i18n.T("report.plan.section_count", i18n.T("report.plan.summary_acceptance"), len(sum.NeedAcceptance)), planHeading)
	p.space(1)
	if len(sum.NeedAcceptance) == 0 {
		c := stateColours["implemented"]
		p.paragraph(i18n.T("report.plan.acceptance_none"), pdfStyle{Size: 8.5, Color: rgb(c.Text)})
		return
	}
	nspans := []int{7, 33, 10, 8, 14, 16, 12}
	ntitles := []string{i18n.T("report.risk.col.ref"), i18n.T("report.risk.col.title"), i18n.T("report.risk.col.residual_level"),
		i18n.T("report.risk.col.status"), i18n.T("report.risk.col.owner"), i18n.T("report.plan.col.gap"), i18n.T("report.plan.col.acceptor")}
	var rows [][]pdfCell
	for _, r := range sum.NeedAcceptance {
		ref := planCell
		ref.Style = fontstyle.Bold
		lv := levelOf(plan.Method, r.Residual.Level)
		why, who := acceptanceGap(plan.Method, r, plan.today())
		rows = append(rows, []pdfCell{cellOf(nspans[0], r.Ref, ref), cellOf(nspans[1], r.Title, planCell),
			cellOf(nspans[2], lv.Label, pdfStyle{Size: pdfBody, Style: fontstyle.Bold, Color: rgb(lv.Ink), Fill: rgb(lv.Fill), Align: "center"}),
			cellOf(nspans[3], valueLabel("report.risk.status.", r.Status), planCell), cellOf(nspans[4], r.Owner, planCell),
			cellOf(nspans[5], why, planCell), cellOf(nspans[6], who, planCell)})
	}
	p.table(ntitles, nspans, rows, i18n.T("report.risk.continued", i18n.T("report.plan.summary_acceptance")))
}
