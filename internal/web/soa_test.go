package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// rowsShown counts the SoA rows of a page.
func rowsShown(body string) int { return strings.Count(body, `<li class="soa-row `) }

func TestSoAPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		c := s.control(o, "Supplier assurance", "not_implemented", "iso27001-2022/A.5.19", "iso42001-2023/A.10.3")

		w := s.get("/orgs/acme/soa/iso27001-2022")
		wantStatus(t, w, http.StatusOK)
		if n := rowsShown(w.Body.String()); n != 93 {
			t.Errorf("27001 shows %d rows", n)
		}
		wantBody(t, w, "Organizational controls", "Technological controls", "Supplier assurance",
			`href="/orgs/acme/controls/`+c.Ref+`"`, i18n.T("web.soa.shown", 93, 93),
			i18n.T("web.soa.group_counts", 37, 0, 0, 37), i18n.T("web.soa.no_versions"),
			`id="count-undecided">93<`, i18n.T("web.soa.issue", 1), `aria-current="page">`+i18n.T("web.nav.soa"))
		w = s.get("/orgs/acme/soa/iso42001-2023")
		wantStatus(t, w, http.StatusOK)
		if n := rowsShown(w.Body.String()); n != 38 {
			t.Errorf("42001 shows %d rows", n)
		}
		wantBody(t, w, "Third-party and customer relationships", "Supplier assurance", i18n.T("web.scope.shared"))
		wantStatus(t, s.get("/orgs/acme/soa/iso9001-2015"), http.StatusNotFound)

		// Refused decisions: 422, the message beside the row, values kept, nothing written.
		w = s.post("/orgs/acme/soa/iso27001-2022/A.7.1", url.Values{"applicable": {"no"}, "justification": {" "}, "version": {"0"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("web.soa.error_row", "A.7.1"), `id="r-A.7.1-justification-error"`,
			i18n.T("error.justification_required"), `value="no" checked`, "soa-row-open")
		w = s.post("/orgs/acme/soa/iso27001-2022/A.5.19", url.Values{"applicable": {"yes"}, "justification": {"Suppliers hold our data"},
			"version": {"0"}, "back": {"decision=undecided"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="r-A.5.19-reasons-error"`, i18n.T("error.reason_required"), "Suppliers hold our data")
		if rows, _ := o.SoA(ctx, domain.ISO27001); rows[0].Applicable != nil || countDecided(rows) != 0 {
			t.Fatal("a refused decision was written")
		}
		wantStatus(t, s.post("/orgs/acme/soa/iso27001-2022/5.1", url.Values{"applicable": {"no"}, "justification": {"x"}, "version": {"0"}}), http.StatusNotFound)
		wantStatus(t, s.post("/orgs/acme/soa/iso27001-2022/A.7.1", url.Values{"applicable": {"no"}, "justification": {"x"}}), http.StatusBadRequest)

		// Saved: back to the row, in the view the person came from.
		w = s.post("/orgs/acme/soa/iso27001-2022/A.5.19", url.Values{"applicable": {"yes"}, "justification": {"Suppliers hold our data"},
			"reasons": {"contractual", "risk_treatment"}, "version": {"0"}, "back": {"decision=undecided&evil=1"}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/soa/iso27001-2022?decision=undecided&notice=soa_decided&saved=A.5.19#r-A.5.19" {
			t.Errorf("saved: redirected to %s", loc)
		}
		w = s.post("/orgs/acme/soa/iso27001-2022/A.7.1", url.Values{"applicable": {"no"}, "justification": {"We rent no premises"}, "version": {"0"}})
		wantStatus(t, w, http.StatusSeeOther)

		// The same form again carries a stale version: 409, the saved
		// decision shown, the person's text still in the form, the new version.
		w = s.post("/orgs/acme/soa/iso27001-2022/A.7.1", url.Values{"applicable": {"yes"}, "justification": {"My late change"},
			"reasons": {"business"}, "version": {"0"}})
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, i18n.T("error.version_conflict"), i18n.T("web.soa.conflict"), "We rent no premises", "My late change")
		if !regexp.MustCompile(`action="/orgs/acme/soa/iso27001-2022/A.7.1#r-A.7.1"[^>]*>\s*<input type="hidden" name="version" value="1">`).MatchString(w.Body.String()) {
			t.Error("the conflict form does not carry the saved version")
		}

		// Filters, and the flag of the shared control that is not implemented.
		for _, tt := range []struct {
			query string
			rows  int
			code  int
		}{
			{"?decision=excluded", 1, 200},
			{"?decision=applicable", 1, 200},
			{"?decision=undecided", 91, 200},
			{"?flagged=1", 1, 200},
			{"?state=no_control&decision=applicable", 0, 200},
			{"?q=rent+no", 1, 200},
			{"?decision=maybe", 93, 422},
		} {
			w := s.get("/orgs/acme/soa/iso27001-2022" + tt.query)
			wantStatus(t, w, tt.code)
			if n := rowsShown(w.Body.String()); n != tt.rows {
				t.Errorf("%s: %d rows, want %d", tt.query, n, tt.rows)
			}
		}
		w = s.get("/orgs/acme/soa/iso27001-2022?flagged=1")
		wantBody(t, w, i18n.T("web.soa.flagged"), `id="count-flagged">1<`, "soa-row-flagged", i18n.T("web.soa.reason.contractual"))

		// Issue, change, compare.
		wantStatus(t, s.post("/orgs/acme/soa/iso27001-2022/versions", url.Values{"note": {strings.Repeat("n", 2001)}}), http.StatusUnprocessableEntity)
		w = s.post("/orgs/acme/soa/iso27001-2022/versions", url.Values{"note": {"Certification audit"}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/soa/iso27001-2022/versions?notice=soa_issued" {
			t.Errorf("issued: redirected to %s", loc)
		}
		w = s.get("/orgs/acme/soa/iso27001-2022/versions?notice=soa_issued")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.notice.soa_issued"), i18n.T("web.soa.version_n", 1), "root@example.com", "Certification audit")
		w = s.post("/orgs/acme/soa/iso27001-2022/A.7.1", url.Values{"applicable": {"yes"}, "justification": {"We opened an office"},
			"reasons": {"business"}, "version": {"1"}})
		wantStatus(t, w, http.StatusSeeOther)
		w = s.get("/orgs/acme/soa/iso27001-2022")
		wantBody(t, w, i18n.T("web.soa.compare_draft", 1), i18n.T("web.soa.issue", 2))

		w = s.get("/orgs/acme/soa/iso27001-2022/diff")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.soa.diff_heading_draft", 1), i18n.T("web.soa.diff_count.one", 1), "A.7.1",
			"We rent no premises", "We opened an office", i18n.T("web.soa.field.decision"), i18n.T("web.soa.reason.business"))
		wantNoBody(t, w, "A.5.19 ")
		if n := strings.Count(w.Body.String(), `class="card soa-change"`); n != 1 {
			t.Errorf("diff shows %d rows", n)
		}
		wantStatus(t, s.post("/orgs/acme/soa/iso27001-2022/versions", url.Values{}), http.StatusSeeOther)
		w = s.get("/orgs/acme/soa/iso27001-2022/diff?from=1&to=2")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.soa.diff_heading", 1, 2))
		w = s.get("/orgs/acme/soa/iso27001-2022/diff?from=2")
		wantBody(t, w, i18n.T("web.soa.no_changes"))
		w = s.get("/orgs/acme/soa/iso27001-2022/diff?from=9&to=x")
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="d-from-error"`, `id="d-to-error"`, i18n.T("web.error.soa_version"))
		w = s.get("/orgs/acme/soa/iso42001-2023/diff")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.soa.need_version"))
		w = s.get("/orgs/acme/soa/iso27001-2022/versions")
		wantBody(t, w, i18n.T("web.soa.with_previous", 1))

		// The trail labels the writes.
		w = s.get("/orgs/acme/trail?resource_type=soa")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.action.soa.decide"), i18n.T("web.action.soa.issue"), "iso27001-2022/A.7.1", "iso27001-2022/v1",
			`href="/orgs/acme/soa/iso27001-2022#r-A.7.1"`, `href="/orgs/acme/soa/iso27001-2022/versions"`)
	})
}

