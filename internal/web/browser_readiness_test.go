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

// TestBrowserReadiness looks at the readiness page and what carries over
// on the demo organization's 50 controls, and follows a bar to its gaps.
func TestBrowserReadiness(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, storetest.SQLite(t))
	if _, err := demo.Seed(context.Background(), s.st); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	b.do("readiness", chromedp.Navigate(srv.URL+"/orgs/northwind/readiness"), chromedp.WaitVisible(chromedp.CSS("svg.stack")))
	b.wantText("#ready-27001", "Organizational controls", "Leadership")
	b.shot("50-readiness")
	b.do("gaps", chromedp.Click(chromedp.CSS(`#ready-42001 a.stack-link[href$="section=A.6"]`)), chromedp.WaitVisible(chromedp.CSS("h1")))
	b.wantText("h1", "ISO/IEC 42001:2023")
	b.shot("51-gaps")
	b.do("transfer", chromedp.Navigate(srv.URL+"/orgs/northwind/transfer"), chromedp.WaitVisible(chromedp.CSS(".transfer-counts")))
	b.shot("52-transfer")
	b.do("soa", chromedp.Navigate(srv.URL+"/orgs/northwind/soa/iso27001-2022"), chromedp.WaitVisible(chromedp.CSS(".downloads")))
	b.shot("53-demo-soa")
}
