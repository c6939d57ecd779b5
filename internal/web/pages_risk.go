package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// registerRiskForms registers the routes of: A risk's page, its forms, acceptance, treatment actions and the risk method.
func (h *handler) registerRiskForms(mux *http.ServeMux) {
	risk := func(act auth.Action) access.Rule { return access.Org(auth.ResRisk, act) }
	h.handle(mux, "GET /orgs/{org}/risks/new", risk(auth.Create), h.riskNew)
	h.handle(mux, "POST /orgs/{org}/risks", risk(auth.Create), h.riskCreate)
	h.handle(mux, "GET /orgs/{org}/risks/{ref}", risk(auth.Read), h.riskShow)
	h.handle(mux, "GET /orgs/{org}/risks/{ref}/edit", risk(auth.Update), h.riskEdit)
	h.handle(mux, "POST /orgs/{org}/risks/{ref}", risk(auth.Update), h.riskUpdate)
	h.handle(mux, "POST /orgs/{org}/risks/{ref}/delete", risk(auth.Delete), h.riskDelete)
	// Accepting is for the roles the policy names; which level each may
	// accept is the method's authority table, which the store applies.
	h.handle(mux, "POST /orgs/{org}/risks/{ref}/accept", access.Org(auth.ResRiskAcceptance, auth.Create), h.riskAccept)
	h.handle(mux, "POST /orgs/{org}/risks/{ref}/actions", risk(auth.Update), h.riskActionAdd)
	h.handle(mux, "POST /orgs/{org}/actions/{ref}", risk(auth.Update), h.riskActionUpdate)
	h.handle(mux, "POST /orgs/{org}/actions/{ref}/delete", risk(auth.Delete), h.riskActionDelete)
	method := func(act auth.Action) access.Rule { return access.Org(auth.ResRiskMethod, act) }
	h.handle(mux, "GET /orgs/{org}/risk-method", method(auth.Read), h.riskMethodShow)
	h.handle(mux, "GET /orgs/{org}/risk-method/edit", method(auth.Update), h.riskMethodEdit)
	h.handle(mux, "POST /orgs/{org}/risk-method", method(auth.Update), h.riskMethodSave)
}

// riskFuncs adds the template functions of the risk pages and their
// partials (templates/risk_partials.html).
func riskFuncs(funcs template.FuncMap) {
	funcs["riskLabel"] = func(kind, v string) string { return i18n.T("web.risk_value." + kind + "." + v) }
	funcs["roleLabel"] = func(role string) string { return i18n.T("web.role." + role) }
	// stepNumber numbers a scale's steps from 1, as scores do.
	funcs["stepNumber"] = func(i int) int { return i + 1 }
	funcs["pickerArgs"] = func(name string, p riskPicker, err string) riskPickerArgs {
		return riskPickerArgs{Name: name, Picker: p, Error: err}
	}
	funcs["checksArgs"] = func(name, kind string, c []riskChoice, err string) riskChecksArgs {
		return riskChecksArgs{Name: name, Kind: kind, Choices: c, Error: err}
	}
	funcs["actorName"] = actorLabel
	funcs["derefTime"] = func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	}
	funcs["levelChip"] = methodLevelOf
	funcs["isLevel"] = func(m domain.RiskMethod, id string) bool { return m.LevelRank(id) >= 0 }
	funcs["scaleOf"] = func(m domain.RiskMethod, scale string) []domain.ScaleStep {
		if scale == "impact" {
			return m.Impact
		}
		return m.Likelihood
	}
	funcs["defaultMethod"] = domain.DefaultRiskMethod
}

