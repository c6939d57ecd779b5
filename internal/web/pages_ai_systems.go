package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tandem/internal/api"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
)

// aiListData is the AI system inventory page.
type aiListData struct {
	*Shell
	Systems []domain.AISystem
	Total   int
	Summary domain.AISummary
	ByStage []hbar
	ByClass []hbar
	Filter  url.Values
	Fields  []formField
	NextURL string
	Export  string // query of the filters, for the downloads
	Errors  *domain.ValidationError
}

func aiFilter(q url.Values) domain.AISystemFilter {
	limit, _ := strconv.Atoi(q.Get("limit"))
	on := func(k string) bool { return q.Get(k) != "" && q.Get(k) != "0" }
	return domain.AISystemFilter{Stage: q.Get("stage"), Class: q.Get("eu_ai_act_class"), Role: q.Get("role"), Owner: q.Get("owner"),
		Supplier: q.Get("supplier"), Dataset: q.Get("dataset"), Stale: on("stale"), NoAssessment: on("no_assessment"),
		Overdue: on("overdue"), Text: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")}
}

func (h *handler) aiSystemList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	sh.Section, sh.Title = "ai", i18n.T("web.ai.title")
	d := &aiListData{Shell: sh, Filter: q, Errors: &domain.ValidationError{}}
	page, total, err := o.ListAISystems(r.Context(), aiFilter(q))
	status := http.StatusOK
	if v, ok := domain.AsValidation(err); ok {
		d.Errors, status = v, http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Summary, err = o.AISummary(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Systems, d.Total = page.Items, total
	most := 0
	for _, n := range d.Summary.ByStage {
		most = max(most, n)
	}
	for _, s := range domain.AIStages {
		d.ByStage = append(d.ByStage, makeHBar(i18n.T("ai.stage."+s), "ai-bar-stage", d.Summary.ByStage[s], most, sh.OrgPath("ai-systems")+"?stage="+s))
	}
	most = 0
	for _, n := range d.Summary.ByClass {
		most = max(most, n)
	}
	for _, c := range domain.EUAIActClasses {
		d.ByClass = append(d.ByClass, makeHBar(i18n.T("ai.class."+c), "ai-bar-"+c, d.Summary.ByClass[c], most, sh.OrgPath("ai-systems")+"?eu_ai_act_class="+c))
	}
	any := fieldOption{"", i18n.T("web.filter.any")}
	fs := newFieldSet(d.Errors)
	fs.text("q", "web.filter.q", q.Get("q"), false).
		add("select", "stage", "web.ai.field.stage", q.Get("stage"), false, append([]fieldOption{any}, options("ai.stage.", domain.AIStages)...)...).
		add("select", "eu_ai_act_class", "web.ai.field.class", q.Get("eu_ai_act_class"), false, append([]fieldOption{any}, options("ai.class.", domain.EUAIActClasses)...)...).
		add("select", "role", "web.ai.field.role", q.Get("role"), false, append([]fieldOption{any}, options("ai.role.", domain.AIRoles)...)...).
		check("stale", "web.ai.filter.stale", q.Get("stale") != "").
		check("overdue", "web.ai.filter.overdue", q.Get("overdue") != "").
		check("no_assessment", "web.ai.filter.no_assessment", q.Get("no_assessment") != "")
	d.Fields = fs.fields
	exp := url.Values{}
	for k, v := range q {
		if k != "cursor" && k != "limit" {
			exp[k] = v
		}
	}
	d.Export = exp.Encode()
	if page.Next != nil {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("cursor", *page.Next)
		d.NextURL = sh.OrgPath("ai-systems") + "?" + next.Encode()
	}
	h.render(w, r, status, "ai_systems", d)
}

func (h *handler) aiSystemExport(w http.ResponseWriter, r *http.Request) {
	o, _, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	f := aiFilter(r.URL.Query())
	f.Cursor, f.Limit = "", 0
	items, err := api.AllAISystems(r.Context(), o, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	format := formatOf(r)
	if format == "csv" {
		err = report.AIInventoryCSV(&buf, items, o.Org().Name)
	} else {
		err = report.AIInventoryXLSX(&buf, items, o.Org().Name)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sendFile(w, o.Org().Slug+"-ai-inventory."+format, format, buf.Bytes())
}

// formatOf is the file format a download route ends in (.csv, .xlsx, .md, .pdf).
func formatOf(r *http.Request) string {
	p := r.URL.Path
	return p[strings.LastIndexByte(p, '.')+1:]
}

// sendFile sends a file the person saves.
func sendFile(w http.ResponseWriter, name, format string, b []byte) {
	types := map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"pdf": "application/pdf", "md": "text/markdown; charset=utf-8"}
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// aiSystemData is one AI system's page: everything recorded about it.
type aiSystemData struct {
	*Shell
	System      domain.AISystem
	Supplier    *domain.Supplier
	Datasets    []domain.Dataset
	Risks       []domain.Risk
	Events      []domain.AISystemEvent
	Assessments []domain.ImpactAssessment
	Tests       []domain.AITest
	Trends      []trendChart
	Records     []domain.MonitoringRecord
	TestForm    []formField
	RecordForm  []formField
	CanEdit     bool
	CanRecord   bool
	Stages      []string
	StageIndex  int
	Errors      *domain.ValidationError
}

func (h *handler) aiSystemShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderAISystem(w, r, o, sh, http.StatusOK, nil, nil)
}

// renderAISystem draws the page; testErr or recordErr put a refused
// record's input and errors back into its form.
func (h *handler) renderAISystem(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int,
	testErr, recordErr *domain.ValidationError) {
	ctx := r.Context()
	s, err := o.AISystem(ctx, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &aiSystemData{Shell: sh, System: s, Stages: domain.AIStages, Errors: &domain.ValidationError{}}
	for i, st := range domain.AIStages {
		if st == s.Stage {
			d.StageIndex = i
		}
	}
	sh.Section, sh.Title = "ai", s.Ref+" "+s.Name
	if s.Supplier != "" {
		sup, err := o.Supplier(ctx, s.Supplier)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Supplier = &sup
	}
	ds, _, err := o.ListDatasets(ctx, domain.DatasetFilter{AISystem: s.Ref, Limit: store.MaxLimit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Datasets = ds.Items
	if sh.Can("risk", "read") {
		risks, err := o.ListRisks(ctx, domain.RiskFilter{AISystem: s.Ref, Limit: 100})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Risks = risks.Items
	}
	if d.Events, err = o.AISystemEvents(ctx, s.Ref, 50); err != nil {
		h.fail(w, r, err)
		return
	}
	as, _, err := o.ListImpactAssessments(ctx, domain.ImpactAssessmentFilter{System: s.Ref, Limit: 20})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Assessments = as.Items
	tests, _, err := o.ListAITests(ctx, s.Ref, domain.AITestFilter{Limit: 20})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Tests = tests.Items
	trends, err := o.AITrends(ctx, s.Ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, tr := range trends {
		d.Trends = append(d.Trends, makeTrend(tr))
	}
	recs, _, err := o.ListMonitoring(ctx, s.Ref, "", 20, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Records = recs.Items
	d.CanEdit = sh.mayChange(auth.ResAISystem, s.Owner)
	d.CanRecord = d.CanEdit
	d.TestForm = testFields(r, testErr, o)
	d.RecordForm = recordFields(r, recordErr, o)
	h.render(w, r, status, "ai_system", d)
}

func testFields(r *http.Request, v *domain.ValidationError, o *store.OrgStore) []formField {
	f := func(k string) string {
		if v == nil {
			return ""
		}
		return r.PostForm.Get(k)
	}
	date := f("tested_on")
	if date == "" {
		date = today(o)
	}
	comparator := f("comparator")
	return newFieldSet(v).
		add("select", "kind", "web.ai.test.kind", f("kind"), true, options("ai.test_kind.", domain.AITestKinds)...).
		text("metric", "web.ai.test.metric", f("metric"), true).hint("web.ai.test.metric_hint").
		text("slice", "web.ai.test.slice", f("slice"), false).
		add("select", "comparator", "web.ai.test.comparator", comparator, true,
			fieldOption{">=", i18n.T("web.ai.test.at_least")}, fieldOption{"<=", i18n.T("web.ai.test.at_most")}).
		add("number", "threshold", "web.ai.test.threshold", f("threshold"), true).
		add("number", "result", "web.ai.test.result", f("result"), true).
		add("date", "tested_on", "web.ai.test.tested_on", date, true).
		text("model_version", "web.ai.test.model_version", f("model_version"), false).hint("web.ai.test.model_version_hint").
		text("evidence", "web.ai.evidence", f("evidence"), false).hint("web.ai.evidence_hint").
		area("notes", "web.ai.test.notes", f("notes")).fields
}

func recordFields(r *http.Request, v *domain.ValidationError, o *store.OrgStore) []formField {
	f := func(k string) string {
		if v == nil {
			return ""
		}
		return r.PostForm.Get(k)
	}
	date := f("checked_on")
	if date == "" {
		date = today(o)
	}
	return newFieldSet(v).
		add("select", "kind", "web.ai.mon.kind", f("kind"), true, options("ai.kind.", domain.MonitoringKinds)...).
		add("date", "checked_on", "web.ai.mon.checked_on", date, true).
		add("select", "outcome", "web.ai.mon.outcome", f("outcome"), true, options("ai.outcome.", domain.MonitoringOutcomes)...).
		area("summary", "web.ai.mon.summary", f("summary")).
		area("follow_up", "web.ai.mon.follow_up", f("follow_up")).
		text("evidence", "web.ai.evidence", f("evidence"), false).
		text("performed_by", "web.ai.mon.performed_by", f("performed_by"), false).hint("web.ai.mon.performed_by_hint").fields
}

func today(o *store.OrgStore) string { return o.Today() }

func (h *handler) aiSystemFields(sh *Shell, o *store.OrgStore, r *http.Request, s domain.AISystem, v *domain.ValidationError) []formField {
	ctx := r.Context()
	suppliers := []fieldOption{{"", i18n.T("web.ai.no_supplier")}}
	if page, _, err := o.ListSuppliers(ctx, domain.SupplierFilter{Limit: store.MaxLimit}); err == nil {
		for _, p := range page.Items {
			suppliers = append(suppliers, fieldOption{p.Ref, p.Ref + " " + p.Name})
		}
	}
	var datasets []fieldOption
	if page, _, err := o.ListDatasets(ctx, domain.DatasetFilter{Limit: store.MaxLimit}); err == nil {
		for _, ds := range page.Items {
			datasets = append(datasets, fieldOption{ds.Ref, ds.Ref + " " + ds.Name})
		}
	}
	days := ""
	if s.MonitoringDays > 0 {
		days = strconv.Itoa(s.MonitoringDays)
	}
	return newFieldSet(v).
		text("name", "web.ai.field.name", s.Name, true).
		area("purpose", "web.ai.field.purpose", s.Purpose).
		area("intended_use", "web.ai.field.intended_use", s.IntendedUse).
		area("foreseeable_misuse", "web.ai.field.misuse", s.Misuse).
		text("owner", "web.field.owner", s.Owner, true).
		text("business_unit", "web.ai.field.business_unit", s.BusinessUnit, false).
		add("select", "stage", "web.ai.field.stage", s.Stage, true, options("ai.stage.", domain.AIStages)...).
		add("select", "role", "web.ai.field.role", s.Role, true, options("ai.role.", domain.AIRoles)...).
		add("select", "status", "web.ai.field.status", s.Status, true, options("ai.status.", domain.AISystemStatuses)...).
		text("model_type", "web.ai.field.model_type", s.ModelType, false).
		text("model_version", "web.ai.field.model_version", s.ModelVersion, false).hint("web.ai.field.model_version_hint").
		add("select", "sourcing", "web.ai.field.sourcing", s.Sourcing, true, options("ai.sourcing.", domain.AISourcing)...).
		add("select", "supplier", "web.ai.field.supplier", s.Supplier, false, suppliers...).
		checks("datasets", "web.ai.field.datasets", s.Datasets, datasets).
		add("select", "autonomy", "web.ai.field.autonomy", s.Autonomy, true, options("ai.autonomy.", domain.AIAutonomy)...).
		area("human_oversight", "web.ai.field.oversight", s.Oversight).
		area("users", "web.ai.field.users", s.Users).
		checks("affected_parties", "web.ai.field.affected_parties", s.AffectedParties, options("report.risk.party.", domain.AffectedParties)).
		area("affected_description", "web.ai.field.affected", s.Affected).
		add("select", "eu_ai_act_class", "web.ai.field.class", s.EUAIActClass, true, options("ai.class.", domain.EUAIActClasses)...).
		area("eu_ai_act_reason", "web.ai.field.class_reason", s.EUAIActReason).
		add("date", "deployed_on", "web.ai.field.deployed_on", s.DeployedOn, false).
		area("monitoring_plan", "web.ai.field.monitoring_plan", s.MonitoringPlan).
		add("number", "monitoring_interval_days", "web.ai.field.monitoring_days", days, false).hint("web.ai.field.monitoring_days_hint").fields
}

func aiSystemInput(r *http.Request) domain.AISystemInput {
	return domain.AISystemInput{Name: formText(r, "name"), Purpose: formText(r, "purpose"), IntendedUse: formText(r, "intended_use"),
		Misuse: formText(r, "foreseeable_misuse"), Owner: formText(r, "owner"), BusinessUnit: formText(r, "business_unit"),
		Stage: formText(r, "stage"), Role: formText(r, "role"), ModelType: formText(r, "model_type"), ModelVersion: formText(r, "model_version"),
		Sourcing: formText(r, "sourcing"), Supplier: formText(r, "supplier"), Datasets: formList(r, "datasets"),
		Autonomy: formText(r, "autonomy"), Oversight: formText(r, "human_oversight"), Users: formText(r, "users"),
		AffectedParties: &[]string{}, Affected: formText(r, "affected_description"), EUAIActClass: formText(r, "eu_ai_act_class"),
		EUAIActReason: formText(r, "eu_ai_act_reason"), DeployedOn: formText(r, "deployed_on"), MonitoringPlan: formText(r, "monitoring_plan"),
		MonitoringDays: formInt(r, "monitoring_interval_days"), Status: formText(r, "status")}
}

func (h *handler) aiSystemForm(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int, s domain.AISystem, v *domain.ValidationError) {
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &formPage{Shell: sh, Fields: h.aiSystemFields(sh, o, r, s, v), Errors: v, Version: s.Version,
		Crumbs: []fieldOption{{sh.OrgPath("ai-systems"), i18n.T("web.ai.title")}}}
	sh.Section = "ai"
	if s.Ref == "" {
		d.Heading, d.Action, d.Submit, d.Cancel = i18n.T("web.ai.new"), sh.OrgPath("ai-systems"), i18n.T("web.ai.create"), sh.OrgPath("ai-systems")
	} else {
		d.Crumbs = append(d.Crumbs, fieldOption{sh.OrgPath("ai-systems", s.Ref), s.Ref})
		d.Heading, d.Action, d.Submit, d.Cancel = i18n.T("web.ai.edit", s.Ref), sh.OrgPath("ai-systems", s.Ref), i18n.T("web.form.save"), sh.OrgPath("ai-systems", s.Ref)
	}
	sh.Title = d.Heading
	h.render(w, r, status, "ai_form", d)
}

func (h *handler) aiSystemNew(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.aiSystemForm(w, r, o, sh, http.StatusOK, domain.AISystemInput{}.Apply(domain.AISystem{}), nil)
}

func (h *handler) aiSystemEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	s, err := o.AISystem(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := scope(r).AISystemWritable(r.Context(), s.Ref, nil, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	h.aiSystemForm(w, r, o, sh, http.StatusOK, s, nil)
}

func (h *handler) aiSystemCreate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	in := aiSystemInput(r)
	in.AffectedParties = formList(r, "affected_parties")
	lower(in.AffectedParties)
	s, err := o.CreateAISystem(r.Context(), actor(r), in)
	if v, ok := domain.AsValidation(err); ok {
		h.aiSystemForm(w, r, o, sh, http.StatusUnprocessableEntity, in.Apply(domain.AISystem{}), v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("ai-systems", s.Ref)+"?notice=saved", http.StatusSeeOther)
}

func lower(list *[]string) {
	for i, v := range *list {
		b := []byte(v)
		for j, c := range b {
			if c >= 'A' && c <= 'Z' {
				b[j] = c + 'a' - 'A'
			}
		}
		(*list)[i] = string(b)
	}
}

func (h *handler) aiSystemUpdate(w http.ResponseWriter, r *http.Request) {
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
	in := aiSystemInput(r)
	in.AffectedParties = formList(r, "affected_parties")
	lower(in.AffectedParties)
	pin, err := scope(r).AISystemWritable(r.Context(), ref, &version, in.Owner)
	if err == nil {
		version = *pin
	}
	cur, curErr := o.AISystem(r.Context(), ref)
	if curErr != nil {
		h.fail(w, r, curErr)
		return
	}
	var s domain.AISystem
	if err == nil {
		s, err = o.UpdateAISystem(r.Context(), actor(r), ref, version, in)
	}
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		shown := in.Apply(cur)
		shown.Version = version
		h.aiSystemForm(w, r, o, sh, http.StatusUnprocessableEntity, shown, v)
		return
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.aiSystemForm(w, r, o, sh, http.StatusConflict, cur, nil)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	notice := "saved"
	if len(cur.Changes(s)) > 0 {
		notice = "ai_change_event"
	}
	http.Redirect(w, r, sh.OrgPath("ai-systems", s.Ref)+"?notice="+notice, http.StatusSeeOther)
}

func (h *handler) aiSystemDelete(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	err := o.DeleteAISystem(r.Context(), actor(r), r.PathValue("ref"), version)
	if errors.Is(err, domain.ErrConflict) {
		sh.Error = i18n.T("error.version_conflict")
		h.renderAISystem(w, r, o, sh, http.StatusConflict, nil, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("ai-systems"), http.StatusSeeOther)
}

// aiTestRecord and aiMonitoringRecord add a record from the system page.
func (h *handler) aiTestRecord(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	ref := r.PathValue("ref")
	if err := scope(r).SystemRecordsWritable(r.Context(), ref); err != nil {
		h.fail(w, r, err)
		return
	}
	num := func(k string) float64 { f, _ := strconv.ParseFloat(r.PostForm.Get(k), 64); return f }
	in := domain.AITestInput{Kind: r.PostForm.Get("kind"), Metric: r.PostForm.Get("metric"), Slice: r.PostForm.Get("slice"),
		Comparator: r.PostForm.Get("comparator"), Threshold: num("threshold"), Result: num("result"), TestedOn: r.PostForm.Get("tested_on"),
		ModelVersion: r.PostForm.Get("model_version"), Evidence: r.PostForm.Get("evidence"), Notes: r.PostForm.Get("notes")}
	v := &domain.ValidationError{}
	for _, k := range []string{"threshold", "result"} {
		if _, err := strconv.ParseFloat(r.PostForm.Get(k), 64); err != nil {
			v.Add(k, "error.number", r.PostForm.Get(k))
		}
	}
	var err error
	if len(v.Fields) == 0 {
		_, err = o.RecordAITest(r.Context(), actor(r), scope(r).Who(), ref, in)
	} else {
		err = v
	}
	if v, ok := domain.AsValidation(err); ok {
		h.renderAISystem(w, r, o, sh, http.StatusUnprocessableEntity, v, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("ai-systems", ref)+"?notice=ai_test_recorded#tests", http.StatusSeeOther)
}

func (h *handler) aiMonitoringRecord(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	ref := r.PathValue("ref")
	if err := scope(r).SystemRecordsWritable(r.Context(), ref); err != nil {
		h.fail(w, r, err)
		return
	}
	f := r.PostForm
	in := domain.MonitoringInput{Kind: f.Get("kind"), CheckedOn: f.Get("checked_on"), PerformedBy: f.Get("performed_by"),
		Outcome: f.Get("outcome"), Summary: f.Get("summary"), FollowUp: f.Get("follow_up"), Evidence: f.Get("evidence")}
	_, err := o.RecordMonitoring(r.Context(), actor(r), scope(r).Who(), ref, in)
	if v, ok := domain.AsValidation(err); ok {
		h.renderAISystem(w, r, o, sh, http.StatusUnprocessableEntity, nil, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("ai-systems", ref)+"?notice=ai_monitoring_recorded#monitoring", http.StatusSeeOther)
}

// modelCard downloads the model card as Markdown or PDF.
func (h *handler) modelCard(w http.ResponseWriter, r *http.Request) {
	o, _, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	card, err := o.ModelCard(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format := formatOf(r)
	var buf bytes.Buffer
	if format == "md" {
		err = report.ModelCardMarkdown(&buf, card)
	} else {
		var b []byte
		b, err = report.ModelCardPDF(card)
		buf.Write(b)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sendFile(w, o.Org().Slug+"-"+card.System.Ref+"-model-card."+format, format, buf.Bytes())
}
