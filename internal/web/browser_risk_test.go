package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"tandem/internal/access"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// TestBrowserRisk raises a risk as a manager through the form (first
// forgetting its title, which is refused beside the field), finds that its
// residual level needs an administrator's acceptance, and accepts it as
// the administrator; then reads the risk method.
func TestBrowserRisk(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	ctx := context.Background()
	manager := s.member(o, "maria@example.com", "Maria Manager", "manager")
	admin := s.member(o, "ada@example.com", "Ada Admin", "admin")
	for _, c := range []struct{ title, status string }{
		{"Offline backups, restore tested quarterly", "implemented"},
		{"Endpoint detection and response", "in_progress"},
		{"Patch management for internet-facing systems", "planned"},
	} {
		s.control(o, c.title, c.status)
	}
	for _, a := range []struct{ name, typ, class string }{
		{"Patient records database", "information", "restricted"},
		{"Remote access VPN", "service", "internal"},
	} {
		three := 3
		if _, err := o.CreateAsset(ctx, testActor, domain.AssetInput{Name: &a.name, Type: &a.typ, Classification: &a.class,
			Confidentiality: &three, Integrity: &three, Availability: &three}); err != nil {
			t.Fatal(err)
		}
	}
	// Who the browser is signed in as; the test switches it between pages.
	var mu sync.Mutex
	as := manager
	signIn := func(p *access.Principal) { mu.Lock(); as = p; mu.Unlock() }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		p := as
		mu.Unlock()
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.ui.ServeHTTP(w, r.WithContext(access.WithPrincipal(r.Context(), p)))
	}))
	defer srv.Close()

	b.do("new risk", chromedp.Navigate(srv.URL+"/orgs/acme/risks/new?register=security"), chromedp.WaitVisible(chromedp.ID("title")),
		chromedp.SendKeys(chromedp.ID("owner"), "Daniel Okafor (IT Operations Lead)"),
		chromedp.SetValue(chromedp.ID("inherent_likelihood"), "4"), chromedp.SetValue(chromedp.ID("inherent_impact"), "5"),
		chromedp.SetValue(chromedp.ID("residual_likelihood"), "3"), chromedp.SetValue(chromedp.ID("residual_impact"), "4"),
		chromedp.Click(chromedp.CSS(`input[name="controls"][value="CTL-001"]`)),
		chromedp.Click(chromedp.CSS(`input[name="controls"][value="CTL-002"]`)),
		chromedp.Click(chromedp.CSS(`input[name="assets"][value="AST-001"]`)),
		chromedp.Click(chromedp.CSS(`input[name="cia"][value="confidentiality"]`)),
		chromedp.Click(chromedp.CSS(`input[name="cia"][value="availability"]`)),
		chromedp.SendKeys(chromedp.ID("threat"), "Ransomware delivered through phishing or an exposed VPN"),
		chromedp.SendKeys(chromedp.ID("vulnerability"), "VPN appliance patched late; flat network between clinics"))
	// Forgetting the title is refused beside the field, the rest kept.
	if code := b.submit("#risk-save"); code != http.StatusUnprocessableEntity {
		t.Errorf("a risk without a title answered %d, want 422", code)
	}
	b.do("inline error", chromedp.WaitVisible(chromedp.ID("title-error")))
	b.wantText("#title-error", i18n.T("error.required"))
	if v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("owner"))); err != nil || v != "Daniel Okafor (IT Operations Lead)" {
		t.Errorf("the owner was not kept: %q (%v)", v, err)
	}
	b.shot("40-risk-form-errors")

	b.do("title", chromedp.SendKeys(chromedp.ID("title"), "Ransomware encrypts the patient records database"),
		chromedp.SetValue(chromedp.ID("next_review"), "2031-03-31"),
		chromedp.SendKeys(chromedp.ID("description"), "Clinics lose access to patient records for days; restores from backup lose up to a day of entries."))
	if code := b.submit("#risk-save"); code != http.StatusOK {
		t.Errorf("creating the risk answered %d", code)
	}
	b.do("risk page", chromedp.WaitVisible(chromedp.ID("needs-acceptance")))
	b.wantText(".notice", i18n.T("web.notice.saved"))
	b.wantText("h1", "Ransomware encrypts the patient records database")
	b.wantText("#inherent", "Critical", "4 · Likely", "5 · Severe")
	b.wantText("#residual", "High", "3 · Possible", "4 · Major")
	b.wantText("#acceptor", i18n.T("web.risk_page.acceptor", "High", i18n.T("web.risk_page.acceptor_admin")))
	b.wantText("#risk-controls", "CTL-001", "Offline backups", "CTL-002")
	if n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#accept-button").length`)); err != nil || n != 0 {
		t.Errorf("a manager is offered the acceptance of a high risk (%d, %v)", n, err)
	}
	b.shot("41a-risk-needs-acceptance")
	b.do("add action", chromedp.Click(chromedp.CSS("#add-action > summary")), chromedp.WaitVisible(chromedp.ID("new-action-title")),
		chromedp.SendKeys(chromedp.ID("new-action-title"), "Segment the clinic network"),
		chromedp.SetValue(chromedp.ID("new-action-owner"), "Daniel Okafor (IT Operations Lead)"),
		chromedp.SetValue(chromedp.ID("new-action-due"), "2031-01-31"))
	if code := b.submit("#add-action-button"); code != http.StatusOK {
		t.Errorf("adding the action answered %d", code)
	}
	b.do("action", chromedp.WaitVisible(chromedp.ID("ACT-001")))

	// The administrator accepts it.
	signIn(admin)
	b.do("as admin", chromedp.Navigate(srv.URL+"/orgs/acme/risks/RSK-001"), chromedp.WaitVisible(chromedp.ID("accept-button")),
		chromedp.SendKeys(chromedp.ID("rationale"), "Segmentation lands in January; until then the restore drill and EDR bring the exposure within budget."))
	if code := b.submit("#accept-button"); code != http.StatusOK {
		t.Errorf("accepting answered %d", code)
	}
	b.do("accepted", chromedp.WaitVisible(chromedp.ID("accepted")))
	b.wantText("#accepted-by", "Ada Admin", i18n.T("web.role.admin"))
	b.wantText(".eyebrow + h1 + .meta", i18n.T("web.risk_value.status.accepted"))
	b.shot("41-risk-page")

	// A manager changes the method: the risk then waits to be re-scored.
	signIn(manager)
	b.do("method", chromedp.Navigate(srv.URL+"/orgs/acme/risk-method"), chromedp.WaitVisible(chromedp.CSS("svg.method-grid")))
	b.wantText("#method-version", i18n.T("web.risk_method.in_force", 0))
	b.do("method form", chromedp.Click(chromedp.ID("method-edit")), chromedp.WaitVisible(chromedp.ID("method-save")),
		chromedp.SetValue(chromedp.ID("appetite"), "high"),
		chromedp.SetValue(chromedp.CSS(`[id="levels[1].acceptor"]`), "admin"))
	if code := b.submit("#method-save"); code != http.StatusOK {
		t.Errorf("saving the method answered %d", code)
	}
	b.do("method saved", chromedp.WaitVisible(chromedp.ID("rescore-security")))
	b.wantText("#method-version", i18n.T("web.risk_method.in_force", 1))
	b.wantText("#rescore-security", i18n.T("web.risk_method.rescore_count.one", 1))
	b.shot("42-risk-method")
	b.do("method form again", chromedp.Navigate(srv.URL+"/orgs/acme/risk-method/edit"), chromedp.WaitVisible(chromedp.ID("method-save")),
		chromedp.SetValue(chromedp.ID("likelihood_steps"), "4"))
	if code := b.submit("#apply-sizes"); code != http.StatusOK {
		t.Errorf("applying sizes answered %d", code)
	}
	b.do("resized", chromedp.WaitVisible(chromedp.ID("resized")))
	b.shot("43-risk-method-form")
}
