package access

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"tandem/internal/domain"
)

// Single sign-on refusals. Whatever went wrong in detail (a forged or
// expired state, a failed code exchange, a token with the wrong audience or
// nonce, an unverified email) is logged and answered with ErrSSOFailed, so
// the page never explains to an attacker which check stopped them.
// ErrSSONoAccount is for a person the identity provider did vouch for but
// who has no active account here (unknown without provisioning, or
// deactivated): they can do something about that, so they are told.
var (
	ErrSSOFailed    = errors.New("access: single sign-on failed")
	ErrSSONoAccount = errors.New("access: no active account for this single sign-on identity")
)

// SSOCookie carries one sign-in attempt from GET /login/sso to the callback.
const SSOCookie = "tandem_sso"

// ssoPath scopes the attempt cookie to the two single sign-on routes.
const ssoPath = "/login/sso"

// ssoAttemptTTL is how long a browser has to come back from the provider.
const ssoAttemptTTL = 10 * time.Minute

// ssoActor is who the trail names for accounts created at first sign-in.
var ssoActor = domain.Actor{Kind: "system", Name: "sso"}

// OIDCConfig is one instance's OpenID Connect provider.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL; discovery reads <Issuer>/.well-known/openid-configuration
	ClientID     string
	ClientSecret string // empty for a public client (PKCE alone)
	RedirectURL  string // <public url>/login/sso/callback, registered at the provider
	Name         string // the button label: "Sign in with <Name>"
	Provision    bool   // create an account (with no organization) for an unknown verified email
}

// OIDC signs people in through an OpenID Connect provider with the
// authorization code flow and PKCE. Tandem keeps no server-side state for
// an attempt: state, nonce, PKCE verifier and the return path travel in a
// short-lived cookie that is authenticated with HMAC-SHA256, so it cannot
// be forged or altered.
type OIDC struct {
	cfg      OIDCConfig
	client   *http.Client
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
	key      []byte // HMAC key of the attempt cookie
	now      func() time.Time
}

// oidcTimeout bounds each call to the provider (discovery, keys, token).
const oidcTimeout = 15 * time.Second

// NewOIDC checks the configuration and reads the provider's discovery
// document; an unreachable or inconsistent provider is an error here, at
// start-up, rather than at the first sign-in.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	cfg.Issuer, cfg.ClientID = strings.TrimSpace(cfg.Issuer), strings.TrimSpace(cfg.ClientID)
	cfg.RedirectURL, cfg.Name = strings.TrimSpace(cfg.RedirectURL), strings.TrimSpace(cfg.Name)
	switch {
	case cfg.Issuer == "":
		return nil, errors.New("single sign-on: the issuer URL is required")
	case cfg.ClientID == "":
		return nil, errors.New("single sign-on: the client id is required")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		!strings.HasSuffix(u.Path, ssoPath+"/callback") {
		return nil, fmt.Errorf("single sign-on: the redirect URL must be the absolute URL of %s/callback on this server, got %q", ssoPath, cfg.RedirectURL)
	}
	if cfg.Name == "" {
		cfg.Name = "SSO"
	}
	o := &OIDC{cfg: cfg, client: &http.Client{Timeout: oidcTimeout}, now: time.Now}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, o.client), oidcTimeout)
	defer cancel()
	provider, err := oidc.NewProvider(dctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("single sign-on: discovery at %s failed: %w", cfg.Issuer, err)
	}
	// The verifier checks the signature against the provider's published
	// keys, the issuer, the audience (our client id) and the expiry.
	o.verifier = provider.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	o.oauth = oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
		Endpoint: provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}
	// The cookie key: with a client secret it is derived from it, so every
	// node of a cluster with the same configuration accepts the cookies of
	// the others; without one it is random for this process, which is fine
	// for a single node (a restart in the middle of a sign-in only means
	// trying again).
	if cfg.ClientSecret != "" {
		mac := hmac.New(sha256.New, []byte(cfg.ClientSecret))
		mac.Write([]byte("tandem sso attempt cookie v1\x00" + cfg.Issuer + "\x00" + cfg.ClientID))
		o.key = mac.Sum(nil)
	} else {
		o.key = make([]byte, 32)
		rand.Read(o.key)
	}
	return o, nil
}

