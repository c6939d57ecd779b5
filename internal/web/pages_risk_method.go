package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The risk method page shows the method in force (or an earlier version)
// and how many risks wait to be re-scored; its form changes scales,
// levels, matrix and appetite, and saving makes the next version.

// methodData is the risk method page.
type riskMethodData struct {
	*Shell
	Method   domain.RiskMethod
	Current  domain.RiskMethod
	Earlier  bool // Method is not the version in force
	Matrix   methodGrid
	Appetite methodLevel
	// Versions are the recorded versions, newest first, a page at a time;
	// the default (version 0) closes the list.
	Versions     []domain.RiskMethod
	VersionsNext string
	ShowDefault  bool
	Rescore      []riskRescoreCount
	CanEdit      bool
}

type riskRescoreCount struct {
	Register string
	Count    int
	Href     string
}

// versionsPage is how many earlier versions the page lists at once.
const riskMethodVersionsPage = 20

func (h *handler) riskMethodShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	cur, err := o.RiskMethod(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := &riskMethodData{Shell: sh, Method: cur, Current: cur, CanEdit: sh.Can(string(auth.ResRiskMethod), string(auth.Update))}
	if s := q.Get("version"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			h.notFound(w, r)
			return
		}
		if d.Method, err = o.RiskMethodVersion(ctx, v); err != nil {
			h.fail(w, r, err)
			return
		}
		d.Earlier = v != cur.Version
	}
	d.Appetite = methodLevelOf(d.Method, d.Method.Appetite)
	d.Matrix = methodGridFull(d.Method, func(l, i int, lv methodLevel) string {
		return i18n.T("web.risk_method.cell", l, scaleLabel(d.Method.Likelihood, l), i, scaleLabel(d.Method.Impact, i), lv.Label)
	})
	d.Matrix.Title = i18n.T("web.risk_method.matrix_title", d.Method.Version)
	versions, err := o.RiskMethodVersions(ctx, riskMethodVersionsPage, q.Get("versions"))
	if _, invalid := domain.AsValidation(err); invalid {
		versions, err = o.RiskMethodVersions(ctx, riskMethodVersionsPage, "")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Versions, d.ShowDefault = versions.Items, versions.Next == nil
	if versions.Next != nil {
		d.VersionsNext = sh.OrgPath("risk-method") + "?versions=" + url.QueryEscape(*versions.Next) + "#versions"
	}
	for _, reg := range domain.Registers {
		n, err := o.CountRisks(ctx, domain.RiskFilter{Register: reg, Rescore: true})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Rescore = append(d.Rescore, riskRescoreCount{Register: reg, Count: n,
			Href: sh.OrgPath("risks") + "?register=" + reg + "&rescore=1"})
	}
	sh.Title, sh.Section = i18n.T("web.risk_method.title"), "risks"
	h.render(w, r, http.StatusOK, "risk_method", d)
}

// methodFormData is the form that changes the method.
type riskMethodFormData struct {
	*Shell
	Method  domain.RiskMethod
	Version int64 // the version the form was opened on
	Errors  *domain.ValidationError
	Grid    []riskMethodRow
	// Resized: the sizes were applied, nothing is saved yet.
	Resized bool
}

// gridRow is one likelihood step of the matrix form, highest first.
type riskMethodRow struct {
	Step  int // 1-based
	Label string
	Cells []riskMethodCell
}

type riskMethodCell struct {
	Name, Value, Label string
	Known              bool // Value is one of the levels
}

// Err is the message for exactly this field (the method's fields nest,
// so a prefix match would show a cell's error on its row).
func (d *riskMethodFormData) Err(field string) string {
	for _, f := range d.Errors.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// Field names a field of the form: Field "likelihood" 2 "label" is
// likelihood[2].label, as the method's validation names it.
func (d *riskMethodFormData) Field(list string, i int, part string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, part)
}

