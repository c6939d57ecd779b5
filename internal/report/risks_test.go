package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// rowOf finds the row whose first cell is ref.
func rowOf(rows [][]string, ref string) []string {
	for _, r := range rows {
		if len(r) > 0 && r[0] == ref {
			return r
		}
	}
	return nil
}

func fillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	s := cellStyle(t, f, sheet, cell)
	if len(s.Fill.Color) == 0 {
		return ""
	}
	return strings.ToUpper(strings.TrimPrefix(s.Fill.Color[0], "#"))
}

func TestRisksXLSX(t *testing.T) {
	for _, reg := range domain.Registers {
		t.Run(reg, func(t *testing.T) {
			risks := testRisks(reg, 30)
			pages := pagesOf(risks, 7)
			var buf bytes.Buffer
			if err := RisksXLSX(&buf, testRegister(reg), pages.next); err != nil {
				t.Fatal(err)
			}
			if pages.calls != 5 {
				t.Errorf("%d pages asked for, want 5", pages.calls)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheet := i18n.T("report.risk.sheet")
			if got := f.GetSheetList(); !slices.Equal(got, []string{sheet}) {
				t.Fatalf("sheets %v", got)
			}
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != riskHeaderRow+30 {
				t.Fatalf("%d rows, want %d", len(rows), riskHeaderRow+30)
			}
			if rows[0][0] != i18n.T("report.risk.title."+reg) || !strings.Contains(rows[1][0], testOrg.Name) ||
				!strings.Contains(rows[1][0], "Version 2") || !strings.Contains(rows[2][0], i18n.T("report.risk.filter_none")) {
				t.Errorf("title block %q", rows[:3])
			}
			header := rows[riskHeaderRow-1]
			if !slices.Equal(header, RiskColumns(reg)) {
				t.Errorf("header %q", header)
			}
			own, other := "Threat", "AI systems"
			if reg == domain.RegisterAI {
				own, other = other, own
			}
			if !slices.Contains(header, own) || slices.Contains(header, other) {
				t.Errorf("%s header %q", reg, header)
			}
			col := func(id string) int { return slices.Index(header, i18n.T("report.risk.col."+id)) }

			r1 := risks[0]
			got := rowOf(rows, "RSK-001")
			if got == nil || got[col("title")] != r1.Title || got[col("owner")] != r1.Owner ||
				got[col("inherent_likelihood")] != strconv.Itoa(r1.Inherent.Likelihood) ||
				got[col("inherent_level")] != levelLabel(testMethod(), r1.Inherent.Level) ||
				got[col("residual_level")] != levelLabel(testMethod(), r1.Residual.Level) ||
				got[col("status")] != valueLabel("report.risk.status.", r1.Status) ||
				got[col("treatment")] != valueLabel("report.risk.treatment.", r1.Treatment) {
				t.Errorf("RSK-001 %q", got)
			}
			// A formula-like title is text in a workbook, never a formula.
			if f7 := rowOf(rows, "RSK-007"); f7[col("title")] != "=cmd|' /C calc'!A0" {
				t.Errorf("RSK-007 title %q", f7[col("title")])
			}
			if formula, _ := f.GetCellFormula(sheet, colName(col("title")+1)+strconv.Itoa(riskHeaderRow+7)); formula != "" {
				t.Errorf("a title became the formula %q", formula)
			}

			// The levels are filled with the method's colours; a needed
			// acceptance is highlighted.
			m := testMethod()
			for i, r := range risks {
				n := strconv.Itoa(riskFirstRow + i)
				if got, want := fillOf(t, f, sheet, colName(col("inherent_level")+1)+n), levelOf(m, r.Inherent.Level).Fill; got != want {
					t.Errorf("%s inherent fill %s, want %s", r.Ref, got, want)
				}
				if got, want := fillOf(t, f, sheet, colName(col("residual_level")+1)+n), levelOf(m, r.Residual.Level).Fill; got != want {
					t.Errorf("%s residual fill %s, want %s", r.Ref, got, want)
				}
				state, _ := acceptance(m, r, testRegister(reg).today())
				fill := fillOf(t, f, sheet, colName(col("acceptance")+1)+n)
				if (state == acceptNeeded) != (fill == stateColours["partially_implemented"].Fill) {
					t.Errorf("%s acceptance state %d, fill %q", r.Ref, state, fill)
				}
			}
			if fillOf(t, f, sheet, "A"+strconv.Itoa(riskHeaderRow)) != xlHeaderFill {
				t.Error("header row not styled")
			}

			// Frozen below the header and right of the ref; a filter on every
			// column; printed landscape A4, two pages wide.
			panes, err := f.GetPanes(sheet)
			if err != nil || !panes.Freeze || panes.YSplit != riskHeaderRow || panes.XSplit != 1 {
				t.Errorf("panes %+v %v", panes, err)
			}
			tables, err := f.GetTables(sheet)
			if err != nil || len(tables) != 1 || tables[0].Range != "A4:"+colName(len(header))+strconv.Itoa(riskHeaderRow+30) {
				t.Errorf("tables %+v %v", tables, err)
			}
			layout, err := f.GetPageLayout(sheet)
			if err != nil || *layout.Orientation != "landscape" || *layout.Size != 9 || *layout.FitToWidth != 2 {
				t.Errorf("layout %+v %v", layout, err)
			}
			// Next review is a real date.
			if v, _ := f.GetCellValue(sheet, colName(col("next_review")+1)+strconv.Itoa(riskFirstRow), excelize.Options{RawCellValue: true}); strings.Contains(v, "-") {
				t.Errorf("next review stored as text %q", v)
			}
		})
	}
}

func TestRisksCSV(t *testing.T) {
	for _, reg := range domain.Registers {
		risks := testRisks(reg, 30)
		var buf bytes.Buffer
		if err := RisksCSV(&buf, testRegister(reg), pagesOf(risks, 4).next); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 31 || !slices.Equal(rows[0], RiskColumns(reg)) {
			t.Fatalf("%s: %d rows, header %q", reg, len(rows), rows[0])
		}
		title := slices.Index(rows[0], i18n.T("report.risk.col.title"))
		if got := rowOf(rows, "RSK-007")[title]; got != "'=cmd|' /C calc'!A0" {
			t.Errorf("%s: formula not guarded: %q", reg, got)
		}
		for _, r := range rows[1:] {
			for _, c := range r {
				if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
					t.Errorf("%s: unguarded cell %q", reg, c)
				}
			}
		}
		if got := rowOf(rows, "RSK-003"); !strings.Contains(strings.Join(got, "|"), "Restoring from it") {
			t.Errorf("%s: long text lost: %q", reg, got)
		}
	}
	// A failing page stops the export with its error.
	boom := errors.New("store down")
	err := RisksCSV(&bytes.Buffer{}, testRegister("security"), func() ([]domain.Risk, bool, error) { return nil, false, boom })
	if !errors.Is(err, boom) {
		t.Errorf("error %v", err)
	}
	if err := RisksCSV(&bytes.Buffer{}, testRegister("both"), pagesOf(nil, 1).next); err == nil {
		t.Error("a mixed register was exported")
	}
}