// Name is the label of the sign-in button.
func (o *OIDC) Name() string { return o.cfg.Name }

// Provision reports whether unknown verified users get an account.
func (o *OIDC) Provision() bool { return o.cfg.Provision }

// ssoAttempt is what the cookie carries between start and callback.
type ssoAttempt struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r"`
	Expires  int64  `json:"e"` // Unix seconds; the cookie's Max-Age is only advice to the browser
}

// maxNext bounds the return path kept in the cookie (browsers cap a
// cookie near 4 KiB).
const maxNext = 1024

// localPath keeps a return address on this site: a path, never another
// host ("//evil.example", "/\evil.example"). The web package applies the
// same rule; it is repeated here because the path round-trips through the
// provider.
func localPath(next string) string {
	if len(next) > maxNext || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// StartSSO begins a sign-in through the provider: it remembers a fresh
// state, nonce and PKCE verifier (and where to go afterwards) in the
// attempt cookie and redirects the browser to the provider. Without a
// provider it answers 404.
func (g *Gate) StartSSO(w http.ResponseWriter, r *http.Request, next string) {
	o := g.OIDC
	if o == nil {
		http.NotFound(w, r)
		return
	}
	a := ssoAttempt{
		State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: localPath(next), Expires: o.now().Add(ssoAttemptTTL).Unix(),
	}
	http.SetCookie(w, o.cookie(r, o.seal(a), int(ssoAttemptTTL.Seconds())))
	target := o.oauth.AuthCodeURL(a.State, oidc.Nonce(a.Nonce), oauth2.S256ChallengeOption(a.Verifier))
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// FinishSSO completes a sign-in when the provider sends the browser back:
// it checks the state, exchanges the code (with the PKCE verifier),
// verifies the ID token, finds or creates the user and starts a session
// recorded as via "oidc". It returns the principal and the local path to
// go to. Refusals are ErrSSOFailed or ErrSSONoAccount, with the reason
// logged; other errors are the store's.
func (g *Gate) FinishSSO(w http.ResponseWriter, r *http.Request) (*Principal, string, error) {
	o, ctx := g.OIDC, r.Context()
	next := "/"
	refuse := func(sentinel error, reason string, args ...any) (*Principal, string, error) {
		g.logger().WarnContext(ctx, "single sign-on refused", append([]any{"reason", reason, "client", ClientAddr(r)}, args...)...)
		return nil, next, sentinel
	}
	if o == nil {
		return refuse(ErrSSOFailed, "single sign-on is not configured")
	}
	c, err := r.Cookie(SSOCookie)
	if err != nil {
		return refuse(ErrSSOFailed, "no sign-in attempt cookie (expired, or not started here)")
	}
	// The attempt is single use: whatever happens now, it is over.
	http.SetCookie(w, o.cookie(r, "", -1))
	a, ok := o.open(c.Value)
	if !ok {
		return refuse(ErrSSOFailed, "attempt cookie altered or forged")
	}
	next = localPath(a.Next)
	if o.now().Unix() > a.Expires {
		return refuse(ErrSSOFailed, "sign-in attempt expired")
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return refuse(ErrSSOFailed, "the provider answered with an error", "error", e, "description", q.Get("error_description"))
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(a.State)) != 1 {
		return refuse(ErrSSOFailed, "state does not match the attempt")
	}
	code := q.Get("code")
	if code == "" {
		return refuse(ErrSSOFailed, "no authorization code")
	}
	pctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, o.client), oidcTimeout)
	defer cancel()
	tok, err := o.oauth.Exchange(pctx, code, oauth2.VerifierOption(a.Verifier))
	if err != nil {
		return refuse(ErrSSOFailed, "code exchange failed", "err", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return refuse(ErrSSOFailed, "token response has no ID token")
	}
	idt, err := o.verifier.Verify(pctx, raw)
	if err != nil {
		return refuse(ErrSSOFailed, "ID token rejected", "err", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(a.Nonce)) != 1 {
		return refuse(ErrSSOFailed, "ID token nonce does not match the attempt", "subject", idt.Subject)
	}
	var claims struct {
		Email    string          `json:"email"`
		Verified json.RawMessage `json:"email_verified"`
		Name     string          `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return refuse(ErrSSOFailed, "ID token claims unreadable", "err", err)
	}
	email := strings.ToLower(strings.TrimSpace(claims.Email))
	if email == "" {
		return refuse(ErrSSOFailed, "ID token has no email claim", "subject", idt.Subject)
	}
	if !emailVerified(claims.Verified) {
		return refuse(ErrSSOFailed, "email not verified by the provider", "subject", idt.Subject, "email", email)
	}
	u, err := g.st.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, domain.ErrNotFound) && o.cfg.Provision:
		if u, err = g.provision(ctx, email, claims.Name); err != nil {
			var v *domain.ValidationError
			if errors.As(err, &v) {
				return refuse(ErrSSOFailed, "account could not be created", "email", email, "err", err)
			}
			return nil, next, err
		}
		g.logger().InfoContext(ctx, "single sign-on created an account", "email", email)
	case errors.Is(err, domain.ErrNotFound):
		return refuse(ErrSSONoAccount, "no account and provisioning is off", "email", email)
	case err != nil:
		return nil, next, err
	}
	if !u.Active {
		return refuse(ErrSSONoAccount, "account deactivated", "email", email)
	}
	p, err := g.startSession(ctx, w, r, u, "oidc")
	return p, next, err
}

// provision creates the account of a person the provider vouched for. It
// has no password and no organization: an administrator grants a role. A
// concurrent first sign-in of the same person finds the account the other
// one created.
func (g *Gate) provision(ctx context.Context, email, name string) (domain.User, error) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	u, err := g.st.CreateUser(ctx, ssoActor, domain.UserInput{Email: email, Name: name})
	var v *domain.ValidationError
	if errors.As(err, &v) {
		if existing, lookup := g.st.UserByEmail(ctx, email); lookup == nil {
			return existing, nil
		}
	}
	return u, err
}

// emailVerified accepts email_verified as the JSON boolean true (the
// standard) or the string "true" (which some providers send).
func emailVerified(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && s == "true"
}

func (g *Gate) logger() *slog.Logger {
	if g.Log != nil {
		return g.Log
	}
	return slog.Default()
}

// cookie is the attempt cookie: HttpOnly, SameSite=Lax (it must come back
// on the provider's top-level redirect), Secure when the request came over
// TLS or the public redirect URL is https, and sent only to the SSO routes.
func (o *OIDC) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: SSOCookie, Value: value, Path: ssoPath, MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || strings.HasPrefix(o.cfg.RedirectURL, "https://"),
	}
}

// seal encodes an attempt as base64url(JSON) "." base64url(HMAC-SHA256).
func (o *OIDC) seal(a ssoAttempt) string {
	body, _ := json.Marshal(a)
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(o.mac(payload))
}

// open returns the attempt of a cookie value whose MAC is right.
func (o *OIDC) open(value string) (ssoAttempt, bool) {
	var a ssoAttempt
	payload, sig, ok := strings.Cut(value, ".")
	if !ok {
		return a, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, o.mac(payload)) {
		return a, false
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(body, &a) != nil || a.State == "" || a.Nonce == "" || a.Verifier == "" {
		return a, false
	}
	return a, true
}

func (o *OIDC) mac(payload string) []byte {
	m := hmac.New(sha256.New, o.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// randomToken is 32 random bytes, base64url: a state or a nonce.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
