package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"tandem/internal/access"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// member makes a principal with a role in the organization.
func (s *site) member(o *store.OrgStore, email, name, role string) *access.Principal {
	s.t.Helper()
	p := s.user(email, name, false)
	if err := o.SetMembership(context.Background(), testActor, email, role, nil); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// riskForm is a valid form for a new risk of a register.
func riskForm(register, title, owner string) url.Values {
	f := url.Values{"register": {register}, "title": {title}, "owner": {owner}, "description": {"What could happen."},
		"inherent_likelihood": {"4"}, "inherent_impact": {"4"}, "residual_likelihood": {"2"}, "residual_impact": {"2"},
		"treatment": {"modify"}, "status": {"open"}, "next_review": {nextYear()}}
	return f
}

func nextYear() string { return time.Now().AddDate(1, 0, 0).Format(time.DateOnly) }

// seedRisk raises a risk in the store directly.
func seedRisk(t *testing.T, o *store.OrgStore, title, owner string, rl, ri int) domain.Risk {
	t.Helper()
	reg, treat, four, review := "security", "modify", 4, nextYear()
	r, err := o.CreateRisk(context.Background(), testActor, domain.RiskInput{Title: &title, Register: &reg, Owner: &owner,
		Treatment: &treat, InherentL: &four, InherentI: &four, ResidualL: &rl, ResidualI: &ri, NextReview: &review})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func countRisks(t *testing.T, o *store.OrgStore) int {
	t.Helper()
	n, err := o.CountRisks(context.Background(), domain.RiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func wantRedirect(t *testing.T, w interface {
	Header() http.Header
}, want string) {
	t.Helper()
	if loc := w.Header().Get("Location"); loc != want {
		t.Fatalf("redirects to %q, want %q", loc, want)
	}
}

func TestRiskForms(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		ctl := s.control(o, "Backups tested quarterly", "implemented")
		name, typ, class, two := "Patient database", "information", "confidential", 2
		ast, err := o.CreateAsset(ctx, testActor, domain.AssetInput{Name: &name, Type: &typ, Classification: &class,
			Confidentiality: &two, Integrity: &two, Availability: &two})
		if err != nil {
			t.Fatal(err)
		}

		w := s.get("/orgs/acme/risks/new?register=security")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.risk_form.new_security"), `name="register" value="security"`, "4 · Likely", "5 · Severe",
			"Expected within a year.", `name="threat"`, `value="`+ctl.Ref+`"`, `value="`+ast.Ref+`"`, i18n.T("web.risk_value.treatment.share"))
		wantNoBody(t, w, `name="ai_systems"`)
		wantStatus(t, s.get("/orgs/acme/risks/new?register=car"), http.StatusNotFound)
		w = s.get("/orgs/acme/risks/new?register=ai")
		wantBody(t, w, `name="ai_systems"`, i18n.T("web.risk_value.source.bias_fairness"))
		wantNoBody(t, w, `name="threat"`, `name="assets"`)

		// Missing title, an AI field on a security risk and an unknown
		// control: 422, each beside its field, values kept, nothing written.
		bad := riskForm("security", " ", "Dana Owner")
		bad.Set("ai_systems", "Triage model")
		bad["controls"] = []string{ctl.Ref, "CTL-404"}
		w = s.post("/orgs/acme/risks", bad)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="title-error"`, `id="controls-error"`, `id="ai_systems-error"`, i18n.T("error.required"),
			i18n.T("error.unknown_control", "CTL-404"), `value="Dana Owner"`, `value="CTL-404" checked`)
		if n := countRisks(t, o); n != 0 {
			t.Fatalf("a refused form wrote %d risks", n)
		}

		// A security risk through the form.
		good := riskForm("security", "Ransomware encrypts the patient database", "Dana Owner")
		good["controls"] = []string{ctl.Ref}
		good["assets"] = []string{ast.Ref}
		good["cia"] = []string{"confidentiality", "availability"}
		good.Set("threat", "Ransomware gang")
		good.Set("vulnerability", "Unpatched VPN appliance")
		w = s.post("/orgs/acme/risks", good)
		wantStatus(t, w, http.StatusSeeOther)
		wantRedirect(t, w, "/orgs/acme/risks/RSK-001?notice=saved")
		w = s.get("/orgs/acme/risks/RSK-001?notice=saved")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Ransomware encrypts the patient database", i18n.T("web.risk_value.register.security"),
			`href="/orgs/acme/controls/`+ctl.Ref+`"`, `href="/orgs/acme/assets/`+ast.Ref+`"`, "Patient database",
			"4 · Likely", "2 · Unlikely", `data-level="critical"`, `data-level="medium"`, i18n.T("web.risk_value.cia.availability"),
			"Unpatched VPN appliance", i18n.T("web.risk_value.treatment.modify"), i18n.T("web.risk_page.within_text"),
			`class="grid-mark grid-mark-inherent"`, `class="grid-mark grid-mark-residual"`, i18n.T("web.action.risk.create"),
			i18n.T("web.risk_page.scored_under", 0))

		// An AI risk through the form.
		ai := riskForm("ai", "Triage model under-prioritises older patients", "Ali Owner")
		ai.Set("ai_systems", "Emergency triage assistant")
		ai["sources"] = []string{"bias_fairness", "transparency_explainability"}
		ai["parties"] = []string{"individuals", "groups"}
		w = s.post("/orgs/acme/risks", ai)
		wantStatus(t, w, http.StatusSeeOther)
		wantRedirect(t, w, "/orgs/acme/risks/RSK-002?notice=saved")
		w = s.get("/orgs/acme/risks/RSK-002")
		wantBody(t, w, "Emergency triage assistant", i18n.T("web.risk_value.source.bias_fairness"),
			i18n.T("web.risk_value.party.groups"), i18n.T("web.risk_page.ai"))
		wantNoBody(t, w, i18n.T("web.risk_page.threat"))

		// Edit, then the same page sent again is stale: 409 with the
		// person's values kept and the differences listed.
		w = s.get("/orgs/acme/risks/RSK-001/edit")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `name="version" value="1"`, `value="`+ctl.Ref+`" checked`, `value="confidentiality" checked`)
		edit := url.Values{}
		for k, v := range good {
			edit[k] = v
		}
		edit.Del("register")
		edit.Set("version", "1")
		edit.Set("title", "Ransomware encrypts patient records")
		wantStatus(t, s.post("/orgs/acme/risks/RSK-001", edit), http.StatusSeeOther)
		edit.Set("title", "My stale title")
		w = s.post("/orgs/acme/risks/RSK-001", edit)
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, i18n.T("web.risk_form.conflict"), `value="My stale title"`, `name="version" value="2"`, "Ransomware encrypts patient records")
		if r, _ := o.Risk(ctx, "RSK-001"); r.Title != "Ransomware encrypts patient records" || r.Version != 2 {
			t.Fatalf("after the conflict: %q v%d", r.Title, r.Version)
		}

		// Closing a risk above appetite without an acceptance is refused
		// beside the status.
		edit.Set("version", "2")
		edit.Set("residual_likelihood", "4")
		edit.Set("residual_impact", "3")
		edit.Set("status", "closed")
		w = s.post("/orgs/acme/risks/RSK-001", edit)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="status-error"`, i18n.T("error.risk_acceptance_required", riskLabelOf("status", "closed"), "High"))

		if r, _ := o.Risk(ctx, "RSK-001"); r.Status != "open" || r.Version != 2 {
			t.Fatalf("the refused close wrote: %s v%d", r.Status, r.Version)
		}

		// Delete needs the version read.
		wantStatus(t, s.post("/orgs/acme/risks/RSK-002/delete", url.Values{"version": {"9"}}), http.StatusConflict)
		w = s.post("/orgs/acme/risks/RSK-002/delete", url.Values{"version": {"1"}})
		wantStatus(t, w, http.StatusSeeOther)
		wantRedirect(t, w, "/orgs/acme/risks?register=ai&notice=deleted")
		wantStatus(t, s.get("/orgs/acme/risks/RSK-002"), http.StatusNotFound)
	})
}

