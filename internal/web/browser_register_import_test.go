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

	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// TestBrowserRegisterImport imports a security risk register in headless
// Chromium: the file with bad rows shows each of them named and offers no
// import; the corrected workbook previews its risks with their levels and
// imports whole, leading to the register; an AI register file previews
// its own fields. Then the asset inventory is
// imported the same way and lands on the asset list. Screenshots go to
// $TANDEM_SCREENSHOTS (import-01-… to import-07-…).
func TestBrowserRegisterImport(t *testing.T) {
	b := newBrowser(t)
	ctx, do, submit, shot, wantText := b.ctx, b.do, b.submit, b.shot, b.wantText

	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	registerBasics(t, s, o)
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

	dir := t.TempDir()
	bad, good := filepath.Join(dir, "risks.csv"), filepath.Join(dir, "risks-fixed.xlsx")
	if err := os.WriteFile(bad, []byte(sheetCSV(riskSheet(40, 7, 17, 23))), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(sheetXLSX(t, riskSheet(40))), 0o644); err != nil {
		t.Fatal(err)
	}

	do("upload page", chromedp.Navigate(srv.URL+"/orgs/acme/risks/import?register=security"), chromedp.WaitVisible(chromedp.ID("i-file")))
	wantText("h1", i18n.T("web.regimport.risks.title.security"))
	shot("import-01-risk-upload")
	do("choose bad file", chromedp.SetUploadFiles(chromedp.ID("i-file"), []string{bad}))
	if code := submit("#import-upload"); code != http.StatusUnprocessableEntity {
		t.Errorf("a file with bad rows answered %d, want 422", code)
	}
	do("problems", chromedp.WaitVisible(chromedp.CSS(".import-problems")))
	row := i18n.T("web.import.row")
	wantText(".import-problems", row+" 7", row+" 17", row+" 23", "CTL-404", "Hope")
	wantText("#import-problems-summary", i18n.T("web.import.summary_bad", 3, 40))
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("m-residual_likelihood"))); err != nil || v != "4" {
		t.Errorf("residual likelihood guessed as %q (%v)", v, err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#import-commit").length`)); err != nil || n != 0 {
		t.Errorf("an import button is offered for a bad file (%v)", err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".import-preview tr.row-bad").length`)); err != nil || n != 2 {
		t.Errorf("%d bad rows marked in the preview of the first 20 (%v), want 2", n, err)
	}
	shot("import-02-risk-problems")

	do("upload corrected", chromedp.Click(chromedp.CSS(".file-summary a")), chromedp.WaitVisible(chromedp.ID("i-file")),
		chromedp.SetUploadFiles(chromedp.ID("i-file"), []string{good}))
	if code := submit("#import-upload"); code != http.StatusOK {
		t.Errorf("the corrected file answered %d", code)
	}
	do("preview", chromedp.WaitVisible(chromedp.ID("import-commit")))
	wantText(".import-ok", i18n.T("web.import.summary_ok", 40))
	wantText(".import-preview", "Risk from row 2", "Critical", "CTL-003", "AST-001", "2026-06-03")
	wantText("#import-commit", i18n.T("web.regimport.risks.commit", 40))
	shot("import-03-risk-preview")

	// The commit leads to the register (built on its own page; the
	// redirect is what this test follows).
	submit("#import-commit")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/orgs/acme/risks?register=security&notice=imported") {
		t.Errorf("the import led to %s", loc)
	}
	if n := riskCount(t, o, "security"); n != 40 {
		t.Errorf("%d risks imported, want 40", n)
	}

	// The AI register reads its own fields.
	ai := filepath.Join(dir, "ai.csv")
	if err := os.WriteFile(ai, []byte("Risk,Risk owner,Probability,Consequence,Response,AI system,Risk source,Affected\n"+
		"Biased credit scores,Head of data science,Likely,Major,Mitigate,Credit scoring model,Bias; Privacy,Individuals and groups\n"+
		"Chatbot gives wrong advice,Customer service lead,3,3,Reduce,Support chatbot,Robustness,Individuals\n"+
		"Model leaks training data,CISO,2,5,Transfer,Credit scoring model,Privacy/AI security,Society\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	do("AI upload", chromedp.Navigate(srv.URL+"/orgs/acme/risks/import?register=ai"), chromedp.WaitVisible(chromedp.ID("i-file")),
		chromedp.SetUploadFiles(chromedp.ID("i-file"), []string{ai}))
	if code := submit("#import-upload"); code != http.StatusOK {
		t.Errorf("the AI register answered %d", code)
	}
	do("AI preview", chromedp.WaitVisible(chromedp.ID("import-commit")))
	wantText(".import-preview", "Credit scoring model", i18n.T("web.regimport.source.bias_fairness"), i18n.T("web.regimport.source.ai_security"))
	shot("import-04-ai-preview")

	// The asset inventory, from its import page to the asset list.
	assets := filepath.Join(dir, "assets.csv")
	if err := os.WriteFile(assets, []byte("Asset;Type;Owner;Location;Classification;C;I;A;Controls\n"+
		"Customer database;Data;DBA team;EU data centre;Confidential;High;High;Medium;CTL-001\n"+
		"Payroll;Application;HR;SaaS;Strictly confidential;3;3;2;CTL-002, CTL-003\n"+
		"Badge readers;Hardware;Facilities;Head office;Internal;Low;2;3;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	do("asset upload", chromedp.Navigate(srv.URL+"/orgs/acme/assets/import"), chromedp.WaitVisible(chromedp.ID("i-file")),
		chromedp.SetUploadFiles(chromedp.ID("i-file"), []string{assets}))
	if code := submit("#import-upload"); code != http.StatusOK {
		t.Errorf("the asset file answered %d", code)
	}
	do("asset preview", chromedp.WaitVisible(chromedp.ID("import-commit")))
	wantText(".import-preview", "Customer database", i18n.T("web.asset.class.restricted"), "3 / 3 / 2")
	shot("import-05-asset-preview")
	if code := submit("#import-commit"); code != http.StatusOK {
		t.Errorf("the asset import answered %d", code)
	}
	do("asset list", chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText("main", "Customer database", "Payroll", "Badge readers")
	shot("import-06-assets-imported")

	// A phone-sized screen: the problem table scrolls inside its card.
	do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/orgs/acme/risks/import?register=ai"),
		chromedp.WaitVisible(chromedp.ID("i-file")), chromedp.SetUploadFiles(chromedp.ID("i-file"), []string{bad}))
	submit("#import-upload")
	do("phone problems", chromedp.WaitVisible(chromedp.CSS(".import-problems")))
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the import page overflows a phone screen (%v)", err)
	}
	shot("import-07-phone")
}
