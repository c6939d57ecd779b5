package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tandem/internal/access"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// TestBrowserSignIn drives the sign-in page in Chromium through the real
// session cookie: a protected page sends the visitor to sign in, a wrong
// password is refused in place, the right one returns to the page asked
// for, and signing out ends the session.
func TestBrowserSignIn(t *testing.T) {
	b := newBrowser(t)
	st := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := st.CreateOrg(ctx, testActor, domain.OrgInput{Slug: "acme", Name: "Acme Ltd"}); err != nil {
		t.Fatal(err)
	}
	acme, _ := st.Org(ctx, "acme")
	title := "Backups"
	if _, err := acme.CreateControl(ctx, testActor, domain.ControlInput{Title: &title}); err != nil {
		t.Fatal(err)
	}
	const password = "correct horse battery staple"
	if _, err := st.CreateUser(ctx, testActor, domain.UserInput{Email: "vera@example.com", Name: "Vera Viewer", Password: password}); err != nil {
		t.Fatal(err)
	}
	if err := acme.SetMembership(ctx, testActor, "vera@example.com", "viewer", nil); err != nil {
		t.Fatal(err)
	}
	gate := access.NewGate(st)
	ui := New(st, storetest.Catalog, gate, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		gate.Identify(ui).ServeHTTP(w, r)
	}))
	defer srv.Close()

	url := func() string {
		u, err := chromedp.Run(b.ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, srv.URL)
	}

	b.do("protected page", chromedp.Navigate(srv.URL+"/orgs/acme/controls"), chromedp.WaitVisible(chromedp.ID("password")))
	if got := url(); got != "/login?next=%2Forgs%2Facme%2Fcontrols" {
		t.Errorf("sent to %s", got)
	}
	b.wantText("h1", i18n.T("web.login.heading"))
	b.shot("20-sign-in")

	b.do("wrong password", chromedp.SendKeys(chromedp.ID("email"), "vera@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "not the password"))
	if code := b.submit(".login button[type=submit]"); code != http.StatusUnauthorized {
		t.Errorf("wrong password answered %d, want 401", code)
	}
	b.do("refused", chromedp.WaitVisible(chromedp.CSS(".alert")))
	b.wantText(".alert", i18n.T("web.login.failed"))
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("email"))); v != "vera@example.com" {
		t.Errorf("email not kept after a failure: %q", v)
	}
	b.shot("21-sign-in-failed")

	b.do("right password", chromedp.SendKeys(chromedp.ID("password"), password))
	if code := b.submit(".login button[type=submit]"); code != http.StatusOK {
		t.Errorf("sign-in ended on %d", code)
	}
	b.do("signed in", chromedp.WaitVisible(chromedp.CSS(".controls-table")))
	if got := url(); got != "/orgs/acme/controls" {
		t.Errorf("after sign-in at %s, want the page asked for", got)
	}
	b.wantText(".usermenu", "Vera Viewer", i18n.T("web.role.viewer"))
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href="/orgs/acme/controls/new"]').length`)); n != 0 {
		t.Error("a viewer is offered New control")
	}
	b.shot("22-signed-in-viewer")

	b.do("sign out", chromedp.Click(chromedp.CSS(`.usermenu button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("password")))
	b.wantText(".notice", i18n.T("web.notice.signed_out"))
	b.do("protected again", chromedp.Navigate(srv.URL+"/orgs/acme/"), chromedp.WaitVisible(chromedp.ID("password")))
	if got := url(); !strings.HasPrefix(got, "/login?next=") {
		t.Errorf("after sign-out, the dashboard opened at %s", got)
	}
	b.shot("23-signed-out")
}

// TestBrowserMembersAndAccount looks at the members page (adding an
// external auditor with an end date and a new person) and the account page
// (making a token, shown once).
func TestBrowserMembersAndAccount(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, storetest.SQLite(t))
	ctx := context.Background()
	acme := s.org("acme")
	s.as = s.user("ada@example.com", "Ada Admin", false)
	if err := acme.SetMembership(ctx, testActor, "ada@example.com", "admin", nil); err != nil {
		t.Fatal(err)
	}
	s.user("eve@audit.example", "Eve External", false)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	b.do("members", chromedp.Navigate(srv.URL+"/orgs/acme/members"), chromedp.WaitVisible(chromedp.ID("m-email")),
		chromedp.SendKeys(chromedp.ID("m-email"), "eve@audit.example"),
		chromedp.SetValue(chromedp.ID("m-role"), "auditor"),
		chromedp.SetValue(chromedp.ID("m-expires"), "2031-03-31"))
	if code := b.submit(".form-actions button[type=submit]"); code != http.StatusOK {
		t.Errorf("adding an auditor ended on %d", code)
	}
	b.do("saved", chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.wantText("#members", "Eve External", i18n.T("web.role.auditor"), "2031-03-31")
	b.do("new person", chromedp.SendKeys(chromedp.ID("m-email"), "sam@acme.example"),
		chromedp.SendKeys(chromedp.ID("m-name"), "Sam Contributor"),
		chromedp.SetValue(chromedp.ID("m-role"), "contributor"))
	if code := b.submit(".form-actions button[type=submit]"); code != http.StatusCreated {
		t.Errorf("adding a new person answered %d", code)
	}
	b.do("password shown", chromedp.WaitVisible(chromedp.ID("new-password")))
	b.shot("24-members")

	b.do("account", chromedp.Navigate(srv.URL+"/account"), chromedp.WaitVisible(chromedp.ID("token-name")),
		chromedp.SendKeys(chromedp.ID("token-name"), "nightly evidence export"))
	if code := b.submit(".token-form button[type=submit]"); code != http.StatusCreated {
		t.Errorf("token answered %d", code)
	}
	b.do("token shown", chromedp.WaitVisible(chromedp.ID("new-token")))
	if tok := b.text("#new-token"); !strings.HasPrefix(tok, "tdm_") {
		t.Errorf("token shows %q", tok)
	}
	b.wantText("#tokens", "nightly evidence export")
	b.shot("25-account")
}
