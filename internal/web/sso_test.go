package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"tandem/internal/access"
	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
	"tandem/internal/web"
)

// issuer is an OpenID Connect provider inside the test: discovery, keys,
// an authorize endpoint that signs the configured person in at once and a
// token endpoint that checks the client, the redirect URI and PKCE before
// it answers with an RS256-signed ID token. The fields after mu are what
// the next sign-in asserts, set by each case.
type issuer struct {
	srv      *httptest.Server
	key      *rsa.PrivateKey
	clientID string
	secret   string

	mu       sync.Mutex
	grants   map[string]grant // by code, until redeemed
	seen     []grant          // every authorize request
	redeemed int              // codes exchanged with a matching PKCE verifier
	refused  []string         // why the token endpoint said no
	who      map[string]any   // claims of the person who signs in
	aud      string           // audience; empty: the client id
	nonce    *string          // nonce; nil: the one asked for
	life     time.Duration    // token lifetime
	state    *string          // state sent back; nil: the one asked for
	denied   bool             // answer the authorize request with error=access_denied
}

type grant struct {
	ClientID, RedirectURI, Scope, State, Nonce, Challenge, Method string
}

var (
	signingKey     *rsa.PrivateKey
	signingKeyOnce sync.Once
)

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	signingKeyOnce.Do(func() {
		var err error
		if signingKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	p := &issuer{key: signingKey, clientID: "tandem-test", secret: "s3cret/with+chars", grants: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.reset()
	return p
}

// reset puts the assertions back to a well-behaved provider.
func (p *issuer) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.who = map[string]any{"sub": "u-1", "email": "ada@example.com", "email_verified": true, "name": "Ada Lovelace"}
	p.aud, p.nonce, p.state, p.life, p.denied = "", nil, nil, 5*time.Minute, false
	p.secret = "s3cret/with+chars"
	p.refused = nil
}

// stats reads what the provider saw (under its lock: its handlers run on
// other goroutines).
func (p *issuer) stats() (seen []grant, redeemed int, refused []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]grant(nil), p.seen...), p.redeemed, append([]string(nil), p.refused...)
}

func (p *issuer) set(fn func(p *issuer)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (p *issuer) discovery(w http.ResponseWriter, r *http.Request) {
	u := p.srv.URL
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token",
		"jwks_uri": u + "/jwks", "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported": []string{"S256"},
	})
}

func (p *issuer) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: "test-key", Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

func (p *issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	g := grant{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), Scope: q.Get("scope"), State: q.Get("state"),
		Nonce: q.Get("nonce"), Challenge: q.Get("code_challenge"), Method: q.Get("code_challenge_method")}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, g)
	if q.Get("response_type") != "code" || g.ClientID != p.clientID || g.RedirectURI == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	back := url.Values{}
	state := g.State
	if p.state != nil {
		state = *p.state
	}
	back.Set("state", state)
	if p.denied {
		back.Set("error", "access_denied")
		back.Set("error_description", "the user said no")
	} else {
		b := make([]byte, 16)
		rand.Read(b)
		code := hex.EncodeToString(b)
		p.grants[code] = g
		back.Set("code", code)
	}
	http.Redirect(w, r, g.RedirectURI+"?"+back.Encode(), http.StatusFound)
}

