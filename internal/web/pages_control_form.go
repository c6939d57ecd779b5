package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"tandem/internal/access"
	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/readiness"
	"tandem/internal/store"
)

// controlFormData is the one form for a new control and for an edit; refused
// input re-renders it in place with the values kept.
type controlFormData struct {
	*Shell
	Control  domain.Control
	IsNew    bool
	Action   string
	Owners   []string
	Statuses []string
	Columns  []reqColumn
	Errors   *domain.ValidationError
	Conflict []conflictField
	// Impact is what the submitted change would do in each standard, shown
	// for confirmation before it is saved.
	Impact *readiness.Impact
}

func (h *handler) controlNew(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	c := domain.ControlInput{}.Apply(domain.Control{})
	// Starting from a requirement page (?requirement=key) pre-ticks it.
	if k := r.URL.Query().Get("requirement"); h.cat.HasRequirement(k) {
		c.Requirements = []string{k}
	}
	h.renderForm(w, r, o, sh, http.StatusOK, c, nil, nil)
}

func (h *handler) controlEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	c, err := o.Control(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !sh.CanEdit(c) {
		h.fail(w, r, access.ErrForbidden)
		return
	}
	h.renderForm(w, r, o, sh, http.StatusOK, c, nil, nil)
}

func (h *handler) renderForm(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int,
	c domain.Control, v *domain.ValidationError, conflict []conflictField) {
	d := h.formData(r, o, sh, c, v, conflict)
	if d == nil {
		h.fail(w, r, errors.New("control form: owners could not be read"))
		return
	}
	h.render(w, r, status, "control_form", d)
}

// impactOf is what the submitted change would do, with the control as it
// would be shown; nil when the change touches no requirement (or is not
// valid, which the save then reports) or the page is stale (the save
// reports the conflict).
func (h *handler) impactOf(r *http.Request, o *store.OrgStore, ref string, version int64, in domain.ControlInput) (domain.Control, *readiness.Impact, error) {
	cur, err := o.Control(r.Context(), ref)
	if err != nil || cur.Version != version {
		return domain.Control{}, nil, err
	}
	after := in.Apply(cur)
	if after.Validate(h.cat) != nil {
		return after, nil, nil
	}
	cov, excluded, err := h.coverage(r, o)
	if err != nil {
		return after, nil, err
	}
	im := readiness.ImpactOf(h.cat, cov, excluded, cur, after)
	if im.Empty() {
		return after, nil, nil
	}
	return after, &im, nil
}

// formData gathers the control form; nil when the owners cannot be read.
func (h *handler) formData(r *http.Request, o *store.OrgStore, sh *Shell, c domain.Control, v *domain.ValidationError, conflict []conflictField) *controlFormData {
	owners, err := o.ControlOwners(r.Context())
	if err != nil {
		h.log.Error("control owners", "err", err)
		return nil
	}
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &controlFormData{Shell: sh, Control: c, IsNew: c.Ref == "", Owners: owners, Statuses: domain.Statuses,
		Columns: h.requirementColumns(c.Requirements), Errors: v, Conflict: conflict}
	sh.Section = "controls"
	if d.IsNew {
		sh.Title, d.Action = i18n.T("web.form.new_title"), sh.OrgPath("controls")
	} else {
		sh.Title, d.Action = i18n.T("web.form.edit_title", c.Ref), sh.OrgPath("controls", c.Ref)
	}
	return d
}

// formInput reads the control form. Every field is sent, so every field of
// the input is set: an emptied field is cleared, not kept.
func formInput(r *http.Request) domain.ControlInput {
	title, desc := r.PostForm.Get("title"), r.PostForm.Get("description")
	owner, status := r.PostForm.Get("owner"), r.PostForm.Get("status")
	reqs := append([]string{}, r.PostForm["requirements"]...)
	return domain.ControlInput{Title: &title, Description: &desc, Owner: &owner, Status: &status, Requirements: &reqs}
}

