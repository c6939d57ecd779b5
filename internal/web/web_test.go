package web

import (
	"bytes"
	"context"
	"html"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tandem/internal/access"
	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

var testActor = domain.Actor{Kind: "system", Name: "test"}

// site is the web UI over one store, with helpers to request it. Requests
// are made as the principal as (an instance administrator unless a test
// changes it), placed where the server's Identify middleware would put it;
// every route's rule is still checked by the gate.
type site struct {
	t   *testing.T
	st  *store.Store
	ui  *UI
	h   http.Handler
	log *bytes.Buffer
	as  *access.Principal
}

func newSite(t *testing.T, st *store.Store) *site {
	t.Helper()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	s := &site{t: t, st: st, log: &buf}
	s.ui = New(st, storetest.Catalog, access.NewGate(st), log)
	s.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.as != nil {
			r = r.WithContext(access.WithPrincipal(r.Context(), s.as))
		}
		s.ui.ServeHTTP(w, r)
	})
	s.as = s.user("root@example.com", "Root", true)
	return s
}

// user returns a principal for a user, created on first use.
func (s *site) user(email, name string, instanceAdmin bool) *access.Principal {
	s.t.Helper()
	ctx := context.Background()
	u, err := s.st.UserByEmail(ctx, email)
	if err != nil {
		u, err = s.st.CreateUser(ctx, testActor, domain.UserInput{Email: email, Name: name, InstanceAdmin: instanceAdmin})
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return &access.Principal{User: u}
}

func (s *site) get(path string) *httptest.ResponseRecorder {
	s.t.Helper()
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func (s *site) post(path string, form url.Values) *httptest.ResponseRecorder {
	s.t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w
}

func (s *site) org(slug string) *store.OrgStore {
	s.t.Helper()
	ctx := context.Background()
	if _, err := s.st.Org(ctx, slug); err != nil {
		if _, err := s.st.CreateOrg(ctx, testActor, domain.OrgInput{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:] + " Ltd", TimeZone: "Europe/Amsterdam"}); err != nil {
			s.t.Fatal(err)
		}
	}
	o, err := s.st.Org(ctx, slug)
	if err != nil {
		s.t.Fatal(err)
	}
	return o
}

func (s *site) control(o *store.OrgStore, title, status string, reqs ...string) domain.Control {
	s.t.Helper()
	c, err := o.CreateControl(context.Background(), testActor, domain.ControlInput{Title: &title, Status: &status, Requirements: &reqs})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, code int) {
	t.Helper()
	if w.Code != code {
		t.Fatalf("status %d, want %d; body:\n%.2000s", w.Code, code, w.Body.String())
	}
}

func wantBody(t *testing.T, w *httptest.ResponseRecorder, parts ...string) {
	t.Helper()
	body := html.UnescapeString(w.Body.String())
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("body lacks %q", p)
		}
	}
}

func wantNoBody(t *testing.T, w *httptest.ResponseRecorder, parts ...string) {
	t.Helper()
	body := html.UnescapeString(w.Body.String())
	for _, p := range parts {
		if strings.Contains(body, p) {
			t.Errorf("body has %q", p)
		}
	}
}

