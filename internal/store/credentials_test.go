package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestCredentialLifecycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		policy := store.SessionPolicy{Idle: time.Hour, Absolute: 2 * time.Hour}
		u, err := s.CreateUser(ctx, tester, domain.UserInput{Email: "ada@example.com", Password: "a long enough passphrase"})
		if err != nil {
			t.Fatal(err)
		}
		live := func(secret string) bool {
			_, err := s.SessionUser(ctx, secret, policy)
			return err == nil
		}

		// A password change ends every session; the new password works, the old does not.
		before, _ := s.CreateSession(ctx, u, "password", policy)
		if err := s.SetPassword(ctx, tester, u.ID, "short"); err == nil {
			t.Error("short password accepted")
		}
		if !live(before) {
			t.Fatal("a refused password change ended the session")
		}
		if err := s.SetPassword(ctx, tester, u.ID, "an entirely new passphrase"); err != nil {
			t.Fatal(err)
		}
		if live(before) {
			t.Error("session survived the password change")
		}
		if _, err := s.Authenticate(ctx, u.Email, "a long enough passphrase"); err == nil {
			t.Error("old password still signs in")
		}
		if _, err := s.Authenticate(ctx, u.Email, "an entirely new passphrase"); err != nil {
			t.Errorf("new password: %v", err)
		}

		// Revoking one token leaves the others.
		tok1, rec1, _ := s.CreateToken(ctx, tester, u.ID, "one", nil)
		tok2, _, _ := s.CreateToken(ctx, tester, u.ID, "two", nil)
		if err := s.RevokeToken(ctx, tester, u.ID, rec1.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.TokenUser(ctx, tok1); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("revoked token still valid: %v", err)
		}
		if _, _, err := s.TokenUser(ctx, tok2); err != nil {
			t.Errorf("other token revoked too: %v", err)
		}
		other, _ := s.CreateUser(ctx, tester, domain.UserInput{Email: "bob@example.com"})
		if err := s.RevokeToken(ctx, tester, other.ID, rec1.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("revoking someone else's token: %v", err)
		}
		list, err := s.Tokens(ctx, u.ID)
		if err != nil || len(list) != 2 || list[1].RevokedAt == nil || list[0].RevokedAt != nil {
			t.Errorf("tokens %+v %v", list, err)
		}

		// Deactivation ends sessions and revokes tokens at once; sign-in stops.
		session, _ := s.CreateSession(ctx, u, "password", policy)
		if err := s.SetActive(ctx, tester, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if live(session) {
			t.Error("session survived deactivation")
		}
		if _, _, err := s.TokenUser(ctx, tok2); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("token survived deactivation: %v", err)
		}
		if _, err := s.Authenticate(ctx, u.Email, "an entirely new passphrase"); err == nil {
			t.Error("deactivated user signs in")
		}
		var revoked int
		s.DB().QueryRow(`SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL`).Scan(&revoked)
		if revoked != 2 {
			t.Errorf("%d tokens revoked, want 2", revoked)
		}
		if err := s.SetActive(ctx, tester, 9999, false); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
		if n, brk, err := s.VerifyInstanceTrail(ctx); err != nil || brk != nil || n < 8 {
			t.Errorf("instance trail: %d entries, break %v, err %v", n, brk, err)
		}
	})
}

func TestOrgsOfMember(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, _ := s.CreateUser(ctx, tester, domain.UserInput{Email: "consultant@example.com"})
		for _, slug := range []string{"alpha", "beta", "gamma", "delta"} {
			if _, err := s.CreateOrg(ctx, tester, domain.OrgInput{Slug: slug, Name: slug}); err != nil {
				t.Fatal(err)
			}
		}
		past := time.Now().Add(-time.Hour)
		for slug, expires := range map[string]*time.Time{"alpha": nil, "gamma": nil, "delta": &past} {
			o, _ := s.Org(ctx, slug)
			if err := o.SetMembership(ctx, tester, u.Email, "viewer", expires); err != nil {
				t.Fatal(err)
			}
		}
		first, err := s.OrgsOf(ctx, u.ID, 1, "")
		if err != nil || len(first.Items) != 1 || first.Items[0].Slug != "alpha" || first.Next == nil {
			t.Fatalf("first page %+v %v", first, err)
		}
		second, err := s.OrgsOf(ctx, u.ID, 1, *first.Next)
		if err != nil || len(second.Items) != 1 || second.Items[0].Slug != "gamma" || second.Next != nil {
			t.Errorf("second page %+v %v (beta is not theirs, delta's grant expired)", second, err)
		}
	})
}
