package web

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// trailSite is an organization with a short trail:
//
//	1 org.create  2 CTL-001 created  3 CTL-002 created (by ada)
//	4 CTL-001 edited (status, owner)  5 member.set for a formula-like email
func trailSite(t *testing.T, st *store.Store) (*site, *store.OrgStore) {
	t.Helper()
	s := newSite(t, st)
	o := s.org("acme")
	s.org("other")
	ctx := context.Background()
	s.control(o, "Supplier reviews", "planned", "iso27001-2022/A.5.19")
	ada := domain.Actor{Kind: "user", Name: "ada@example.com"}
	title, status := "Access control", "planned"
	if _, err := o.CreateControl(ctx, ada, domain.ControlInput{Title: &title, Status: &status}); err != nil {
		t.Fatal(err)
	}
	implemented, owner := "implemented", "CISO"
	if _, err := o.UpdateControl(ctx, testActor, "CTL-001", 1, domain.ControlInput{Status: &implemented, Owner: &owner}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, testActor, domain.UserInput{Email: "=1+2@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := o.SetMembership(ctx, testActor, "=1+2@example.com", "viewer", nil); err != nil {
		t.Fatal(err)
	}
	s.control(s.org("other"), "Not of acme", "planned")
	return s, o
}

func TestTrailPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s, _ := trailSite(t, st)

		w := s.get("/orgs/acme/trail")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.trail.title"), `href="/orgs/acme/trail" aria-current="page"`,
			// actors and actions as people read them, the recorded value beside
			i18n.T("web.actor.system", "test"), "ada@example.com", `title="user:ada@example.com"`,
			i18n.T("web.action.control.update"), i18n.T("web.action.control.create"), i18n.T("web.action.member.set"),
			// records, linked when they are controls
			`<a class="ref" href="/orgs/acme/controls/CTL-001">CTL-001</a>`, i18n.T("web.trail.resource.member"), "=1+2@example.com",
			// the field-level change of the edit
			i18n.T("web.status.planned"), i18n.T("web.status.implemented"), "CISO",
			// the filter choices come from this trail
			`<option value="user:ada@example.com">ada@example.com</option>`,
			`<option value="control.update">`+i18n.T("web.trail.action_option", i18n.T("web.action.control.update"), "control.update")+`</option>`,
			`href="/orgs/acme/trail.csv"`, i18n.T("web.trail.period_hint", "Europe/Amsterdam"))
		wantNoBody(t, w, "Not of acme", "CTL-003")
		body := w.Body.String()
		// Newest first, each with the start of its hash.
		rows := regexp.MustCompile(`<td class="trail-seq">(\d+)</td>`).FindAllStringSubmatch(body, -1)
		var order []string
		for _, m := range rows {
			order = append(order, m[1])
		}
		if strings.Join(order, ",") != "5,4,3,2,1" {
			t.Errorf("entries in order %v", order)
		}
		page, err := s.org("acme").Trail(context.Background(), domain.TrailFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if h := page.Items[0].Hash; !strings.Contains(body, ">"+h[:hashShown]+"</code>") || !strings.Contains(body, h) {
			t.Errorf("hash %s not shown", h)
		}
		if m := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<script>|\son[a-z]+=|\sstyle=|<style`).FindString(body); m != "" {
			t.Errorf("trail page has inline code: %q", m)
		}

		// Filters narrow the list and stay in the form, the download and the pages.
		tests := []struct {
			query string
			want  []string // seqs shown
		}{
			{"actor=user%3Aada%40example.com", []string{"3"}},
			{"action=control.create", []string{"3", "2"}},
			{"resource_type=control&resource_ref=CTL-001", []string{"4", "2"}},
			{"resource_type=member", []string{"5"}},
			{"from=" + time.Now().AddDate(0, 0, -1).Format(time.DateOnly), []string{"5", "4", "3", "2", "1"}},
			{"to=" + time.Now().AddDate(0, 0, -2).Format(time.DateOnly), nil},
			{"actor=user%3Anobody%40example.com", nil},
		}
		for _, tt := range tests {
			w := s.get("/orgs/acme/trail?" + tt.query)
			wantStatus(t, w, http.StatusOK)
			var got []string
			for _, m := range regexp.MustCompile(`<td class="trail-seq">(\d+)</td>`).FindAllStringSubmatch(w.Body.String(), -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("%s: entries %v, want %v", tt.query, got, tt.want)
			}
			csvLink, err := url.Parse(html.UnescapeString(regexp.MustCompile(`id="trail-csv" href="([^"]+)"`).FindStringSubmatch(w.Body.String())[1]))
			if want, _ := url.ParseQuery(tt.query); err != nil || csvLink.Path != "/orgs/acme/trail.csv" || csvLink.Query().Encode() != want.Encode() {
				t.Errorf("%s: download link %v does not carry the filter", tt.query, csvLink)
			}
			if tt.want == nil {
				wantBody(t, w, i18n.T("web.trail.none_match"))
			}
		}
		// An actor typed into the address stays selected though no entry has it.
		wantBody(t, s.get("/orgs/acme/trail?actor=user%3Anobody%40example.com"), `<option value="user:nobody@example.com" selected>`)

		// Bad input: inline errors beside the fields, 422, never a 500.
		bad := []struct{ query, field, message string }{
			{"from=yesterday", "t-from-error", i18n.T("error.moment")},
			{"to=31-12-2026", "t-to-error", i18n.T("error.moment")},
			{"from=2026-03-05&to=2026-03-04", "t-to-error", i18n.T("error.period_order")},
			{"actor=" + strings.Repeat("x", 501), "t-actor-error", i18n.T("error.too_long", 500)},
			{"cursor=zzz", "", i18n.T("error.cursor")},
		}
		for _, tt := range bad {
			w := s.get("/orgs/acme/trail?" + tt.query)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBody(t, w, tt.message, `class="field-error"`)
			if tt.field != "" {
				wantBody(t, w, `id="`+tt.field+`"`, `aria-invalid="true"`)
			}
			wantNoBody(t, w, i18n.T("web.trail.none_match"))
		}
		if strings.Contains(s.log.String(), "level=ERROR") {
			t.Errorf("bad input was logged as an error: %s", s.log.String())
		}

		// Someone who is not a member sees no trail.
		s.as = s.user("stranger@example.com", "Stranger", false)
		wantStatus(t, s.get("/orgs/acme/trail"), http.StatusNotFound)
		wantStatus(t, s.get("/orgs/acme/trail.csv"), http.StatusNotFound)
	})
}

