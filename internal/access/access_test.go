package access_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

var system = domain.Actor{Kind: "system", Name: "test"}

func TestRuleValid(t *testing.T) {
	tests := []struct {
		rule  access.Rule
		valid bool
		name  string
	}{
		{access.Rule{}, false, "none"},
		{access.Public(), true, "public"},
		{access.SignedIn(), true, "signed-in"},
		{access.InstanceAdmin(), true, "instance-admin"},
		{access.Org(auth.ResControl, auth.Update), true, "org:control:update"},
		{access.Org("", auth.Read), false, "org::read"},
		{access.Org(auth.ResControl, ""), false, "org:control:"},
	}
	for _, tt := range tests {
		if tt.rule.Valid() != tt.valid || tt.rule.String() != tt.name {
			t.Errorf("%+v: valid %v %q, want %v %q", tt.rule, tt.rule.Valid(), tt.rule.String(), tt.valid, tt.name)
		}
	}
}

func TestOwns(t *testing.T) {
	sc := &access.Scope{Principal: &access.Principal{User: domain.User{Email: "daniel@northwind.example", Name: "Daniel Okafor"}}}
	tests := []struct {
		owner string
		owns  bool
	}{
		{"Daniel Okafor", true},
		{"daniel okafor (IT Operations Lead)", true},
		{"  DANIEL@northwind.example ", true},
		{"Daniel Okaforson", false},
		{"Daniel", false},
		{"Priya Natarajan (CISO)", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := sc.Owns(tt.owner); got != tt.owns {
			t.Errorf("Owns(%q) = %v", tt.owner, got)
		}
	}
	nameless := &access.Scope{Principal: &access.Principal{User: domain.User{Email: "x@example.com"}}}
	if nameless.Owns(" (CISO)") {
		t.Error("a user without a name owns a record whose owner is only a role")
	}
}

// TestCheck runs the gate's decision for each kind of principal against a
// real store: the order 401 → 404 → 403 and the own-only scope.
func TestCheck(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		gate := access.NewGate(st)
		for _, slug := range []string{"acme", "other"} {
			if _, err := st.CreateOrg(ctx, system, domain.OrgInput{Slug: slug, Name: slug}); err != nil {
				t.Fatal(err)
			}
		}
		acme, _ := st.Org(ctx, "acme")
		principal := func(email, role string, instance bool, expires *time.Time) *access.Principal {
			u, err := st.CreateUser(ctx, system, domain.UserInput{Email: email, InstanceAdmin: instance})
			if err != nil {
				t.Fatal(err)
			}
			if role != "" {
				if err := acme.SetMembership(ctx, system, email, role, expires); err != nil {
					t.Fatal(err)
				}
			}
			return &access.Principal{User: u}
		}
		past := time.Now().Add(-time.Minute)
		root := principal("root@example.com", "", true, nil)
		viewer := principal("viewer@example.com", "viewer", false, nil)
		contributor := principal("contrib@example.com", "contributor", false, nil)
		expired := principal("auditor@example.com", "auditor", false, &past)
		stranger := principal("stranger@example.com", "", false, nil)

		readControls := access.Org(auth.ResControl, auth.Read)
		updateControls := access.Org(auth.ResControl, auth.Update)
		tests := []struct {
			name    string
			p       *access.Principal
			rule    access.Rule
			org     string
			want    error
			ownOnly bool
		}{
			{"anonymous public", nil, access.Public(), "", nil, false},
			{"anonymous signed-in", nil, access.SignedIn(), "", access.ErrUnauthenticated, false},
			{"anonymous in org", nil, readControls, "acme", access.ErrUnauthenticated, false},
			{"anonymous unknown org", nil, readControls, "nope", access.ErrUnauthenticated, false},
			{"undeclared rule", root, access.Rule{}, "acme", access.ErrForbidden, false},
			{"viewer reads", viewer, readControls, "acme", nil, false},
			{"viewer writes", viewer, updateControls, "acme", access.ErrForbidden, false},
			{"viewer in another org", viewer, readControls, "other", domain.ErrNotFound, false},
			{"viewer in unknown org", viewer, readControls, "nope", domain.ErrNotFound, false},
			{"viewer creates org", viewer, access.InstanceAdmin(), "", access.ErrForbidden, false},
			{"contributor updates own", contributor, updateControls, "acme", nil, true},
			{"contributor deletes", contributor, access.Org(auth.ResControl, auth.Delete), "acme", access.ErrForbidden, false},
			{"expired grant", expired, readControls, "acme", domain.ErrNotFound, false},
			{"stranger", stranger, readControls, "acme", domain.ErrNotFound, false},
			{"instance admin anywhere", root, access.Org(auth.ResMember, auth.Delete), "other", nil, false},
			{"instance admin unknown org", root, readControls, "nope", domain.ErrNotFound, false},
		}
		for _, tt := range tests {
			sc, err := gate.Check(ctx, tt.p, tt.rule, tt.org)
			if !errors.Is(err, tt.want) || (err == nil && sc.OwnOnly != tt.ownOnly) {
				t.Errorf("%s: %v (scope %+v), want %v own-only %v", tt.name, err, sc, tt.want, tt.ownOnly)
			}
			if err == nil && tt.org != "" && sc.Org.Org().Slug != tt.org {
				t.Errorf("%s: scoped to %s", tt.name, sc.Org.Org().Slug)
			}
		}

		// Own-only writes are pinned to the checked version.
		sc, _ := gate.Check(ctx, contributor, updateControls, "acme")
		mine, other := "contrib@example.com", "Someone Else"
		title := "Backups"
		own, _ := acme.CreateControl(ctx, system, domain.ControlInput{Title: &title, Owner: &mine})
		theirs, _ := acme.CreateControl(ctx, system, domain.ControlInput{Title: &title, Owner: &other})
		if v, err := sc.ControlWritable(ctx, own.Ref, nil); err != nil || v == nil || *v != own.Version {
			t.Errorf("own control: %v %v", v, err)
		}
		stale := own.Version + 1
		if _, err := sc.ControlWritable(ctx, own.Ref, &stale); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("own control at another version: %v", err)
		}
		if _, err := sc.ControlWritable(ctx, theirs.Ref, nil); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("someone else's control: %v", err)
		}

		// Instance admins see every organization; members only theirs.
		if page, _ := gate.Orgs(ctx, root, 10, ""); len(page.Items) != 2 {
			t.Errorf("instance admin sees %d orgs", len(page.Items))
		}
		if page, _ := gate.Orgs(ctx, viewer, 10, ""); len(page.Items) != 1 || page.Items[0].Slug != "acme" {
			t.Errorf("viewer sees %+v", page.Items)
		}
		if page, _ := gate.Orgs(ctx, stranger, 10, ""); len(page.Items) != 0 {
			t.Errorf("stranger sees %+v", page.Items)
		}
	})
}
