package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
)

// Impact assessments: the list, one version's page, the draft editor, and
// approving, revising and raising a risk from an impact.

type assessmentListData struct {
	*Shell
	Items   []domain.ImpactAssessment
	Total   int
	Status  string
	NextURL string
	Errors  *domain.ValidationError
}

func (h *handler) assessmentList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	sh.Section, sh.Title = "ai", i18n.T("web.aia.title")
	d := &assessmentListData{Shell: sh, Status: q.Get("status"), Errors: &domain.ValidationError{}}
	page, total, err := o.ListImpactAssessments(r.Context(), domain.ImpactAssessmentFilter{Status: q.Get("status"),
		System: q.Get("ai_system"), Cursor: q.Get("cursor")})
	status := http.StatusOK
	if v, ok := domain.AsValidation(err); ok {
		d.Errors, status = v, http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Items, d.Total, d.NextURL = page.Items, total, nextURL(sh.OrgPath("impact-assessments"), q, page.Next)
	h.render(w, r, status, "assessments", d)
}

// levelChip is a level in the method's colour.
type levelChip struct{ Label, Colour string }

type impactView struct {
	domain.AssessedImpact
	Chip     levelChip
	Severity string // the step's label
	Chance   string
}

type assessmentData struct {
	*Shell
	A          domain.ImpactAssessment
	System     domain.AISystem
	Impacts    []impactView
	Versions   []domain.ImpactAssessment
	CanEdit    bool
	CanApprove bool
	CanRaise   bool
	Errors     *domain.ValidationError
}

func stepLabel(steps []domain.ScaleStep, n int) string {
	if n >= 1 && n <= len(steps) {
		return fmt.Sprintf("%d · %s", n, steps[n-1].Label)
	}
	return strconv.Itoa(n)
}

func (h *handler) assessmentShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderAssessment(w, r, o, sh, http.StatusOK, nil)
}

