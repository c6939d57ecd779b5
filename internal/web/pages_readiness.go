package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/readiness"
	"tandem/internal/store"
)

// stackSeg is one state's share of a stacked bar.
type stackSeg struct {
	State string
	Count int
	X     string // of 100
	Width string // of 100
}

// stackBar shows how the requirements of a set split over the states.
type stackBar struct {
	Segs  []stackSeg
	Href  string
	Label string
}

func makeStack(t readiness.Tally, href, label string) stackBar {
	b := stackBar{Href: href, Label: label}
	x := 0.0
	for _, s := range []struct {
		state string
		n     int
	}{{domain.StateImplemented, t.Implemented}, {domain.StatePartial, t.Partial},
		{domain.StateNotImplemented, t.NotImplemented}, {domain.StateNoControl, t.NoControl}} {
		if t.Total == 0 || s.n == 0 {
			continue
		}
		w := 100 * float64(s.n) / float64(t.Total)
		b.Segs = append(b.Segs, stackSeg{State: s.state, Count: s.n, X: fmt.Sprintf("%.2f", x), Width: fmt.Sprintf("%.2f", w)})
		x += w
	}
	return b
}

// readinessRow is a clause or a theme/group with its bar.
type readinessRow struct {
	readiness.Section
	Prefix string
	Bar    stackBar
}

type readinessCard struct {
	R        readiness.Standard
	Std      *catalog.Standard
	Bar      stackBar
	Clauses  []readinessRow
	Groups   []readinessRow
	GapsHref string
}

type readinessData struct {
	*Shell
	Cards    []readinessCard
	Transfer readiness.Transfer
}

// coverage reads what readiness is computed from.
func (h *handler) coverage(r *http.Request, o *store.OrgStore) (readiness.Coverage, readiness.Excluded, error) {
	cov, err := o.Coverage(r.Context())
	if err != nil {
		return nil, nil, err
	}
	excluded, err := o.Exclusions(r.Context())
	return cov, excluded, err
}

func (h *handler) readinessPage(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	sh.Title, sh.Section = i18n.T("web.readiness.title"), "readiness"
	cov, excluded, err := h.coverage(r, o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &readinessData{Shell: sh}
	for _, std := range h.cat.Standards {
		rd := readiness.Compute(h.cat, std.ID, cov, excluded)
		gaps := sh.OrgPath("readiness", std.ID)
		card := readinessCard{R: rd, Std: std, GapsHref: gaps,
			Bar: makeStack(rd.Overall, gaps, i18n.T("web.readiness.bar_label", std.Title, rd.Overall.Implemented, rd.Overall.Total))}
		for _, s := range rd.Sections {
			href := gaps + "?" + url.Values{"section": {s.ID}}.Encode()
			row := readinessRow{Section: s, Bar: makeStack(s.Tally, href, i18n.T("web.readiness.bar_label", s.Title, s.Implemented, s.Total))}
			if s.Kind == catalog.KindClause {
				row.Prefix = s.ID
				card.Clauses = append(card.Clauses, row)
			} else {
				row.Prefix = groupPrefix(std, s.ID)
				card.Groups = append(card.Groups, row)
			}
		}
		d.Cards = append(d.Cards, card)
	}
	d.Transfer = readiness.TransferOf(h.cat, domain.ISO27001, domain.ISO42001, cov, excluded)
	h.render(w, r, http.StatusOK, "readiness", d)
}

// groupPrefix is the Annex A number a theme or group starts with ("A.5").
func groupPrefix(std *catalog.Standard, group string) string {
	if strings.HasPrefix(group, "A.") {
		return group // 42001's objective groups are named by their number
	}
	for _, req := range std.Requirements {
		if req.Kind == catalog.KindAnnex && req.Group == group {
			p := req.Ref
			for i := len(p) - 1; i > 0; i-- {
				if p[i] == '.' {
					return p[:i]
				}
			}
			return p
		}
	}
	return ""
}

type gapsData struct {
	*Shell
	Std      *catalog.Standard
	R        readiness.Standard
	Current  *readiness.Section // the clause or group asked for, if any
	State    string
	Gaps     []readiness.Gap
	Sections []readiness.Section
}

// gapsPage lists the requirements behind a readiness bar that are not
// implemented, optionally narrowed to one clause or group and one state.
func (h *handler) gapsPage(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	std := h.cat.Standard(r.PathValue("standard"))
	if std == nil {
		h.notFound(w, r)
		return
	}
	cov, excluded, err := h.coverage(r, o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rd := readiness.Compute(h.cat, std.ID, cov, excluded)
	d := &gapsData{Shell: sh, Std: std, R: rd, Sections: rd.Sections, State: r.URL.Query().Get("state")}
	section := r.URL.Query().Get("section")
	for i := range rd.Sections {
		if rd.Sections[i].ID == section {
			d.Current = &rd.Sections[i]
		}
	}
	for _, g := range rd.Gaps {
		if (d.Current == nil || g.Section == d.Current.ID) && (d.State == "" || g.State == d.State) {
			d.Gaps = append(d.Gaps, g)
		}
	}
	sh.Title, sh.Section = i18n.T("web.readiness.gaps_title", std.Title), "readiness"
	h.render(w, r, http.StatusOK, "gaps", d)
}

type transferData struct {
	*Shell
	T      readiness.Transfer
	From   *catalog.Standard
	To     *catalog.Standard
	Status string
	Groups []transferGroup
}

type transferGroup struct {
	Status string
	Items  []readiness.TransferItem
}

// transferPage shows what one standard's controls carry over to the other.
func (h *handler) transferPage(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	from, to := domain.ISO27001, domain.ISO42001
	if r.URL.Query().Get("from") == domain.ISO42001 {
		from, to = to, from
	}
	cov, excluded, err := h.coverage(r, o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t := readiness.TransferOf(h.cat, from, to, cov, excluded)
	d := &transferData{Shell: sh, T: t, From: h.cat.Standard(from), To: h.cat.Standard(to), Status: r.URL.Query().Get("status")}
	for _, s := range readiness.TransferStatuses {
		if d.Status != "" && d.Status != s {
			continue
		}
		g := transferGroup{Status: s}
		for _, it := range t.Items {
			if it.Status == s {
				g.Items = append(g.Items, it)
			}
		}
		d.Groups = append(d.Groups, g)
	}
	sh.Title, sh.Section = i18n.T("web.transfer.title", d.From.Title, d.To.Title), "readiness"
	h.render(w, r, http.StatusOK, "transfer", d)
}

// transferLink links a control to the requirement the crosswalk suggests.
// The link is additive, so it is not pinned to a version the page showed;
// a contributor may link only controls they own.
func (h *handler) transferLink(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	ref, key := r.PostForm.Get("control"), r.PostForm.Get("key")
	version, err := scope(r).ControlWritable(r.Context(), ref, nil)
	if err == nil {
		_, err = o.LinkRequirement(r.Context(), actor(r), ref, key, version)
	}
	switch _, invalid := domain.AsValidation(err); {
	case invalid:
		h.errorPage(w, r, http.StatusUnprocessableEntity, "web.transfer.link_failed")
		return
	case errors.Is(err, domain.ErrConflict):
		h.errorPage(w, r, http.StatusConflict, "web.transfer.link_conflict")
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	back := sh.OrgPath("transfer")
	if from := r.PostForm.Get("from"); from == domain.ISO42001 {
		back += "?from=" + from + "&notice=linked"
	} else {
		back += "?notice=linked"
	}
	http.Redirect(w, r, back+"#"+url.QueryEscape(key), http.StatusSeeOther)
}