func TestRiskAcceptancePages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		manager := s.member(o, "maria@example.com", "Maria Manager", "manager")
		admin := s.member(o, "ada@example.com", "Ada Admin", "admin")
		contributor := s.member(o, "connie@example.com", "Connie Contributor", "contributor")
		// Residual 4 × 3 is high: above the appetite (medium), accepted by an admin.
		r := seedRisk(t, o, "Supplier outage stops dispatch", "Connie Contributor", 4, 3)
		page := "/orgs/acme/risks/" + r.Ref
		form := url.Values{"version": {"1"}, "rationale": {"A second supplier costs more than the exposure."}, "next_review": {nextYear()}}

		s.as = manager
		w := s.get(page)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="needs-acceptance"`, i18n.T("web.risk_page.acceptor", "High", i18n.T("web.risk_page.acceptor_admin")),
			i18n.T("web.risk_page.not_your_level"))
		wantNoBody(t, w, `id="accept-button"`)
		w = s.post(page+"/accept", form)
		wantStatus(t, w, http.StatusForbidden)
		wantBody(t, w, i18n.T("error.risk_acceptance_forbidden"))
		s.as = contributor
		wantStatus(t, s.post(page+"/accept", form), http.StatusForbidden)
		if got, _ := o.Risk(ctx, r.Ref); got.Acceptance != nil || got.Version != 1 {
			t.Fatalf("a refused acceptance wrote: %+v", got.Acceptance)
		}

		s.as = admin
		w = s.get(page)
		wantBody(t, w, `id="accept-button"`, `name="next_review" value="`+r.NextReview+`"`, "Accept as Ada Admin (Admin)")
		w = s.post(page+"/accept", url.Values{"version": {"1"}, "rationale": {" "}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="rationale-error"`, i18n.T("error.required"))
		w = s.post(page+"/accept", form)
		wantStatus(t, w, http.StatusSeeOther)
		wantRedirect(t, w, page+"?notice=saved#acceptance")
		w = s.get(page)
		wantBody(t, w, `id="accepted"`, "Ada Admin", "(Admin)", form.Get("rationale"), riskLabelOf("status", "accepted"),
			i18n.T("web.action.risk.accept"))
		wantNoBody(t, w, `id="needs-acceptance"`, `id="accept-button"`)
		// The same form again is stale.
		wantStatus(t, s.post(page+"/accept", form), http.StatusConflict)

		// Raising the residual level lapses the acceptance.
		five := 5
		if _, err := o.UpdateRisk(ctx, testActor, r.Ref, ptrTo(int64(2)), domain.RiskInput{ResidualL: &five, ResidualI: &five, Status: ptrTo("treating")}); err != nil {
			t.Fatal(err)
		}
		w = s.get(page)
		wantBody(t, w, `id="lapsed"`, i18n.T("web.risk_page.lapsed_raised", "Critical", "High"), `id="needs-acceptance"`, `id="accept-button"`)
	})
}

