package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// planSheet writes one sheet of the plan workbook cell by cell; the plan
// is read whole already, so the workbook is built in memory.
type planSheet struct {
	f     *excelize.File
	name  string
	st    *riskStyles
	err   error
	row   int
	width []float64
}

// set writes a value with a style at column c (1-based) of the current row.
func (s *planSheet) set(c int, value any, style int) {
	if s.err != nil {
		return
	}
	ref := colName(c) + strconv.Itoa(s.row)
	if str, ok := value.(string); ok {
		value = xlText(str)
	}
	if s.err = s.f.SetCellValue(s.name, ref, value); s.err == nil {
		s.err = s.f.SetCellStyle(s.name, ref, ref, style)
	}
}

// line writes a row of cells (value, style) and sizes its height to the
// wrapped text.
func (s *planSheet) line(cells ...xlCell) {
	s.row++
	lines := 1
	for i, c := range cells {
		s.set(i+1, c.v, c.style)
		if str, ok := c.v.(string); ok && i < len(s.width) {
			lines = max(lines, xlLines(str, s.width[i]))
		}
	}
	if s.err == nil {
		s.err = s.f.SetRowHeight(s.name, s.row, xlRowHeight(lines))
	}
}

type xlCell struct {
	v     any
	style int
}

// titleBlock writes the sheet's three title rows, merged across it.
func (s *planSheet) titleBlock(cols int, lines ...string) {
	for i, text := range lines {
		s.row++
		style, height := s.st.meta, 16.0
		if i == 0 {
			style, height = s.st.title, 24
		}
		s.set(1, text, style)
		if s.err == nil {
			s.err = s.f.MergeCell(s.name, "A"+strconv.Itoa(s.row), colName(cols)+strconv.Itoa(s.row))
		}
		if s.err == nil {
			s.err = s.f.SetRowHeight(s.name, s.row, height)
		}
	}
}

// header writes a header row.
func (s *planSheet) header(titles ...string) {
	s.row++
	for i, t := range titles {
		s.set(i+1, t, s.st.header)
	}
	if s.err == nil {
		s.err = s.f.SetRowHeight(s.name, s.row, 30)
	}
}

func (s *planSheet) widths(w ...float64) {
	s.width = w
	for i, width := range w {
		if s.err == nil {
			s.err = s.f.SetColWidth(s.name, colName(i+1), colName(i+1), width)
		}
	}
}

// table finishes a sheet that is one table under a header row: a filter,
// the header row and first column frozen, and the print setup.
func (s *planSheet) table(headerRow, cols int, footer string) {
	if s.err != nil {
		return
	}
	last := colName(cols) + strconv.Itoa(max(s.row, headerRow+1))
	if s.err = s.f.AutoFilter(s.name, "A"+strconv.Itoa(headerRow)+":"+last, nil); s.err != nil {
		return
	}
	first := "C" + strconv.Itoa(headerRow+1)
	if s.err = s.f.SetPanes(s.name, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: headerRow, TopLeftCell: first,
		ActivePane: "bottomRight", Selection: []excelize.Selection{{SQRef: first, ActiveCell: first, Pane: "bottomRight"}}}); s.err != nil {
		return
	}
	s.err = xlPrintSetup(s.f, s.name, headerRow, footer)
}