func TestRisksPDF(t *testing.T) {
	for _, tt := range []struct {
		reg      string
		n        int
		min, max int
	}{{"security", 30, 3, 6}, {"ai", 30, 2, 5}, {"security", 0, 1, 1}, {"ai", 1, 1, 1}} {
		var buf bytes.Buffer
		pages := pagesOf(testRisks(tt.reg, tt.n), 8)
		if err := RisksPDF(&buf, testRegister(tt.reg), pages.next); err != nil {
			t.Fatal(err)
		}
		n := pdfPages(buf.Bytes())
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) || n < tt.min || n > tt.max {
			t.Errorf("%s, %d risks: %d pages, want %d to %d", tt.reg, tt.n, n, tt.min, tt.max)
		}
		if want := max(1, (tt.n+7)/8); pages.calls != want {
			t.Errorf("%s: %d pages read, want %d", tt.reg, pages.calls, want)
		}
	}
	// A risk whose detail runs longer than a page is split, not lost.
	huge := testRisks("security", 2)
	huge[1].Threat = strings.Repeat(longText+"\n", 12)
	var buf bytes.Buffer
	if err := RisksPDF(&buf, testRegister("security"), pagesOf(huge, 5).next); err != nil || pdfPages(buf.Bytes()) < 2 {
		t.Errorf("huge risk: %d pages, %v", pdfPages(buf.Bytes()), err)
	}
}