func countDecided(rows []domain.SoARow) int {
	n := 0
	for _, r := range rows {
		if r.Applicable != nil {
			n++
		}
	}
	return n
}

// A viewer reads the statements but is offered neither the decision forms
// nor the issue form; the routes refuse them anyway.
func TestSoAPageForReaders(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	ctx := context.Background()
	s.user("vera@example.com", "Vera Viewer", false)
	if err := o.SetMembership(ctx, testActor, "vera@example.com", "viewer", nil); err != nil {
		t.Fatal(err)
	}
	s.as = s.user("vera@example.com", "Vera Viewer", false)
	w := s.get("/orgs/acme/soa/iso27001-2022")
	wantStatus(t, w, http.StatusOK)
	wantNoBody(t, w, i18n.T("web.soa.save"), `name="note"`, i18n.T("web.soa.issue", 1))
	wantStatus(t, s.post("/orgs/acme/soa/iso27001-2022/A.5.1", url.Values{"applicable": {"no"}, "justification": {"x"}, "version": {"0"}}), http.StatusForbidden)
	wantStatus(t, s.post("/orgs/acme/soa/iso27001-2022/versions", url.Values{}), http.StatusForbidden)
}

func TestSoAPagesNeedNoInlineCode(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	s.control(o, "Policy", "implemented", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
	applicable := true
	if _, err := o.Decide(context.Background(), testActor, domain.ISO27001, "A.5.1", nil,
		domain.DecisionInput{Applicable: &applicable, Justification: "Base of the ISMS", Reasons: []string{domain.ReasonBusiness}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.IssueSoA(context.Background(), testActor, domain.ISO27001, "root@example.com", ""); err != nil {
		t.Fatal(err)
	}
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<script>|\son[a-z]+=|\sstyle=|<style`)
	for _, p := range []string{"/orgs/acme/soa/iso27001-2022", "/orgs/acme/soa/iso42001-2023",
		"/orgs/acme/soa/iso27001-2022/versions", "/orgs/acme/soa/iso27001-2022/diff?from=1"} {
		w := s.get(p)
		wantStatus(t, w, http.StatusOK)
		if m := inline.FindString(w.Body.String()); m != "" {
			t.Errorf("%s has inline code: %q", p, m)
		}
	}
	// Labels the pages derive from values exist.
	var ids []string
	for _, d := range domain.Decisions {
		ids = append(ids, "web.soa.decision."+d)
	}
	for _, r := range domain.Reasons {
		ids = append(ids, "web.soa.reason."+r)
	}
	for _, st := range domain.States {
		ids = append(ids, "web.state."+st)
	}
	for _, f := range []string{domain.DiffDecision, domain.DiffJustification, domain.DiffReasons, domain.DiffState, domain.DiffControls} {
		ids = append(ids, "web.soa.field."+f)
	}
	ids = append(ids, "web.action.soa.decide", "web.action.soa.issue", "web.trail.resource.soa", "web.soa.missing_before", "web.soa.missing_after")
	for _, id := range ids {
		if !i18n.Has(id) {
			t.Errorf("message %s is missing", id)
		}
	}
}
