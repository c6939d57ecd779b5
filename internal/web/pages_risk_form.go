package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tandem/internal/access"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// riskFormData is the one form for a new risk and for an edit; refused
// input re-renders it in place with the values kept.
type riskFormData struct {
	*Shell
	Risk       domain.Risk
	IsNew      bool
	Action     string
	Method     domain.RiskMethod
	Treatments []string
	Statuses   []string
	Owners     []string
	// OwnerFixed: a contributor changes their own risk but cannot give it
	// to someone else.
	OwnerFixed bool
	Controls   riskPicker
	Assets     riskPicker
	CIA        []riskChoice
	Sources    []riskChoice
	Parties    []riskChoice
	Errors     *domain.ValidationError
	// Conflict lists where the values sent differ from the risk saved
	// meanwhile (saved → sent).
	Conflict []riskChange
}

// picker is the controls or assets a risk may link: a list to tick while
// the organization has at most pickerSize of them, else a text field of refs.
type riskPicker struct {
	Items []riskPickItem
	Text  bool
	Value string // the refs, for the text field
}

type riskPickItem struct {
	Ref, Title, Note string
	Checked, Unknown bool
}

// riskPickerArgs and riskChecksArgs are what the form's partials for a
// list of refs and a list of values take.
type riskPickerArgs struct {
	Name   string
	Picker riskPicker
	Error  string
}

type riskChecksArgs struct {
	Name, Kind string
	Choices    []riskChoice
	Error      string
}

type riskChoice struct {
	Value   string
	Checked bool
}

// pickerSize is the longest list the form offers to tick (the store's
// largest page); beyond it the refs are typed.
const riskPickerSize = store.MaxLimit

func riskChoices(values, checked []string) []riskChoice {
	out := make([]riskChoice, len(values))
	for i, v := range values {
		out[i] = riskChoice{Value: v, Checked: slices.Contains(checked, v)}
	}
	return out
}

// newPicker lists items (ref, title, note) with the linked refs ticked;
// a linked ref that is not among them (unknown, or beyond the list) is
// listed too, so a refusal can name it and the person untick it.
func newRiskPicker(total int, items []riskPickItem, linked []string) riskPicker {
	p := riskPicker{Text: total > len(items), Value: strings.Join(linked, ", ")}
	if p.Text {
		return p
	}
	seen := map[string]bool{}
	for _, it := range items {
		it.Checked = slices.Contains(linked, it.Ref)
		seen[it.Ref] = true
		p.Items = append(p.Items, it)
	}
	for _, ref := range linked {
		if !seen[ref] {
			p.Items = append(p.Items, riskPickItem{Ref: ref, Checked: true, Unknown: true})
		}
	}
	return p
}

// Steps are the steps of a scale of the method in force.
func (d *riskFormData) Steps(scale string) []domain.ScaleStep {
	if scale == "impact" {
		return d.Method.Impact
	}
	return d.Method.Likelihood
}

// Score is the step a score field holds.
func (d *riskFormData) Score(field string) int {
	switch field {
	case "inherent_likelihood":
		return d.Risk.Inherent.Likelihood
	case "inherent_impact":
		return d.Risk.Inherent.Impact
	case "residual_likelihood":
		return d.Risk.Residual.Likelihood
	}
	return d.Risk.Residual.Impact
}

// OwnField tells whether a register-specific field belongs to the risk's
// register (the form has a place for its error) or to the other one.
func (d *riskFormData) OwnField(name string) bool {
	security := slices.Contains([]string{"assets", "threat", "vulnerability", "cia"}, name)
	return security == (d.Risk.Register != domain.RegisterAI)
}

// Rescore tells whether a score was given under an older method version.
func (d *riskFormData) Rescore() bool {
	return !d.IsNew && (d.Risk.Inherent.MethodVersion != d.Method.Version || d.Risk.Residual.MethodVersion != d.Method.Version)
}