func (h *handler) controlCreate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	in := formInput(r)
	c, err := o.CreateControl(r.Context(), actor(r), in)
	if v, ok := domain.AsValidation(err); ok {
		h.renderForm(w, r, o, sh, http.StatusUnprocessableEntity, in.Apply(domain.Control{}), v, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("controls", c.Ref)+"?notice=created", http.StatusSeeOther)
}

func (h *handler) controlUpdate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ref := r.PathValue("ref")
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	if !h.writable(w, r, o, sh, ref, version) {
		return
	}
	in := formInput(r)
	if r.PostForm.Get("confirm") != "1" {
		// A change to the status or the links is shown with its impact on
		// both standards first; it is saved once the person confirms.
		if shown, im, err := h.impactOf(r, o, ref, version, in); err != nil {
			h.fail(w, r, err)
			return
		} else if im != nil {
			d := h.formData(r, o, sh, shown, nil, nil)
			if d == nil {
				h.fail(w, r, errors.New("control form"))
				return
			}
			d.Impact = im
			h.render(w, r, http.StatusOK, "control_form", d)
			return
		}
	}
	c, err := o.UpdateControl(r.Context(), actor(r), ref, version, in)
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		cur, err := o.Control(r.Context(), ref)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		shown := in.Apply(cur)
		shown.Version = version // keep the version the person started from
		h.renderForm(w, r, o, sh, http.StatusUnprocessableEntity, shown, v, nil)
		return
	case errors.Is(err, domain.ErrConflict):
		// Show what is saved now, with the newer version, and list what the
		// person had changed so it can be applied again on top of it.
		cur, err := o.Control(r.Context(), ref)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		sh.Error = i18n.T("error.version_conflict")
		h.renderForm(w, r, o, sh, http.StatusConflict, cur, nil, h.conflictFields(in.Apply(cur), cur))
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("controls", c.Ref)+"?notice=saved", http.StatusSeeOther)
}

// formVersion reads the version a form was rendered with.
func formVersion(r *http.Request) (int64, bool) {
	if err := r.ParseForm(); err != nil {
		return 0, false
	}
	v, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	return v, err == nil && v > 0
}

// conflictField is one field whose unsaved value differs from the saved one.
type conflictField struct {
	Label   string // message id of the field's label
	Yours   string
	Saved   string
	Added   []*catalog.Requirement
	Removed []*catalog.Requirement
}

func (h *handler) conflictFields(yours, saved domain.Control) []conflictField {
	var out []conflictField
	text := func(label, a, b string) {
		if a != b {
			out = append(out, conflictField{Label: label, Yours: a, Saved: b})
		}
	}
	text("web.field.title", yours.Title, saved.Title)
	text("web.field.owner", yours.Owner, saved.Owner)
	if yours.Status != saved.Status {
		out = append(out, conflictField{Label: "web.field.status",
			Yours: i18n.T("web.status." + yours.Status), Saved: i18n.T("web.status." + saved.Status)})
	}
	text("web.field.description", yours.Description, saved.Description)
	added, removed := diffKeys(saved.Requirements, yours.Requirements)
	if len(added)+len(removed) > 0 {
		out = append(out, conflictField{Label: "web.field.requirements",
			Added: h.requirements(added), Removed: h.requirements(removed)})
	}
	return out
}

// diffKeys returns the keys in b but not in a, and those in a but not in b.
func diffKeys(a, b []string) (added, removed []string) {
	for _, k := range b {
		if !slices.Contains(a, k) {
			added = append(added, k)
		}
	}
	for _, k := range a {
		if !slices.Contains(b, k) {
			removed = append(removed, k)
		}
	}
	return added, removed
}

// requirements looks keys up in the catalog, skipping unknown ones.
func (h *handler) requirements(keys []string) []*catalog.Requirement {
	out := make([]*catalog.Requirement, 0, len(keys))
	for _, k := range keys {
		if r := h.cat.Requirement(k); r != nil {
			out = append(out, r)
		}
	}
	return out
}
