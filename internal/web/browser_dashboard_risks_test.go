package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"tandem/internal/demo"
	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// TestBrowserRiskTrace reads the demo organization as its manager: the
// dashboard's risk reminders, then the SoA traced back to the risks (with
// its gaps) in both standards, on a desktop and on a phone.
func TestBrowserRiskTrace(t *testing.T) {
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

	b.do("dashboard", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("dr-security")))
	b.wantText("#dr-security-current", "12")
	b.wantText("#dr-security-above", "3")
	b.wantText("#dr-ai-current", "9") // eight of the register and one raised from an impact assessment
	b.wantText("#dr-ai-above", "3")
	b.wantText("#dr-security-due", "1")
	b.wantText("#dr-ai-due", "1")
	b.wantText("#dr-security", "Lost or stolen laptop exposes company data", "Misuse of standing administrator rights")
	b.wantText("#dr-actions", "Move the backups to an immutable vault", "Tomás Herrera")
	b.shot("40-dashboard")
	b.do("to reminders", scrollTo("#dr-h"))
	viewShot(b, "41-dashboard-risks")

	b.do("soa 27001", chromedp.Navigate(base+"/soa/iso27001-2022"), chromedp.WaitVisible(chromedp.CSS(row("A.8.15"))))
	b.wantText("#count-untraced", "2")
	b.wantText("#soa-trace", i18n.T("web.soa.trace.summary", 64, 66))
	b.wantText(row("A.8.15"), "RSK-004", i18n.T("web.soa.trace.via")+" CTL-018", "Critical")
	b.wantText(row("A.6.8"), i18n.T("web.soa.trace.untraced"), i18n.T("web.soa.trace.untraced_hint"))
	viewShot(b, "42-soa-summary")
	b.do("to a traced row", scrollTo(row("A.8.13")))
	viewShot(b, "43-soa-trace")

	b.do("untraced only", chromedp.Navigate(base+"/soa/iso27001-2022?untraced=1"), chromedp.WaitVisible(chromedp.CSS(row("A.6.8"))))
	b.wantText("#soa-shown", i18n.T("web.soa.shown", 2, 93))
	b.do("to the gaps", scrollTo("#soa-shown"))
	viewShot(b, "44-soa-untraced")

	b.do("soa 42001", chromedp.Navigate(base+"/soa/iso42001-2023"), chromedp.WaitVisible(chromedp.CSS(row("A.9.2"))),
		scrollTo(row("A.9.2")))
	b.wantText(row("A.9.2"), "RSK-012", "RSK-013", i18n.T("web.soa.trace.register.security"), i18n.T("web.soa.trace.register.ai"))
	viewShot(b, "45-soa-42001-trace")

	b.do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("dr-security")))
	if wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the dashboard overflows a phone screen (%v)", err)
	}
	b.do("phone reminders", scrollTo("#dr-h"))
	viewShot(b, "46-dashboard-phone")
	b.do("phone soa", chromedp.Navigate(base+"/soa/iso27001-2022"), chromedp.WaitVisible(chromedp.CSS(row("A.8.15"))),
		scrollTo(row("A.8.15")))
	if wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the SoA overflows a phone screen (%v)", err)
	}
	viewShot(b, "47-soa-phone-trace")
}

// scrollTo brings the element to the top of the window (for viewShot).
func scrollTo(sel string) chromedp.Action[chromedp.Void] {
	js := `(() => { document.querySelector(` + strconv.Quote(sel) + `).scrollIntoView({block: "start"}); window.scrollBy(0, -12); return true })()`
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return chromedp.Void{}, err
	}
}
