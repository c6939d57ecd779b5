package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// The dashboard reminds of the risks that need someone: per register the
// current risks by level, those above appetite without an acceptance, the
// reviews due and the risks to re-score; and the overdue treatment
// actions. A viewer sees the same.
func TestDashboardRiskReminders(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		loc, _ := time.LoadLocation("Europe/Amsterdam")
		day := func(n int) string { return time.Now().In(loc).AddDate(0, 0, n).Format(time.DateOnly) }

		// Nothing registered yet: the panels say so.
		w := s.get("/orgs/acme/")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.dashboard.risks.register.security"), i18n.T("web.dashboard.risks.register.ai"),
			`id="dr-security-current">0<`, `id="dr-ai-current">0<`, i18n.T("web.dashboard.risks.none"),
			`id="dr-overdue">0<`, i18n.T("web.dashboard.risks.no_overdue"))

		ctl := s.control(o, "Backups", "implemented", "iso27001-2022/A.8.13")
		high := tracedRisk(t, o, domain.RegisterSecurity, "Ransomware on file servers", 2, 4, ctl.Ref)   // high
		accepted := tracedRisk(t, o, domain.RegisterSecurity, "Single office site", 3, 3, ctl.Ref)       // high, accepted below
		vpn := tracedRisk(t, o, domain.RegisterSecurity, "Legacy VPN appliance", 4, 4, ctl.Ref)          // critical, review due
		tracedRisk(t, o, domain.RegisterSecurity, "Lost laptop", 1, 2)                                   // low
		closed := tracedRisk(t, o, domain.RegisterSecurity, "Retired fax line", 1, 1)                    // low, closed below
		critical := tracedRisk(t, o, domain.RegisterAI, "Prompt injection on the support chatbot", 4, 5) // critical
		if _, err := o.AcceptRisk(ctx, testActor, "Ada Admin", "admin", accepted.Ref, accepted.Version,
			domain.AcceptInput{Rationale: "Relocation next year"}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.UpdateRisk(ctx, testActor, vpn.Ref, &vpn.Version, domain.RiskInput{NextReview: ptrOf(day(-4))}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.UpdateRisk(ctx, testActor, closed.Ref, &closed.Version, domain.RiskInput{Status: ptrOf("closed"), NextReview: ptrOf(day(-30))}); err != nil {
			t.Fatal(err)
		}
		due, err := o.UpdateRisk(ctx, testActor, critical.Ref, &critical.Version, domain.RiskInput{NextReview: ptrOf(day(0))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.AddRiskAction(ctx, testActor, high.Ref, domain.ActionInput{Title: ptrOf("Immutable backups"),
			Owner: ptrOf("Ivan Ops"), Due: ptrOf(day(-9))}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []domain.ActionInput{
			{Title: ptrOf("Network segmentation"), Owner: ptrOf("Ivan Ops"), Due: ptrOf(day(10))},
			{Title: ptrOf("Old restore test"), Owner: ptrOf("Ivan Ops"), Due: ptrOf(day(-20)), Status: ptrOf("done")},
		} {
			if _, err := o.AddRiskAction(ctx, testActor, high.Ref, a); err != nil {
				t.Fatal(err)
			}
		}

		check := func(t *testing.T) {
			t.Helper()
			w := s.get("/orgs/acme/")
			wantStatus(t, w, http.StatusOK)
			wantBody(t, w,
				`id="dr-security-current">4<`, `id="dr-security-above">2<`, `id="dr-security-due">1<`, `id="dr-security-rescore">0<`,
				`id="dr-ai-current">1<`, `id="dr-ai-above">1<`, `id="dr-ai-due">1<`,
				`href="/orgs/acme/risks?register=security&review_due=1&current=1"`,
				`href="/orgs/acme/risks?register=ai&rescore=1&current=1"`,
				`href="/orgs/acme/risks?register=security&level=high&current=1"`,
				`href="/orgs/acme/risks?register=security"`,
				// Highest residual first: the critical risk, then the high one; not the accepted one.
				`href="/orgs/acme/risks/`+vpn.Ref+`"`, `href="/orgs/acme/risks/`+high.Ref+`"`,
				// The reviews due with owner, date and how late.
				"Legacy VPN appliance", "Olga Owner", day(-4), i18n.T("web.dashboard.risks.days_ago.other", 4),
				`href="/orgs/acme/risks/`+due.Ref+`"`, i18n.T("web.dashboard.risks.today"),
				// Level colours of the method, the appetite.
				`fill="#ef6c00"`, `fill="#c62828"`, `fill="#2e7d32"`, i18n.T("web.dashboard.risks.appetite", "Medium"),
				// The overdue action, with its risk.
				`id="dr-overdue">1<`, `href="/orgs/acme/actions?overdue=1"`, "Immutable backups", "Ivan Ops", day(-9),
				i18n.T("web.dashboard.risks.days_ago.other", 9))
			wantNoBody(t, w, "Network segmentation", "Old restore test", "Retired fax line", i18n.T("web.dashboard.risks.no_overdue"))
			pending := w.Body.String()
			if i := indexOf(pending, i18n.T("web.dashboard.risks.pending_h")); i >= 0 {
				pending = pending[i:]
				if j := indexOf(pending, "</ul>"); j >= 0 {
					pending = pending[:j]
				}
			}
			if indexOf(pending, accepted.Ref) >= 0 || indexOf(pending, vpn.Ref) < 0 || indexOf(pending, vpn.Ref) > indexOf(pending, high.Ref) {
				t.Errorf("risks awaiting treatment or acceptance: %s", pending)
			}
		}
		t.Run("manager", check)

		// A change of method leaves every current risk to re-score.
		m, err := o.RiskMethod(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m.Impact[0].Criterion = "No effect worth recording."
		if _, err := o.SetRiskMethod(ctx, testActor, &m.Version, m); err != nil {
			t.Fatal(err)
		}
		w = s.get("/orgs/acme/")
		wantBody(t, w, `id="dr-security-rescore">4<`, `id="dr-ai-rescore">1<`, "dr-num dr-warn")

		// A viewer reads the same reminders.
		s.user("vera@example.com", "Vera Viewer", false)
		if err := o.SetMembership(ctx, testActor, "vera@example.com", "viewer", nil); err != nil {
			t.Fatal(err)
		}
		s.as = s.user("vera@example.com", "Vera Viewer", false)
		w = s.get("/orgs/acme/")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="dr-security-above">2<`, `id="dr-overdue">1<`, "Immutable backups")
	})
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// The dashboard counts every risk above appetite without a covering
// acceptance, however many there are.
func TestDashboardManyRisksAboveAppetite(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	ctx := context.Background()
	n := 55
	var last []domain.Risk
	for i := range n {
		r := tracedRisk(t, o, domain.RegisterSecurity, "High risk", 2, 4)
		if i >= n-3 {
			last = append(last, r)
		}
	}
	for _, r := range last { // ranked last: same level, later refs
		if _, err := o.AcceptRisk(ctx, testActor, "Ada Admin", "admin", r.Ref, r.Version, domain.AcceptInput{Rationale: "Known"}); err != nil {
			t.Fatal(err)
		}
	}
	w := s.get("/orgs/acme/")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `id="dr-security-current">`+strconv.Itoa(n)+`<`, `id="dr-security-above">`+strconv.Itoa(n-3)+`<`)
}
