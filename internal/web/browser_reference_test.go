package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// TestBrowserReference starts a control library the two ways a new
// organization does, in headless Chromium: from the empty dashboard to the
// reference set, ticking a whole theme with "Select all", adopting it and
// finding the controls in the library; then importing a register file,
// seeing its bad rows named, and importing the corrected file.
// Screenshots go to $TANDEM_SCREENSHOTS (39-… to 49-…).
func TestBrowserReference(t *testing.T) {
	b := newBrowser(t)
	ctx, do, text, submit, shot, wantText := b.ctx, b.do, b.text, b.submit, b.shot, b.wantText

	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	maria := s.user("maria@example.com", "Maria Manager", false)
	if err := o.SetMembership(context.Background(), testActor, "maria@example.com", "manager", nil); err != nil {
		t.Fatal(err)
	}
	s.as = maria
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	// The empty dashboard offers the reference set.
	do("dashboard", chromedp.Navigate(srv.URL+"/orgs/acme/"), chromedp.WaitVisible(chromedp.ID("start-reference")))
	shot("39-dashboard-empty")
	do("to the reference set", chromedp.Click(chromedp.ID("start-reference")), chromedp.WaitVisible(chromedp.CSS("[data-reference]")))
	wantText("#reference-count", fmt.Sprint(len(storetest.Catalog.Reference)))
	// The script shows the per-theme buttons (hidden without it).
	do("group buttons", chromedp.WaitVisible(chromedp.CSS(`#theme-governance [data-select="all"]`)))
	shot("40-reference")

	// Select all of one theme, clear another, tick one more by hand.
	governance := 0
	for _, rc := range storetest.Catalog.Reference {
		if rc.Theme == "governance" {
			governance++
		}
	}
	do("select governance", chromedp.Click(chromedp.CSS(`#theme-governance [data-select="all"]`)))
	if n := text("[data-selected-count] [data-n]"); n != fmt.Sprint(governance) {
		t.Errorf("after Select all the count shows %s, want %d", n, governance)
	}
	do("select and clear risk", chromedp.Click(chromedp.CSS(`#theme-risk [data-select="all"]`)),
		chromedp.Click(chromedp.CSS(`#theme-risk [data-select="none"]`)),
		chromedp.Click(chromedp.ID("pick-REF-DATA-04")))
	want := governance + 1
	if n := text("[data-selected-count] [data-n]"); n != fmt.Sprint(want) {
		t.Errorf("the count shows %s, want %d", n, want)
	}
	shot("41-reference-selected")
	if code := submit("#adopt-selected"); code != http.StatusOK {
		t.Errorf("adopting answered %d", code)
	}
	do("result", chromedp.WaitVisible(chromedp.ID("result")))
	wantText("#result", i18n.T("web.reference.result.other", want))
	wantText("#REF-GOV-01", i18n.T("web.reference.adopted_as"), "CTL-001")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".ref-item.is-adopted").length`)); err != nil || n != want {
		t.Errorf("%d adopted items greyed (%v), want %d", n, err, want)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#theme-governance input[name=ids]").length`)); err != nil || n != 0 {
		t.Errorf("%d governance boxes left to tick (%v)", n, err)
	}
	shot("42-reference-adopted")

	// The library lists them; a control says where it came from.
	do("library", chromedp.Click(chromedp.CSS("#result a")), chromedp.WaitVisible(chromedp.CSS(".controls-table")))
	wantText("#control-count", fmt.Sprintf("%d controls", want))
	wantText(".controls-table", storetest.Catalog.ReferenceControl("REF-GOV-01").Title, storetest.Catalog.ReferenceControl("REF-DATA-04").Title)
	shot("43-library-adopted")
	do("control", chromedp.Click(chromedp.CSS(`.controls-table a[href="/orgs/acme/controls/CTL-001"]`)),
		chromedp.WaitVisible(chromedp.CSS(".meta-reference")))
	wantText(".meta-reference", i18n.T("web.control.adopted_from"), "REF-GOV-01")
	wantText("#requirements", "A.5.1", "A.2.2")
	shot("44-control-adopted")

	// Import a register: a file with two bad rows is refused with each
	// row named; the corrected file is imported whole.
	dir := t.TempDir()
	bad := filepath.Join(dir, "register.csv")
	good := filepath.Join(dir, "register-fixed.csv")
	header := "Control;Owner;Status;Annex A;Notes\n"
	rows := []string{
		"Quarterly access reviews;IT Operations;Done;A.5.18, A.5.15;Reviewed every quarter",
		"Model change approval;ML Platform lead;In progress;\"A.6.2.5; 42001 A.6.2.4\";",
		"Supplier AI clauses;Procurement;Mostly;A.5.20;",
		"Backups of training data;IT Operations;Not started;A.8.13, A.99;",
	}
	if err := os.WriteFile(bad, []byte(header+strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows[2] = strings.Replace(rows[2], "Mostly", "Planned", 1)
	rows[3] = strings.Replace(rows[3], ", A.99", "", 1)
	if err := os.WriteFile(good, []byte(header+strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	do("import page", chromedp.Navigate(srv.URL+"/orgs/acme/controls"), chromedp.WaitVisible(chromedp.ID("controls-import")),
		chromedp.Click(chromedp.ID("controls-import")), chromedp.WaitVisible(chromedp.ID("i-file")))
	shot("45-import-upload")
	do("choose bad file", chromedp.SetUploadFiles(chromedp.ID("i-file"), []string{bad}))
	if code := submit("#import-upload"); code != http.StatusUnprocessableEntity {
		t.Errorf("a file with bad rows answered %d, want 422", code)
	}
	do("problems", chromedp.WaitVisible(chromedp.CSS(".import-problems")))
	wantText(".import-problems", i18n.T("web.import.row")+" 4", i18n.T("web.import.row")+" 5", "Mostly", "A.99")
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("m-requirements"))); err != nil || v != "3" {
		t.Errorf("requirements column guessed as %q (%v)", v, err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#import-commit").length`)); err != nil || n != 0 {
		t.Errorf("an import button is offered for a bad file (%v)", err)
	}
	shot("46-import-problems")

	do("upload corrected", chromedp.Click(chromedp.CSS(".file-summary a")), chromedp.WaitVisible(chromedp.ID("i-file")),
		chromedp.SetUploadFiles(chromedp.ID("i-file"), []string{good}))
	if code := submit("#import-upload"); code != http.StatusOK {
		t.Errorf("the corrected file answered %d", code)
	}
	do("preview", chromedp.WaitVisible(chromedp.ID("import-commit")))
	wantText(".import-ok", i18n.T("web.import.summary_ok", 4))
	wantText(".import-preview", "Model change approval", "A.6.2.5", "A.6.2.4")
	shot("47-import-preview")
	if code := submit("#import-commit"); code != http.StatusOK {
		t.Errorf("the import answered %d", code)
	}
	do("imported", chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText(".notice", i18n.T("web.notice.imported"))
	wantText("#control-count", fmt.Sprintf("%d controls", want+4))
	wantText(".controls-table", "Quarterly access reviews", "Backups of training data")
	shot("48-library-imported")

	// A phone-sized screen: the reference set does not overflow sideways.
	do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/orgs/acme/controls/reference"),
		chromedp.WaitVisible(chromedp.CSS("[data-reference]")))
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the reference set overflows a phone screen (%v)", err)
	}
	shot("49-reference-phone")
}
