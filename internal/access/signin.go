package access

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"tandem/internal/domain"
)

// SessionCookie names the browser session cookie.
const SessionCookie = "tandem_session"

// Sign-in refusals. A wrong password and an unknown account are the same
// error, answered after the same work, so neither reveals the other.
var (
	ErrBadCredentials = errors.New("access: wrong email or password")
	ErrThrottled      = errors.New("access: too many failed sign-ins")
)

// Identify is the middleware that finds who makes a request: a Bearer API
// token, or else the session cookie. It only identifies; the route's rule
// decides what the principal may do.
func (g *Gate) Identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := g.identify(w, r)
		if err != nil {
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
		if p != nil {
			r = r.WithContext(WithPrincipal(r.Context(), p))
		}
		next.ServeHTTP(w, r)
	})
}

func (g *Gate) identify(w http.ResponseWriter, r *http.Request) (*Principal, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		// A request that presents a token is judged by that token alone:
		// a bad one never falls back to a cookie.
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return nil, nil
		}
		u, t, err := g.st.TokenUser(ctx, strings.TrimSpace(secret))
		if errors.Is(err, domain.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &Principal{User: u, Token: &t}, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	u, err := g.st.SessionUser(ctx, c.Value, g.Sessions)
	if errors.Is(err, domain.ErrNotFound) {
		clearCookie(w, r)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Principal{User: u}, nil
}

// SignIn checks an email and password, starts a session and sets its
// cookie. Failures count against the account and the client address.
func (g *Gate) SignIn(w http.ResponseWriter, r *http.Request, email, password string) (*Principal, error) {
	ctx := r.Context()
	account, addr := strings.ToLower(strings.TrimSpace(email)), ClientAddr(r)
	if !g.Throttle.Allow(account, addr) {
		return nil, ErrThrottled
	}
	u, err := g.st.Authenticate(ctx, email, password)
	if errors.Is(err, domain.ErrNotFound) {
		g.Throttle.Fail(account, addr)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	g.Throttle.Succeed(account)
	return g.startSession(ctx, w, r, u, "password")
}

// startSession replaces any session the browser had (no session fixation)
// with a new one for u.
func (g *Gate) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u domain.User, via string) (*Principal, error) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := g.st.DeleteSession(ctx, c.Value); err != nil {
			return nil, err
		}
	}
	secret, err := g.st.CreateSession(ctx, u, via, g.Sessions)
	if err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", MaxAge: int(g.Sessions.Absolute.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	return &Principal{User: u}, nil
}

// SignOut ends the browser's session and clears its cookie.
func (g *Gate) SignOut(w http.ResponseWriter, r *http.Request) error {
	clearCookie(w, r)
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		return g.st.DeleteSession(r.Context(), c.Value)
	}
	return nil
}

func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// ClientAddr is the address failures are counted against: the peer of the
// connection (a proxy in front of Tandem should be configured to keep
// clients apart; forwarded headers are not trusted here).
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ChangePassword lets the signed-in user replace their password after
// proving the current one. Every session of theirs ends (the store sees to
// that); this browser gets a new one so the person stays signed in.
func (g *Gate) ChangePassword(w http.ResponseWriter, r *http.Request, current, next string) error {
	ctx := r.Context()
	p := From(ctx)
	if p == nil {
		return ErrUnauthenticated
	}
	account, addr := p.User.Email, ClientAddr(r)
	if !g.Throttle.Allow(account, addr) {
		return ErrThrottled
	}
	if _, err := g.st.Authenticate(ctx, p.User.Email, current); errors.Is(err, domain.ErrNotFound) {
		g.Throttle.Fail(account, addr)
		return ErrBadCredentials
	} else if err != nil {
		return err
	}
	if err := g.st.SetPassword(ctx, p.Actor(), p.User.ID, next); err != nil {
		return err
	}
	_, err := g.startSession(ctx, w, r, p.User, "password change")
	return err
}
