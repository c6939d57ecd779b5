package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"tandem/internal/demo"
	"tandem/internal/storetest"
)

// TestBrowserAIGovernance reads the demo's AI governance as its manager:
// the inventory, the scoring model whose assessment went stale, its stale
// assessment, a supplier, and the dashboard panel; then on a phone.
func TestBrowserAIGovernance(t *testing.T) {
	b := newBrowser(t)
	st := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedUsers(ctx, st); err != nil {
		t.Fatal(err)
	}
	s := newSite(t, st)
	s.as = s.user("sofia@northwind.example", "Sofia Marquez", false)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	base := srv.URL + "/orgs/" + demo.Slug

	b.do("inventory", chromedp.Navigate(base+"/ai-systems"), chromedp.WaitVisible(chromedp.ID("ai-systems")))
	b.wantText("#kpi-stale", "1")
	b.wantText("#kpi-overdue", "1")
	b.wantText("#ai-systems", "Credit-risk scoring model", "Customer support chatbot", "Stale", "overdue")
	b.shot("60-ai-inventory")
	b.do("scoring model", chromedp.Navigate(base+"/ai-systems/AIS-001"), chromedp.WaitVisible(chromedp.ID("stale-banner")))
	b.wantText("#events", "3.2", "3.3")
	b.wantText("#tests", "AUC", "Approval-rate gap", "Fail")
	b.shot("61-ai-system")
	b.do("to tests", scrollTo("#tests"))
	viewShot(b, "62-ai-system-tests")
	b.do("stale assessment", chromedp.Navigate(base+"/impact-assessments/AIA-001"), chromedp.WaitVisible(chromedp.ID("stale-banner")))
	b.wantText("#stale-banner", "the model version changed")
	b.wantText("#impacts", "Applicants under 25", "RSK-")
	b.shot("63-impact-assessment")
	b.do("editor", chromedp.Navigate(base+"/impact-assessments/AIA-003/edit"), chromedp.WaitVisible(chromedp.ID("impact-0")))
	b.shot("64-assessment-editor")
	b.do("suppliers", chromedp.Navigate(base+"/suppliers"), chromedp.WaitVisible(chromedp.ID("suppliers")))
	b.wantText("#suppliers", "Lexa AI", "review due")
	b.shot("65-suppliers")
	b.do("dashboard", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("ai-governance")))
	b.wantText("#ai-governance", "A.5.2–A.5.5")
	b.do("to panel", scrollTo("#ai-governance"))
	viewShot(b, "66-dashboard-ai")
	b.do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/ai-systems/AIS-002"), chromedp.WaitVisible(chromedp.ID("overdue-banner")))
	viewShot(b, "67-ai-system-phone")
}
