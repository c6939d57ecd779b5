package demo

import (
	"context"
	"errors"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
)

// Person is a demo user with one role in the demo organization. The names
// match owners in the demo control set, so the contributor owns controls.
type Person struct {
	Email, Name string
	Role        auth.Role
	Instance    bool // also administers the instance (creates organizations)
}

// People are the demo users, one per role.
var People = []Person{
	{Email: "priya@northwind.example", Name: "Priya Natarajan", Role: auth.RoleAdmin, Instance: true},
	{Email: "sofia@northwind.example", Name: "Sofia Marquez", Role: auth.RoleManager},
	{Email: "daniel@northwind.example", Name: "Daniel Okafor", Role: auth.RoleContributor},
	{Email: "aisha@northwind.example", Name: "Aisha Rahman", Role: auth.RoleAuditor},
	{Email: "board@northwind.example", Name: "Board Observer", Role: auth.RoleViewer},
}

// Credential is a demo sign-in as printed at start.
type Credential struct {
	Person
	Password string
}

// SeedUsers makes sure every demo person exists with their role and gives
// each a fresh random password, returned to be printed: a demo never runs
// with a password known to anyone who read this file.
func SeedUsers(ctx context.Context, st *store.Store) ([]Credential, error) {
	o, err := st.Org(ctx, Slug)
	if err != nil {
		return nil, err
	}
	actor := domain.Actor{Kind: "system", Name: "demo"}
	out := make([]Credential, 0, len(People))
	for _, p := range People {
		password := auth.GeneratePassword()
		u, err := st.UserByEmail(ctx, p.Email)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			u, err = st.CreateUser(ctx, actor, domain.UserInput{Email: p.Email, Name: p.Name, Password: password, InstanceAdmin: p.Instance})
		case err == nil:
			err = st.SetPassword(ctx, actor, u.ID, password)
		}
		if err != nil {
			return nil, err
		}
		if role, err := o.Role(ctx, u.ID); err != nil || role != p.Role {
			if err := o.SetMembership(ctx, actor, p.Email, string(p.Role), nil); err != nil {
				return nil, err
			}
		}
		out = append(out, Credential{Person: p, Password: password})
	}
	return out, nil
}