// Sizes are the choices of a size select.
func (d *riskMethodFormData) Sizes(what string) []int {
	if what == "level_count" {
		return []int{2, 3, 4, 5, 6}
	}
	return []int{3, 4, 5}
}

// SizeOf is the size a size select shows: the form's as drawn.
func (d *riskMethodFormData) SizeOf(what string) int {
	switch what {
	case "likelihood_steps":
		return len(d.Method.Likelihood)
	case "impact_steps":
		return len(d.Method.Impact)
	}
	return len(d.Method.Levels)
}

func newRiskMethodForm(sh *Shell, m domain.RiskMethod, version int64, v *domain.ValidationError) *riskMethodFormData {
	if v == nil {
		v = &domain.ValidationError{}
	}
	d := &riskMethodFormData{Shell: sh, Method: m, Version: version, Errors: v}
	for l := len(m.Likelihood); l >= 1; l-- {
		row := riskMethodRow{Step: l, Label: m.Likelihood[l-1].Label}
		for i := 1; i <= len(m.Impact); i++ {
			value := m.Level(l, i)
			row.Cells = append(row.Cells, riskMethodCell{Name: fmt.Sprintf("matrix[%d][%d]", l-1, i-1), Value: value,
				Known: m.LevelRank(value) >= 0,
				Label: i18n.T("web.risk_method.cell_label", l, m.Likelihood[l-1].Label, i, m.Impact[i-1].Label)})
		}
		d.Grid = append(d.Grid, row)
	}
	sh.Title, sh.Section = i18n.T("web.risk_method.edit_title"), "risks"
	return d
}

