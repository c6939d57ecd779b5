package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
)

// trailSize is one page of the trail.
const trailSize = 50

// hashShown is how much of an entry's hash the table shows (the whole hash
// is in its title and in the CSV).
const hashShown = 12

// trailForm is the trail's filter form exactly as typed, so it can be shown
// again with its errors.
type trailForm struct {
	Actor, Action, ResourceType, ResourceRef, From, To, Cursor string
}

func readTrailForm(q url.Values) trailForm {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return trailForm{Actor: get("actor"), Action: get("action"), ResourceType: get("resource_type"),
		ResourceRef: get("resource_ref"), From: get("from"), To: get("to"), Cursor: get("cursor")}
}

// values is the filter as URL parameters, without the cursor.
func (f trailForm) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"actor": f.Actor, "action": f.Action, "resource_type": f.ResourceType,
		"resource_ref": f.ResourceRef, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Active reports whether any filter is set.
func (f trailForm) Active() bool { return len(f.values()) > 0 }

// filter reads the form into a store filter; dates are days in loc, the
// organization's time zone (the one the page shows times in).
func (f trailForm) filter(loc *time.Location, limit int) (domain.TrailFilter, error) {
	from, to, err := domain.ParseTrailPeriod(f.From, f.To, loc)
	return domain.TrailFilter{Actor: f.Actor, Action: f.Action, ResourceType: f.ResourceType, ResourceRef: f.ResourceRef,
		From: from, To: to, Limit: limit, Cursor: f.Cursor}, err
}

// choice is one option of a filter's select.
type choice struct {
	Value, Label string
}

// trailRow is one entry as the trail page shows it.
type trailRow struct {
	historyItem
	Seq       int64
	ActorRaw  string // the recorded actor, shown on hover
	ActionRaw string
	Resource  string // the kind of record, as people read it
	Ref       string
	Href      string // the record's page, when it has one
	Hash      string
	HashShort string
}

type trailData struct {
	*Shell
	Filter   trailForm
	Actors   []choice
	Actions  []choice
	Items    []trailRow
	NextURL  string
	FirstURL string
	CSVURL   string
	TimeZone string
	Errors   *domain.ValidationError
}

func (h *handler) trailPage(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.showTrail(w, r, o, sh, readTrailForm(r.URL.Query()))
}

// showTrail renders the trail page for form: 200 with the entries, or 422
// with the filter's problems beside its fields.
func (h *handler) showTrail(w http.ResponseWriter, r *http.Request, o *store.OrgStore, sh *Shell, form trailForm) {
	sh.Title, sh.Section = i18n.T("web.trail.title"), "trail"
	d := &trailData{Shell: sh, Filter: form, Items: []trailRow{}, TimeZone: sh.loc.String(), Errors: &domain.ValidationError{}}
	actors, err := o.TrailActors(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	actions, err := o.TrailActions(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Actors = choices(actors, form.Actor, actorLabel)
	d.Actions = choices(actions, form.Action, actionOption)
	base := sh.OrgPath("trail")
	d.CSVURL = sh.OrgPath("trail.csv")
	if q := form.values(); len(q) > 0 {
		d.CSVURL += "?" + q.Encode()
	}

	f, err := form.filter(sh.loc, trailSize)
	var page domain.Page[domain.TrailEntry]
	if err == nil {
		page, err = o.Trail(r.Context(), f)
	}
	if v, ok := domain.AsValidation(err); ok {
		d.Errors = v
		h.render(w, r, http.StatusUnprocessableEntity, "trail", d)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Items = h.trailRows(sh, page.Items)
	if page.Next != nil {
		q := form.values()
		q.Set("cursor", *page.Next)
		d.NextURL = base + "?" + q.Encode()
	}
	if form.Cursor != "" {
		d.FirstURL = base
		if q := form.values(); len(q) > 0 {
			d.FirstURL += "?" + q.Encode()
		}
	}
	h.render(w, r, http.StatusOK, "trail", d)
}

// trailCSV downloads the whole filtered trail (the cursor does not apply),
// read and written a page at a time, with the API's CSV writer. A filter
// that cannot be read shows the trail page with its errors instead.
func (h *handler) trailCSV(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	form := readTrailForm(r.URL.Query())
	form.Cursor = ""
	f, err := form.filter(sh.loc, store.MaxLimit)
	var first domain.Page[domain.TrailEntry]
	if err == nil {
		first, err = o.Trail(r.Context(), f)
	}
	if _, ok := domain.AsValidation(err); ok {
		h.showTrail(w, r, o, sh, form)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+sh.Org.Slug+`-trail.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	next := func(ctx context.Context, cursor string) (domain.Page[domain.TrailEntry], error) {
		f.Cursor = cursor
		return o.Trail(ctx, f)
	}
	if err := report.WriteTrailCSV(r.Context(), w, first, next); err != nil {
		// The status is sent: break the connection, so the browser reports
		// a failed download instead of keeping a file cut short.
		h.log.Error("trail export failed", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// trailRows prepares entries for the table: labels, links and, for
// controls, the field-level changes the control page's history shows.
func (h *handler) trailRows(sh *Shell, entries []domain.TrailEntry) []trailRow {
	items := h.history(entries)
	rows := make([]trailRow, len(entries))
	for i, e := range entries {
		row := trailRow{historyItem: items[i], Seq: e.Seq, ActorRaw: e.Actor, ActionRaw: e.Action,
			Resource: resourceLabel(e.ResourceType), Ref: e.ResourceRef, Hash: e.Hash, HashShort: e.Hash}
		if len(row.HashShort) > hashShown {
			row.HashShort = row.HashShort[:hashShown]
		}
		if !i18n.Has("web.action." + e.Action) {
			// An action without a label reads better as itself than as "Changed".
			row.Action = ""
		}
		if e.ResourceType == "control" {
			if e.Action != "control.delete" {
				row.Href = sh.OrgPath("controls", e.ResourceRef)
			}
		} else {
			row.Changes = nil // the field-level reading is the control's
			if e.ResourceType == "soa" {
				row.Href = soaTrailHref(sh, e.ResourceRef)
			}
		}
		rows[i] = row
	}
	return rows
}

// choices turns distinct values into a select's options; a value typed into
// the URL stays selectable, so the form shows the filter in effect.
func choices(values []string, current string, label func(string) string) []choice {
	if current != "" && !slices.Contains(values, current) {
		values = append(values, current)
	}
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{Value: v, Label: label(v)}
	}
	return out
}

// actionOption labels an action in the filter: its label with the recorded
// action beside it (labels such as "Edited" repeat across kinds of record).
func actionOption(a string) string {
	if i18n.Has("web.action." + a) {
		return i18n.T("web.trail.action_option", i18n.T("web.action."+a), a)
	}
	return a
}

// resourceLabel is a kind of record as people read it.
func resourceLabel(t string) string {
	if id := "web.trail.resource." + t; i18n.Has(id) {
		return i18n.T(id)
	}
	return t
}
