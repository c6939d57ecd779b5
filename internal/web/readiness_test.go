package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// readinessSite holds the readiness package's hand-computed example.
func readinessSite(t *testing.T, st *store.Store) (*site, *store.OrgStore) {
	s := newSite(t, st)
	o := s.org("acme")
	s.control(o, "Policy set", "implemented", "iso27001-2022/5.2", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
	s.control(o, "Access", "in_progress", "iso27001-2022/A.5.15", "iso27001-2022/6.1")
	s.control(o, "Development", "planned", "iso27001-2022/A.8.25")
	s.control(o, "Awareness", "implemented", "iso27001-2022/7.2")
	return s, o
}

func TestReadinessPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s, o := readinessSite(t, st)

		w := s.get("/orgs/acme/readiness")
		wantStatus(t, w, http.StatusOK)
		// 27001: 3 of 123 implemented (2 %), 5 with a control (4 %); 42001: 1 of 70.
		wantBody(t, w, i18n.T("web.readiness.row_nums", 1, 3), // clause 5: 5.2 of 5.1–5.3
			i18n.T("web.readiness.row_nums", 1, 37), // organizational: A.5.1
			`href="/orgs/acme/readiness/iso27001-2022?section=6"`,
			`href="/orgs/acme/transfer?status=extend"`)
		wantBody(t, w, `<span class="ready-num">2%</span>`, `<span class="ready-num">4%</span>`, `<span class="ready-num">123</span>`, `<span class="ready-num">70</span>`)

		// The gaps behind the organizational bar: 36 (A.5.15 partial and 35 without a control).
		w = s.get("/orgs/acme/readiness/iso27001-2022?section=organizational")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.readiness.gap_count.other", 36), "A.5.15", i18n.T("web.state.partially_implemented"))
		wantNoBody(t, w, ">A.5.1<", "A.8.25")
		w = s.get("/orgs/acme/readiness/iso27001-2022?state=not_implemented")
		wantBody(t, w, i18n.T("web.readiness.gap_count.one", 1), "A.8.25")
		wantStatus(t, s.get("/orgs/acme/readiness/iso9001"), http.StatusNotFound)

		// The library filters by Annex A theme.
		w = s.get("/orgs/acme/controls?theme=iso27001-2022%2Ftechnological")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Development")
		wantNoBody(t, w, "Policy set", "Awareness")
		wantStatus(t, s.get("/orgs/acme/controls?theme=iso27001-2022%2Fnope"), http.StatusUnprocessableEntity)

		// What carries over, and linking the suggested control.
		w = s.get("/orgs/acme/transfer?status=transfers")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="iso42001-2023/7.2"`, i18n.T("web.transfer.link", "CTL-004", "7.2"))
		w = s.post("/orgs/acme/transfer/link", url.Values{"control": {"CTL-004"}, "key": {"iso42001-2023/7.2"}})
		wantStatus(t, w, http.StatusSeeOther)
		c, err := o.Control(context.Background(), "CTL-004")
		if err != nil || c.Scope != domain.ScopeShared {
			t.Fatalf("after linking: %+v %v", c, err)
		}
		w = s.get("/orgs/acme/transfer?status=in_place")
		wantBody(t, w, `id="iso42001-2023/7.2"`)
		wantStatus(t, s.post("/orgs/acme/transfer/link", url.Values{"control": {"CTL-004"}, "key": {"iso42001-2023/Z.1"}}), http.StatusUnprocessableEntity)
		wantStatus(t, s.post("/orgs/acme/transfer/link", url.Values{"control": {"CTL-404"}, "key": {"iso42001-2023/7.3"}}), http.StatusNotFound)

		// A contributor links only the controls they own.
		s.as = s.user("cy@example.com", "Cy", false)
		if err := o.SetMembership(context.Background(), testActor, "cy@example.com", "contributor", nil); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.post("/orgs/acme/transfer/link", url.Values{"control": {"CTL-001"}, "key": {"iso42001-2023/5.2"}}), http.StatusForbidden)
	})
}