func (h *handler) renderAssessment(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int, v *domain.ValidationError) {
	ctx := r.Context()
	a, err := o.ImpactAssessment(ctx, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sys, err := o.AISystem(ctx, a.System)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := o.RiskMethod(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	versions, _, err := o.ListImpactAssessments(ctx, domain.ImpactAssessmentFilter{System: a.System, Limit: 50})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &assessmentData{Shell: sh, A: a, System: sys, Versions: versions.Items, Errors: v}
	for _, imp := range a.Impacts {
		lv := levelOf(m, imp.Level)
		d.Impacts = append(d.Impacts, impactView{AssessedImpact: imp, Chip: levelChip{lv.Label, lv.Colour},
			Severity: stepLabel(m.Impact, imp.Severity), Chance: stepLabel(m.Likelihood, imp.Likelihood)})
	}
	d.CanEdit = a.Status == domain.AssessmentDraft && sh.mayChange(auth.ResImpactAssessment, sys.Owner)
	d.CanApprove = a.Status == domain.AssessmentDraft && sh.Can("impact_approval", "create")
	d.CanRaise = sh.Can("risk", "create")
	sh.Section, sh.Title = "ai", a.Ref+" "+sys.Name
	h.render(w, r, status, "assessment", d)
}

func (h *handler) assessmentPDF(w http.ResponseWriter, r *http.Request) {
	o, _, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	a, err := o.ImpactAssessment(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sys, err := o.AISystem(r.Context(), a.System)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := report.ImpactAssessmentPDF(a, sys, o.Org().Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sendFile(w, o.Org().Slug+"-"+a.Ref+".pdf", "pdf", b)
}

func (h *handler) assessmentStart(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ref := r.PathValue("ref")
	if err := scope(r).SystemRecordsWritable(r.Context(), ref); err != nil {
		h.fail(w, r, err)
		return
	}
	who := scope(r).Who()
	a, err := o.CreateImpactAssessment(r.Context(), actor(r), ref, domain.ImpactAssessmentInput{Assessor: &who})
	if v, ok := domain.AsValidation(err); ok && v.For("ai_system") != "" {
		// A draft is already open: go on with it.
		drafts, _, err := o.ListImpactAssessments(r.Context(), domain.ImpactAssessmentFilter{System: ref, Status: domain.AssessmentDraft, Limit: 1})
		if err == nil && len(drafts.Items) == 1 {
			http.Redirect(w, r, sh.OrgPath("impact-assessments", drafts.Items[0].Ref, "edit"), http.StatusSeeOther)
			return
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("impact-assessments", a.Ref, "edit"), http.StatusSeeOther)
}

type impactRow struct {
	N                                                     int
	Category, Description, Affected, Mitigation, Controls string
	Severity, Likelihood                                  int
	Errors                                                map[string]string
}

type assessmentFormData struct {
	*Shell
	A          domain.ImpactAssessment
	Fields     []formField
	Rows       []impactRow
	Categories []fieldOption
	Severity   []fieldOption
	Likelihood []fieldOption
	Errors     *domain.ValidationError
}

// blankRows is how many empty impact rows the editor offers.
const blankRows = 3

func (h *handler) assessmentForm(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int, a domain.ImpactAssessment, v *domain.ValidationError) {
	if v == nil {
		v = &domain.ValidationError{}
	}
	m, err := o.RiskMethod(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &assessmentFormData{Shell: sh, A: a, Errors: v, Categories: options("ai.category.", domain.ImpactCategories)}
	for i, s := range m.Impact {
		d.Severity = append(d.Severity, fieldOption{strconv.Itoa(i + 1), stepLabel(m.Impact, i+1) + " — " + s.Criterion})
	}
	for i, s := range m.Likelihood {
		d.Likelihood = append(d.Likelihood, fieldOption{strconv.Itoa(i + 1), stepLabel(m.Likelihood, i+1) + " — " + s.Criterion})
	}
	d.Fields = newFieldSet(v).area("affected_individuals", "web.aia.field.individuals", a.Individuals).
		area("affected_groups", "web.aia.field.groups", a.Groups).area("affected_society", "web.aia.field.society", a.Society).fields
	for i, imp := range a.Impacts {
		row := impactRow{N: i, Category: imp.Category, Description: imp.Description, Affected: imp.Affected, Mitigation: imp.Mitigation,
			Controls: joinRefs(imp.Controls), Severity: imp.Severity, Likelihood: imp.Likelihood, Errors: map[string]string{}}
		for _, k := range []string{"category", "description", "affected", "severity", "likelihood", "mitigation", "controls"} {
			row.Errors[k] = v.For(fmt.Sprintf("impacts[%d].%s", i, k))
		}
		d.Rows = append(d.Rows, row)
	}
	for i := 0; i < blankRows; i++ {
		d.Rows = append(d.Rows, impactRow{N: len(a.Impacts) + i, Errors: map[string]string{}})
	}
	closing := newFieldSet(v).add("select", "conclusion", "web.aia.field.conclusion", a.Conclusion, false,
		append([]fieldOption{{"", i18n.T("web.aia.no_conclusion")}}, options("ai.conclusion.", domain.AssessmentConclusions)...)...).
		area("residual_judgement", "web.aia.field.residual", a.Residual).
		text("assessor", "web.aia.field.assessor", a.Assessor, true).
		text("reviewer", "web.aia.field.reviewer", a.Reviewer, false).
		add("date", "review_date", "web.aia.field.review_date", a.ReviewDate, false).fields
	d.Fields = append(d.Fields, closing...)
	sh.Section, sh.Title = "ai", i18n.T("web.aia.edit", a.Ref)
	h.render(w, r, status, "assessment_form", d)
}

func (h *handler) assessmentEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	a, err := o.ImpactAssessment(r.Context(), r.PathValue("ref"))
	if err == nil {
		_, err = scope(r).AssessmentWritable(r.Context(), a.Ref, nil)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if a.Status != domain.AssessmentDraft {
		http.Redirect(w, r, sh.OrgPath("impact-assessments", a.Ref), http.StatusSeeOther)
		return
	}
	h.assessmentForm(w, r, o, sh, http.StatusOK, a, nil)
}

// assessmentInput reads the editor; rows left empty are dropped.
func assessmentInput(r *http.Request) domain.ImpactAssessmentInput {
	f := r.PostForm
	n, _ := strconv.Atoi(f.Get("rows"))
	impacts := []domain.ImpactInput{}
	for i := 0; i < n && i < domain.MaxImpacts+blankRows; i++ {
		k := func(name string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("impact_%d_%s", i, name))) }
		if k("description") == "" && k("mitigation") == "" && k("affected") == "" && k("controls") == "" {
			continue
		}
		sev, _ := strconv.Atoi(k("severity"))
		like, _ := strconv.Atoi(k("likelihood"))
		var controls []string
		for _, c := range strings.FieldsFunc(k("controls"), func(r rune) bool { return r == ',' || r == ' ' }) {
			controls = append(controls, strings.ToUpper(c))
		}
		impacts = append(impacts, domain.ImpactInput{Category: k("category"), Description: k("description"), Affected: k("affected"),
			Severity: sev, Likelihood: like, Mitigation: k("mitigation"), Controls: controls})
	}
	return domain.ImpactAssessmentInput{Individuals: formText(r, "affected_individuals"), Groups: formText(r, "affected_groups"),
		Society: formText(r, "affected_society"), Impacts: &impacts, Conclusion: formText(r, "conclusion"),
		Residual: formText(r, "residual_judgement"), Assessor: formText(r, "assessor"), Reviewer: formText(r, "reviewer"),
		ReviewDate: formText(r, "review_date")}
}

func (h *handler) assessmentUpdate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	ref, in := r.PathValue("ref"), assessmentInput(r)
	cur, err := o.ImpactAssessment(r.Context(), ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pin, err := scope(r).AssessmentWritable(r.Context(), ref, &version)
	if err == nil {
		_, err = o.UpdateImpactAssessment(r.Context(), actor(r), ref, *pin, in)
	}
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		shown := in.Apply(cur)
		shown.Version = version
		h.assessmentForm(w, r, o, sh, http.StatusUnprocessableEntity, shown, v)
		return
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.assessmentForm(w, r, o, sh, http.StatusConflict, cur, nil)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("impact-assessments", ref)+"?notice=saved", http.StatusSeeOther)
}

func (h *handler) assessmentApprove(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	ref := r.PathValue("ref")
	_, err := o.ApproveImpactAssessment(r.Context(), actor(r), scope(r).Who(), ref, version)
	if v, ok := domain.AsValidation(err); ok {
		h.renderAssessment(w, r, o, sh, http.StatusUnprocessableEntity, v)
		return
	}
	if errors.Is(err, domain.ErrConflict) {
		sh.Error = i18n.T("error.version_conflict")
		h.renderAssessment(w, r, o, sh, http.StatusConflict, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("impact-assessments", ref)+"?notice=aia_approved", http.StatusSeeOther)
}

func (h *handler) assessmentRevise(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ref := r.PathValue("ref")
	cur, err := o.ImpactAssessment(r.Context(), ref)
	if err == nil {
		err = scope(r).SystemRecordsWritable(r.Context(), cur.System)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	next, err := o.ReviseImpactAssessment(r.Context(), actor(r), ref)
	if v, ok := domain.AsValidation(err); ok {
		h.renderAssessment(w, r, o, sh, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("impact-assessments", next.Ref, "edit"), http.StatusSeeOther)
}

func (h *handler) assessmentRaiseRisk(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	risk, err := o.RaiseRiskFromImpact(r.Context(), actor(r), r.PathValue("ref"), n, domain.RiskInput{})
	if v, ok := domain.AsValidation(err); ok {
		h.renderAssessment(w, r, o, sh, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("risks", risk.Ref)+"?notice=risk_raised", http.StatusSeeOther)
}
