package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// viewShot saves what the window shows (the SoA page is too long for a
// useful full-page picture).
func viewShot(b *browser, name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// row is the CSS selector of an SoA row (its id holds dots).
func row(ref string) string { return `[id="r-` + ref + `"]` }

// TestBrowserSoA works through a Statement of Applicability as a manager
// does: exclude an Annex A control (first forgetting the justification,
// which is refused beside the row), issue a version, change the decision
// and read the change against the issued version.
func TestBrowserSoA(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	ctx := context.Background()
	s.as = s.user("maria@example.com", "Maria Manager", false)
	if err := o.SetMembership(ctx, testActor, "maria@example.com", "manager", nil); err != nil {
		t.Fatal(err)
	}
	seed := []struct {
		title, owner, status string
		reqs                 []string
	}{
		{"Information security and AI policy set", "CISO", "implemented", []string{"iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}},
		{"Supplier security and AI provider reviews", "Procurement lead", "not_implemented", []string{"iso27001-2022/A.5.19", "iso42001-2023/A.10.3"}},
		{"Information security in supplier agreements", "Legal", "in_progress", []string{"iso27001-2022/A.5.20"}},
		{"Roles and responsibilities", "COO", "planned", []string{"iso27001-2022/A.5.2", "iso42001-2023/A.3.2"}},
	}
	for _, c := range seed {
		if _, err := o.CreateControl(ctx, testActor, domain.ControlInput{Title: &c.title, Owner: &c.owner, Status: &c.status, Requirements: &c.reqs}); err != nil {
			t.Fatal(err)
		}
	}
	yes := true
	for _, d := range []struct {
		ref, why string
		reasons  []string
	}{
		{"A.5.1", "The policy set is the base of the ISMS and is required by our customers' contracts.", []string{domain.ReasonContractual, domain.ReasonBusiness}},
		{"A.5.19", "Suppliers process customer data and host our AI models.", []string{domain.ReasonRiskTreatment, domain.ReasonContractual}},
		{"A.5.2", "Accountability for security is assigned per role.", []string{domain.ReasonBusiness}},
	} {
		if _, err := o.Decide(ctx, testActor, domain.ISO27001, d.ref, nil, domain.DecisionInput{Applicable: &yes, Justification: d.why, Reasons: d.reasons}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	b.do("soa", chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso27001-2022"), chromedp.WaitVisible(chromedp.CSS(row("A.7.1"))))
	b.wantText("#count-applicable", "3")
	b.wantText("#count-flagged", "1")
	b.wantText(row("A.5.19"), i18n.T("web.soa.flagged"), "Supplier security and AI provider reviews", i18n.T("web.soa.reason.risk_treatment"))
	viewShot(b, "30-soa")
	b.shot("30b-soa-full")

	// Exclude A.7.1 without a justification: refused beside the row.
	b.do("open A.7.1", chromedp.Click(chromedp.CSS(row("A.7.1")+" .soa-edit > summary")),
		chromedp.WaitVisible(chromedp.CSS(row("A.7.1")+` input[value="no"]`)),
		chromedp.Click(chromedp.CSS(row("A.7.1")+` input[value="no"]`)))
	if code := b.submit(row("A.7.1") + " .soa-form button[type=submit]"); code != http.StatusUnprocessableEntity {
		t.Errorf("exclusion without justification answered %d, want 422", code)
	}
	b.do("inline error", chromedp.WaitVisible(chromedp.CSS(`[id="r-A.7.1-justification-error"]`)))
	b.wantText(`[id="r-A.7.1-justification-error"]`, i18n.T("error.justification_required"))
	b.wantText(".alert", i18n.T("web.soa.error_row", "A.7.1"))
	if checked, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector('[id="r-A.7.1"] input[value="no"]').checked`)); err != nil || !checked {
		t.Errorf("the choice was not kept after the refusal (%v)", err)
	}
	// The form's address carries the row's anchor, so the page opens at the row.
	if top, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.querySelector('[id="r-A.7.1"]').getBoundingClientRect().top`)); err != nil || top < -50 || top > 300 {
		t.Errorf("the refused row is not in view: top %v (%v)", top, err)
	}
	viewShot(b, "31-soa-inline-error")

	b.do("justify", chromedp.SendKeys(chromedp.CSS(`[id="r-A.7.1-justification"]`), "We rent no premises: the co-working provider secures the building (see supplier file)."))
	if code := b.submit(row("A.7.1") + " .soa-form button[type=submit]"); code != http.StatusOK {
		t.Errorf("exclusion answered %d", code)
	}
	b.do("saved", chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.wantText(".notice", i18n.T("web.notice.soa_decided"))
	b.wantText(row("A.7.1"), i18n.T("web.soa.decision.excluded"), "We rent no premises")
	b.wantText("#count-excluded", "1")
	viewShot(b, "32-soa-excluded")

	// Issue version 1.
	b.do("top", chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso27001-2022"), chromedp.WaitVisible(chromedp.ID("issue-note")),
		chromedp.SendKeys(chromedp.ID("issue-note"), "Statement for the stage 1 audit"))
	if code := b.submit("#issue-button"); code != http.StatusOK {
		t.Errorf("issue answered %d", code)
	}
	b.do("versions", chromedp.WaitVisible(chromedp.ID("versions")))
	b.wantText("#versions", i18n.T("web.soa.version_n", 1), "maria@example.com", "Statement for the stage 1 audit")
	b.shot("33-soa-versions")

	// Change the decision: A.7.1 applies after all.
	b.do("back", chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso27001-2022?decision=excluded"), chromedp.WaitVisible(chromedp.CSS(row("A.7.1"))),
		chromedp.Click(chromedp.CSS(row("A.7.1")+" .soa-edit > summary")),
		chromedp.Click(chromedp.CSS(row("A.7.1")+` input[value="yes"]`)),
		chromedp.Click(chromedp.CSS(row("A.7.1")+` input[value="business"]`)),
		chromedp.SetValue(chromedp.CSS(`[id="r-A.7.1-justification"]`), "We opened our own office in Utrecht."))
	viewShot(b, "34-soa-change")
	if code := b.submit(row("A.7.1") + " .soa-form button[type=submit]"); code != http.StatusOK {
		t.Errorf("change answered %d", code)
	}
	b.do("changed", chromedp.WaitVisible(chromedp.CSS(".notice")))
	// Back in the filtered view: the row is no longer excluded, so it is gone from it.
	b.wantText("#soa-shown", i18n.T("web.soa.shown", 0, 93))

	b.do("compare", chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso27001-2022"), chromedp.WaitVisible(chromedp.ID("soa-latest")),
		chromedp.Click(chromedp.CSS(`.soa-versions a[href$="/diff?from=1"]`)), chromedp.WaitVisible(chromedp.ID("diff")))
	b.wantText("h1", i18n.T("web.soa.diff_heading_draft", 1))
	b.wantText("#diff", "A.7.1", i18n.T("web.soa.decision.excluded"), i18n.T("web.soa.decision.applicable"),
		"We rent no premises", "We opened our own office", i18n.T("web.soa.reason.business"))
	if body := b.text("#diff"); strings.Contains(body, "A.5.1 ") {
		t.Error("the diff lists an unchanged row")
	}
	b.shot("35-soa-diff")

	// The statement of the other standard shares the flagged supplier control.
	b.do("42001", chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso42001-2023"), chromedp.WaitVisible(chromedp.CSS(row("A.10.3"))))
	b.wantText(row("A.10.3"), "Supplier security and AI provider reviews", i18n.T("web.scope.shared"))
	viewShot(b, "36-soa-42001")

	// A phone-sized screen: nothing overflows sideways.
	b.do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso27001-2022"),
		chromedp.WaitVisible(chromedp.CSS(row("A.5.1"))))
	if wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the SoA overflows a phone screen (%v)", err)
	}
	viewShot(b, "37-soa-phone")
	b.do("phone diff", chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso27001-2022/diff?from=1"), chromedp.WaitVisible(chromedp.ID("diff")))
	if wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the diff overflows a phone screen (%v)", err)
	}
	viewShot(b, "38-soa-phone-diff")
}
