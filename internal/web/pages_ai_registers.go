package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"tandem/internal/api"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
)

// Datasets and the supplier register: lists, pages and forms.

type registerList[T any] struct {
	*Shell
	Items   []T
	Total   int
	Fields  []formField
	NextURL string
	Export  string
	Tiles   []tile
	Errors  *domain.ValidationError
}

// tile is one number at the top of a register.
type tile struct {
	Label, Href string
	Value       int
	Alert       bool
}

func nextURL(base string, q url.Values, next *string) string {
	if next == nil {
		return ""
	}
	v := url.Values{}
	for k, x := range q {
		v[k] = x
	}
	v.Set("cursor", *next)
	return base + "?" + v.Encode()
}

func exportQuery(q url.Values) string {
	v := url.Values{}
	for k, x := range q {
		if k != "cursor" && k != "limit" {
			v[k] = x
		}
	}
	return v.Encode()
}

func optBool(s string) *bool {
	if s == "" {
		return nil
	}
	b := s == "yes"
	return &b
}

func (h *handler) datasetList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	sh.Section, sh.Title = "ai", i18n.T("web.dataset.title")
	d := &registerList[domain.Dataset]{Shell: sh, Errors: &domain.ValidationError{}}
	page, total, err := o.ListDatasets(r.Context(), domain.DatasetFilter{Quality: q.Get("quality_result"), PersonalData: optBool(q.Get("personal_data")),
		AISystem: q.Get("ai_system"), Text: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")})
	status := http.StatusOK
	if v, ok := domain.AsValidation(err); ok {
		d.Errors, status = v, http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Items, d.Total, d.NextURL = page.Items, total, nextURL(sh.OrgPath("datasets"), q, page.Next)
	anyOpt := fieldOption{"", i18n.T("web.filter.any")}
	d.Fields = newFieldSet(d.Errors).text("q", "web.filter.q", q.Get("q"), false).
		add("select", "quality_result", "web.dataset.field.quality", q.Get("quality_result"), false, append([]fieldOption{anyOpt}, options("ai.quality.", domain.DatasetQuality)...)...).
		add("select", "personal_data", "web.dataset.field.personal_data", q.Get("personal_data"), false, anyOpt,
			fieldOption{"yes", i18n.T("report.risk.yes")}, fieldOption{"no", i18n.T("report.risk.no")}).fields
	h.render(w, r, status, "datasets", d)
}

type datasetData struct {
	*Shell
	Dataset domain.Dataset
	CanEdit bool
}

func (h *handler) datasetShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ds, err := o.Dataset(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh.Section, sh.Title = "ai", ds.Ref+" "+ds.Name
	h.render(w, r, http.StatusOK, "dataset", &datasetData{Shell: sh, Dataset: ds,
		CanEdit: sh.mayChange(auth.ResDataset, ds.Owner)})
}

func datasetFields(ds domain.Dataset, v *domain.ValidationError) []formField {
	return newFieldSet(v).text("name", "web.dataset.field.name", ds.Name, true).
		area("description", "web.field.description", ds.Description).
		text("owner", "web.field.owner", ds.Owner, false).
		area("source", "web.dataset.field.source", ds.Source).
		area("provenance", "web.dataset.field.provenance", ds.Provenance).
		area("collection_method", "web.dataset.field.collection_method", ds.CollectionMethod).
		text("licence", "web.dataset.field.licence", ds.Licence, false).
		check("personal_data", "web.dataset.field.personal_data", ds.PersonalData).
		area("personal_data_details", "web.dataset.field.personal_details", ds.PersonalDetails).
		area("quality_checks", "web.dataset.field.quality_checks", ds.QualityChecks).
		add("select", "quality_result", "web.dataset.field.quality", ds.Quality, true, options("ai.quality.", domain.DatasetQuality)...).
		add("date", "quality_checked_on", "web.dataset.field.checked_on", ds.QualityCheckedOn, false).
		area("preparation", "web.dataset.field.preparation", ds.Preparation).
		area("known_bias", "web.dataset.field.known_bias", ds.KnownBias).
		text("retention", "web.dataset.field.retention", ds.Retention, false).fields
}

func datasetInput(r *http.Request) domain.DatasetInput {
	return domain.DatasetInput{Name: formText(r, "name"), Description: formText(r, "description"), Owner: formText(r, "owner"),
		Source: formText(r, "source"), Provenance: formText(r, "provenance"), CollectionMethod: formText(r, "collection_method"),
		Licence: formText(r, "licence"), PersonalData: formBool(r, "personal_data"), PersonalDetails: formText(r, "personal_data_details"),
		QualityChecks: formText(r, "quality_checks"), Quality: formText(r, "quality_result"), QualityCheckedOn: formText(r, "quality_checked_on"),
		Preparation: formText(r, "preparation"), KnownBias: formText(r, "known_bias"), Retention: formText(r, "retention")}
}

func (h *handler) datasetForm(w http.ResponseWriter, r *http.Request, sh *Shell, status int, ds domain.Dataset, v *domain.ValidationError) {
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &formPage{Shell: sh, Fields: datasetFields(ds, v), Errors: v, Version: ds.Version,
		Crumbs: []fieldOption{{sh.OrgPath("ai-systems"), i18n.T("web.ai.title")}, {sh.OrgPath("datasets"), i18n.T("web.dataset.title")}}}
	if ds.Ref == "" {
		d.Heading, d.Action, d.Submit, d.Cancel = i18n.T("web.dataset.new"), sh.OrgPath("datasets"), i18n.T("web.dataset.create"), sh.OrgPath("datasets")
	} else {
		d.Heading, d.Action, d.Submit, d.Cancel = i18n.T("web.dataset.edit", ds.Ref), sh.OrgPath("datasets", ds.Ref), i18n.T("web.form.save"), sh.OrgPath("datasets", ds.Ref)
	}
	sh.Section, sh.Title = "ai", d.Heading
	h.render(w, r, status, "ai_form", d)
}

func (h *handler) datasetNew(w http.ResponseWriter, r *http.Request) {
	_, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.datasetForm(w, r, sh, http.StatusOK, domain.DatasetInput{}.Apply(domain.Dataset{}), nil)
}

func (h *handler) datasetEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ds, err := o.Dataset(r.Context(), r.PathValue("ref"))
	if err == nil {
		_, err = scope(r).DatasetWritable(r.Context(), ds.Ref, nil, nil)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.datasetForm(w, r, sh, http.StatusOK, ds, nil)
}

func (h *handler) datasetCreate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	in := datasetInput(r)
	ds, err := o.CreateDataset(r.Context(), actor(r), in)
	if v, ok := domain.AsValidation(err); ok {
		h.datasetForm(w, r, sh, http.StatusUnprocessableEntity, in.Apply(domain.Dataset{}), v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("datasets", ds.Ref)+"?notice=saved", http.StatusSeeOther)
}

func (h *handler) datasetUpdate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	ref, in := r.PathValue("ref"), datasetInput(r)
	cur, err := o.Dataset(r.Context(), ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pin, err := scope(r).DatasetWritable(r.Context(), ref, &version, in.Owner)
	var ds domain.Dataset
	if err == nil {
		ds, err = o.UpdateDataset(r.Context(), actor(r), ref, *pin, in)
	}
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		shown := in.Apply(cur)
		shown.Version = version
		h.datasetForm(w, r, sh, http.StatusUnprocessableEntity, shown, v)
		return
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.datasetForm(w, r, sh, http.StatusConflict, cur, nil)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("datasets", ds.Ref)+"?notice=saved", http.StatusSeeOther)
}

func supplierFilter(q url.Values) domain.SupplierFilter {
	limit, _ := strconv.Atoi(q.Get("limit"))
	return domain.SupplierFilter{Criticality: q.Get("criticality"), Status: q.Get("status"), ProvidesAI: optBool(q.Get("provides_ai")),
		ReviewDue: q.Get("review_due") != "", Text: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")}
}

func (h *handler) supplierList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	sh.Section, sh.Title = "suppliers", i18n.T("web.supplier.title")
	d := &registerList[domain.Supplier]{Shell: sh, Errors: &domain.ValidationError{}, Export: exportQuery(q)}
	page, total, err := o.ListSuppliers(r.Context(), supplierFilter(q))
	status := http.StatusOK
	if v, ok := domain.AsValidation(err); ok {
		d.Errors, status = v, http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Items, d.Total, d.NextURL = page.Items, total, nextURL(sh.OrgPath("suppliers"), q, page.Next)
	ctx := r.Context()
	count := func(f domain.SupplierFilter) int { _, n, _ := o.ListSuppliers(ctx, f); return n }
	yes := true
	base := sh.OrgPath("suppliers")
	d.Tiles = []tile{{i18n.T("web.supplier.kpi.all"), base, count(domain.SupplierFilter{Limit: 1}), false},
		{i18n.T("web.supplier.kpi.ai"), base + "?provides_ai=yes", count(domain.SupplierFilter{ProvidesAI: &yes, Limit: 1}), false},
		{i18n.T("web.supplier.kpi.critical"), base + "?criticality=critical", count(domain.SupplierFilter{Criticality: "critical", Limit: 1}), false}}
	due := count(domain.SupplierFilter{ReviewDue: true, Limit: 1})
	d.Tiles = append(d.Tiles, tile{i18n.T("web.supplier.kpi.review_due"), base + "?review_due=1", due, due > 0})
	anyOpt := fieldOption{"", i18n.T("web.filter.any")}
	d.Fields = newFieldSet(d.Errors).text("q", "web.filter.q", q.Get("q"), false).
		add("select", "criticality", "web.supplier.field.criticality", q.Get("criticality"), false, append([]fieldOption{anyOpt}, options("ai.criticality.", domain.SupplierCriticality)...)...).
		add("select", "status", "web.supplier.field.status", q.Get("status"), false, append([]fieldOption{anyOpt}, options("ai.supplier_status.", domain.SupplierStatuses)...)...).
		add("select", "provides_ai", "web.supplier.field.provides_ai", q.Get("provides_ai"), false, anyOpt,
			fieldOption{"yes", i18n.T("report.risk.yes")}, fieldOption{"no", i18n.T("report.risk.no")}).
		check("review_due", "web.supplier.filter.review_due", q.Get("review_due") != "").fields
	h.render(w, r, status, "suppliers", d)
}

func (h *handler) supplierExport(w http.ResponseWriter, r *http.Request) {
	o, _, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	f := supplierFilter(r.URL.Query())
	f.Cursor = ""
	items, err := api.AllSuppliers(r.Context(), o, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	format := formatOf(r)
	if format == "csv" {
		err = report.SupplierRegisterCSV(&buf, items, o.Org().Name)
	} else {
		format = "xlsx"
		err = report.SupplierRegisterXLSX(&buf, items, o.Org().Name)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sendFile(w, o.Org().Slug+"-suppliers."+format, format, buf.Bytes())
}

type supplierData struct {
	*Shell
	Supplier    domain.Supplier
	Assessments []domain.SupplierAssessment
	AssessForm  []formField
	CanEdit     bool
	Errors      *domain.ValidationError
}

func (h *handler) supplierShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderSupplier(w, r, o, sh, http.StatusOK, nil)
}

func (h *handler) renderSupplier(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int, v *domain.ValidationError) {
	p, err := o.Supplier(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	as, err := o.SupplierAssessments(r.Context(), p.Ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := func(k string) string {
		if v == nil {
			return ""
		}
		return r.PostForm.Get(k)
	}
	date := f("assessed_on")
	if date == "" {
		date = o.Today()
	}
	sh.Section, sh.Title = "suppliers", p.Ref+" "+p.Name
	d := &supplierData{Shell: sh, Supplier: p, Assessments: as, Errors: &domain.ValidationError{},
		CanEdit: sh.mayChange(auth.ResSupplier, p.Owner)}
	if v != nil {
		d.Errors = v
	}
	d.AssessForm = newFieldSet(v).add("date", "assessed_on", "web.supplier.assess.date", date, true).
		add("select", "result", "web.supplier.assess.result", f("result"), true, options("ai.result.", domain.SupplierResults)...).
		area("summary", "web.supplier.assess.summary", f("summary")).
		text("evidence", "web.ai.evidence", f("evidence"), false).hint("web.ai.evidence_hint").
		add("date", "next_review", "web.supplier.field.next_review", f("next_review"), false).fields
	h.render(w, r, status, "supplier", d)
}

func supplierFields(p domain.Supplier, v *domain.ValidationError) []formField {
	return newFieldSet(v).text("name", "web.supplier.field.name", p.Name, true).
		area("services", "web.supplier.field.services", p.Services).
		check("provides_ai", "web.supplier.field.provides_ai", p.ProvidesAI).
		area("ai_components", "web.supplier.field.ai_components", p.AIComponents).
		area("data_shared", "web.supplier.field.data_shared", p.DataShared).
		add("select", "criticality", "web.supplier.field.criticality", p.Criticality, true, options("ai.criticality.", domain.SupplierCriticality)...).
		add("select", "status", "web.supplier.field.status", p.Status, true, options("ai.supplier_status.", domain.SupplierStatuses)...).
		text("owner", "web.supplier.field.owner", p.Owner, false).
		text("contact", "web.supplier.field.contact", p.Contact, false).
		add("date", "contract_start", "web.supplier.field.contract_start", p.ContractStart, false).
		add("date", "contract_end", "web.supplier.field.contract_end", p.ContractEnd, false).
		add("date", "next_review", "web.supplier.field.next_review", p.NextReview, false).
		text("assets", "web.supplier.field.assets", joinRefs(p.Assets), false).hint("web.supplier.refs_hint").
		text("risks", "web.supplier.field.risks", joinRefs(p.Risks), false).hint("web.supplier.refs_hint").
		text("controls", "web.supplier.field.controls", joinRefs(p.Controls), false).hint("web.supplier.refs_hint").fields
}

func joinRefs(refs []string) string {
	out := ""
	for i, r := range refs {
		if i > 0 {
			out += ", "
		}
		out += r
	}
	return out
}

func supplierInput(r *http.Request) domain.SupplierInput {
	return domain.SupplierInput{Name: formText(r, "name"), Services: formText(r, "services"), ProvidesAI: formBool(r, "provides_ai"),
		AIComponents: formText(r, "ai_components"), DataShared: formText(r, "data_shared"), Criticality: formText(r, "criticality"),
		Status: formText(r, "status"), Owner: formText(r, "owner"), Contact: formText(r, "contact"),
		ContractStart: formText(r, "contract_start"), ContractEnd: formText(r, "contract_end"), NextReview: formText(r, "next_review"),
		Assets: formList(r, "assets"), Risks: formList(r, "risks"), Controls: formList(r, "controls")}
}

func (h *handler) supplierForm(w http.ResponseWriter, r *http.Request, sh *Shell, status int, p domain.Supplier, v *domain.ValidationError) {
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &formPage{Shell: sh, Fields: supplierFields(p, v), Errors: v, Version: p.Version,
		Crumbs: []fieldOption{{sh.OrgPath("suppliers"), i18n.T("web.supplier.title")}}}
	if p.Ref == "" {
		d.Heading, d.Action, d.Submit, d.Cancel = i18n.T("web.supplier.new"), sh.OrgPath("suppliers"), i18n.T("web.supplier.create"), sh.OrgPath("suppliers")
	} else {
		d.Heading, d.Action, d.Submit, d.Cancel = i18n.T("web.supplier.edit", p.Ref), sh.OrgPath("suppliers", p.Ref), i18n.T("web.form.save"), sh.OrgPath("suppliers", p.Ref)
	}
	sh.Section, sh.Title = "suppliers", d.Heading
	h.render(w, r, status, "ai_form", d)
}

func (h *handler) supplierNew(w http.ResponseWriter, r *http.Request) {
	_, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.supplierForm(w, r, sh, http.StatusOK, domain.SupplierInput{}.Apply(domain.Supplier{}), nil)
}

func (h *handler) supplierEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	p, err := o.Supplier(r.Context(), r.PathValue("ref"))
	if err == nil {
		_, err = scope(r).SupplierWritable(r.Context(), p.Ref, nil, nil)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.supplierForm(w, r, sh, http.StatusOK, p, nil)
}

func (h *handler) supplierCreate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	in := supplierInput(r)
	p, err := o.CreateSupplier(r.Context(), actor(r), in)
	if v, ok := domain.AsValidation(err); ok {
		h.supplierForm(w, r, sh, http.StatusUnprocessableEntity, in.Apply(domain.Supplier{}), v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("suppliers", p.Ref)+"?notice=saved", http.StatusSeeOther)
}

func (h *handler) supplierUpdate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	ref, in := r.PathValue("ref"), supplierInput(r)
	cur, err := o.Supplier(r.Context(), ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pin, err := scope(r).SupplierWritable(r.Context(), ref, &version, in.Owner)
	var p domain.Supplier
	if err == nil {
		p, err = o.UpdateSupplier(r.Context(), actor(r), ref, *pin, in)
	}
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		shown := in.Apply(cur)
		shown.Version = version
		h.supplierForm(w, r, sh, http.StatusUnprocessableEntity, shown, v)
		return
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.supplierForm(w, r, sh, http.StatusConflict, cur, nil)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("suppliers", p.Ref)+"?notice=saved", http.StatusSeeOther)
}

func (h *handler) supplierAssess(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	ref := r.PathValue("ref")
	if _, err := scope(r).SupplierWritable(r.Context(), ref, nil, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	f := r.PostForm
	_, err := o.AssessSupplier(r.Context(), actor(r), scope(r).Who(), ref, domain.SupplierAssessmentInput{AssessedOn: f.Get("assessed_on"),
		Result: f.Get("result"), Summary: f.Get("summary"), Evidence: f.Get("evidence"), NextReview: f.Get("next_review")})
	if v, ok := domain.AsValidation(err); ok {
		h.renderSupplier(w, r, o, sh, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("suppliers", ref)+"?notice=supplier_assessed", http.StatusSeeOther)
}
