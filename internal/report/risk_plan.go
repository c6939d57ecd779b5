package report

import (
	"context"
	"slices"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The risk treatment plan of one register (ISO/IEC 27001 and ISO/IEC 42001
// 6.1.3 and 8.3): for every risk, the option chosen, the controls and
// actions that carry it out with their state, the residual level it aims
// at, and who accepted what remains. Risks still in treatment (open or
// treating) come first; accepted and closed ones follow in their own
// section, so that the plan also shows what was decided.

// TreatmentPlan is a register's plan, read whole: the risks of one
// register, and the controls they name (ref → control), so that a control
// is looked up, not queried, per risk.
type TreatmentPlan struct {
	RiskRegister
	Risks    []domain.Risk
	Controls map[string]domain.Control
}

// PlanSource is what a plan is read from: an organization's store.
type PlanSource interface {
	Org() domain.Org
	RiskMethod(ctx context.Context) (domain.RiskMethod, error)
	ListRisks(ctx context.Context, f domain.RiskFilter) (domain.Page[domain.Risk], error)
	ListControls(ctx context.Context, f domain.ControlFilter) (domain.Page[domain.Control], int, error)
}

// planPage is how many rows a plan reads at a time (the store's most).
const planPage = 500

// LoadTreatmentPlan reads a register's plan page by page: the risks of the
// register (with their actions and control refs), then, when any risk
// names a control, every control of the organization, into a map. An
// unknown register is a validation error, as the store reports it.
func LoadTreatmentPlan(ctx context.Context, src PlanSource, register string, now time.Time) (TreatmentPlan, error) {
	plan := TreatmentPlan{RiskRegister: RiskRegister{Org: src.Org(), Register: register, GeneratedAt: now,
		Filter: domain.RiskFilter{Register: register}}, Controls: map[string]domain.Control{}}
	if register == "" {
		v := &domain.ValidationError{}
		v.Add("register", "error.required", nil)
		return plan, v
	}
	m, err := src.RiskMethod(ctx)
	if err != nil {
		return plan, err
	}
	plan.Method = m
	f := domain.RiskFilter{Register: register, Limit: planPage}
	named := false
	for {
		page, err := src.ListRisks(ctx, f)
		if err != nil {
			return plan, err
		}
		for _, r := range page.Items {
			named = named || len(r.Controls) > 0
		}
		if plan.Risks = append(plan.Risks, page.Items...); len(plan.Risks) > MaxDocumentRisks {
			return plan, tooManyRisks()
		}
		if page.Next == nil {
			break
		}
		f.Cursor = *page.Next
	}
	if !named {
		return plan, nil
	}
	cf := domain.ControlFilter{Limit: planPage}
	for {
		page, _, err := src.ListControls(ctx, cf)
		if err != nil {
			return plan, err
		}
		for _, c := range page.Items {
			plan.Controls[c.Ref] = c
		}
		if page.Next == nil {
			return plan, nil
		}
		cf.Cursor = *page.Next
	}
}

// PlanFilename names a plan export: acme-security-risk-treatment-plan-2026-12-02.pdf.
func PlanFilename(org domain.Org, register, format string, at time.Time) string {
	return org.Slug + "-" + register + "-risk-treatment-plan-" + at.In(orgLocation(org)).Format(dateFormat) + "." + format
}

func (p TreatmentPlan) title() string {
	return i18n.T("report.plan.title_of", i18n.T("report.risk.register."+p.Register))
}

// inTreatment reports whether a risk belongs to the plan's first section.
func inTreatment(r domain.Risk) bool { return !r.Closing() }

// sections are the plan's risks: in treatment, then accepted or closed.
func (p TreatmentPlan) sections() (treating, closing []domain.Risk) {
	for _, r := range p.Risks {
		if inTreatment(r) {
			treating = append(treating, r)
		} else {
			closing = append(closing, r)
		}
	}
	return treating, closing
}

// planSummary is what the plan's first page counts.
type planSummary struct {
	Options                  map[string][2]int // option → in treatment, accepted or closed
	Open, Overdue, Done      int               // actions
	InTreatment, Closing     int               // risks
	NeedAcceptance           []domain.Risk     // above appetite, no valid acceptance
	OptionsInOrder           []string          // the method's options, then any other
	OptionTotal              [2]int
	ActionsTotal, RisksTotal int
}

func (p TreatmentPlan) summary() planSummary {
	s := planSummary{Options: map[string][2]int{}, OptionsInOrder: append([]string(nil), domain.Treatments...)}
	today := p.today()
	for _, r := range p.Risks {
		i := 0
		if !inTreatment(r) {
			i = 1
		}
		if !slices.Contains(s.OptionsInOrder, r.Treatment) {
			s.OptionsInOrder = append(s.OptionsInOrder, r.Treatment)
		}
		c := s.Options[r.Treatment]
		c[i]++
		s.Options[r.Treatment] = c
		s.OptionTotal[i]++
		if i == 0 {
			s.InTreatment++
		} else {
			s.Closing++
		}
		for _, a := range r.Actions {
			switch {
			case a.Status == domain.ActionDone:
				s.Done++
			case a.Overdue:
				s.Overdue++
				s.Open++
			default:
				s.Open++
			}
		}
		if state, _ := acceptance(p.Method, r, today); state == acceptNeeded {
			s.NeedAcceptance = append(s.NeedAcceptance, r)
		}
	}
	s.ActionsTotal, s.RisksTotal = s.Open+s.Done, len(p.Risks)
	return s
}

// planControl is a control of a risk's plan as the plan shows it: its
// title and status, or a note when the organization no longer has it.
func (p TreatmentPlan) planControl(ref string) (title, status string, found bool) {
	c, ok := p.Controls[ref]
	if !ok {
		return i18n.T("report.plan.control_unknown"), "", false
	}
	return c.Title, c.Status, true
}

// controlState maps a control's status onto the export colours.
var controlState = map[string]string{
	domain.StatusImplemented: "implemented", domain.StatusInProgress: "partially_implemented",
	domain.StatusNotImplemented: "not_implemented", domain.StatusPlanned: "no_control",
}

// acceptorText says who may accept a residual level under the method.
func acceptorText(m domain.RiskMethod, levelID string) string {
	for _, l := range m.Levels {
		if l.ID == levelID {
			return i18n.T("report.risk.acceptor_needed", l.Label, levelLabel(m, m.Appetite), valueLabel("report.risk.acceptor.", l.Acceptor))
		}
	}
	return i18n.T("report.risk.acceptor_needed", levelLabel(m, levelID), levelLabel(m, m.Appetite), valueLabel("report.risk.acceptor.", "admin"))
}

// acceptanceGap says why no acceptance covers a residual risk above
// appetite, and who may give one.
func acceptanceGap(m domain.RiskMethod, r domain.Risk, today string) (why, who string) {
	a := r.Acceptance
	switch {
	case a == nil:
		why = i18n.T("report.plan.no_acceptance")
	case a.Expires < today:
		why = i18n.T("report.risk.acceptance_expired", a.Date, a.Expires)
	default:
		why = i18n.T("report.risk.acceptance_lower", levelLabel(m, a.Level), levelLabel(m, r.Residual.Level))
	}
	acceptor := "admin"
	for _, l := range m.Levels {
		if l.ID == r.Residual.Level {
			acceptor = l.Acceptor
		}
	}
	return why, valueLabel("report.risk.acceptor.", acceptor)
}

// actionStatus is an action's status in words, overdue marked.
func actionStatus(a domain.Action) string {
	if a.Overdue {
		return i18n.T("report.plan.overdue")
	}
	return valueLabel("report.plan.action_status.", a.Status)
}