func (h *handler) riskFormData(r *http.Request, o *store.OrgStore, sh *Shell, risk domain.Risk, v *domain.ValidationError) (*riskFormData, error) {
	ctx := r.Context()
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return nil, err
	}
	owners, err := o.ControlOwners(ctx)
	if err != nil {
		return nil, err
	}
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &riskFormData{Shell: sh, Risk: risk, IsNew: risk.Ref == "", Method: m, Treatments: domain.Treatments,
		Statuses: domain.RiskStatuses, Owners: owners, Errors: v, OwnerFixed: !sh.riskEditable() && risk.Ref != ""}
	controls, total, err := o.ListControls(ctx, domain.ControlFilter{Limit: riskPickerSize})
	if err != nil {
		return nil, err
	}
	items := make([]riskPickItem, len(controls.Items))
	for i, c := range controls.Items {
		items[i] = riskPickItem{Ref: c.Ref, Title: c.Title, Note: i18n.T("web.status." + c.Status)}
	}
	d.Controls = newRiskPicker(total, items, risk.Controls)
	if risk.Register != domain.RegisterAI {
		assets, total, err := o.ListAssets(ctx, domain.AssetFilter{Limit: riskPickerSize})
		if err != nil {
			return nil, err
		}
		items := make([]riskPickItem, len(assets.Items))
		for i, a := range assets.Items {
			items[i] = riskPickItem{Ref: a.Ref, Title: a.Name, Note: i18n.T("web.asset.type." + a.Type)}
		}
		d.Assets = newRiskPicker(total, items, risk.Assets)
	}
	d.CIA = riskChoices(domain.CIAProperties, risk.CIA)
	d.Sources = riskChoices(domain.AIRiskSources, risk.Sources)
	d.Parties = riskChoices(domain.AffectedParties, risk.Parties)
	sh.Section = "risks"
	if d.IsNew {
		sh.Title, d.Action = i18n.T("web.risk_form.new_"+risk.Register), sh.OrgPath("risks")
	} else {
		sh.Title, d.Action = i18n.T("web.risk_form.edit_title", risk.Ref), sh.OrgPath("risks", risk.Ref)
	}
	return d, nil
}

func (h *handler) renderRiskForm(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int,
	risk domain.Risk, v *domain.ValidationError, conflict []riskChange) {
	d, err := h.riskFormData(r, o, sh, risk, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	nameLevels(d.Errors, risk, d.Method)
	d.Conflict = conflict
	h.render(w, r, status, "risk_form", d)
}

// nameLevels words the refusal to end treatment above appetite with the
// names a person reads (the status and level labels, not their ids).
func nameLevels(v *domain.ValidationError, risk domain.Risk, m domain.RiskMethod) {
	for i, f := range v.Fields {
		if f.Code == "error.risk_acceptance_required" {
			level := methodLevelOf(m, m.Level(risk.Residual.Likelihood, risk.Residual.Impact))
			v.Fields[i].Message = i18n.T(f.Code, i18n.T("web.risk_value.status."+risk.Status), level.Label)
		}
	}
}

func (h *handler) riskNew(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	register := r.URL.Query().Get("register")
	if register == "" {
		register = domain.RegisterSecurity
	}
	if !slices.Contains(domain.Registers, register) {
		h.notFound(w, r)
		return
	}
	risk := domain.Risk{Register: register, Treatment: "modify", Status: "open", Controls: []string{}}
	h.renderRiskForm(w, r, o, sh, http.StatusOK, risk, nil, nil)
}

func (h *handler) riskEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	risk, err := o.Risk(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !sh.mayChangeRisk(risk.Owner) {
		h.fail(w, r, access.ErrForbidden)
		return
	}
	h.renderRiskForm(w, r, o, sh, http.StatusOK, risk, nil, nil)
}

// refList reads refs from ticked boxes or a typed list (commas, spaces or
// lines between them).
func riskRefList(values []string) []string {
	out := []string{}
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
			out = append(out, strings.ToUpper(part))
		}
	}
	return out
}

