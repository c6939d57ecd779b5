package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// assetListData is the asset inventory page.
type assetListData struct {
	*Shell
	Assets          []domain.Asset
	Total           int
	Filter          url.Values
	Types           []string
	Classifications []string
	NextURL         string
	Errors          *domain.ValidationError
}

func (h *handler) assetList(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	f := domain.AssetFilter{Type: q.Get("type"), Classification: q.Get("classification"), Owner: q.Get("owner"),
		Control: q.Get("control"), Text: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")}
	d := &assetListData{Shell: sh, Filter: q, Types: domain.AssetTypes, Classifications: domain.Classifications,
		Errors: &domain.ValidationError{}}
	sh.Section, sh.Title = "assets", i18n.T("web.asset.title")
	page, total, err := o.ListAssets(r.Context(), f)
	status := http.StatusOK
	if v, ok := domain.AsValidation(err); ok {
		d.Errors, status = v, http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Assets, d.Total = page.Items, total
	if page.Next != nil {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("cursor", *page.Next)
		d.NextURL = sh.OrgPath("assets") + "?" + next.Encode()
	}
	h.render(w, r, status, "assets", d)
}

// assetData is one asset's page, and the form for a new or changed one.
type assetData struct {
	*Shell
	Asset           domain.Asset
	Controls        []domain.Control
	IsNew           bool
	Action          string
	Types           []string
	Classifications []string
	Levels          []int
	Errors          *domain.ValidationError
}

func (h *handler) assetShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderAsset(w, r, o, sh, http.StatusOK)
}

func (h *handler) renderAsset(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int) {
	a, err := o.Asset(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &assetData{Shell: sh, Asset: a, Errors: &domain.ValidationError{}}
	for _, ref := range a.Controls {
		c, err := o.Control(r.Context(), ref)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Controls = append(d.Controls, c)
	}
	sh.Section, sh.Title = "assets", a.Ref+" "+a.Name
	h.render(w, r, status, "asset", d)
}

// CanEditAsset tells whether the person may change this asset: everywhere,
// or only their own (contributors).
func (s *Shell) CanEditAsset(a domain.Asset) bool {
	if !s.Can(string(auth.ResAsset), string(auth.Update)) {
		return false
	}
	return !s.scope.OwnOnly || s.scope.Owns(a.Owner)
}

func (h *handler) assetForm(w http.ResponseWriter, r *http.Request, sh *Shell, status int, a domain.Asset, v *domain.ValidationError) {
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &assetData{Shell: sh, Asset: a, IsNew: a.Ref == "", Types: domain.AssetTypes,
		Classifications: domain.Classifications, Levels: []int{1, 2, 3}, Errors: v}
	sh.Section = "assets"
	if d.IsNew {
		sh.Title, d.Action = i18n.T("web.asset.new"), sh.OrgPath("assets")
	} else {
		sh.Title, d.Action = i18n.T("web.asset.edit", a.Ref), sh.OrgPath("assets", a.Ref)
	}
	h.render(w, r, status, "asset_form", d)
}

func (h *handler) assetNew(w http.ResponseWriter, r *http.Request) {
	_, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.assetForm(w, r, sh, http.StatusOK, domain.Asset{Type: "information", Classification: "internal",
		Confidentiality: 2, Integrity: 2, Availability: 2}, nil)
}

func (h *handler) assetEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	a, err := o.Asset(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !sh.CanEditAsset(a) {
		h.fail(w, r, access.ErrForbidden)
		return
	}
	h.assetForm(w, r, sh, http.StatusOK, a, nil)
}

// assetInput reads the asset form; every field is sent, so every field is
// set. An unreadable level becomes 0, which validation refuses.
func assetInput(r *http.Request) domain.AssetInput {
	f := r.PostForm
	name, typ, owner, loc := f.Get("name"), f.Get("type"), f.Get("owner"), f.Get("location")
	class, desc := f.Get("classification"), f.Get("description")
	level := func(k string) *int { n, _ := strconv.Atoi(f.Get(k)); return &n }
	var controls []string
	for _, part := range strings.FieldsFunc(f.Get("controls"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
		controls = append(controls, strings.ToUpper(part))
	}
	return domain.AssetInput{Name: &name, Type: &typ, Owner: &owner, Location: &loc, Classification: &class,
		Description: &desc, Confidentiality: level("confidentiality"), Integrity: level("integrity"),
		Availability: level("availability"), Controls: &controls}
}

func (h *handler) assetCreate(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	in := assetInput(r)
	a, err := o.CreateAsset(r.Context(), actor(r), in)
	if v, ok := domain.AsValidation(err); ok {
		h.assetForm(w, r, sh, http.StatusUnprocessableEntity, in.Apply(domain.Asset{}), v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("assets", a.Ref)+"?notice=saved", http.StatusSeeOther)
}

func (h *handler) assetUpdate(w http.ResponseWriter, r *http.Request) {
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
	cur, err := o.Asset(r.Context(), ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !sh.CanEditAsset(cur) {
		h.fail(w, r, access.ErrForbidden)
		return
	}
	in := assetInput(r)
	a, err := o.UpdateAsset(r.Context(), actor(r), ref, version, in)
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		shown := in.Apply(cur)
		shown.Version = version
		h.assetForm(w, r, sh, http.StatusUnprocessableEntity, shown, v)
		return
	case errors.Is(err, domain.ErrConflict):
		// Show what is saved now, with the newer version, to apply again.
		sh.Error = i18n.T("error.version_conflict")
		h.assetForm(w, r, sh, http.StatusConflict, cur, nil)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("assets", a.Ref)+"?notice=saved", http.StatusSeeOther)
}

func (h *handler) assetDelete(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	err := o.DeleteAsset(r.Context(), actor(r), r.PathValue("ref"), version)
	if errors.Is(err, domain.ErrConflict) {
		sh.Error = i18n.T("error.version_conflict")
		h.renderAsset(w, r, o, sh, http.StatusConflict)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("assets"), http.StatusSeeOther)
}

// ControlsText is the linked control refs as the form shows them.
func (d *assetData) ControlsText() string { return strings.Join(d.Asset.Controls, ", ") }

// ControlErrors joins the errors on the control links (the set and each ref).
func (d *assetData) ControlErrors() string {
	var msgs []string
	for _, f := range d.Errors.Fields {
		if f.Field == "controls" || strings.HasPrefix(f.Field, "controls[") {
			msgs = append(msgs, f.Message)
		}
	}
	return strings.Join(msgs, " ")
}

// Level is the value of one of the C/I/A fields.
func (d *assetData) Level(field string) int {
	switch field {
	case "confidentiality":
		return d.Asset.Confidentiality
	case "integrity":
		return d.Asset.Integrity
	}
	return d.Asset.Availability
}
