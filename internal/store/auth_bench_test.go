package store_test

import (
	"context"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/storetest"
)

// BenchmarkAuthenticate compares the cost of the answers to a sign-in:
// an unknown email, a wrong password, a deactivated user and the right
// password should take the same time (one argon2id hash each), so timing
// tells an attacker nothing about which accounts exist.
func BenchmarkAuthenticate(b *testing.B) {
	s := storetest.SQLite(b)
	ctx := context.Background()
	const password = "a long enough passphrase"
	if _, err := s.CreateUser(ctx, tester, domain.UserInput{Email: "ada@example.com", Password: password}); err != nil {
		b.Fatal(err)
	}
	gone, err := s.CreateUser(ctx, tester, domain.UserInput{Email: "gone@example.com", Password: password})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetActive(ctx, tester, gone.ID, false); err != nil {
		b.Fatal(err)
	}
	cases := []struct{ name, email, password string }{
		{"unknown-email", "nobody@example.com", password},
		{"wrong-password", "ada@example.com", "not the password at all"},
		{"deactivated", "gone@example.com", password},
		{"right-password", "ada@example.com", password},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				s.Authenticate(ctx, c.email, c.password)
			}
		})
	}
}
