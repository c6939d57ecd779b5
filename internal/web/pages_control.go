package web

import (
	"errors"
	"net/http"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// linkedColumn is one standard's requirements on the control page.
type linkedColumn struct {
	Std  *catalog.Standard
	Reqs []*catalog.Requirement
}

// suggestion is a requirement the crosswalk relates to one the control is
// already linked to, and the links that suggest it.
type suggestion struct {
	Req *catalog.Requirement
	Via []via
}

type via struct {
	From         *catalog.Requirement
	Relationship string
	Rationale    string
}

type controlData struct {
	*Shell
	Control     domain.Control
	Columns     []linkedColumn
	Suggestions []suggestion
	History     []historyItem
	HistoryNext string
}

func (h *handler) controlShow(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderControl(w, r, o, sh, http.StatusOK)
}

// historySize is how many trail entries the control page shows at once.
const historySize = 20

// renderControl shows the control as it is saved now; after a refused
// change it is rendered with the status of that refusal and sh.Error.
func (h *handler) renderControl(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, status int) {
	c, err := o.Control(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	history := domain.TrailFilter{ResourceType: "control", ResourceRef: c.Ref, Limit: historySize, Cursor: r.URL.Query().Get("history")}
	trail, err := o.Trail(r.Context(), history)
	if _, invalid := domain.AsValidation(err); invalid {
		history.Cursor = ""
		trail, err = o.Trail(r.Context(), history)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh.Title, sh.Section = c.Ref+" "+c.Title, "controls"
	d := &controlData{Shell: sh, Control: c, Columns: h.linkedColumns(c.Requirements),
		Suggestions: h.suggestions(c.Requirements), History: h.history(trail.Items)}
	if trail.Next != nil {
		d.HistoryNext = sh.OrgPath("controls", c.Ref) + "?history=" + *trail.Next + "#history"
	}
	h.render(w, r, status, "control", d)
}

// linkedColumns sorts the linked requirements into one column per standard
// (every standard gets its column, so an empty side is visible).
func (h *handler) linkedColumns(keys []string) []linkedColumn {
	cols := make([]linkedColumn, len(h.cat.Standards))
	index := map[string]int{}
	for i, s := range h.cat.Standards {
		cols[i].Std = s
		index[s.ID] = i
	}
	for _, req := range h.requirements(keys) {
		if i, ok := index[req.Standard]; ok {
			cols[i].Reqs = append(cols[i].Reqs, req)
		}
	}
	return cols
}

// suggestions are the crosswalk counterparts of the linked requirements
// that are not linked yet, in catalog order.
func (h *handler) suggestions(keys []string) []suggestion {
	linked := map[string]bool{}
	for _, k := range keys {
		linked[k] = true
	}
	byKey := map[string]*suggestion{}
	var order []string
	for _, k := range keys {
		for _, l := range h.cat.LinksOf(k) {
			other := l.Counterpart(k)
			if linked[other] {
				continue
			}
			s := byKey[other]
			if s == nil {
				req := h.cat.Requirement(other)
				if req == nil {
					continue
				}
				s = &suggestion{Req: req}
				byKey[other] = s
				order = append(order, other)
			}
			s.Via = append(s.Via, via{From: h.cat.Requirement(k), Relationship: l.Relationship, Rationale: l.Rationale})
		}
	}
	h.cat.SortKeys(order)
	out := make([]suggestion, len(order))
	for i, k := range order {
		out[i] = *byKey[k]
	}
	return out
}

func (h *handler) controlDelete(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	err := o.DeleteControl(r.Context(), actor(r), r.PathValue("ref"), &version)
	if errors.Is(err, domain.ErrConflict) {
		sh.Error = i18n.T("error.version_conflict")
		h.renderControl(w, r, o, sh, http.StatusConflict)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("controls")+"?notice=deleted", http.StatusSeeOther)
}

func (h *handler) controlLink(w http.ResponseWriter, r *http.Request) {
	h.changeLink(w, r, true)
}

func (h *handler) controlUnlink(w http.ResponseWriter, r *http.Request) {
	h.changeLink(w, r, false)
}

// changeLink links or unlinks one requirement, guarded by the version the
// page was rendered with.
func (h *handler) changeLink(w http.ResponseWriter, r *http.Request, link bool) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	version, ok := formVersion(r)
	if !ok {
		h.badForm(w, r)
		return
	}
	ref, key := r.PathValue("ref"), r.PostForm.Get("key")
	if !h.writable(w, r, o, sh, ref, version) {
		return
	}
	var err error
	notice := "linked"
	if link {
		_, err = o.LinkRequirement(r.Context(), actor(r), ref, key, &version)
	} else {
		notice = "unlinked"
		_, err = o.UnlinkRequirement(r.Context(), actor(r), ref, key, &version)
	}
	switch v, invalid := domain.AsValidation(err); {
	case invalid:
		sh.Error = v.For("requirements")
		h.renderControl(w, r, o, sh, http.StatusUnprocessableEntity)
		return
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.renderControl(w, r, o, sh, http.StatusConflict)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("controls", ref)+"?notice="+notice, http.StatusSeeOther)
}

// writable completes the access check of a change to a control for roles
// that may change only their own (the gate's ControlWritable); it answers
// the request itself when the change may not go ahead.
func (h *handler) writable(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, ref string, version int64) bool {
	_, err := scope(r).ControlWritable(r.Context(), ref, &version)
	switch {
	case err == nil:
		return true
	case errors.Is(err, domain.ErrConflict):
		sh.Error = i18n.T("error.version_conflict")
		h.renderControl(w, r, o, sh, http.StatusConflict)
	default:
		h.fail(w, r, err)
	}
	return false
}