// riskFormInput reads the risk form. Every common field and every field of
// the risk's register is set (an emptied list is cleared); a field of the
// other register is set only when it was sent, so that the store refuses
// it by name instead of it being dropped unseen.
func riskFormInput(r *http.Request, register string) domain.RiskInput {
	f := r.PostForm
	text := func(k string) *string { v := f.Get(k); return &v }
	step := func(k string) *int { n, _ := strconv.Atoi(f.Get(k)); return &n }
	list := func(k string) *[]string { v := append([]string{}, f[k]...); return &v }
	refs := func(k string) *[]string { v := riskRefList(f[k]); return &v }
	in := domain.RiskInput{Title: text("title"), Description: text("description"), Owner: text("owner"),
		InherentL: step("inherent_likelihood"), InherentI: step("inherent_impact"),
		ResidualL: step("residual_likelihood"), ResidualI: step("residual_impact"),
		Treatment: text("treatment"), Status: text("status"), NextReview: text("next_review"), Controls: refs("controls"),
		Rescore: f.Get("rescore") == "1"}
	mine := func(reg string, name string) bool { return register == reg || f.Has(name) }
	if mine(domain.RegisterSecurity, "assets") {
		in.Assets = refs("assets")
	}
	if mine(domain.RegisterSecurity, "threat") {
		in.Threat = text("threat")
	}
	if mine(domain.RegisterSecurity, "vulnerability") {
		in.Vulnerability = text("vulnerability")
	}
	if mine(domain.RegisterSecurity, "cia") {
		in.CIA = list("cia")
	}
	if mine(domain.RegisterAI, "ai_systems") {
		in.AISystems = text("ai_systems")
	}
	if mine(domain.RegisterAI, "sources") {
		in.Sources = list("sources")
	}
	if mine(domain.RegisterAI, "parties") {
		in.Parties = list("parties")
	}
	return in
}

func (h *handler) riskCreate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	register := r.PostForm.Get("register")
	in := riskFormInput(r, register)
	in.Register = &register
	risk, err := o.CreateRisk(r.Context(), actor(r), in)
	if v, invalid := domain.AsValidation(err); invalid {
		shown := in.Apply(domain.Risk{}, &domain.ValidationError{})
		if !slices.Contains(domain.Registers, shown.Register) {
			shown.Register = domain.RegisterSecurity
		}
		h.renderRiskForm(w, r, o, sh, http.StatusUnprocessableEntity, shown, v, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("risks", risk.Ref)+"?notice=saved", http.StatusSeeOther)
}

func (h *handler) riskUpdate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	cur, err := o.Risk(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := riskFormInput(r, cur.Register)
	// A contributor changes the risks they own and cannot hand one over;
	// the write is pinned to the version their ownership was checked at.
	var risk domain.Risk
	if _, err = scope(r).RiskWritable(r.Context(), cur.Ref, &version, in.Owner); err == nil {
		risk, err = o.UpdateRisk(r.Context(), actor(r), cur.Ref, &version, in)
	}
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		shown := in.Apply(cur, &domain.ValidationError{})
		shown.Version = version // the version the person started from
		h.renderRiskForm(w, r, o, sh, http.StatusUnprocessableEntity, shown, v, nil)
		return
	case errors.Is(err, domain.ErrConflict):
		// Keep what the person sent, on top of the version saved now, and
		// list where it differs from that version so they can check
		// before saving again.
		m, err := o.RiskMethod(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		shown := in.Apply(cur, &domain.ValidationError{})
		sh.Error = i18n.T("web.risk_form.conflict")
		h.renderRiskForm(w, r, o, sh, http.StatusConflict, shown, nil, riskChanges(cur, shown, m))
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("risks", risk.Ref)+"?notice=saved", http.StatusSeeOther)
}