func (h *handler) riskMethodEdit(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	cur, err := o.RiskMethod(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// ?likelihood=4&impact=4&levels=3 opens the form at other sizes.
	q := r.URL.Query()
	size := func(k string, n, lo, hi int) int {
		if v, err := strconv.Atoi(q.Get(k)); err == nil && v >= lo && v <= hi {
			return v
		}
		return n
	}
	m := resizeRiskMethod(cur, size("likelihood", len(cur.Likelihood), 3, 5), size("impact", len(cur.Impact), 3, 5),
		size("levels", len(cur.Levels), 2, 6))
	h.render(w, r, http.StatusOK, "risk_method_form", newRiskMethodForm(sh, m, cur.Version, nil))
}

func (h *handler) riskMethodSave(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version < 0 {
		h.badForm(w, r)
		return
	}
	m := riskMethodInput(r.PostForm)
	if r.PostForm.Get("resize") != "" {
		d := newRiskMethodForm(sh, m, version, nil)
		d.Resized = true
		h.render(w, r, http.StatusOK, "risk_method_form", d)
		return
	}
	_, err = o.SetRiskMethod(r.Context(), actor(r), &version, m)
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		h.render(w, r, http.StatusUnprocessableEntity, "risk_method_form", newRiskMethodForm(sh, m, version, v))
		return
	case errors.Is(err, domain.ErrConflict):
		// Keep the person's method; the form now carries the version in
		// force, so saving again replaces it knowingly.
		cur, err := o.RiskMethod(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		sh.Error = i18n.T("web.risk_method.conflict", cur.Version, cur.UpdatedBy)
		h.render(w, r, http.StatusConflict, "risk_method_form", newRiskMethodForm(sh, m, cur.Version, nil))
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("risk-method")+"?notice=saved", http.StatusSeeOther)
}

// methodInput reads the method form: the scales, levels and cells it was
// rendered with, brought to the sizes chosen in its size selects.
func riskMethodInput(f url.Values) domain.RiskMethod {
	count := func(list, part string, max int) int {
		n := 0
		for n < max && f.Has(fmt.Sprintf("%s[%d].%s", list, n, part)) {
			n++
		}
		return n
	}
	nl, ni, nv := count("likelihood", "label", 5), count("impact", "label", 5), count("levels", "id", 6)
	m := domain.RiskMethod{Appetite: f.Get("appetite")}
	steps := func(list string, n int) []domain.ScaleStep {
		out := make([]domain.ScaleStep, n)
		for k := range out {
			out[k] = domain.ScaleStep{Label: f.Get(fmt.Sprintf("%s[%d].label", list, k)), Criterion: f.Get(fmt.Sprintf("%s[%d].criterion", list, k))}
		}
		return out
	}
	m.Likelihood, m.Impact = steps("likelihood", nl), steps("impact", ni)
	// A level whose id was changed in the form keeps its cells and the
	// appetite: each level row carries the id it was drawn with.
	renamed := map[string]string{}
	for k := range nv {
		get := func(part string) string { return f.Get(fmt.Sprintf("levels[%d].%s", k, part)) }
		m.Levels = append(m.Levels, domain.RiskLevel{ID: get("id"), Label: get("label"), Colour: get("colour"), Acceptor: get("acceptor")})
		if was := get("was"); was != "" && was != get("id") {
			renamed[was] = get("id")
		}
	}
	follow := func(id string) string {
		if to, ok := renamed[id]; ok {
			return to
		}
		return id
	}
	m.Appetite = follow(m.Appetite)
	m.Matrix = make([][]string, nl)
	for l := range nl {
		m.Matrix[l] = make([]string, ni)
		for i := range ni {
			m.Matrix[l][i] = follow(f.Get(fmt.Sprintf("matrix[%d][%d]", l, i)))
		}
	}
	size := func(k string, n, lo, hi int) int {
		if v, err := strconv.Atoi(f.Get(k)); err == nil && v >= lo && v <= hi {
			return v
		}
		return n
	}
	return resizeRiskMethod(m, size("likelihood_steps", nl, 3, 5), size("impact_steps", ni, 3, 5), size("level_count", nv, 2, 6))
}

// newLevelColour is the colour a level added by resizing starts with.
const riskNewLevelColour = "#7b8798"

// resizeMethod brings m to nl likelihood steps, ni impact steps and nv
// levels. Steps and levels are cut from the top or added empty (they then
// need a label); a new cell takes the level of its nearest old cell.
// When the levels change in number, a cell or the appetite naming a level
// that is gone takes the highest (or, for the appetite, the lowest) level,
// so that what remains to fix is what the person must decide.
func resizeRiskMethod(m domain.RiskMethod, nl, ni, nv int) domain.RiskMethod {
	steps := func(s []domain.ScaleStep, n int) []domain.ScaleStep {
		out := make([]domain.ScaleStep, n)
		copy(out, s)
		return out
	}
	oldL, oldI := len(m.Matrix), 0
	if oldL > 0 {
		oldI = len(m.Matrix[0])
	}
	out := domain.RiskMethod{Version: m.Version, Likelihood: steps(m.Likelihood, nl), Impact: steps(m.Impact, ni),
		Appetite: m.Appetite, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy}
	out.Levels = make([]domain.RiskLevel, nv)
	copy(out.Levels, m.Levels)
	for k := len(m.Levels); k < nv; k++ {
		out.Levels[k] = domain.RiskLevel{ID: "level_" + strconv.Itoa(k+1), Colour: riskNewLevelColour, Acceptor: "admin"}
	}
	out.Matrix = make([][]string, nl)
	for l := range nl {
		out.Matrix[l] = make([]string, ni)
		for i := range ni {
			if oldL > 0 && oldI > 0 {
				if row := m.Matrix[min(l, oldL-1)]; len(row) > 0 {
					out.Matrix[l][i] = row[min(i, len(row)-1)]
				}
			}
		}
	}
	if nv != len(m.Levels) && nv > 0 {
		ids := make([]string, nv)
		for k, lv := range out.Levels {
			ids[k] = lv.ID
		}
		for l := range out.Matrix {
			for i, c := range out.Matrix[l] {
				if !slices.Contains(ids, c) {
					out.Matrix[l][i] = ids[nv-1]
				}
			}
		}
		if !slices.Contains(ids, out.Appetite) {
			out.Appetite = ids[0]
		}
	}
	return out
}
