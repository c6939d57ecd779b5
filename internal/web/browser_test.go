package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// chromium finds Debian's chromium. Outside CI a machine without it skips
// the browser test; in CI it must be there.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI needs chromium for the browser test (apt-get install chromium)")
	}
	t.Skip("chromium not found")
	return ""
}

// TestBrowser drives the UI in headless Chromium the way a person does:
// browse the catalog, open the library, make a mistake in the form, fix it,
// filter, edit. Screenshots go to $TANDEM_SCREENSHOTS (or a temp dir).
func TestBrowser(t *testing.T) {
	b := newBrowser(t)
	ctx, do, text, submit, shot, wantText := b.ctx, b.do, b.text, b.submit, b.shot, b.wantText

	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	s.org("globex")
	seed := []struct {
		title, owner, status, description string
		reqs                              []string
	}{
		{"Information security and AI policy set", "CISO", "implemented",
			"One policy framework: the information security policy, the AI policy and the topic-specific policies, approved by management and reviewed yearly.",
			[]string{"iso27001-2022/5.2", "iso42001-2023/5.2", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}},
		{"Supplier security and AI provider reviews", "Procurement lead", "in_progress", "",
			[]string{"iso27001-2022/A.5.19", "iso27001-2022/A.5.20", "iso42001-2023/A.10.3"}},
		{"Secure development life cycle", "Head of Engineering", "planned", "",
			[]string{"iso27001-2022/A.8.25", "iso27001-2022/A.8.28"}},
		{"AI system impact assessment", "AI governance board", "in_progress", "",
			[]string{"iso42001-2023/6.1.4", "iso42001-2023/A.5.2"}},
		{"Security awareness training", "HR", "not_implemented", "", []string{"iso27001-2022/A.6.3"}},
	}
	for _, c := range seed {
		if _, err := o.CreateControl(context.Background(), testActor, domain.ControlInput{Title: &c.title,
			Owner: &c.owner, Status: &c.status, Description: &c.description, Requirements: &c.reqs}); err != nil {
			t.Fatal(err)
		}
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	// Dashboard: charts drawn on the server.
	do("dashboard", chromedp.Navigate(srv.URL+"/orgs/acme/"), chromedp.WaitVisible(chromedp.CSS("svg.donut")))
	wantText(".kpis", "5", i18n.T("web.dashboard.kpi_implemented"))
	shot("01-dashboard")

	// Keyboard: the first Tab reaches the skip link.
	do("tab", chromedp.KeyEvent("\t"))
	if cls, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`)); err != nil || cls != "skip" {
		t.Errorf("first Tab focuses %q (%v), want the skip link", cls, err)
	}

	// Catalog: both standards side by side.
	do("catalog", chromedp.Navigate(srv.URL+"/catalog?org=acme"), chromedp.WaitVisible(chromedp.CSS(".catalog-cols")))
	wantText(".catalog-cols", "ISO/IEC 27001:2022", "ISO/IEC 42001:2023", storetest.Catalog.Requirement("iso42001-2023/6.1.4").Title)
	// Annex A themes are collapsed until opened.
	do("open theme", chromedp.Click(chromedp.CSS("#sec-27001-organizational > summary")),
		chromedp.Click(chromedp.CSS("#sec-42001-A\\.2 > summary")))
	wantText(".catalog-cols", "A.5.1", "A.2.2")
	shot("02-catalog")
	do("requirement", chromedp.Click(chromedp.CSS(`a[href="/catalog/iso27001-2022/A.5.1?org=acme"]`)),
		chromedp.WaitVisible(chromedp.CSS(".record-head h1")))
	wantText(".record-head h1", "A.5.1", storetest.Catalog.Requirement("iso27001-2022/A.5.1").Title)
	shot("03-requirement")

	// Control library, then a new control submitted empty.
	do("library", chromedp.Navigate(srv.URL+"/orgs/acme/controls"), chromedp.WaitVisible(chromedp.CSS(".controls-table")))
	wantText("#control-count", "5 controls")
	shot("04-controls")
	do("new", chromedp.Click(chromedp.CSS(".page-actions a.btn-primary")), chromedp.WaitVisible(chromedp.ID("title")))
	if code := submit(".form-actions button[type=submit]"); code != http.StatusUnprocessableEntity {
		t.Errorf("empty form answered %d, want 422", code)
	}
	do("inline error", chromedp.WaitVisible(chromedp.ID("title-error")))
	wantText("#title-error", i18n.T("error.required"))
	shot("05-form-error")

	// Fill it in: title, status, one requirement of each standard.
	do("fill",
		chromedp.SendKeys(chromedp.ID("title"), "Access control for AI platforms"),
		chromedp.SendKeys(chromedp.ID("owner"), "Head of IT"),
		chromedp.SetValue(chromedp.ID("status"), "in_progress"),
		chromedp.Click(chromedp.CSS(`details[id="pick-27001-organizational"] > summary`)),
		chromedp.Click(chromedp.CSS(`input[value="iso27001-2022/A.5.15"]`)),
		chromedp.Click(chromedp.CSS(`details[id="pick-42001-A.4"] > summary`)),
		chromedp.Click(chromedp.CSS(`input[value="iso42001-2023/A.4.2"]`)),
	)
	// The script keeps the section counts in step with the ticks.
	if n := text(`details[id="pick-27001-organizational"] summary [data-count]`); n != "1" {
		t.Errorf("27001 organizational count shows %q after one tick", n)
	}
	shot("06-form-filled")
	if code := submit(".form-actions button[type=submit]"); code != http.StatusOK {
		t.Errorf("valid form ended on %d", code)
	}
	do("control page", chromedp.WaitVisible(chromedp.CSS(".record-head h1")))
	wantText(".record-head h1", "Access control for AI platforms")
	wantText("#requirements", "ISO/IEC 27001:2022", "ISO/IEC 42001:2023", "A.5.15", "A.4.2")
	wantText(".meta", i18n.T("web.scope.shared"), i18n.T("web.status.in_progress"))
	shot("07-control")

	// Filter the library to shared controls.
	do("library again", chromedp.Navigate(srv.URL+"/orgs/acme/controls"), chromedp.WaitVisible(chromedp.ID("f-scope")),
		chromedp.SetValue(chromedp.ID("f-scope"), "shared"))
	if code := submit(".filters-actions button[type=submit]"); code != http.StatusOK {
		t.Errorf("filter answered %d", code)
	}
	do("filtered", chromedp.WaitVisible(chromedp.CSS(".controls-table")))
	wantText("#control-count", "3 controls")
	wantText(".controls-table", "Access control for AI platforms")
	if body := text(".controls-table"); strings.Contains(body, "Secure development") {
		t.Error("filter scope=shared shows a 27001-only control")
	}
	shot("08-filtered")

	// Edit and save.
	do("open", chromedp.Click(chromedp.CSS(`.controls-table a[href="/orgs/acme/controls/CTL-006"]`)),
		chromedp.WaitVisible(chromedp.CSS(".record-head")),
		chromedp.Click(chromedp.CSS(`.record-head .btn-primary`)),
		chromedp.WaitVisible(chromedp.ID("title")),
		chromedp.SetValue(chromedp.ID("status"), "implemented"))
	if code := submit(".form-actions button[type=submit]"); code != http.StatusOK {
		t.Errorf("save answered %d", code)
	}
	// The change's impact on both standards is shown first.
	do("impact", chromedp.WaitVisible(chromedp.ID("impact")))
	wantText("#impact", i18n.T("web.impact.title"), "ISO/IEC 27001:2022", "ISO/IEC 42001:2023")
	shot("09a-impact")
	if code := submit(`.form-actions button[name=confirm]`); code != http.StatusOK {
		t.Errorf("confirm answered %d", code)
	}
	do("saved", chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText(".meta", i18n.T("web.status.implemented"))
	wantText("#history", i18n.T("web.action.control.update"), i18n.T("web.action.control.create"))
	shot("09-saved")

	// Printed, the page keeps its content and drops navigation and buttons.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(".topbar")).display !== "none"`)); err != nil || visible {
		t.Errorf("the top bar prints (%v)", err)
	}
	shot("10-print-control")
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// Someone else saves while the form is open: the save is refused with
	// 409, the form shows what is saved now and lists the lost change.
	do("edit again", chromedp.Click(chromedp.CSS(`.record-head .btn-primary`)), chromedp.WaitVisible(chromedp.ID("title")))
	other := "Access control for AI platforms and data"
	if _, err := o.UpdateControl(context.Background(), testActor, "CTL-006", 2, domain.ControlInput{Title: &other}); err != nil {
		t.Fatal(err)
	}
	do("change", chromedp.SetValue(chromedp.ID("status"), "not_implemented"))
	if code := submit(".form-actions button[type=submit]"); code != http.StatusConflict {
		t.Errorf("stale save answered %d, want 409", code)
	}
	do("conflict", chromedp.WaitVisible(chromedp.ID("conflict-h")))
	wantText(".alert", i18n.T("error.version_conflict"))
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("title"))); err != nil || v != other {
		t.Errorf("conflict form shows title %q (%v), want the saved %q", v, err, other)
	}
	shot("11-conflict")

	// Organizations: a bad slug is answered beside the field.
	do("orgs", chromedp.Navigate(srv.URL+"/orgs"), chromedp.WaitVisible(chromedp.ID("org-slug")),
		chromedp.SendKeys(chromedp.ID("org-name"), "Initech"),
		chromedp.SendKeys(chromedp.ID("org-slug"), "Initech Inc"))
	if code := submit(`form[action="/orgs"] button[type=submit]`); code != http.StatusUnprocessableEntity {
		t.Errorf("bad slug answered %d, want 422", code)
	}
	do("org error", chromedp.WaitVisible(chromedp.ID("org-slug-error")))
	shot("12-orgs-error")

	// The trail, filtered to controls: newest first, with field-level changes.
	do("trail", chromedp.Navigate(srv.URL+"/orgs/acme/trail?resource_type=control"), chromedp.WaitVisible(chromedp.CSS(".trail-table")))
	wantText(".trail-table", "CTL-006", i18n.T("web.action.control.update"), i18n.T("web.status.implemented"))
	shot("12b-trail")

	// A phone-sized screen: nothing may overflow sideways.
	do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/orgs/acme/controls"),
		chromedp.WaitVisible(chromedp.CSS(".controls-table")))
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("control library overflows a phone screen (%v)", err)
	}
	shot("13-phone-controls")
	do("phone dashboard", chromedp.Navigate(srv.URL+"/orgs/acme/"), chromedp.WaitVisible(chromedp.CSS("svg.donut")))
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("dashboard overflows a phone screen (%v)", err)
	}
	shot("14-phone-dashboard")
}