func TestAcceptanceStates(t *testing.T) {
	m := testMethod()
	today := "2026-12-02"
	high := domain.RiskScore{Likelihood: 3, Impact: 3, Level: "high"}
	acc := &domain.RiskAcceptance{By: "Dana", Role: "admin", Level: "high", Date: "2026-02-01", Expires: "2027-02-01", Rationale: "Insured"}
	for _, tt := range []struct {
		name  string
		risk  domain.Risk
		state int
		text  string
	}{
		{"valid", domain.Risk{Status: "accepted", Residual: high, Acceptance: acc}, acceptValid, "Accepted at High by Dana (Admin) on 2026-02-01; expires 2027-02-01"},
		{"missing", domain.Risk{Status: "treating", Residual: high}, acceptNeeded, "Acceptance needed"},
		{"expired", domain.Risk{Status: "accepted", Residual: high, Acceptance: &domain.RiskAcceptance{By: "Dana", Role: "admin", Level: "high", Date: "2025-01-01", Expires: "2026-01-01"}},
			acceptNeeded, "expired on 2026-01-01"},
		{"lower", domain.Risk{Status: "open", Residual: domain.RiskScore{Likelihood: 5, Impact: 5, Level: "critical"}, Acceptance: acc},
			acceptNeeded, "accepted at High; the residual level is now Critical"},
		{"within", domain.Risk{Status: "open", Residual: domain.RiskScore{Likelihood: 1, Impact: 1, Level: "low"}}, acceptNotNeeded, "Within appetite"},
		{"closed", domain.Risk{Status: "closed", Residual: high}, acceptNotNeeded, "—"},
	} {
		r := tt.risk
		r.Derive(m, today)
		state, text := acceptance(m, r, today)
		if state != tt.state || !strings.Contains(text, tt.text) {
			t.Errorf("%s: %d %q", tt.name, state, text)
		}
	}
}

func TestLevelInk(t *testing.T) {
	for hex, want := range map[string]string{"C62828": "FFFFFF", "2E7D32": "FFFFFF", "F9A825": "1A1A1A", "FFFFFF": "1A1A1A", "1F3864": "FFFFFF"} {
		if got := inkOn(hex); got != want {
			t.Errorf("ink on %s: %s, want %s", hex, got, want)
		}
	}
	if l := levelOf(testMethod(), "gone"); l.Label != "gone" || l.Fill != unknownLevel.Fill {
		t.Errorf("unknown level %+v", l)
	}
}