func TestOrganizations(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()

		w := s.get("/")
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs" {
			t.Fatalf("with no organization / goes to %q", loc)
		}
		wantStatus(t, s.get("/orgs"), http.StatusOK)

		// Invalid input: 422, every field's message inline, values kept, nothing written.
		w = s.post("/orgs", url.Values{"slug": {"Not A Slug"}, "name": {""}, "time_zone": {"Mars/Olympus"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("error.slug"), i18n.T("error.required"), i18n.T("error.time_zone"),
			`value="Not A Slug"`, `value="Mars/Olympus"`, `aria-invalid="true"`)
		if page, err := st.Orgs(ctx, 10, ""); err != nil || len(page.Items) != 0 {
			t.Fatalf("invalid form wrote %v (%v)", page.Items, err)
		}

		w = s.post("/orgs", url.Values{"slug": {"acme"}, "name": {"Acme Health"}, "time_zone": {"Europe/Amsterdam"}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/orgs/acme/") {
			t.Fatalf("created org redirects to %q", loc)
		}
		// A taken slug is a field error too.
		w = s.post("/orgs", url.Values{"slug": {"acme"}, "name": {"Other"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("error.duplicate_slug"))

		w = s.get("/")
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/" {
			t.Fatalf("/ goes to %q, want the first organization's dashboard", loc)
		}
		w = s.get("/orgs/acme/?notice=org")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Acme Health", i18n.T("web.notice.org_created"), i18n.T("web.dashboard.empty_title"))
	})
}

func TestControlLifecycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()

		wantStatus(t, s.get("/orgs/acme/controls/new"), http.StatusOK)

		// Empty title: 422 with the message beside the field, ticks kept, nothing written.
		w := s.post("/orgs/acme/controls", url.Values{"title": {"  "}, "status": {"implemented"},
			"requirements": {"iso27001-2022/A.5.1"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="title-error"`, i18n.T("error.required"), `value="iso27001-2022/A.5.1" checked`)
		if _, total, _ := o.ListControls(ctx, domain.ControlFilter{}); total != 0 {
			t.Fatalf("invalid form wrote %d controls", total)
		}

		w = s.post("/orgs/acme/controls", url.Values{"title": {"Information security and AI policy"}, "owner": {"CISO"},
			"status": {"in_progress"}, "requirements": {"iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/controls/CTL-001?notice=created" {
			t.Fatalf("create redirects to %q", loc)
		}
		w = s.get("/orgs/acme/controls/CTL-001")
		wantStatus(t, w, http.StatusOK)
		a51 := storetest.Catalog.Requirement("iso27001-2022/A.5.1")
		wantBody(t, w, "Information security and AI policy", a51.Title, "ISO/IEC 27001:2022", "ISO/IEC 42001:2023",
			i18n.T("web.scope.shared"), i18n.T("web.status.in_progress"), i18n.T("web.action.control.create"))

		// The crosswalk suggests counterparts of A.5.1 that are not linked yet.
		var suggested string
		for _, l := range storetest.Catalog.LinksOf(a51.Key) {
			if k := l.Counterpart(a51.Key); k != "iso42001-2023/A.2.2" {
				suggested = k
				break
			}
		}
		if suggested == "" {
			t.Fatal("catalog has no crosswalk link for A.5.1 besides A.2.2")
		}
		wantBody(t, w, `name="key" value="`+suggested+`"`)
		w = s.post("/orgs/acme/controls/CTL-001/link", url.Values{"key": {suggested}, "version": {"1"}})
		wantStatus(t, w, http.StatusSeeOther)
		c, err := o.Control(ctx, "CTL-001")
		if err != nil || c.Version != 2 || !slices.Contains(c.Requirements, suggested) {
			t.Fatalf("after link: %+v, %v", c, err)
		}
		// The same button on the old page now carries a stale version.
		w = s.post("/orgs/acme/controls/CTL-001/unlink", url.Values{"key": {suggested}, "version": {"1"}})
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, i18n.T("error.version_conflict"))
		w = s.post("/orgs/acme/controls/CTL-001/unlink", url.Values{"key": {suggested}, "version": {"2"}})
		wantStatus(t, w, http.StatusSeeOther)

		// Edit: the form carries the version; a stale one gets 409 with what
		// is saved now in the form and the person's change listed beside it.
		w = s.get("/orgs/acme/controls/CTL-001/edit")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `name="version" value="3"`, `value="iso42001-2023/A.2.2" checked`)
		title := "Renamed elsewhere"
		if _, err := o.UpdateControl(ctx, testActor, "CTL-001", 3, domain.ControlInput{Title: &title}); err != nil {
			t.Fatal(err)
		}
		edit := url.Values{"version": {"3"}, "title": {"My new title"}, "status": {"implemented"}, "owner": {"CISO"},
			"requirements": {"iso27001-2022/A.5.1", "iso42001-2023/A.2.2"}}
		w = s.post("/orgs/acme/controls/CTL-001", edit)
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, i18n.T("error.version_conflict"), `value="Renamed elsewhere"`, `name="version" value="4"`,
			"My new title", i18n.T("web.form.conflict_title"))
		if c, _ := o.Control(ctx, "CTL-001"); c.Title != "Renamed elsewhere" || c.Status != "in_progress" {
			t.Fatalf("stale edit was written: %+v", c)
		}
		edit.Set("version", "4")
		edit.Set("title", "")
		w = s.post("/orgs/acme/controls/CTL-001", edit)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("error.required"), `name="version" value="4"`)
		// A change of status is shown with its impact first, and saved
		// only when confirmed.
		edit.Set("title", "My new title")
		w = s.post("/orgs/acme/controls/CTL-001", edit)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.impact.title"), i18n.T("web.impact.confirm"), i18n.T("web.state.implemented"), `value="My new title"`)
		if c, _ := o.Control(ctx, "CTL-001"); c.Title == "My new title" {
			t.Fatal("the impact preview saved the change")
		}
		edit.Set("confirm", "1")
		w = s.post("/orgs/acme/controls/CTL-001", edit)
		wantStatus(t, w, http.StatusSeeOther)
		w = s.get("/orgs/acme/controls/CTL-001")
		wantBody(t, w, "My new title", i18n.T("web.action.control.update"),
			`class="history-from">`+i18n.T("web.status.in_progress"), `class="history-to">`+i18n.T("web.status.implemented"))

		// Delete: a stale version is refused, the right one removes it.
		w = s.post("/orgs/acme/controls/CTL-001/delete", url.Values{"version": {"4"}})
		wantStatus(t, w, http.StatusConflict)
		w = s.post("/orgs/acme/controls/CTL-001/delete", url.Values{"version": {"5"}})
		wantStatus(t, w, http.StatusSeeOther)
		wantStatus(t, s.get("/orgs/acme/controls/CTL-001"), http.StatusNotFound)
		// A form without a version is not a write.
		wantStatus(t, s.post("/orgs/acme/controls/CTL-002/delete", nil), http.StatusBadRequest)
	})
}

func TestControlList(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	s.control(o, "Shared policy framework", "implemented", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
	s.control(o, "Secure coding", "planned", "iso27001-2022/A.8.28")
	s.control(o, "AI impact assessment", "in_progress", "iso42001-2023/A.5.2")
	s.control(o, "Unlinked idea", "planned")

	w := s.get("/orgs/acme/controls")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "4 controls", "Shared policy framework", "Unlinked idea", "A.8.28",
		`href="/orgs/acme/controls?requirement=iso27001-2022%2fA.5.1"`)

	w = s.get("/orgs/acme/controls?scope=shared")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "1 control", "Shared policy framework")
	wantNoBody(t, w, "Secure coding", "Unlinked idea")

	w = s.get("/orgs/acme/controls?status=planned&q=secure")
	wantBody(t, w, "1 control", "Secure coding")

	// A bare ref is resolved when only one standard has it …
	w = s.get("/orgs/acme/controls?requirement=A.8.28")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "1 control", "Secure coding", i18n.T("web.filter.linked_to"))
	// … and a clause both standards have needs the standard.
	w = s.get("/orgs/acme/controls?requirement=5.1")
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, i18n.T("web.error.requirement_ambiguous", "5.1"))
	wantStatus(t, s.get("/orgs/acme/controls?requirement=5.1&standard=iso42001-2023"), http.StatusOK)

	// Invalid values are inline errors, never a 500.
	for _, q := range []string{"status=done", "scope=everything", "standard=iso9001", "requirement=iso27001-2022/A.99", "cursor=zzz"} {
		w = s.get("/orgs/acme/controls?" + q)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `class="field-error"`)
	}
}

func TestControlListPages(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	for i := range listSize + 3 {
		s.control(o, "Control number "+strconv.Itoa(i+1), "planned", "iso27001-2022/A.8.1")
	}
	w := s.get("/orgs/acme/controls?standard=iso27001-2022")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, strconv.Itoa(listSize+3)+" controls", "CTL-050")
	wantNoBody(t, w, "CTL-051")
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(w.Body.String())
	if next == nil {
		t.Fatal("no next page link")
	}
	link := html.UnescapeString(next[1])
	if !strings.Contains(link, "standard=iso27001-2022") {
		t.Fatalf("next link %q drops the filter", link)
	}
	w = s.get(link)
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "CTL-051", "CTL-053", i18n.T("web.pager.first"))
	wantNoBody(t, w, "CTL-050")
}

func TestOtherOrganizationLooksMissing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		s.org("acme")
		other := s.org("globex")
		c := s.control(other, "Globex secret control", "planned")

		hidden := s.get("/orgs/acme/controls/" + c.Ref)
		missing := s.get("/orgs/acme/controls/CTL-999")
		wantStatus(t, hidden, http.StatusNotFound)
		wantStatus(t, missing, http.StatusNotFound)
		if hidden.Body.String() != missing.Body.String() {
			t.Error("another organization's control does not look exactly like a missing one")
		}
		wantNoBody(t, hidden, "Globex secret control")
		for _, p := range []string{"/orgs/acme/controls/" + c.Ref + "/edit", "/orgs/nope/", "/orgs/nope/controls",
			"/catalog/iso27001-2022/A.99.9", "/catalog/iso9001/4.1", "/no/such/page"} {
			w := s.get(p)
			wantStatus(t, w, http.StatusNotFound)
			wantBody(t, w, i18n.T("web.error.not_found"))
		}
		// Writes through another organization's path cannot reach the control.
		w := s.post("/orgs/acme/controls/"+c.Ref+"/delete", url.Values{"version": {"1"}})
		wantStatus(t, w, http.StatusNotFound)
		if _, err := other.Control(context.Background(), c.Ref); err != nil {
			t.Fatalf("control of globex touched: %v", err)
		}
	})
}

func TestCatalogPages(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	s.control(o, "Management commitment", "implemented", "iso27001-2022/5.1")
	cat := storetest.Catalog

	w := s.get("/catalog")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "ISO/IEC 27001:2022", "ISO/IEC 42001:2023", `href="/catalog/iso27001-2022/A.5.1?org=acme"`)
	for _, g := range cat.Standard("iso42001-2023").Groups {
		wantBody(t, w, g.Title)
	}

	clause, annex := cat.Requirement("iso27001-2022/5.1"), cat.Requirement("iso27001-2022/A.5.1")
	if clause.Title == annex.Title {
		t.Fatal("test needs different titles")
	}
	w = s.get("/catalog/iso27001-2022/5.1")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "<h1><span class=\"ref ref-lg\">5.1</span> "+clause.Title, i18n.T("web.kind.clause"),
		"Management commitment", i18n.T("web.relationship.equivalent"), `href="/catalog/iso42001-2023/5.1?org=acme"`)
	w = s.get("/catalog/iso27001-2022/A.5.1")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "<h1><span class=\"ref ref-lg\">A.5.1</span> "+annex.Title, i18n.T("web.kind.annex"),
		cat.Standard("iso27001-2022").Group(annex.Group).Title, i18n.T("web.requirement.no_controls"))
	wantNoBody(t, w, "Management commitment")

	w = s.get("/catalog?q=supplier")
	wantStatus(t, w, http.StatusOK)
	wantNoBody(t, w, clause.Title)
}

func TestDashboard(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	s.control(o, "Policy", "implemented", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
	s.control(o, "Secure coding", "planned", "iso27001-2022/A.8.28")
	s.control(o, "Idea", "not_implemented")

	w := s.get("/orgs/acme/")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "<svg", `href="/orgs/acme/controls?status=implemented"`, `href="/orgs/acme/controls?scope=shared"`,
		`href="/orgs/acme/controls?requirement=iso27001-2022%2FA.5.1"`,
		i18n.T("web.dashboard.coverage_summary", 2, 93, 1), i18n.T("web.dashboard.coverage_summary", 1, 38, 1),
		i18n.T("web.dashboard.recent"))
	wantStatus(t, s.get("/orgs/acme"), http.StatusMovedPermanently)
}

// The server sends a strict Content-Security-Policy: no inline script, no
// inline event handlers and no style attributes may appear on any page.
func TestPagesNeedNoInlineCode(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	c := s.control(o, "Policy", "implemented", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<script>|\son[a-z]+=|\sstyle=|<style`)
	for _, p := range []string{"/orgs", "/orgs/acme/", "/orgs/acme/controls", "/orgs/acme/controls/new",
		"/orgs/acme/controls/" + c.Ref, "/orgs/acme/controls/" + c.Ref + "/edit", "/catalog",
		"/catalog/iso42001-2023/A.2.2", "/nowhere"} {
		w := s.get(p)
		if m := inline.FindString(w.Body.String()); m != "" {
			t.Errorf("%s has inline code: %q", p, m)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	s := newSite(t, storetest.SQLite(t))
	page := s.get("/orgs").Body.String()
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no versioned stylesheet link")
	}
	w := s.get(m[1])
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("stylesheet served as %q", ct)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned asset Cache-Control %q", cc)
	}
	wantStatus(t, s.get("/static/nothing.css"), http.StatusNotFound)
}

func TestServerErrorIsLoggedNotShown(t *testing.T) {
	st := storetest.SQLite(t)
	s := newSite(t, st)
	s.org("acme")
	st.Close()
	w := s.get("/orgs/acme/controls")
	wantStatus(t, w, http.StatusInternalServerError)
	wantBody(t, w, i18n.T("web.error.internal"))
	wantNoBody(t, w, "sql", "closed")
	if !strings.Contains(s.log.String(), "closed") {
		t.Errorf("error not logged: %q", s.log.String())
	}
}

// Every message id a template asks for exists, and so does every label the
// pages derive from a value (status, scope, relationship, kind, action).
func TestMessages(t *testing.T) {
	ids := regexp.MustCompile(`\b(t|tn) "(web\.[a-z0-9_.-]+)"`)
	err := fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, path)
		if err != nil {
			return err
		}
		for _, m := range ids.FindAllStringSubmatch(string(b), -1) {
			id := m[2]
			if m[1] == "tn" {
				id += ".other"
			}
			if !i18n.Has(id) {
				t.Errorf("%s: message %s is missing", path, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var derived []string
	for _, s := range domain.Statuses {
		derived = append(derived, "web.status."+s)
	}
	for _, s := range append(domain.Scopes, domain.ScopeOther) {
		derived = append(derived, "web.scope."+s)
	}
	for _, r := range catalog.Relationships {
		derived = append(derived, "web.relationship."+r)
	}
	derived = append(derived, "web.kind."+catalog.KindClause, "web.kind."+catalog.KindAnnex)
	for _, id := range notices {
		derived = append(derived, id)
	}
	for _, a := range []string{"control.create", "control.update", "control.link", "control.unlink", "control.delete", "other"} {
		derived = append(derived, "web.action."+a)
	}
	for _, id := range derived {
		if !i18n.Has(id) {
			t.Errorf("message %s is missing", id)
		}
	}
}