func riskLabelOf(kind, v string) string { return i18n.T("web.risk_value." + kind + "." + v) }

func TestRiskActionPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		manager := s.member(o, "maria@example.com", "Maria Manager", "manager")
		contributor := s.member(o, "connie@example.com", "Connie Contributor", "contributor")
		mine := seedRisk(t, o, "Laptop theft", "Connie Contributor", 2, 2)
		theirs := seedRisk(t, o, "Data centre flood", "Someone Else", 2, 2)

		s.as = manager
		page := "/orgs/acme/risks/" + theirs.Ref
		w := s.post(page+"/actions", url.Values{"title": {""}, "owner": {"Sam"}, "due": {"2030-02-30"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="new-action-title-error"`, `id="new-action-due-error"`, `value="Sam"`, `id="add-action" open`)
		if page, _ := o.ListActions(ctx, store.ActionFilter{}); len(page.Items) != 0 {
			t.Fatalf("a refused action was added: %+v", page.Items)
		}
		w = s.post(page+"/actions", url.Values{"title": {"Move servers above flood level"}, "owner": {"Connie Contributor"},
			"due": {"2020-01-31"}, "notes": {"Quote from the facility"}})
		wantStatus(t, w, http.StatusSeeOther)
		wantRedirect(t, w, page+"?notice=saved#actions")
		w = s.get(page)
		wantBody(t, w, "ACT-001", "Move servers above flood level", "Quote from the facility", i18n.T("web.risk_page.overdue"),
			i18n.T("web.risk_page.mark_done_label", "ACT-001"))

		// The contributor owns the action (not the risk): they mark it done
		// and reopen it; an action of someone else's risk is not theirs.
		s.as = contributor
		w = s.post("/orgs/acme/actions/ACT-001", url.Values{"version": {"1"}, "status": {"done"}})
		wantStatus(t, w, http.StatusSeeOther)
		w = s.get(page)
		wantBody(t, w, i18n.T("web.risk_page.reopen_label", "ACT-001"), riskLabelOf("action", "done"))
		wantNoBody(t, w, i18n.T("web.risk_page.overdue"), `id="add-action"`)
		if a, _ := o.Action(ctx, "ACT-001"); a.Status != "done" || a.Title != "Move servers above flood level" {
			t.Fatalf("marked done: %+v", a)
		}
		wantStatus(t, s.post("/orgs/acme/actions/ACT-001", url.Values{"version": {"1"}, "status": {"open"}}), http.StatusConflict)
		wantStatus(t, s.post("/orgs/acme/actions/ACT-001", url.Values{"version": {"2"}, "status": {"open"}}), http.StatusSeeOther)
		// A bad edit is refused inline, in the action's own form, opened.
		w = s.post("/orgs/acme/actions/ACT-001", url.Values{"version": {"3"}, "title": {" "}, "owner": {"Connie Contributor"}, "due": {"2031-01-01"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `<details class="risk-action-edit" open>`, i18n.T("error.required"), `value="2031-01-01"`)

		s.as = manager
		other, err := o.AddRiskAction(ctx, testActor, theirs.Ref, domain.ActionInput{Title: ptrTo("Flood sensors"), Owner: ptrTo("Someone Else"), Due: ptrTo("2030-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		s.as = contributor
		wantStatus(t, s.post("/orgs/acme/actions/"+other.Ref, url.Values{"version": {"1"}, "status": {"done"}}), http.StatusForbidden)
		wantStatus(t, s.post(page+"/actions", url.Values{"title": {"x"}, "owner": {"x"}, "due": {"2030-01-01"}}), http.StatusForbidden)
		wantStatus(t, s.post("/orgs/acme/actions/"+other.Ref+"/delete", url.Values{"version": {"1"}}), http.StatusForbidden)
		// On their own risk they add actions, and change those of others.
		w = s.post("/orgs/acme/risks/"+mine.Ref+"/actions", url.Values{"title": {"Encrypt every laptop"}, "owner": {"IT desk"}, "due": {"2030-01-01"}})
		wantStatus(t, w, http.StatusSeeOther)
		added, _ := o.ListActions(ctx, store.ActionFilter{Risk: mine.Ref})
		if len(added.Items) != 1 || added.Items[0].Owner != "IT desk" {
			t.Fatalf("actions of %s: %+v", mine.Ref, added.Items)
		}
		wantStatus(t, s.post("/orgs/acme/actions/"+added.Items[0].Ref, url.Values{"version": {"1"}, "status": {"done"}}), http.StatusSeeOther)

		s.as = manager
		wantStatus(t, s.post("/orgs/acme/actions/"+other.Ref+"/delete", url.Values{"version": {"1"}}), http.StatusSeeOther)
		if _, err := o.Action(ctx, other.Ref); err == nil {
			t.Fatal("the deleted action is still there")
		}
	})
}

func TestRiskOwnership(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		s.as = s.member(o, "connie@example.com", "Connie Contributor", "contributor")
		mine := seedRisk(t, o, "Laptop theft", "Connie Contributor", 2, 2)
		theirs := seedRisk(t, o, "Data centre flood", "Someone Else", 2, 2)
		form := func(owner string) url.Values {
			f := riskForm("security", "Changed by the owner", owner)
			f.Del("register")
			f.Set("version", "1")
			return f
		}

		w := s.get("/orgs/acme/risks/" + mine.Ref)
		wantBody(t, w, `id="risk-edit"`, `id="add-action"`)
		wantNoBody(t, w, `id="risk-delete"`)
		wantNoBody(t, s.get("/orgs/acme/risks/"+theirs.Ref), `id="risk-edit"`, `id="add-action"`)
		w = s.get("/orgs/acme/risks/" + mine.Ref + "/edit")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `readonly`, i18n.T("web.risk_form.owner_fixed"))
		wantStatus(t, s.get("/orgs/acme/risks/"+theirs.Ref+"/edit"), http.StatusForbidden)
		wantStatus(t, s.post("/orgs/acme/risks/"+theirs.Ref, form("Connie Contributor")), http.StatusForbidden)
		// Not handed over to someone else either.
		wantStatus(t, s.post("/orgs/acme/risks/"+mine.Ref, form("Someone Else")), http.StatusForbidden)
		wantStatus(t, s.post("/orgs/acme/risks/"+mine.Ref, form("Connie Contributor")), http.StatusSeeOther)
		if r, _ := o.Risk(ctx, mine.Ref); r.Title != "Changed by the owner" || r.Owner != "Connie Contributor" {
			t.Fatalf("own risk: %+v", r)
		}
		if r, _ := o.Risk(ctx, theirs.Ref); r.Version != 1 {
			t.Fatalf("their risk was changed: %+v", r)
		}
		wantStatus(t, s.get("/orgs/acme/risks/new"), http.StatusForbidden)
		wantStatus(t, s.post("/orgs/acme/risks/"+mine.Ref+"/delete", url.Values{"version": {"2"}}), http.StatusForbidden)
		// The write is pinned to the version the ownership was checked at:
		// a version other than the risk's own is a conflict, never a write.
		ahead := form("Connie Contributor")
		ahead.Set("version", "3")
		wantStatus(t, s.post("/orgs/acme/risks/"+mine.Ref, ahead), http.StatusConflict)

		// An action of someone else's risk that the contributor owns: they
		// may mark it done, but not give it away.
		title, owner, due := "Lock the server room", "Connie Contributor", "2030-01-01"
		act, err := o.AddRiskAction(ctx, testActor, theirs.Ref, domain.ActionInput{Title: &title, Owner: &owner, Due: &due})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.post("/orgs/acme/actions/"+act.Ref, url.Values{"version": {"1"}, "title": {title}, "owner": {"Someone Else"},
			"due": {due}, "status": {"open"}}), http.StatusForbidden)
		wantStatus(t, s.post("/orgs/acme/actions/"+act.Ref, url.Values{"version": {"1"}, "status": {"done"}}), http.StatusSeeOther)
		if a, _ := o.Action(ctx, act.Ref); a.Status != "done" || a.Owner != owner {
			t.Fatalf("own action: %+v", a)
		}
	})
}

// methodForm is the method form as the page sends it for m.
func methodForm(m domain.RiskMethod, version int64) url.Values {
	f := url.Values{"version": {strconv.FormatInt(version, 10)}, "appetite": {m.Appetite},
		"likelihood_steps": {strconv.Itoa(len(m.Likelihood))}, "impact_steps": {strconv.Itoa(len(m.Impact))},
		"level_count": {strconv.Itoa(len(m.Levels))}}
	for _, scale := range []struct {
		name  string
		steps []domain.ScaleStep
	}{{"likelihood", m.Likelihood}, {"impact", m.Impact}} {
		for i, s := range scale.steps {
			f.Set(fmt.Sprintf("%s[%d].label", scale.name, i), s.Label)
			f.Set(fmt.Sprintf("%s[%d].criterion", scale.name, i), s.Criterion)
		}
	}
	for i, l := range m.Levels {
		f.Set(fmt.Sprintf("levels[%d].id", i), l.ID)
		f.Set(fmt.Sprintf("levels[%d].label", i), l.Label)
		f.Set(fmt.Sprintf("levels[%d].colour", i), l.Colour)
		f.Set(fmt.Sprintf("levels[%d].acceptor", i), l.Acceptor)
	}
	for l, row := range m.Matrix {
		for i, c := range row {
			f.Set(fmt.Sprintf("matrix[%d][%d]", l, i), c)
		}
	}
	return f
}

func TestRiskMethodPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		r := seedRisk(t, o, "Laptop theft", "Dana Owner", 2, 2)

		w := s.get("/orgs/acme/risk-method")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.risk_method.in_force", 0), "Almost certain", "Expected within a quarter", `fill="#c62828"`,
			i18n.T("web.risk_method.appetite_text", "Medium"), i18n.T("web.risk_method.acceptor_role.admin"), i18n.T("web.risk_method.default_row"))
		wantStatus(t, s.get("/orgs/acme/risk-method/edit"), http.StatusOK)

		// Applying sizes redraws the form with the values kept, saving nothing.
		f := methodForm(domain.DefaultRiskMethod(), 0)
		f.Set("likelihood[0].label", "Very rare")
		f.Set("likelihood_steps", "4")
		f.Set("level_count", "5")
		f.Set("resize", "1")
		w = s.post("/orgs/acme/risk-method", f)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="resized"`, `value="Very rare"`, `name="levels[4].id" value="level_5"`)
		wantNoBody(t, w, `name="likelihood[4].label"`)
		if m, _ := o.RiskMethod(ctx); m.Version != 0 {
			t.Fatalf("applying sizes saved version %d", m.Version)
		}

		// Renaming a level keeps its cells and the appetite.
		f = methodForm(domain.DefaultRiskMethod(), 0)
		for k, l := range domain.DefaultRiskMethod().Levels {
			f.Set(fmt.Sprintf("levels[%d].was", k), l.ID)
		}
		f.Set("levels[1].id", "moderate")
		f.Set("resize", "1")
		w = s.post("/orgs/acme/risk-method", f)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `<option value="moderate" selected>`)
		wantNoBody(t, w, i18n.T("web.risk_method.unknown_choice", "medium"))

		// Errors sit on the exact field; nothing is saved.
		f = methodForm(domain.DefaultRiskMethod(), 0)
		f.Set("likelihood[0].label", " ")
		f.Set("matrix[2][3]", "extreme")
		f.Set("levels[1].colour", "yellow")
		w = s.post("/orgs/acme/risk-method", f)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="likelihood[0].label-error"`, `id="matrix[2][3]-error"`, `id="levels[1].colour-error"`,
			i18n.T("error.risk_unknown_level", "extreme"), i18n.T("web.risk_method.unknown_choice", "extreme"))
		wantNoBody(t, w, `id="likelihood[1].label-error"`, `id="matrix[2]-error"`)
		if m, _ := o.RiskMethod(ctx); m.Version != 0 {
			t.Fatalf("a refused method saved version %d", m.Version)
		}

		// Saving makes version 1; the risk scored under 0 needs a re-score.
		f = methodForm(domain.DefaultRiskMethod(), 0)
		f.Set("appetite", "high")
		w = s.post("/orgs/acme/risk-method", f)
		wantStatus(t, w, http.StatusSeeOther)
		wantRedirect(t, w, "/orgs/acme/risk-method?notice=saved")
		w = s.get("/orgs/acme/risk-method")
		wantBody(t, w, i18n.T("web.risk_method.in_force", 1), i18n.T("web.risk_method.appetite_text", "High"),
			i18n.T("web.risk_method.rescore_count.one", 1), `href="/orgs/acme/risks?register=security&rescore=1"`,
			`href="/orgs/acme/risk-method?version=0"`)
		w = s.get("/orgs/acme/risks/" + r.Ref)
		wantBody(t, w, `id="rescore"`, i18n.T("web.risk_page.rescore_text", 1), i18n.T("web.risk_page.rescore_badge"))
		// The edit form offers to confirm the unchanged scores under version 1.
		wantBody(t, s.get("/orgs/acme/risks/"+r.Ref+"/edit"), `name="rescore"`, i18n.T("web.risk_form.rescore_confirm", 1))
		edit := riskForm("security", r.Title, r.Owner)
		edit.Set("residual_likelihood", "2")
		edit.Set("residual_impact", "2")
		edit.Set("version", "1")
		edit.Set("rescore", "1")
		wantStatus(t, s.post("/orgs/acme/risks/"+r.Ref, edit), http.StatusSeeOther)
		if got, _ := o.Risk(ctx, r.Ref); got.Inherent.Rescore || got.Residual.Rescore || got.Residual.MethodVersion != 1 {
			t.Fatalf("confirmed scores: %+v %+v", got.Inherent, got.Residual)
		}
		w = s.get("/orgs/acme/risk-method?version=0")
		wantBody(t, w, `id="earlier"`, i18n.T("web.risk_method.earlier", 0))
		wantStatus(t, s.get("/orgs/acme/risk-method?version=7"), http.StatusNotFound)

		// The same form again is stale: 409, the person's method kept.
		f.Set("appetite", "low")
		w = s.post("/orgs/acme/risk-method", f)
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, `name="version" value="1"`, `<option value="low" selected>`)
		if m, _ := o.RiskMethod(ctx); m.Version != 1 || m.Appetite != "high" {
			t.Fatalf("after the conflict: v%d %s", m.Version, m.Appetite)
		}

		// Contributors may change their risks, not the method.
		s.as = s.member(o, "connie@example.com", "Connie Contributor", "contributor")
		wantStatus(t, s.get("/orgs/acme/risk-method"), http.StatusOK)
		wantNoBody(t, s.get("/orgs/acme/risk-method"), `id="method-edit"`)
		wantStatus(t, s.get("/orgs/acme/risk-method/edit"), http.StatusForbidden)
		wantStatus(t, s.post("/orgs/acme/risk-method", methodForm(domain.DefaultRiskMethod(), 1)), http.StatusForbidden)
	})
}
