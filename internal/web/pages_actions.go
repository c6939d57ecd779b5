package web

import (
	"errors"
	"net/http"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// Treatment actions are changed from their risk's page: added to its plan,
// marked done or reopened, edited, deleted. Every answer goes back there.

// actionInput reads the fields an action form sends; a field the form
// does not have keeps its value (the "mark done" button sends the status
// alone).
func riskActionInput(r *http.Request) domain.ActionInput {
	var in domain.ActionInput
	for _, f := range []struct {
		name string
		dst  **string
	}{{"title", &in.Title}, {"owner", &in.Owner}, {"due", &in.Due}, {"status", &in.Status}, {"notes", &in.Notes}} {
		if r.PostForm.Has(f.name) {
			v := r.PostForm.Get(f.name)
			*f.dst = &v
		}
	}
	return in
}

// actionsPath is where the risk page opens after an action changed.
func riskActionsPath(sh *Shell, riskRef string) string {
	if riskRef == "" {
		return sh.OrgPath("actions")
	}
	return sh.OrgPath("risks", riskRef) + "?notice=saved#actions"
}

func (h *handler) riskActionAdd(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	risk, err := o.Risk(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Adding to a plan is changing the risk: a contributor's own.
	if _, err := scope(r).RiskWritable(r.Context(), risk.Ref, nil, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	in := riskActionInput(r)
	_, err = o.AddRiskAction(r.Context(), actor(r), risk.Ref, in)
	if v, invalid := domain.AsValidation(err); invalid {
		h.renderRisk(w, r, o, sh, http.StatusUnprocessableEntity, risk.Ref,
			riskPageView{newAction: &riskActionForm{Action: in.Apply(domain.Action{}), Errors: v}})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, riskActionsPath(sh, risk.Ref), http.StatusSeeOther)
}

func (h *handler) riskActionUpdate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	cur, err := o.Action(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := riskActionInput(r)
	// A contributor's change is pinned to the version checked here.
	if _, err = scope(r).ActionWritable(r.Context(), cur.Ref, &version, in.Owner); err == nil {
		_, err = o.UpdateAction(r.Context(), actor(r), cur.Ref, version, in)
	}
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		shown := in.Apply(cur)
		shown.Version = version
		h.renderRisk(w, r, o, sh, http.StatusUnprocessableEntity, cur.Risk, riskPageView{editAction: &riskActionForm{Action: shown, Errors: v}})
		return
	case errors.Is(err, domain.ErrConflict):
		// The action as saved now, with the person's values to apply again.
		sh.Error = i18n.T("error.version_conflict")
		shown := in.Apply(cur)
		h.renderRisk(w, r, o, sh, http.StatusConflict, cur.Risk, riskPageView{editAction: &riskActionForm{Action: shown, Errors: &domain.ValidationError{}}})
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, riskActionsPath(sh, cur.Risk), http.StatusSeeOther)
}

func (h *handler) riskActionDelete(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	cur, err := o.Action(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	err = o.DeleteAction(r.Context(), actor(r), cur.Ref, version)
	if errors.Is(err, domain.ErrConflict) {
		sh.Error = i18n.T("error.version_conflict")
		h.renderRisk(w, r, o, sh, http.StatusConflict, cur.Risk, riskPageView{})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, riskActionsPath(sh, cur.Risk), http.StatusSeeOther)
}