func (p *issuer) token(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	refuse := func(status int, code, why string) {
		p.refused = append(p.refused, why)
		writeJSON(w, status, map[string]string{"error": code, "error_description": why})
	}
	if err := r.ParseForm(); err != nil {
		refuse(http.StatusBadRequest, "invalid_request", "unreadable form")
		return
	}
	// Client authentication: HTTP Basic (form-encoded parts, RFC 6749
	// 2.3.1) or the client_id / client_secret parameters.
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.clientID || secret != p.secret {
		refuse(http.StatusUnauthorized, "invalid_client", "wrong client credentials")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		refuse(http.StatusBadRequest, "unsupported_grant_type", "not a code grant")
		return
	}
	g, ok := p.grants[r.PostForm.Get("code")]
	delete(p.grants, r.PostForm.Get("code")) // a code is good once
	switch {
	case !ok:
		refuse(http.StatusBadRequest, "invalid_grant", "unknown or used code")
		return
	case g.ClientID != id || r.PostForm.Get("redirect_uri") != g.RedirectURI:
		refuse(http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request")
		return
	case g.Method != "S256" || g.Challenge == "":
		refuse(http.StatusBadRequest, "invalid_request", "no S256 code challenge was sent")
		return
	}
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != g.Challenge {
		refuse(http.StatusBadRequest, "invalid_grant", "PKCE verifier does not match the challenge")
		return
	}
	p.redeemed++
	now := time.Now()
	claims := map[string]any{"iss": p.srv.URL, "aud": p.clientID, "iat": now.Unix(), "exp": now.Add(p.life).Unix(), "nonce": g.Nonce}
	if p.aud != "" {
		claims["aud"] = p.aud
	}
	if p.nonce != nil {
		claims["nonce"] = *p.nonce
	}
	for k, v := range p.who {
		claims[k] = v
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": "at-" + g.State[:8], "token_type": "Bearer", "expires_in": 300, "id_token": p.sign(claims),
	})
}

func (p *issuer) sign(claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: p.key, KeyID: "test-key"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	payload, _ := json.Marshal(claims)
	obj, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	raw, err := obj.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return raw
}

// ssoSite is Tandem's web UI behind gate.Identify on a real listener, with
// single sign-on through the test issuer, over one store whose database
// the test can also read directly (the instance trail has no reader yet).
type ssoSite struct {
	t        *testing.T
	st       *store.Store
	db       *sql.DB
	idp      *issuer
	app      *httptest.Server
	gate     *access.Gate
	log      *bytes.Buffer
	on, off  *access.OIDC // with and without provisioning
	redirect string
}