// riskData is a risk's page: everything about the risk, and the forms of
// the changes the person may make from it.
type riskPageData struct {
	*Shell
	Risk     domain.Risk
	Method   domain.RiskMethod
	Inherent riskScoreView
	Residual riskScoreView
	Matrix   methodGrid
	Appetite methodLevel
	Controls []domain.Control
	Assets   []domain.Asset
	// History is the risk's trail, newest first, a page at a time.
	History     []riskHistoryItem
	HistoryNext string
	// Acceptance: the level that was accepted, why it no longer covers
	// ("expired", "raised"), and whether one is needed and may be given here.
	AcceptedLevel   methodLevel
	Lapsed          string
	NeedsAcceptance bool
	CanAccept       bool
	Accept          riskAcceptForm
	// What the person may change.
	CanEdit   bool
	CanDelete bool
	// NewAction is the add-action form; EditAction the action whose
	// change was refused, shown open with the values sent.
	NewAction  riskActionForm
	EditAction riskActionForm
}

type riskAcceptForm struct {
	Rationale  string
	NextReview string
	Errors     *domain.ValidationError
	Refused    string // why the acceptance was refused as a whole
}

type riskActionForm struct {
	Action domain.Action
	Errors *domain.ValidationError
}

// riskView is what a refused change brings back to the risk page.
type riskPageView struct {
	accept     *riskAcceptForm
	newAction  *riskActionForm
	editAction *riskActionForm
}

func (h *handler) riskShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderRisk(w, r, o, sh, http.StatusOK, r.PathValue("ref"), riskPageView{})
}

// maxLinked bounds the controls and assets a risk links (validation
// allows 100); each is read on its own, so the page never reads more.
const riskMaxLinked = 100

