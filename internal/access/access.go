// Package access decides, in one place, who may do what: it identifies the
// principal of a request (session cookie or API token) and answers a
// route's declared rule with a scope to work in or a refusal. The API and
// the web UI both ask it; neither decides on its own.
package access

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
)

// The refusals. A record of an organization the principal does not belong
// to is domain.ErrNotFound: its existence is never revealed.
var (
	ErrUnauthenticated = errors.New("access: sign-in required")
	ErrForbidden       = errors.New("access: not allowed")
)

// Principal is who makes a request: a user, through a session or a token.
type Principal struct {
	User  domain.User
	Token *domain.Token // the token used; nil for a browser session
}

// Actor is how the trail names the principal.
func (p *Principal) Actor() domain.Actor {
	if p.Token != nil {
		return domain.Actor{Kind: "token", Name: p.User.Email + "/" + p.Token.Prefix}
	}
	return domain.Actor{Kind: "user", Name: p.User.Email}
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// From returns the principal of ctx, or nil for an anonymous request.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// kind is what a rule asks of the principal.
type kind int

const (
	unset         kind = iota
	public             // anyone, signed in or not
	signedIn           // any active user
	instanceAdmin      // instance administrators only
	inOrg              // a member whose role allows Action on Resource
)

// Rule is the policy a route declares. The zero Rule is invalid, so a
// route registered without one is refused at start-up.
type Rule struct {
	kind     kind
	Resource auth.Resource
	Action   auth.Action
}

// Public is for pages anyone may open (sign-in, static files).
func Public() Rule { return Rule{kind: public} }

// SignedIn is for what any signed-in user may do outside an organization
// (the catalog, their own organizations and tokens).
func SignedIn() Rule { return Rule{kind: signedIn} }

// InstanceAdmin is for managing the instance (creating organizations).
func InstanceAdmin() Rule { return Rule{kind: instanceAdmin} }

// Org is for an action on a resource of the organization in the path.
func Org(res auth.Resource, act auth.Action) Rule {
	return Rule{kind: inOrg, Resource: res, Action: act}
}

// Valid reports whether the rule was declared.
func (r Rule) Valid() bool {
	return r.kind != unset && (r.kind != inOrg || (r.Resource != "" && r.Action != ""))
}

// String names the rule in route listings and errors.
func (r Rule) String() string {
	switch r.kind {
	case public:
		return "public"
	case signedIn:
		return "signed-in"
	case instanceAdmin:
		return "instance-admin"
	case inOrg:
		return "org:" + string(r.Resource) + ":" + string(r.Action)
	}
	return "none"
}

// Scope is what an allowed request may work with: the principal and, for
// organization rules, the organization's store and the member's role.
type Scope struct {
	Principal *Principal
	Org       *store.OrgStore // nil outside an organization
	Role      auth.Role       // the role in Org; admin for instance administrators
	// OwnOnly is set when the role allows the action only on records the
	// member owns; the handler asks Owns (or ControlWritable) before writing.
	OwnOnly bool
}

// Actor is who the trail names for writes made in this scope.
func (s *Scope) Actor() domain.Actor { return s.Principal.Actor() }

// Who names the principal as a person reads it in a record they sign
// (an acceptance, an approval): their name, or their email without one.
func (s *Scope) Who() string {
	u := s.Principal.User
	if n := strings.TrimSpace(u.Name); n != "" {
		return n
	}
	return u.Email
}

// Can reports whether the scope's role allows action on resource at all
// (pages use it to show or hide buttons; the rule check still decides).
func (s *Scope) Can(res auth.Resource, act auth.Action) bool {
	if s == nil || s.Org == nil {
		return false
	}
	return auth.Decide(s.Role, act, res) != auth.Deny
}

// Owns reports whether a record with this owner belongs to the principal.
// Owners are written as a name, an email, or a name followed by a role in
// parentheses ("Daniel Okafor (IT Operations Lead)").
func (s *Scope) Owns(owner string) bool {
	owner = strings.ToLower(strings.TrimSpace(owner))
	if owner == "" {
		return false
	}
	u := s.Principal.User
	for _, who := range []string{strings.ToLower(u.Email), strings.ToLower(strings.TrimSpace(u.Name))} {
		if who != "" && (owner == who || strings.HasPrefix(owner, who+" (")) {
			return true
		}
	}
	return false
}

// ControlWritable completes the check of a write to a control when the
// role allows it only on owned records: the control must be the
// principal's, and the write is pinned to the version that was checked, so
// an owner change in between turns into a conflict rather than a bypass.
// It returns the version the write must be based on (nil: any).
func (s *Scope) ControlWritable(ctx context.Context, ref string, version *int64) (*int64, error) {
	if !s.OwnOnly {
		return version, nil
	}
	c, err := s.Org.Control(ctx, ref)
	if err != nil {
		return nil, err
	}
	if !s.Owns(c.Owner) {
		return nil, ErrForbidden
	}
	if version != nil && *version != c.Version {
		return nil, domain.ErrConflict
	}
	return &c.Version, nil
}

// RiskWritable completes the access check of a change to a risk for
// scopes limited to what the member owns: the risk is theirs, and stays
// theirs when owner (nil: unchanged) names a new one. It returns the
// version to write at — the one checked here when none was given — and
// a conflict when the given one is not the one checked, so that an owner
// change in between is never a bypass.
func (s *Scope) RiskWritable(ctx context.Context, ref string, version *int64, owner *string) (*int64, error) {
	if !s.OwnOnly {
		return version, nil
	}
	r, err := s.Org.Risk(ctx, ref)
	if err != nil {
		return nil, err
	}
	if !s.Owns(r.Owner) || (owner != nil && !s.Owns(*owner)) {
		return nil, ErrForbidden
	}
	if version != nil && *version != r.Version {
		return nil, domain.ErrConflict
	}
	return &r.Version, nil
}

// ActionWritable does the same for a treatment action: the owner of its
// risk may change it (and give it to anyone); the owner of the action
// alone may change it but not give it away. It returns the version to
// write at, as RiskWritable does.
func (s *Scope) ActionWritable(ctx context.Context, ref string, version *int64, owner *string) (*int64, error) {
	if !s.OwnOnly {
		return version, nil
	}
	a, err := s.Org.Action(ctx, ref)
	if err != nil {
		return nil, err
	}
	riskOwner := false
	if a.Risk != "" {
		r, err := s.Org.Risk(ctx, a.Risk)
		if err != nil {
			return nil, err
		}
		riskOwner = s.Owns(r.Owner)
	}
	if !riskOwner && (!s.Owns(a.Owner) || (owner != nil && !s.Owns(*owner))) {
		return nil, ErrForbidden
	}
	if version != nil && *version != a.Version {
		return nil, domain.ErrConflict
	}
	return &a.Version, nil
}

// Gate answers rules against the store.
type Gate struct {
	st       *store.Store
	Sessions store.SessionPolicy
	Throttle *Throttle
	OIDC     *OIDC        // single sign-on provider; nil: SSO is off
	Log      *slog.Logger // refusals worth an operator's eye; nil: slog.Default()
}

// NewGate returns a gate with the default session policy and login throttle.
func NewGate(st *store.Store) *Gate {
	return &Gate{st: st, Sessions: store.DefaultSessions, Throttle: NewThrottle()}
}

// Check decides whether p may follow rule; orgSlug is the organization
// named in the path (for organization rules). The order matters: no
// principal is 401 before anything is looked up; an organization the
// principal is not a member of is 404 whether or not it exists; a member
// without the permission is 403.
func (g *Gate) Check(ctx context.Context, p *Principal, rule Rule, orgSlug string) (*Scope, error) {
	scope := &Scope{Principal: p}
	switch rule.kind {
	case public:
		return scope, nil
	case unset:
		return nil, ErrForbidden // fail closed
	}
	if p == nil {
		return nil, ErrUnauthenticated
	}
	switch rule.kind {
	case signedIn:
		return scope, nil
	case instanceAdmin:
		if !p.User.InstanceAdmin {
			return nil, ErrForbidden
		}
		return scope, nil
	}
	o, err := g.st.Org(ctx, orgSlug)
	if err != nil {
		return nil, err
	}
	role := auth.RoleAdmin
	if !p.User.InstanceAdmin {
		if role, err = o.Role(ctx, p.User.ID); err != nil {
			return nil, err // not a member (or an expired grant): 404
		}
	}
	scope.Org, scope.Role = o, role
	switch auth.Decide(role, rule.Action, rule.Resource) {
	case auth.Allow:
		return scope, nil
	case auth.AllowOwn:
		scope.OwnOnly = true
		return scope, nil
	}
	return nil, ErrForbidden
}

// Orgs lists the organizations p may open: all for instance
// administrators, their memberships for everyone else.
func (g *Gate) Orgs(ctx context.Context, p *Principal, limit int, cursor string) (domain.Page[domain.Org], error) {
	if p.User.InstanceAdmin {
		return g.st.Orgs(ctx, limit, cursor)
	}
	return g.st.OrgsOf(ctx, p.User.ID, limit, cursor)
}