func newSSOSite(t *testing.T, st *store.Store, db *sql.DB) *ssoSite {
	t.Helper()
	s := &ssoSite{t: t, st: st, db: db, idp: newIssuer(t), log: &bytes.Buffer{}}
	var h http.Handler
	s.app = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(s.app.Close)
	s.redirect = s.app.URL + "/login/sso/callback"
	cfg := access.OIDCConfig{Issuer: s.idp.srv.URL, ClientID: s.idp.clientID, ClientSecret: s.idp.secret,
		RedirectURL: s.redirect, Name: "Company SSO"}
	var err error
	if s.off, err = access.NewOIDC(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Provision = true
	if s.on, err = access.NewOIDC(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(&syncWriter{buf: s.log}, nil))
	s.gate = access.NewGate(st)
	s.gate.OIDC, s.gate.Log = s.off, log
	h = s.gate.Identify(web.New(st, storetest.Catalog, s.gate, log))
	return s
}

type syncWriter struct {
	mu  sync.Mutex
	buf *bytes.Buffer
}

func (w *syncWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(b)
}

// browser is a fresh browser: its own cookie jar, following redirects
// unless follow is false.
func (s *ssoSite) browser(follow bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

// get requests a URL and returns the final response with its body.
func (s *ssoSite) get(c *http.Client, u string) (*http.Response, string) {
	s.t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, html.UnescapeString(string(b))
}

// signIn runs the whole flow in a fresh browser from the button's link.
func (s *ssoSite) signIn(next string) (*http.Client, *http.Response, string) {
	s.t.Helper()
	c := s.browser(true)
	resp, body := s.get(c, s.app.URL+"/login/sso?next="+url.QueryEscape(next))
	return c, resp, body
}

// toCallback runs the flow up to the provider's redirect back and returns
// the callback URL without following it.
func (s *ssoSite) toCallback(c *http.Client) string {
	s.t.Helper()
	resp, _ := s.get(c, s.app.URL+"/login/sso?next=/orgs")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), s.idp.srv.URL+"/authorize?") {
		s.t.Fatalf("start: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = s.get(c, resp.Header.Get("Location"))
	back := resp.Header.Get("Location")
	if !strings.HasPrefix(back, s.redirect+"?") {
		s.t.Fatalf("provider sent the browser to %q", back)
	}
	return back
}

// session tells whether the browser holds a session cookie for the site.
func (s *ssoSite) session(c *http.Client) bool {
	u, _ := url.Parse(s.app.URL + "/")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == access.SessionCookie && ck.Value != "" {
			return true
		}
	}
	return false
}

// signIns returns the via of each user.sign_in entry of the user.
func (s *ssoSite) signIns(email string) []string {
	s.t.Helper()
	rows, err := s.db.Query(`SELECT after_json FROM trail_entries WHERE org_id = 0 AND action = 'user.sign_in'
		AND resource_ref = $1 ORDER BY seq`, email)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var vias []string
	for rows.Next() {
		var after string
		if err := rows.Scan(&after); err != nil {
			s.t.Fatal(err)
		}
		var m map[string]string
		json.Unmarshal([]byte(after), &m)
		vias = append(vias, m["via"])
	}
	return vias
}

// creator is the actor of the user.create entry of the user.
func (s *ssoSite) creator(email string) string {
	s.t.Helper()
	var actor string
	if err := s.db.QueryRow(`SELECT actor FROM trail_entries WHERE org_id = 0 AND action = 'user.create'
		AND resource_ref = $1`, email).Scan(&actor); err != nil {
		s.t.Fatal(err)
	}
	return actor
}

// refused asserts the sign-in page with one message, no session, nothing
// of the reason on the page and the reason in the log.
func (s *ssoSite) refused(c *http.Client, resp *http.Response, body string, status int, msg, reason string) {
	s.t.Helper()
	if resp.StatusCode != status {
		s.t.Fatalf("status %d, want %d; body:\n%.1500s", resp.StatusCode, status, body)
	}
	if resp.Request.URL.Path != "/login/sso/callback" || !strings.Contains(body, msg) || !strings.Contains(body, `action="/login"`) {
		s.t.Errorf("at %s, want the sign-in page saying %q:\n%.1500s", resp.Request.URL, msg, body)
	}
	if s.session(c) {
		s.t.Error("a refused sign-in left a session cookie")
	}
	if strings.Contains(body, reason) {
		s.t.Errorf("the page tells the reason %q", reason)
	}
	if !strings.Contains(s.log.String(), reason) {
		s.t.Errorf("reason %q not logged:\n%s", reason, s.log.String())
	}
}

const (
	msgFailed    = "Single sign-on did not complete"
	msgNoAccount = "There is no active Tandem account"
)

var ssoActor = domain.Actor{Kind: "system", Name: "test"}

// engines runs fn on SQLite and on PostgreSQL (when configured, required
// in CI) with a second connection to the same database for reading the
// instance trail.
func engines(t *testing.T, fn func(t *testing.T, st *store.Store, db *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		st := openStore(t, store.Config{DataDir: dir})
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "tandem.db")+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, st, db)
	})
	t.Run("postgres", func(t *testing.T) {
		base := storetest.PostgresURL(t)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Close() })
		b := make([]byte, 6)
		rand.Read(b)
		schema := "test_sso_" + hex.EncodeToString(b)
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		st := openStore(t, store.Config{DatabaseURL: u.String()})
		db, err := sql.Open("pgx", u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, st, db)
	})
}