func TestTrailPages(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	for i := range trailSize + 4 {
		s.control(o, "Control "+strconv.Itoa(i+1), "planned")
	}
	// org.create and trailSize+4 creates: the first page ends at entry 6.
	w := s.get("/orgs/acme/trail?resource_type=control")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `<td class="trail-seq">55</td>`, `<td class="trail-seq">6</td>`)
	wantNoBody(t, w, `<td class="trail-seq">5</td>`, i18n.T("web.pager.first"))
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(w.Body.String())
	if next == nil {
		t.Fatal("no next page link")
	}
	link := html.UnescapeString(next[1])
	if !strings.Contains(link, "resource_type=control") {
		t.Fatalf("next link %q drops the filter", link)
	}
	w = s.get(link)
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `<td class="trail-seq">5</td>`, `<td class="trail-seq">2</td>`, i18n.T("web.pager.first"),
		`href="/orgs/acme/trail?resource_type=control"`)
	wantNoBody(t, w, `<td class="trail-seq">1</td>`, `<td class="trail-seq">6</td>`, `rel="next"`)
}

func TestTrailCSVDownload(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s, _ := trailSite(t, st)

		w := s.get("/orgs/acme/trail.csv")
		wantStatus(t, w, http.StatusOK)
		if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="acme-trail.csv"` {
			t.Errorf("content disposition %q", cd)
		}
		rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 6 || strings.Join(rows[0], ",") != strings.Join(report.TrailColumns, ",") {
			t.Fatalf("rows %q", rows)
		}
		// Formula guarding: the member's email would run as a formula.
		if rows[1][3] != "member.set" || rows[1][5] != "'=1+2@example.com" {
			t.Errorf("member row %q", rows[1])
		}
		if rows[5][3] != "org.create" || rows[5][0] != "1" {
			t.Errorf("oldest row %q", rows[5])
		}

		// The download carries the page's filters (the cursor does not apply).
		w = s.get("/orgs/acme/trail.csv?resource_type=control&resource_ref=CTL-001&cursor=whatever")
		wantStatus(t, w, http.StatusOK)
		rows, err = csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if err != nil || len(rows) != 3 || rows[1][0] != "4" || rows[2][0] != "2" {
			t.Fatalf("filtered download %q (%v)", rows, err)
		}
		if !strings.Contains(rows[1][6], `"status":"planned"`) || !strings.Contains(rows[1][7], `"status":"implemented"`) {
			t.Errorf("before/after %q %q", rows[1][6], rows[1][7])
		}

		// A filter that cannot be read shows the page with its error.
		w = s.get("/orgs/acme/trail.csv?from=soon")
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("error.moment"), `id="t-from-error"`)
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("error answered as %q", ct)
		}
	})
}

func TestControlPageLinksToTrail(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	c := s.control(s.org("acme"), "Policy", "planned")
	w := s.get("/orgs/acme/controls/" + c.Ref)
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `href="/orgs/acme/trail?resource_type=control&resource_ref=`+c.Ref+`"`, i18n.T("web.trail.full_history"))
}
