package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestUsers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tests := []struct {
			name   string
			in     domain.UserInput
			fields []string
		}{
			{"valid", domain.UserInput{Email: " Ada@Example.com ", Name: "Ada", Password: "a long enough passphrase"}, nil},
			{"sso only", domain.UserInput{Email: "sso@example.com"}, nil},
			{"duplicate any case", domain.UserInput{Email: "ADA@example.com", Password: "another long passphrase"}, []string{"email"}},
			{"bad email and short password", domain.UserInput{Email: "not-an-email", Password: "short"}, []string{"email", "password"}},
			{"password over 1 KiB", domain.UserInput{Email: "big@example.com", Password: strings.Repeat("x", 1025)}, []string{"password"}},
		}
		for _, tt := range tests {
			u, err := s.CreateUser(ctx, tester, tt.in)
			if len(tt.fields) == 0 {
				if err != nil || u.ID == 0 || u.Email != strings.ToLower(strings.TrimSpace(tt.in.Email)) {
					t.Errorf("%s: %+v %v", tt.name, u, err)
				}
				continue
			}
			v, ok := domain.AsValidation(err)
			if !ok || len(v.Fields) != len(tt.fields) {
				t.Errorf("%s: want errors on %v, got %v", tt.name, tt.fields, err)
				continue
			}
			for _, f := range tt.fields {
				if v.For(f) == "" {
					t.Errorf("%s: no error on %s", tt.name, f)
				}
			}
		}
		if n := countRows(t, s, "users"); n != 2 {
			t.Errorf("users = %d, want 2", n)
		}

		logins := []struct {
			email, password string
			ok              bool
		}{
			{"ada@example.com", "a long enough passphrase", true},
			{"ADA@EXAMPLE.COM", "a long enough passphrase", true},
			{"ada@example.com", "a long enough passphrasE", false},
			{"nobody@example.com", "a long enough passphrase", false},
			{"sso@example.com", "", false},
		}
		for _, l := range logins {
			u, err := s.Authenticate(ctx, l.email, l.password)
			if l.ok && (err != nil || u.Email != "ada@example.com") {
				t.Errorf("%s: %v", l.email, err)
			}
			if !l.ok && !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("%s / %q: want the one not-found answer, got %v", l.email, l.password, err)
			}
		}

		// Memberships: a role per organization, time-limited when asked.
		acme := newOrg(t, s, "acme")
		beta := newOrg(t, s, "beta")
		if err := acme.SetMembership(ctx, tester, "ada@example.com", "manager", nil); err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-time.Hour)
		if err := beta.SetMembership(ctx, tester, "ada@example.com", "auditor", &past); err != nil {
			t.Fatal(err)
		}
		err := acme.SetMembership(ctx, tester, "nobody@example.com", "boss", nil)
		if v, ok := domain.AsValidation(err); !ok || v.For("role") == "" || v.For("email") == "" {
			t.Errorf("bad membership: %v", err)
		}
		ada, _ := s.UserByEmail(ctx, "Ada@example.com")
		if role, err := acme.Role(ctx, ada.ID); err != nil || role != auth.RoleManager {
			t.Errorf("role in acme: %s %v", role, err)
		}
		if _, err := beta.Role(ctx, ada.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("expired grant still works: %v", err)
		}
		ms, err := s.Memberships(ctx, ada.ID)
		if err != nil || len(ms) != 1 || ms[0].OrgSlug != "acme" || ms[0].Role != "manager" {
			t.Errorf("memberships %+v %v", ms, err)
		}
		if page, _ := acme.Trail(ctx, domain.TrailFilter{ResourceType: "member", ResourceRef: "ada@example.com", Limit: 10}); len(page.Items) != 1 {
			t.Errorf("membership not in the trail")
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, tester, domain.UserInput{Email: "ada@example.com", Password: "a long enough passphrase"})
		if err != nil {
			t.Fatal(err)
		}
		policy := store.SessionPolicy{Idle: time.Hour, Absolute: 2 * time.Hour}
		secret, err := s.CreateSession(ctx, u, "password", policy)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionUser(ctx, secret, policy); err != nil || got.ID != u.ID {
			t.Fatalf("session: %+v %v", got, err)
		}
		if _, err := s.SessionUser(ctx, secret+"x", policy); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("forged session: %v", err)
		}
		// The stored row holds a hash, never the secret itself.
		var stored string
		s.DB().QueryRow(`SELECT id_hash FROM sessions`).Scan(&stored)
		if stored == secret || len(stored) != 64 {
			t.Errorf("session stored as %q", stored)
		}
		// Idle and absolute timeouts end a session.
		if _, err := s.DB().Exec(`UPDATE sessions SET last_seen_at = $1`, time.Now().Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, secret, policy); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("idle session still valid: %v", err)
		}
		secret2, _ := s.CreateSession(ctx, u, "password", policy)
		s.DB().Exec(`UPDATE sessions SET expires_at = $1`, time.Now().Add(-time.Minute))
		if _, err := s.SessionUser(ctx, secret2, policy); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("expired session still valid: %v", err)
		}
		secret3, _ := s.CreateSession(ctx, u, "password", policy)
		if err := s.DeleteSession(ctx, secret3); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, secret3, policy); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("signed-out session still valid: %v", err)
		}

		week := time.Now().Add(7 * 24 * time.Hour)
		tok, rec, err := s.CreateToken(ctx, tester, u.ID, "ci pipeline", &week)
		if err != nil || !strings.HasPrefix(tok, store.TokenPrefix) || !strings.HasPrefix(tok, rec.Prefix) {
			t.Fatalf("token %q %+v %v", tok, rec, err)
		}
		got, used, err := s.TokenUser(ctx, tok)
		if err != nil || got.ID != u.ID || used.LastUsedAt == nil {
			t.Fatalf("token user: %+v %+v %v", got, used, err)
		}
		if _, _, err := s.TokenUser(ctx, tok[:len(tok)-1]); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("forged token: %v", err)
		}
		past := time.Now().Add(-time.Hour)
		if _, _, err := s.CreateToken(ctx, tester, u.ID, "", &past); err == nil {
			t.Error("token without name and with a past expiry accepted")
		}
		s.DB().Exec(`UPDATE api_tokens SET expires_at = $1`, past)
		if _, _, err := s.TokenUser(ctx, tok); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("expired token still valid: %v", err)
		}
		// Users and tokens are recorded in the instance's own chain.
		var n int
		s.DB().QueryRow(`SELECT COUNT(*) FROM trail_entries WHERE org_id = 0`).Scan(&n)
		if n != 5 {
			t.Errorf("instance chain has %d entries, want 5 (user, three sign-ins, token)", n)
		}
	})
}
