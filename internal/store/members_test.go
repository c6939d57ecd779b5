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

func TestMembers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.CreateOrg(ctx, tester, domain.OrgInput{Slug: "acme", Name: "Acme"}); err != nil {
			t.Fatal(err)
		}
		acme, _ := s.Org(ctx, "acme")
		for _, email := range []string{"ada@example.com", "bob@example.com", "eve@example.com"} {
			if _, err := s.CreateUser(ctx, tester, domain.UserInput{Email: email}); err != nil {
				t.Fatal(err)
			}
		}
		past, later := time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour)
		steps := []struct {
			name   string
			do     func() error
			fields []string // expected validation fields; nil: success
		}{
			{"first admin", func() error { return acme.SetMembership(ctx, tester, "ada@example.com", "admin", nil) }, nil},
			{"last admin demoted", func() error { return acme.SetMembership(ctx, tester, "ada@example.com", "manager", nil) }, []string{"role"}},
			{"last admin given an end date", func() error { return acme.SetMembership(ctx, tester, "ada@example.com", "admin", &later) }, []string{"role"}},
			{"last admin removed", func() error { return acme.RemoveMembership(ctx, tester, "ada@example.com") }, []string{"role"}},
			{"second admin", func() error { return acme.SetMembership(ctx, tester, "bob@example.com", "admin", nil) }, nil},
			{"now ada may step down", func() error { return acme.SetMembership(ctx, tester, "ada@example.com", "viewer", nil) }, nil},
			{"expired auditor grant", func() error { return acme.SetMembership(ctx, tester, "eve@example.com", "auditor", &past) }, nil},
			{"unknown role", func() error { return acme.SetMembership(ctx, tester, "eve@example.com", "boss", nil) }, []string{"role"}},
			{"unknown user", func() error { return acme.SetMembership(ctx, tester, "zed@example.com", "viewer", nil) }, []string{"email"}},
		}
		for _, st := range steps {
			err := st.do()
			v, invalid := domain.AsValidation(err)
			switch {
			case st.fields == nil && err != nil:
				t.Errorf("%s: %v", st.name, err)
			case st.fields != nil && !invalid:
				t.Errorf("%s: %v, want a validation error on %v", st.name, err, st.fields)
			case st.fields != nil:
				for _, f := range st.fields {
					if v.For(f) == "" {
						t.Errorf("%s: no error on %s: %v", st.name, f, v)
					}
				}
			}
		}
		page, err := acme.Members(ctx, 2, "")
		if err != nil || len(page.Items) != 2 || page.Next == nil {
			t.Fatalf("members page 1: %+v %v", page, err)
		}
		rest, err := acme.Members(ctx, 2, *page.Next)
		if err != nil || len(rest.Items) != 1 || rest.Items[0].Email != "eve@example.com" || !rest.Items[0].Expired {
			t.Errorf("members page 2: %+v %v", rest, err)
		}
		if page.Items[0].Role != "viewer" || page.Items[1].Role != "admin" {
			t.Errorf("roles %+v", page.Items)
		}
		if err := acme.RemoveMembership(ctx, tester, "eve@example.com"); err != nil {
			t.Fatal(err)
		}
		if err := acme.RemoveMembership(ctx, tester, "eve@example.com"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("removing twice: %v", err)
		}
		if n, brk, err := acme.VerifyTrail(ctx); err != nil || brk != nil || n != 6 {
			t.Errorf("trail: %d entries, break %v, %v (org, 4 memberships, 1 removal)", n, brk, err)
		}
	})
}