func TestFilterText(t *testing.T) {
	m := testMethod()
	for _, tt := range []struct {
		f    domain.RiskFilter
		want string
	}{
		{domain.RiskFilter{Register: "security"}, "None: the whole register"},
		{domain.RiskFilter{Status: "open", Owner: "Dana", Level: "high"}, "status Open; owner Dana; residual level High"},
		{domain.RiskFilter{Inherent: true, Likelihood: 4, Impact: 5, Current: true}, "inherent likelihood 4 × impact 5; closed risks left out"},
		{domain.RiskFilter{Control: "ctl-001", Rescore: true, ReviewDue: true, Text: "backup"}, "treated by CTL-001; to be re-scored; review due; text “backup”"},
	} {
		if got := filterText(tt.f, m); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestRiskFilename(t *testing.T) {
	at := riskGenerated.Add(15 * 3600e9) // 00:30 the next day in Amsterdam
	if got := RiskFilename(testOrg, "security", "xlsx", at); got != "muller-security-risks-2026-12-03.xlsx" {
		t.Errorf("filename %q", got)
	}
	if got := PlanFilename(testOrg, "ai", "pdf", riskGenerated); got != "muller-ai-risk-treatment-plan-2026-12-02.pdf" {
		t.Errorf("filename %q", got)
	}
}

// planSource is a store of one organization for the plan loader, counting
// its queries.
type planSource struct {
	risks          []domain.Risk
	controls       []domain.Control
	riskCalls      int
	controlCalls   int
	registerAsked  string
	controlsBefore int
}

func (s *planSource) Org() domain.Org { return testOrg }
func (s *planSource) RiskMethod(context.Context) (domain.RiskMethod, error) {
	return testMethod(), nil
}

func pageAt[T any](items []T, cursor string, limit int) domain.Page[T] {
	start, _ := strconv.Atoi(cursor)
	end := min(len(items), start+limit)
	p := domain.Page[T]{Items: items[start:end]}
	if end < len(items) {
		next := strconv.Itoa(end)
		p.Next = &next
	}
	return p
}

func (s *planSource) ListRisks(_ context.Context, f domain.RiskFilter) (domain.Page[domain.Risk], error) {
	s.riskCalls++
	s.registerAsked = f.Register
	if f.Register == "both" {
		v := &domain.ValidationError{}
		v.Add("register", "error.one_of", f.Register, "security, ai")
		return domain.Page[domain.Risk]{}, v
	}
	return pageAt(s.risks, f.Cursor, 11), nil
}

func (s *planSource) ListControls(_ context.Context, f domain.ControlFilter) (domain.Page[domain.Control], int, error) {
	s.controlCalls++
	return pageAt(s.controls, f.Cursor, 5), len(s.controls), nil
}

func TestLoadTreatmentPlan(t *testing.T) {
	var controls []domain.Control
	for _, c := range testControls() {
		controls = append(controls, c)
	}
	src := &planSource{risks: testRisks("ai", 30), controls: controls}
	plan, err := LoadTreatmentPlan(context.Background(), src, "ai", riskGenerated)
	if err != nil {
		t.Fatal(err)
	}
	// Risks and controls are read a page at a time, never one by one.
	if len(plan.Risks) != 30 || src.riskCalls != 3 || src.registerAsked != "ai" || len(plan.Controls) != 12 || src.controlCalls != 3 {
		t.Errorf("%d risks in %d queries, %d controls in %d queries", len(plan.Risks), src.riskCalls, len(plan.Controls), src.controlCalls)
	}
	// A register whose plans name no control does not read the controls.
	bare := testRisks("security", 3)
	for i := range bare {
		bare[i].Controls = []string{}
	}
	src = &planSource{risks: bare, controls: controls}
	if _, err := LoadTreatmentPlan(context.Background(), src, "security", riskGenerated); err != nil || src.controlCalls != 0 {
		t.Errorf("controls read %d times, %v", src.controlCalls, err)
	}
	for _, reg := range []string{"", "both"} {
		_, err := LoadTreatmentPlan(context.Background(), &planSource{}, reg, riskGenerated)
		if v, ok := domain.AsValidation(err); !ok || v.For("register") == "" {
			t.Errorf("register %q: %v", reg, err)
		}
	}
}

func TestTreatmentPlanSummary(t *testing.T) {
	plan := testPlan("security", 30)
	sum := plan.summary()
	if sum.RisksTotal != 30 || sum.InTreatment+sum.Closing != 30 || sum.OptionTotal[0] != sum.InTreatment || sum.OptionTotal[1] != sum.Closing {
		t.Errorf("risk counts %+v", sum)
	}
	treating, closing := plan.sections()
	for _, r := range treating {
		if r.Status != "open" && r.Status != "treating" {
			t.Errorf("%s (%s) in treatment", r.Ref, r.Status)
		}
	}
	for _, r := range closing {
		if r.Status != "accepted" && r.Status != "closed" {
			t.Errorf("%s (%s) accepted or closed", r.Ref, r.Status)
		}
	}
	perOption := 0
	for _, opt := range domain.Treatments {
		perOption += sum.Options[opt][0] + sum.Options[opt][1]
	}
	var open, overdue, done int
	var need []string
	for _, r := range plan.Risks {
		for _, a := range r.Actions {
			switch {
			case a.Status == domain.ActionDone:
				done++
			case a.Overdue:
				overdue++
				open++
			default:
				open++
			}
		}
		if r.AboveAppetite && !r.Accepted && r.Status != "closed" {
			need = append(need, r.Ref)
		}
	}
	var got []string
	for _, r := range sum.NeedAcceptance {
		got = append(got, r.Ref)
	}
	if perOption != 30 || sum.Open != open || sum.Overdue != overdue || sum.Done != done || overdue == 0 || !slices.Equal(got, need) || len(need) == 0 {
		t.Errorf("summary %+v; want open %d overdue %d done %d, acceptance needed %v", sum, open, overdue, done, need)
	}
}

func TestTreatmentPlanXLSX(t *testing.T) {
	plan := testPlan("security", 30)
	var buf bytes.Buffer
	if err := TreatmentPlanXLSX(&buf, plan); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := []string{i18n.T("report.plan.sheet_summary"), i18n.T("report.plan.sheet_plan"), i18n.T("report.plan.sheet_actions")}
	if got := f.GetSheetList(); !slices.Equal(got, names) {
		t.Fatalf("sheets %v", got)
	}
	summary, _ := f.GetRows(names[0])
	if summary[0][0] != plan.title() || rowOf(summary, i18n.T("report.plan.total")) == nil {
		t.Errorf("summary %q", summary)
	}
	rows, _ := f.GetRows(names[1])
	header := rows[3]
	if len(rows) != 4+30 || header[1] != i18n.T("report.risk.col.ref") {
		t.Fatalf("plan: %d rows, header %q", len(rows), header)
	}
	// In treatment first, then accepted or closed.
	seenClosed := false
	for _, r := range rows[4:] {
		closed := r[0] == i18n.T("report.plan.accepted_closed")
		if seenClosed && !closed {
			t.Errorf("a risk in treatment after the accepted ones: %q", r)
		}
		seenClosed = seenClosed || closed
	}
	controls := slices.Index(header, i18n.T("report.plan.controls"))
	var r9 []string
	for _, r := range rows[4:] {
		if r[1] == "RSK-009" {
			r9 = r
		}
	}
	// Controls with their titles and status; one that is gone is marked.
	if r9 == nil || !strings.Contains(r9[controls], "CTL-010 Incident response procedure — ") || !strings.Contains(r9[controls], "CTL-099 (not found)") {
		t.Errorf("RSK-009 controls %q", r9)
	}
	actions, _ := f.GetRows(names[2])
	total := 0
	for _, r := range plan.Risks {
		total += len(r.Actions)
	}
	if len(actions) != 4+total {
		t.Errorf("%d action rows, want %d", len(actions)-4, total)
	}
	status := slices.Index(actions[3], i18n.T("report.plan.col.action_status"))
	for i, a := range actions[4:] {
		cell := colName(status+1) + strconv.Itoa(5+i)
		overdue := a[status] == i18n.T("report.plan.overdue")
		if overdue != (fillOf(t, f, names[2], cell) == stateColours["not_implemented"].Fill) {
			t.Errorf("action %s: status %q, fill %q", a[2], a[status], fillOf(t, f, names[2], cell))
		}
	}
}

func TestTreatmentPlanPDF(t *testing.T) {
	for _, tt := range []struct {
		reg      string
		n        int
		min, max int
	}{{"security", 30, 6, 12}, {"ai", 30, 6, 12}, {"security", 0, 2, 2}} {
		var buf bytes.Buffer
		if err := TreatmentPlanPDF(&buf, testPlan(tt.reg, tt.n)); err != nil {
			t.Fatal(err)
		}
		if n := pdfPages(buf.Bytes()); !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) || n < tt.min || n > tt.max {
			t.Errorf("%s, %d risks: %d pages, want %d to %d", tt.reg, tt.n, n, tt.min, tt.max)
		}
	}
}

// Every message a risk export derives from a value exists.
func TestRiskMessages(t *testing.T) {
	var ids []string
	for _, reg := range domain.Registers {
		ids = append(ids, "report.risk.title."+reg, "report.risk.register."+reg, "report.risk.clauses."+reg, "report.plan.clauses."+reg)
		for _, c := range riskColumns(reg) {
			ids = append(ids, "report.risk.col."+c.id)
		}
		for _, f := range detailFields(reg) {
			ids = append(ids, "report.risk.col."+f.id)
		}
	}
	for _, c := range pdfRiskColumns {
		ids = append(ids, "report.risk.col."+c.id)
	}
	for prefix, values := range map[string][]string{
		"report.risk.treatment.": domain.Treatments, "report.risk.status.": domain.RiskStatuses,
		"report.risk.cia.": domain.CIAProperties, "report.risk.cia_short.": domain.CIAProperties,
		"report.risk.source.": domain.AIRiskSources, "report.risk.party.": domain.AffectedParties,
		"report.risk.role.": domain.AcceptorRoles, "report.risk.acceptor.": domain.AcceptorRoles,
		"report.plan.action_status.": domain.ActionStatuses, "report.risk.action.": domain.ActionStatuses,
	} {
		for _, v := range values {
			ids = append(ids, prefix+v)
		}
	}
	for _, id := range append(ids, "report.risk.filter.level_inherent", "report.risk.filter.cell_inherent",
		"report.risk.filter.likelihood_inherent", "report.risk.filter.impact_inherent", "error.risk_export_register") {
		if !i18n.Has(id) {
			t.Errorf("message %s is missing", id)
		}
	}
}

// A PDF register is built whole, so it is bounded: beyond
// MaxDocumentRisks it is refused before a page is drawn, naming the format.
func TestRisksPDFBound(t *testing.T) {
	var buf bytes.Buffer
	pages := pagesOf(testRisks("security", MaxDocumentRisks+1), 500)
	err := RisksPDF(&buf, testRegister("security"), pages.next)
	if v, ok := domain.AsValidation(err); !ok || v.For("format") == "" || buf.Len() != 0 {
		t.Fatalf("%d risks: %v, %d bytes", MaxDocumentRisks+1, err, buf.Len())
	}
}