// TreatmentPlanXLSX writes a register's risk treatment plan as a workbook:
// a summary sheet (risks per option, actions by state, residual risks above
// appetite without a valid acceptance), the plan with one row per risk
// (controls with their status, open and overdue actions, the levels in the
// method's colours, the acceptance), and the actions with one row each,
// overdue ones marked. Every sheet prints landscape on A4, one page wide.
func TreatmentPlanXLSX(w io.Writer, plan TreatmentPlan) error {
	if err := plan.check(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	st := newRiskStyles(f)
	if st.err != nil {
		return st.err
	}
	title := plan.title()
	gen := plan.generatedAt().UTC().Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Subject: i18n.T("report.risk.subject", title, plan.Org.Name),
		Creator: i18n.T("report.product"), LastModifiedBy: i18n.T("report.product"), Created: gen, Modified: gen}); err != nil {
		return err
	}
	names := []string{i18n.T("report.plan.sheet_summary"), i18n.T("report.plan.sheet_plan"), i18n.T("report.plan.sheet_actions")}
	if err := f.SetSheetName(f.GetSheetName(0), names[0]); err != nil {
		return err
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return err
		}
	}
	bold := st.add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Color: xlHeaderFill}, Alignment: &excelize.Alignment{Vertical: "bottom"}})
	count := st.cell(&excelize.Font{Size: 10}, "", "right")
	total := st.cell(&excelize.Font{Size: 10, Bold: true}, "", "right")
	totalLabel := st.cell(&excelize.Font{Size: 10, Bold: true}, "", "")
	overdueStyle := st.cell(&excelize.Font{Size: 10, Bold: true, Color: stateColours["not_implemented"].Text}, stateColours["not_implemented"].Fill, "")
	overdueCount := st.cell(&excelize.Font{Size: 10, Bold: true, Color: stateColours["not_implemented"].Text}, stateColours["not_implemented"].Fill, "right")
	overdueNumber := st.cell(&excelize.Font{Size: 10, Bold: true, Color: stateColours["not_implemented"].Text}, stateColours["not_implemented"].Fill, "center")
	doneStyle := st.cell(&excelize.Font{Size: 10, Color: stateColours["implemented"].Text}, stateColours["implemented"].Fill, "")
	overdueDate := st.add(&excelize.Style{Font: &excelize.Font{Size: 10, Bold: true, Color: stateColours["not_implemented"].Text},
		Border: xlRules, Alignment: &excelize.Alignment{Vertical: "top"}, CustomNumFmt: ptr("yyyy-mm-dd")})
	if st.err != nil {
		return st.err
	}
	meta := plan.metadata()
	titleLines := []string{title,
		meta[0][0] + ": " + meta[0][1] + " · " + meta[2][0] + ": " + meta[2][1] + " · " + meta[3][0] + ": " + meta[3][1],
		i18n.T("report.plan.clauses."+plan.Register) + " · " + meta[5][0] + ": " + meta[5][1]}
	footer := xlPageFooter(plan.Org.Name+" · "+title+" · "+plan.moment(), i18n.T("report.page"))
	sum := plan.summary()
	today := plan.today()

	// Summary.
	s := &planSheet{f: f, name: names[0], st: st}
	s.widths(16, 16, 18, 22, 44, 40, 24)
	s.titleBlock(7, titleLines...)
	s.row++
	s.line(xlCell{i18n.T("report.plan.summary_options"), bold})
	s.header(i18n.T("report.plan.option"), i18n.T("report.plan.in_treatment"), i18n.T("report.plan.accepted_closed"), i18n.T("report.plan.total"))
	for _, opt := range sum.OptionsInOrder {
		c := sum.Options[opt]
		s.line(xlCell{valueLabel("report.risk.treatment.", opt), st.text}, xlCell{c[0], count}, xlCell{c[1], count}, xlCell{c[0] + c[1], total})
	}
	s.line(xlCell{i18n.T("report.plan.total"), totalLabel}, xlCell{sum.OptionTotal[0], total}, xlCell{sum.OptionTotal[1], total}, xlCell{sum.RisksTotal, total})
	s.row++
	s.line(xlCell{i18n.T("report.plan.summary_actions"), bold})
	s.header(i18n.T("report.plan.actions_open"), i18n.T("report.plan.actions_overdue"), i18n.T("report.plan.actions_done"), i18n.T("report.plan.total"))
	overdueStyleOfCount := count
	if sum.Overdue > 0 {
		overdueStyleOfCount = overdueCount
	}
	s.line(xlCell{sum.Open, count}, xlCell{sum.Overdue, overdueStyleOfCount}, xlCell{sum.Done, count}, xlCell{sum.ActionsTotal, total})
	s.row++
	s.line(xlCell{i18n.T("report.plan.section_count", i18n.T("report.plan.summary_acceptance"), len(sum.NeedAcceptance)), bold})
	if len(sum.NeedAcceptance) == 0 {
		s.line(xlCell{i18n.T("report.plan.acceptance_none"), st.text})
	} else {
		// The columns follow the count tables' widths: the texts go right.
		s.header(i18n.T("report.risk.col.ref"), i18n.T("report.risk.col.residual_level"), i18n.T("report.risk.col.status"),
			i18n.T("report.risk.col.owner"), i18n.T("report.risk.col.title"), i18n.T("report.plan.col.gap"), i18n.T("report.plan.col.acceptor"))
		for _, r := range sum.NeedAcceptance {
			why, who := acceptanceGap(plan.Method, r, today)
			s.line(xlCell{r.Ref, st.ref},
				xlCell{levelLabel(plan.Method, r.Residual.Level), st.levelStyle(levelOf(plan.Method, r.Residual.Level))},
				xlCell{valueLabel("report.risk.status.", r.Status), st.text}, xlCell{r.Owner, st.text}, xlCell{r.Title, st.text},
				xlCell{why, st.needed}, xlCell{who, st.text})
		}
	}
	if s.err == nil {
		s.err = xlPrintSetup(f, s.name, 1, footer)
	}
	if s.err != nil {
		return s.err
	}

	// The plan: one row per risk.
	treating, closing := plan.sections()
	p := &planSheet{f: f, name: names[1], st: st}
	p.widths(18, 10, 34, 20, 11, 12, 12, 11, 12, 48, 10, 10, 40, 36, 12)
	p.titleBlock(15, titleLines...)
	p.header(i18n.T("report.plan.col.section"), i18n.T("report.risk.col.ref"), i18n.T("report.risk.col.title"),
		i18n.T("report.risk.col.owner"), i18n.T("report.risk.col.status"), i18n.T("report.risk.col.inherent_level"),
		i18n.T("report.risk.col.residual_level"), i18n.T("report.risk.col.above_appetite"), i18n.T("report.plan.option_chosen"),
		i18n.T("report.plan.controls"), i18n.T("report.plan.col.open_actions"), i18n.T("report.plan.col.overdue_actions"),
		i18n.T("report.plan.acceptance"), i18n.T("report.risk.col.acceptance_rationale"), i18n.T("report.risk.col.next_review"))
	planHeader := p.row
	for i, sec := range [][]domain.Risk{treating, closing} {
		section := i18n.T("report.plan.in_treatment")
		if i == 1 {
			section = i18n.T("report.plan.accepted_closed")
		}
		for _, r := range sec {
			controls := make([]string, len(r.Controls))
			for j, ref := range r.Controls {
				title, status, found := plan.planControl(ref)
				controls[j] = ref + " " + title
				if found {
					controls[j] += " — " + valueLabel("report.status.", status)
				}
			}
			open, overdue := 0, 0
			for _, a := range r.Actions {
				if a.Status != domain.ActionDone {
					open++
				}
				if a.Overdue {
					overdue++
				}
			}
			state, text := acceptance(plan.Method, r, today)
			acceptStyle := st.text
			if state == acceptNeeded {
				acceptStyle = st.needed
				text += ". " + acceptorText(plan.Method, r.Residual.Level)
			}
			rationale := ""
			if r.Acceptance != nil {
				rationale = r.Acceptance.Rationale
			}
			overdueCell := xlCell{overdue, st.number}
			if overdue > 0 {
				overdueCell.style = overdueNumber
			}
			p.line(xlCell{section, st.text}, xlCell{r.Ref, st.ref}, xlCell{r.Title, st.text}, xlCell{r.Owner, st.text},
				xlCell{valueLabel("report.risk.status.", r.Status), st.text},
				xlCell{levelLabel(plan.Method, r.Inherent.Level), st.levelStyle(levelOf(plan.Method, r.Inherent.Level))},
				xlCell{levelLabel(plan.Method, r.Residual.Level), st.levelStyle(levelOf(plan.Method, r.Residual.Level))},
				xlCell{yesNo(r.AboveAppetite), st.text}, xlCell{valueLabel("report.risk.treatment.", r.Treatment), st.text},
				xlCell{strings.Join(controls, "\n"), st.text}, xlCell{open, st.number}, overdueCell,
				xlCell{text, acceptStyle}, xlCell{rationale, st.text}, xlDateCell(r.NextReview, st.date, st.text))
		}
	}
	p.table(planHeader, 15, footer)
	if p.err != nil {
		return p.err
	}

	// The actions: one row each.
	a := &planSheet{f: f, name: names[2], st: st}
	a.widths(10, 30, 10, 44, 20, 12, 11, 10)
	a.titleBlock(8, titleLines...)
	a.header(i18n.T("report.plan.col.risk"), i18n.T("report.plan.col.risk_title"), i18n.T("report.plan.col.action"),
		i18n.T("report.plan.col.action_title"), i18n.T("report.plan.owner"), i18n.T("report.plan.col.due"),
		i18n.T("report.plan.col.action_status"), i18n.T("report.plan.col.overdue"))
	actionHeader := a.row
	for _, r := range plan.Risks {
		for _, act := range r.Actions {
			status, due := xlCell{actionStatus(act), st.text}, xlDateCell(act.Due, st.date, st.text)
			switch {
			case act.Overdue:
				status.style, due = overdueStyle, xlDateCell(act.Due, overdueDate, overdueStyle)
			case act.Status == domain.ActionDone:
				status.style = doneStyle
			}
			a.line(xlCell{r.Ref, st.ref}, xlCell{r.Title, st.text}, xlCell{act.Ref, st.ref}, xlCell{act.Title, st.text},
				xlCell{act.Owner, st.text}, due, status, xlCell{yesNo(act.Overdue), st.text})
		}
	}
	a.table(actionHeader, 8, footer)
	if a.err != nil {
		return a.err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// xlDateCell is a YYYY-MM-DD date as a real date cell (text when it is not one).
func xlDateCell(s string, date, text int) xlCell {
	c := xlDate(s, date, text)
	return xlCell{c.Value, c.StyleID}
}