func openStore(t *testing.T, cfg store.Config) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), cfg, storetest.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestSSO drives single sign-on end to end, in real browser sessions over
// HTTP, against a provider that signs real tokens: every check that must
// refuse does, and the one that must let in does.
func TestSSO(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store, db *sql.DB) {
		ctx := context.Background()
		s := newSSOSite(t, st, db)
		if _, err := st.CreateOrg(ctx, ssoActor, domain.OrgInput{Slug: "acme", Name: "Acme"}); err != nil {
			t.Fatal(err)
		}
		ada, err := st.CreateUser(ctx, ssoActor, domain.UserInput{Email: "ada@example.com", Name: "Ada", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		acme, _ := st.Org(ctx, "acme")
		if err := acme.SetMembership(ctx, ssoActor, ada.Email, "manager", nil); err != nil {
			t.Fatal(err)
		}
		// setup readies a case; the site's helpers report to its t.
		setup := func(t *testing.T, provision bool, fn func(p *issuer)) {
			s.t = t
			s.idp.reset()
			s.idp.set(fn)
			s.log.Reset()
			s.gate.OIDC = s.off
			if provision {
				s.gate.OIDC = s.on
			}
		}

		t.Run("login page offers the provider", func(t *testing.T) {
			setup(t, false, func(*issuer) {})
			resp, body := s.get(s.browser(true), s.app.URL+"/login?next=/orgs/acme/controls")
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Sign in with Company SSO") ||
				!strings.Contains(body, `href="/login/sso?next=%2forgs%2facme%2fcontrols"`) {
				t.Errorf("no SSO button:\n%.3000s", body)
			}
		})

		t.Run("existing user lands on next", func(t *testing.T) {
			setup(t, false, func(p *issuer) { p.who["email"] = "Ada@Example.COM" }) // matched in any case
			seen, _, _ := s.idp.stats()
			before := len(seen)
			c, resp, body := s.signIn("/orgs/acme/controls")
			if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != s.app.URL+"/orgs/acme/controls" {
				t.Fatalf("landed on %s with %d:\n%.1500s", resp.Request.URL, resp.StatusCode, body)
			}
			if !strings.Contains(body, "Ada") || !s.session(c) {
				t.Error("not signed in as Ada")
			}
			seen, redeemed, refused := s.idp.stats()
			g := seen[before]
			if g.Method != "S256" || len(g.Challenge) != 43 || g.Nonce == "" || len(g.State) < 32 ||
				g.RedirectURI != s.redirect || g.Scope != "openid email profile" {
				t.Errorf("authorization request %+v", g)
			}
			if redeemed == 0 || len(refused) != 0 {
				t.Errorf("token endpoint: %d redeemed, refused %v", redeemed, refused)
			}
			if got := s.signIns("ada@example.com"); len(got) != 1 || got[0] != "oidc" {
				t.Errorf("sign-in trail entries say via %v, want [oidc]", got)
			}
			// The attempt cookie is spent.
			u, _ := url.Parse(s.redirect)
			for _, ck := range c.Jar.Cookies(u) {
				if ck.Name == access.SSOCookie {
					t.Errorf("attempt cookie left behind: %v", ck)
				}
			}
			if _, err := st.UserByEmail(ctx, "Ada@Example.COM"); err != nil {
				t.Error(err)
			}
		})

		t.Run("off-site next goes home", func(t *testing.T) {
			setup(t, false, func(*issuer) {})
			_, resp, body := s.signIn("//evil.example/steal")
			if resp.StatusCode != http.StatusOK || resp.Request.URL.Host != strings.TrimPrefix(s.app.URL, "http://") ||
				resp.Request.URL.Path != "/orgs/acme/" {
				t.Fatalf("landed on %s with %d:\n%.800s", resp.Request.URL, resp.StatusCode, body)
			}
		})

		t.Run("signed-in browser skips the provider", func(t *testing.T) {
			setup(t, false, func(*issuer) {})
			c, _, _ := s.signIn("/orgs")
			before, _, _ := s.idp.stats()
			resp, _ := s.get(c, s.app.URL+"/login/sso?next=/catalog")
			if after, _, _ := s.idp.stats(); resp.Request.URL.Path != "/catalog" || len(after) != len(before) {
				t.Errorf("at %s after %d provider visits", resp.Request.URL, len(after)-len(before))
			}
		})

		t.Run("unknown user without provisioning", func(t *testing.T) {
			setup(t, false, func(p *issuer) { p.who["email"] = "grace@example.com" })
			c, resp, body := s.signIn("/orgs")
			s.refused(c, resp, body, http.StatusForbidden, msgNoAccount, "no account and provisioning is off")
			if _, err := st.UserByEmail(ctx, "grace@example.com"); err != domain.ErrNotFound {
				t.Errorf("user created without provisioning: %v", err)
			}
		})

		t.Run("unknown user with provisioning", func(t *testing.T) {
			setup(t, true, func(p *issuer) {
				p.who["email"], p.who["name"], p.who["sub"] = "grace@example.com", "Grace Hopper", "u-2"
			})
			c, resp, body := s.signIn("/")
			// No organization yet: home sends them to the organizations page.
			if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/orgs" || !s.session(c) {
				t.Fatalf("landed on %s with %d:\n%.1500s", resp.Request.URL, resp.StatusCode, body)
			}
			u, err := st.UserByEmail(ctx, "grace@example.com")
			if err != nil || u.Name != "Grace Hopper" || !u.Active || u.InstanceAdmin {
				t.Fatalf("provisioned %+v, %v", u, err)
			}
			if ms, err := st.Memberships(ctx, u.ID); err != nil || len(ms) != 0 {
				t.Errorf("provisioned user has memberships %v, %v", ms, err)
			}
			if _, err := st.Authenticate(ctx, u.Email, ""); err == nil {
				t.Error("provisioned user signs in with an empty password")
			}
			if got := s.creator("grace@example.com"); got != "system:sso" {
				t.Errorf("user.create by %q", got)
			}
			if got := s.signIns("grace@example.com"); len(got) != 1 || got[0] != "oidc" {
				t.Errorf("sign-ins %v", got)
			}
			// The second time the account exists: no second one is made.
			if _, resp, _ := s.signIn("/orgs"); resp.Request.URL.Path != "/orgs" || len(s.signIns("grace@example.com")) != 2 {
				t.Errorf("second sign-in at %s", resp.Request.URL)
			}
		})

		refusals := []struct {
			name      string
			provision bool
			tweak     func(p *issuer)
			reason    string
			detail    string // more of the logged reason, where the reason is shared
		}{
			{"unverified email", true, func(p *issuer) { p.who["email_verified"] = false }, "email not verified", ""},
			{"unverified new email", true, func(p *issuer) {
				p.who["email"], p.who["email_verified"] = "mallory@example.com", "false"
			}, "email not verified", ""},
			{"email_verified missing", true, func(p *issuer) {
				p.who["email"] = "mallory@example.com"
				delete(p.who, "email_verified")
			}, "email not verified", ""},
			{"no email claim", true, func(p *issuer) { delete(p.who, "email") }, "no email claim", ""},
			{"tampered state", false, func(p *issuer) { forged := "forged-state"; p.state = &forged }, "state does not match", ""},
			{"wrong audience", false, func(p *issuer) { p.aud = "another-client" }, "ID token rejected", "audience"},
			{"wrong nonce", false, func(p *issuer) { other := "another-nonce"; p.nonce = &other }, "nonce does not match", ""},
			{"expired token", false, func(p *issuer) { p.life = -time.Minute }, "ID token rejected", "expired"},
			{"wrong client secret", false, func(p *issuer) { p.secret = "rotated" }, "code exchange failed", "invalid_client"},
			{"provider error", false, func(p *issuer) { p.denied = true }, "the provider answered with an error", ""},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				setup(t, tt.provision, tt.tweak)
				before := len(s.signIns("ada@example.com"))
				c, resp, body := s.signIn("/orgs")
				s.refused(c, resp, body, http.StatusUnauthorized, msgFailed, tt.reason)
				if !strings.Contains(s.log.String(), tt.detail) {
					t.Errorf("log does not say %q:\n%s", tt.detail, s.log.String())
				}
				if after := len(s.signIns("ada@example.com")); after != before {
					t.Errorf("a refused sign-in is in the trail (%d → %d)", before, after)
				}
				if _, err := st.UserByEmail(ctx, "mallory@example.com"); err != domain.ErrNotFound {
					t.Errorf("a refused sign-in created an account: %v", err)
				}
			})
		}

		t.Run("tampered attempt cookie", func(t *testing.T) {
			setup(t, false, func(*issuer) {})
			c := s.browser(false)
			back := s.toCallback(c)
			_, redeemed, _ := s.idp.stats()
			// Change the return path inside the cookie; its MAC no longer fits.
			u, _ := url.Parse(s.redirect)
			var ck *http.Cookie
			for _, k := range c.Jar.Cookies(u) {
				if k.Name == access.SSOCookie {
					ck = k
				}
			}
			if ck == nil {
				t.Fatal("no attempt cookie")
			}
			payload, mac, _ := strings.Cut(ck.Value, ".")
			raw, _ := base64.RawURLEncoding.DecodeString(payload)
			raw = bytes.Replace(raw, []byte(`"/orgs"`), []byte(`"/catalog"`), 1)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: access.SSOCookie, Value: base64.RawURLEncoding.EncodeToString(raw) + "." + mac, Path: "/login/sso"}})
			resp, body := s.get(c, back)
			s.refused(c, resp, body, http.StatusUnauthorized, msgFailed, "attempt cookie altered or forged")
			if _, after, _ := s.idp.stats(); after != redeemed {
				t.Error("the code was exchanged for a forged attempt")
			}
		})

		t.Run("callback in another browser", func(t *testing.T) {
			// Login CSRF: an attacker's own callback URL sent to a victim
			// carries no attempt cookie of the victim's.
			setup(t, false, func(*issuer) {})
			back := s.toCallback(s.browser(false))
			victim := s.browser(true)
			resp, body := s.get(victim, back)
			s.refused(victim, resp, body, http.StatusUnauthorized, msgFailed, "no sign-in attempt cookie")
		})

		t.Run("callback replayed", func(t *testing.T) {
			setup(t, false, func(*issuer) {})
			c := s.browser(false)
			back := s.toCallback(c)
			if resp, _ := s.get(c, back); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/orgs" {
				t.Fatalf("first callback: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			fresh := s.browser(false)
			for _, ck := range c.Jar.Cookies(mustURL(s.redirect)) {
				fresh.Jar.SetCookies(mustURL(s.redirect), []*http.Cookie{ck})
			}
			resp, body := s.get(fresh, back)
			s.refused(fresh, resp, body, http.StatusUnauthorized, msgFailed, "no sign-in attempt cookie")
		})

		t.Run("deactivated user", func(t *testing.T) {
			setup(t, true, func(p *issuer) { p.who["email"] = "old@example.com" })
			old, err := st.CreateUser(ctx, ssoActor, domain.UserInput{Email: "old@example.com", Name: "Former"})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetActive(ctx, ssoActor, old.ID, false); err != nil {
				t.Fatal(err)
			}
			c, resp, body := s.signIn("/orgs")
			s.refused(c, resp, body, http.StatusForbidden, msgNoAccount, "account deactivated")
			if got := s.signIns("old@example.com"); len(got) != 0 {
				t.Errorf("deactivated user signed in: %v", got)
			}
		})

		// Every refusal above left the trail alone: Ada signed in only
		// through the cases that let her in.
		s.t = t
		for _, via := range s.signIns("ada@example.com") {
			if via != "oidc" {
				t.Errorf("Ada signed in via %q", via)
			}
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestSSOOff: without a provider the sign-in page has no SSO button and the
// SSO routes do not exist.
func TestSSOOff(t *testing.T) {
	st := storetest.SQLite(t)
	gate := access.NewGate(st)
	app := httptest.NewServer(gate.Identify(web.New(st, storetest.Catalog, gate, slog.New(slog.NewTextHandler(io.Discard, nil)))))
	defer app.Close()
	for path, want := range map[string]int{"/login": http.StatusOK, "/login/sso?next=/orgs": http.StatusNotFound, "/login/sso/callback?code=x&state=y": http.StatusNotFound} {
		resp, err := http.Get(app.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || strings.Contains(string(b), "/login/sso") {
			t.Errorf("%s: %d, want %d (or shows an SSO link)", path, resp.StatusCode, want)
		}
	}
}