// renderRisk shows the risk as it is saved now; after a refused change it
// is rendered with the status of that refusal and the form sent.
func (h *handler) renderRisk(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int, ref string, view riskPageView) {
	ctx := r.Context()
	risk, err := o.Risk(ctx, ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := o.RiskMethod(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	versions := newMethodCache(o, m)
	d := &riskPageData{Shell: sh, Risk: risk, Method: m, Appetite: methodLevelOf(m, m.Appetite),
		CanEdit: sh.mayChangeRisk(risk.Owner), CanDelete: sh.Can(string(auth.ResRisk), string(auth.Delete))}
	for _, s := range []struct {
		score domain.RiskScore
		into  *riskScoreView
	}{{risk.Inherent, &d.Inherent}, {risk.Residual, &d.Residual}} {
		given, err := versions.get(ctx, s.score.MethodVersion)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		*s.into = riskScoreOf(s.score, given)
	}
	d.Matrix = methodGridMini(m, d.Inherent, d.Residual,
		i18n.T("web.risk_page.mark_inherent", d.Inherent.Likelihood, d.Inherent.Impact),
		i18n.T("web.risk_page.mark_residual", d.Residual.Likelihood, d.Residual.Impact))
	d.Matrix.Title = i18n.T("web.risk_page.matrix_title")
	// The plan's controls and assets, a query each (a risk links at most
	// 100 of each).
	controls, _, err := o.ListControls(ctx, domain.ControlFilter{Risk: risk.Ref, Limit: riskMaxLinked})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	assets, _, err := o.ListAssets(ctx, domain.AssetFilter{Risk: risk.Ref, Limit: riskMaxLinked})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Controls, d.Assets = controls.Items, assets.Items
	h.acceptance(d)
	d.Accept = riskAcceptForm{NextReview: risk.NextReview, Errors: &domain.ValidationError{}}
	if view.accept != nil {
		d.Accept = *view.accept
	}
	d.NewAction = riskActionForm{Action: domain.Action{Owner: risk.Owner}, Errors: &domain.ValidationError{}}
	if view.newAction != nil {
		d.NewAction = *view.newAction
	}
	d.EditAction = riskActionForm{Errors: &domain.ValidationError{}}
	if view.editAction != nil {
		d.EditAction = *view.editAction
	}

	history := domain.TrailFilter{ResourceType: "risk", ResourceRef: risk.Ref, Limit: historySize, Cursor: r.URL.Query().Get("history")}
	trail, err := o.Trail(ctx, history)
	if _, invalid := domain.AsValidation(err); invalid {
		history.Cursor = ""
		trail, err = o.Trail(ctx, history)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.History = riskHistory(trail.Items, m)
	if trail.Next != nil {
		d.HistoryNext = sh.OrgPath("risks", risk.Ref) + "?history=" + url.QueryEscape(*trail.Next) + "#history"
	}
	sh.Title, sh.Section = risk.Ref+" "+risk.Title, "risks"
	h.render(w, r, status, "risk", d)
}

// acceptance works out the acceptance box: what was accepted, whether it
// still covers the residual level, and who may accept it now.
func (h *handler) acceptance(d *riskPageData) {
	risk, m := d.Risk, d.Method
	if a := risk.Acceptance; a != nil {
		d.AcceptedLevel = methodLevelOf(m, a.Level)
		if !risk.Accepted {
			d.Lapsed = "expired"
			if m.LevelRank(risk.Residual.Level) > m.LevelRank(a.Level) {
				d.Lapsed = "raised"
			}
		}
	}
	d.NeedsAcceptance = risk.AboveAppetite && !risk.Accepted
	// Owning a risk is not the authority to accept it: only a role the
	// method names for the level, with the right to change every risk.
	d.CanAccept = d.NeedsAcceptance && d.Can(string(auth.ResRiskAcceptance), string(auth.Create)) &&
		m.MayAccept(d.Role(), risk.Residual.Level) && risk.Residual.MethodVersion == m.Version
}

// Acceptor says who may accept the residual level of the risk.
func (d *riskPageData) Acceptor() string {
	lv := methodLevelOf(d.Method, d.Risk.Residual.Level)
	if !lv.Known {
		return i18n.T("web.risk_page.acceptor_unknown", lv.ID)
	}
	return i18n.T("web.risk_page.acceptor", lv.Label, i18n.T("web.risk_page.acceptor_"+lv.Acceptor))
}

// CanChangeAction tells whether the person may change this action: theirs,
// or on a risk of theirs (contributors), or any (managers, admins).
func (d *riskPageData) CanChangeAction(a domain.Action) bool {
	return d.mayChangeRisk(a.Owner, d.Risk.Owner)
}

// RegisterPath is the register list this risk belongs to.
func (d *riskPageData) RegisterPath() string {
	return d.OrgPath("risks") + "?register=" + d.Risk.Register
}

func (h *handler) riskDelete(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	risk, err := o.Risk(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	err = o.DeleteRisk(r.Context(), actor(r), risk.Ref, version)
	if errors.Is(err, domain.ErrConflict) {
		sh.Error = i18n.T("error.version_conflict")
		h.renderRisk(w, r, o, sh, http.StatusConflict, risk.Ref, riskPageView{})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("risks")+"?register="+risk.Register+"&notice=deleted", http.StatusSeeOther)
}

func (h *handler) riskAccept(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	sc := scope(r)
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	in := domain.AcceptInput{Rationale: r.PostForm.Get("rationale"), NextReview: r.PostForm.Get("next_review")}
	sent := &riskAcceptForm{Rationale: in.Rationale, NextReview: in.NextReview, Errors: &domain.ValidationError{}}
	ref := r.PathValue("ref")
	accepted, err := o.AcceptRisk(r.Context(), actor(r), sc.Who(), string(sc.Role), ref, version, in)
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		sent.Errors = v
		h.renderRisk(w, r, o, sh, http.StatusUnprocessableEntity, ref, riskPageView{accept: sent})
		return
	case errors.Is(err, store.ErrForbiddenAcceptance):
		sent.Refused = i18n.T("error.risk_acceptance_forbidden")
		h.renderRisk(w, r, o, sh, http.StatusForbidden, ref, riskPageView{accept: sent})
		return
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.renderRisk(w, r, o, sh, http.StatusConflict, ref, riskPageView{accept: sent})
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("risks", accepted.Ref)+"?notice=saved#acceptance", http.StatusSeeOther)
}
