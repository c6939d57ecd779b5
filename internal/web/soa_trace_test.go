package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func ptrOf[T any](v T) *T { return &v }

// tracedRisk raises a risk of a register treated through controls, scored
// residual (likelihood, impact) on the default method.
func tracedRisk(t *testing.T, o *store.OrgStore, register, title string, l, i int, controls ...string) domain.Risk {
	t.Helper()
	in := domain.RiskInput{Title: &title, Register: &register, Owner: ptrOf("Olga Owner"), InherentL: ptrOf(5), InherentI: ptrOf(5),
		ResidualL: &l, ResidualI: &i, Treatment: ptrOf("modify"), Controls: &controls,
		NextReview: ptrOf(time.Now().AddDate(0, 2, 0).Format(time.DateOnly))}
	if register == domain.RegisterAI {
		in.Sources, in.Parties = ptrOf([]string{"bias_fairness"}), ptrOf([]string{"individuals"})
	}
	r, err := o.CreateRisk(context.Background(), testActor, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func decide(t *testing.T, o *store.OrgStore, std, ref string, reasons ...string) {
	t.Helper()
	yes := true
	if _, err := o.Decide(context.Background(), testActor, std, ref, nil,
		domain.DecisionInput{Applicable: &yes, Justification: "Needed here", Reasons: reasons}); err != nil {
		t.Fatal(err)
	}
}

// The SoA traces every row back to the risks whose treatment plans use its
// controls, in both standards, and flags a row that gives risk treatment
// as a reason without any such risk.
func TestSoARiskTrace(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		backups := s.control(o, "Backups", "implemented", "iso27001-2022/A.8.13", "iso42001-2023/A.7.4")
		s.control(o, "Speak-up channel", "planned", "iso27001-2022/A.6.8")
		policy := s.control(o, "Policy set", "implemented", "iso27001-2022/A.5.1")
		ransomware := tracedRisk(t, o, domain.RegisterSecurity, "Ransomware on file servers", 2, 2, backups.Ref) // medium
		bias := tracedRisk(t, o, domain.RegisterAI, "Biased screening", 4, 4, backups.Ref, policy.Ref)           // critical
		decide(t, o, domain.ISO27001, "A.8.13", domain.ReasonRiskTreatment)
		decide(t, o, domain.ISO27001, "A.6.8", domain.ReasonRiskTreatment, domain.ReasonBusiness)
		decide(t, o, domain.ISO27001, "A.5.1", domain.ReasonBusiness)
		decide(t, o, domain.ISO42001, "A.7.4", domain.ReasonRiskTreatment)

		w := s.get("/orgs/acme/soa/iso27001-2022")
		wantStatus(t, w, http.StatusOK)
		body := w.Body.String()
		row := func(ref string) string {
			t.Helper()
			i := strings.Index(body, `id="r-`+ref+`"`)
			if i < 0 {
				t.Fatalf("no row %s", ref)
			}
			j := strings.Index(body[i:], "</li>\n    <li") // rows are siblings; the trace list items are nested deeper
			if j < 0 {
				j = len(body) - i
			}
			return body[i : i+j]
		}
		backupsRow := row("A.8.13")
		for _, want := range []string{`href="/orgs/acme/risks/` + ransomware.Ref + `"`, "Ransomware on file servers",
			`href="/orgs/acme/risks/` + bias.Ref + `"`, i18n.T("web.soa.trace.via") + ` <a class="ref" href="/orgs/acme/controls/` + backups.Ref + `">`,
			`fill="#f9a825"`, ">Medium<", `fill="#c62828"`, ">Critical<", "trace-reg-security", "trace-reg-ai",
			i18n.T("web.soa.trace.register.ai")} {
			if !strings.Contains(backupsRow, want) {
				t.Errorf("row A.8.13 lacks %q", want)
			}
		}
		if strings.Contains(backupsRow, "trace-flag") {
			t.Error("a traced row is flagged")
		}
		// The bias risk reaches A.5.1 through the policy, though its reason is business: shown, not flagged.
		if policyRow := row("A.5.1"); !strings.Contains(policyRow, bias.Ref) || strings.Contains(policyRow, "trace-flag") {
			t.Errorf("row A.5.1: %.1500s", policyRow)
		}
		speakRow := row("A.6.8")
		if !strings.Contains(speakRow, `class="badge trace-flag"`) || !strings.Contains(speakRow, "trace-warning") ||
			strings.Contains(speakRow, "/risks/") {
			t.Errorf("untraced row A.6.8: %.1500s", speakRow)
		}
		wantBody(t, w, `id="count-untraced">1<`, "kpi-untraced kpi-alert", i18n.T("web.soa.trace.untraced_hint"),
			i18n.T("web.soa.trace.summary", 1, 2), i18n.T("web.soa.trace.show_untraced", 1), `href="/orgs/acme/soa/iso27001-2022?untraced=1"`)
		if n := strings.Count(body, `class="badge trace-flag"`); n != 1 {
			t.Errorf("%d rows flagged untraced, want 1", n)
		}

		// The filter shows the untraced rows only, with the others it combines with.
		for _, tt := range []struct {
			query string
			rows  int
		}{{"?untraced=1", 1}, {"?untraced=1&decision=applicable", 1}, {"?untraced=1&state=implemented", 0}, {"?untraced=", 93}} {
			w := s.get("/orgs/acme/soa/iso27001-2022" + tt.query)
			wantStatus(t, w, http.StatusOK)
			if n := rowsShown(w.Body.String()); n != tt.rows {
				t.Errorf("%s: %d rows, want %d", tt.query, n, tt.rows)
			}
		}
		w = s.get("/orgs/acme/soa/iso27001-2022?untraced=1")
		wantBody(t, w, `name="untraced" value="1" checked`, `name="back" value="untraced=1"`)

		// The other standard traces the same risk through the shared control.
		w = s.get("/orgs/acme/soa/iso42001-2023")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `href="/orgs/acme/risks/`+ransomware.Ref+`"`, `href="/orgs/acme/risks/`+bias.Ref+`"`, `id="count-untraced">0<`)
		wantNoBody(t, w, `class="badge trace-flag"`)

		// Deciding from the filtered view still works and returns to it;
		// the row then leaves the gap.
		w = s.post("/orgs/acme/soa/iso27001-2022/A.6.8", url.Values{"applicable": {"yes"}, "justification": {"Whistleblowing law"},
			"reasons": {"legal"}, "version": {"1"}, "back": {"untraced=1"}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/orgs/acme/soa/iso27001-2022?notice=soa_decided&saved=A.6.8&untraced=1") {
			t.Errorf("redirected to %s", loc)
		}
		w = s.get("/orgs/acme/soa/iso27001-2022")
		wantBody(t, w, `id="count-untraced">0<`, i18n.T("web.soa.trace.summary", 1, 1))
		wantNoBody(t, w, `class="badge trace-flag"`, "kpi-untraced kpi-alert")

		// A refused decision keeps the trace of its row on the page.
		w = s.post("/orgs/acme/soa/iso27001-2022/A.8.13", url.Values{"applicable": {"yes"}, "justification": {" "}, "version": {"1"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="r-A.8.13-justification-error"`, `href="/orgs/acme/risks/`+ransomware.Ref+`"`)

		// An issued version carries the trace into its exports.
		wantStatus(t, s.post("/orgs/acme/soa/iso27001-2022/versions", url.Values{"note": {"With risks"}}), http.StatusSeeOther)
		w = s.get("/orgs/acme/soa/iso27001-2022/export?format=csv&version=1")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, ransomware.Ref+" (via "+backups.Ref+")", "Risks")
	})
}
