package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestMembersPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		acme := s.org("acme")
		admin := s.user("ada@example.com", "Ada Admin", false)
		if err := acme.SetMembership(ctx, testActor, "ada@example.com", "admin", nil); err != nil {
			t.Fatal(err)
		}
		s.user("eve@example.com", "Eve External", false)
		s.as = admin

		w := s.get("/orgs/acme/members")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Ada Admin", i18n.T("web.members.add"))

		// An external auditor with an end date.
		w = s.post("/orgs/acme/members", url.Values{"email": {"eve@example.com"}, "role": {"auditor"}, "expires": {"2031-03-31"}})
		wantStatus(t, w, http.StatusSeeOther)
		w = s.get("/orgs/acme/members")
		wantBody(t, w, "Eve External", i18n.T("web.role.auditor"), "2031-03-31")

		// Bad input is answered beside the field; nothing is written.
		w = s.post("/orgs/acme/members", url.Values{"email": {"eve@example.com"}, "role": {"boss"}, "expires": {"31/03/2031"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("error.date"), `id="m-expires-error"`)
		w = s.post("/orgs/acme/members", url.Values{"email": {"eve@example.com"}, "role": {"boss"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="m-role-error"`)

		// Someone new is created with a first password, shown once, that signs in.
		w = s.post("/orgs/acme/members", url.Values{"email": {"New.Person@Example.com"}, "name": {"New Person"}, "role": {"contributor"}})
		wantStatus(t, w, http.StatusCreated)
		m := regexp.MustCompile(`<code class="secret" id="new-password">([^<]+)</code>`).FindStringSubmatch(w.Body.String())
		if m == nil {
			t.Fatalf("no password shown:\n%.2000s", w.Body.String())
		}
		if _, err := st.Authenticate(ctx, "new.person@example.com", m[1]); err != nil {
			t.Errorf("the first password does not sign in: %v", err)
		}
		if role, err := acme.Role(ctx, s.user("new.person@example.com", "", false).User.ID); err != nil || role != "contributor" {
			t.Errorf("new member's role %q %v", role, err)
		}

		// The last administrator cannot be removed.
		w = s.post("/orgs/acme/members/remove", url.Values{"email": {"ada@example.com"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("error.last_admin"))
		w = s.post("/orgs/acme/members/remove", url.Values{"email": {"eve@example.com"}})
		wantStatus(t, w, http.StatusSeeOther)
		wantNoBody(t, s.get("/orgs/acme/members"), "Eve External")

		// A viewer sees the members but no form, and cannot post one.
		viewer := s.user("vic@example.com", "Vic Viewer", false)
		if err := acme.SetMembership(ctx, testActor, "vic@example.com", "viewer", nil); err != nil {
			t.Fatal(err)
		}
		s.as = viewer
		w = s.get("/orgs/acme/members")
		wantStatus(t, w, http.StatusOK)
		wantNoBody(t, w, i18n.T("web.members.add"), i18n.T("web.members.remove"))
		wantStatus(t, s.post("/orgs/acme/members", url.Values{"email": {"vic@example.com"}, "role": {"admin"}}), http.StatusForbidden)
		if role, _ := acme.Role(ctx, viewer.User.ID); role != "viewer" {
			t.Errorf("a viewer made themselves %s", role)
		}
	})
}

func TestAccountPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		const password = "the first long passphrase"
		u, err := st.CreateUser(ctx, testActor, domain.UserInput{Email: "ada@example.com", Name: "Ada", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		s.as = s.user("ada@example.com", "", false)
		acme := s.org("acme")
		if err := acme.SetMembership(ctx, testActor, "ada@example.com", "manager", nil); err != nil {
			t.Fatal(err)
		}

		w := s.get("/account")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "ada@example.com", "Acme Ltd", i18n.T("web.role.manager"), i18n.T("web.account.no_tokens"))

		// A token: shown once, works, listed by prefix, revoked.
		wantStatus(t, s.post("/account/tokens", url.Values{"name": {""}, "days": {"90"}}), http.StatusUnprocessableEntity)
		wantStatus(t, s.post("/account/tokens", url.Values{"name": {"export"}, "days": {"9999"}}), http.StatusUnprocessableEntity)
		w = s.post("/account/tokens", url.Values{"name": {"nightly export"}, "days": {"30"}})
		wantStatus(t, w, http.StatusCreated)
		m := regexp.MustCompile(`id="new-token">(tdm_[^<]+)<`).FindStringSubmatch(w.Body.String())
		if m == nil {
			t.Fatalf("token not shown:\n%.2000s", w.Body.String())
		}
		if got, _, err := st.TokenUser(ctx, m[1]); err != nil || got.ID != u.ID {
			t.Fatalf("token does not work: %v", err)
		}
		w = s.get("/account")
		wantBody(t, w, "nightly export", m[1][:10]+"…")
		wantNoBody(t, w, m[1])
		tokens, _ := st.Tokens(ctx, u.ID)
		other := s.user("bob@example.com", "Bob", false)
		bobSecret, bobToken, _ := st.CreateToken(ctx, testActor, other.User.ID, "bob's", nil)
		// Someone else's token is not found, and stays alive.
		wantStatus(t, s.post("/account/tokens/"+itoa(bobToken.ID)+"/revoke", nil), http.StatusNotFound)
		if _, _, err := st.TokenUser(ctx, bobSecret); err != nil {
			t.Errorf("another user's token was revoked: %v", err)
		}
		wantStatus(t, s.post("/account/tokens/"+itoa(tokens[0].ID)+"/revoke", nil), http.StatusSeeOther)
		if _, _, err := st.TokenUser(ctx, m[1]); err == nil {
			t.Error("revoked token still works")
		}

		// Password: mismatch, wrong current, too short, then a change that
		// ends the old sessions and signs this browser in again.
		old, _ := st.CreateSession(ctx, u, "password", store.DefaultSessions)
		cases := []struct {
			current, next, confirm string
			field                  string
		}{
			{password, "a brand new passphrase", "a different one entirely", "confirm_password"},
			{"not my password", "a brand new passphrase", "a brand new passphrase", "current_password"},
			{password, "short", "short", "new_password"},
		}
		for _, c := range cases {
			w = s.post("/account/password", url.Values{"current_password": {c.current}, "new_password": {c.next}, "confirm_password": {c.confirm}})
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBody(t, w, `id="`+c.field+`-error"`)
		}
		w = s.post("/account/password", url.Values{"current_password": {password}, "new_password": {"a brand new passphrase"}, "confirm_password": {"a brand new passphrase"}})
		wantStatus(t, w, http.StatusSeeOther)
		if !strings.Contains(w.Header().Get("Set-Cookie"), "tandem_session=") {
			t.Error("no new session cookie after the password change")
		}
		if _, err := st.SessionUser(ctx, old, store.DefaultSessions); err == nil {
			t.Error("an old session survived the password change")
		}
		if _, err := st.Authenticate(ctx, "ada@example.com", "a brand new passphrase"); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestUsersPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		root := s.as
		bob := s.user("bob@example.com", "Bob", false)
		secret, _, _ := st.CreateToken(ctx, testActor, bob.User.ID, "bob's", nil)

		w := s.get("/admin/users?q=BOB@")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "bob@example.com")
		wantNoBody(t, w, "root@example.com")

		// Deactivation revokes at once; deactivating yourself is refused.
		wantStatus(t, s.post("/admin/users/"+itoa(bob.User.ID)+"/active", url.Values{"active": {"false"}}), http.StatusSeeOther)
		if _, _, err := st.TokenUser(ctx, secret); err == nil {
			t.Error("a deactivated user's token still works")
		}
		wantStatus(t, s.post("/admin/users/"+itoa(root.User.ID)+"/active", url.Values{"active": {"false"}}), http.StatusUnprocessableEntity)
		wantStatus(t, s.post("/admin/users/999999/active", url.Values{"active": {"true"}}), http.StatusNotFound)
		wantStatus(t, s.post("/admin/users/"+itoa(bob.User.ID)+"/active", url.Values{"active": {"true"}}), http.StatusSeeOther)
		if u, _ := st.UserByEmail(ctx, "bob@example.com"); !u.Active {
			t.Error("reactivation did not take")
		}

		// Only instance administrators.
		s.as = bob
		wantStatus(t, s.get("/admin/users"), http.StatusForbidden)
	})
}

// TestConsultancyView: a consultant in two client organizations switches
// between them and sees nothing of a third.
func TestConsultancyView(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	ctx := context.Background()
	for _, slug := range []string{"acme", "globex", "initech"} {
		s.control(s.org(slug), "Secret plan of "+slug, "planned")
	}
	s.as = s.user("cora@consult.example", "Cora Consultant", false)
	for slug, role := range map[string]string{"acme": "manager", "globex": "auditor"} {
		if err := s.org(slug).SetMembership(ctx, testActor, "cora@consult.example", role, nil); err != nil {
			t.Fatal(err)
		}
	}
	w := s.get("/orgs/acme/controls")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `href="/orgs/acme/"`, `href="/orgs/globex/"`, "Secret plan of acme", i18n.T("web.role.manager"))
	wantNoBody(t, w, "initech", "Secret plan of globex")
	w = s.get("/orgs/globex/controls")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "Secret plan of globex", i18n.T("web.role.auditor"))
	wantNoBody(t, w, "initech", "Secret plan of acme", i18n.T("web.controls.new"))
	wantStatus(t, s.get("/orgs/initech/controls"), http.StatusNotFound)
	wantStatus(t, s.get("/orgs/initech/controls/CTL-001"), http.StatusNotFound)
	w = s.get("/orgs")
	wantBody(t, w, "Acme Ltd", "Globex Ltd")
	wantNoBody(t, w, "Initech")
	w = s.get("/catalog/iso27001-2022/A.5.1?org=initech")
	wantStatus(t, w, http.StatusOK)
	wantNoBody(t, w, "Initech", "initech")
}
