package store

import (
	"context"
	"database/sql"
	"fmt"

	"tandem/internal/domain"
)

// OrgStore is the one scoping point for an organization's records: every
// method filters by the organization it was made for.
type OrgStore struct {
	s   *Store
	org domain.Org
}

// Org returns the scope of the organization with this slug, or
// domain.ErrNotFound.
func (s *Store) Org(ctx context.Context, slug string) (*OrgStore, error) {
	org, err := scanOrg(s.db.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE slug = $1`, slug))
	if err != nil {
		return nil, err
	}
	return &OrgStore{s: s, org: org}, nil
}

// Org is the organization this scope is for.
func (o *OrgStore) Org() domain.Org { return o.org }

const orgColumns = `id, slug, name, time_zone, version, created_at, updated_at`

func scanOrg(row interface{ Scan(...any) error }) (domain.Org, error) {
	var o domain.Org
	err := row.Scan(&o.ID, &o.Slug, &o.Name, &o.TimeZone, &o.Version, &o.CreatedAt, &o.UpdatedAt)
	if err == sql.ErrNoRows {
		return o, domain.ErrNotFound
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// CreateOrg adds an organization; its trail chain starts with its creation.
// Controls given as seed are created with it, in the same transaction, so an
// organization never exists half-built.
func (s *Store) CreateOrg(ctx context.Context, actor domain.Actor, in domain.OrgInput, seed ...domain.ControlInput) (domain.Org, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return domain.Org{}, err
	}
	now := s.now()
	org := domain.Org{Slug: in.Slug, Name: in.Name, TimeZone: in.TimeZone, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO orgs (slug, name, time_zone, version, created_at, updated_at)
			VALUES ($1, $2, $3, 1, $4, $4) RETURNING id`, org.Slug, org.Name, org.TimeZone, now).Scan(&org.ID)
		if isUniqueViolation(err) {
			v := &domain.ValidationError{}
			v.Add("slug", "error.duplicate_slug", org.Slug)
			return v
		}
		if err != nil {
			return err
		}
		if err := s.appendTrail(ctx, tx, org.ID, now, change{actor: actor, action: "org.create",
			resourceType: "org", resourceRef: org.Slug, after: org}); err != nil {
			return err
		}
		scope := &OrgStore{s: s, org: org}
		for i, in := range seed {
			c, err := scope.prepareControl(in)
			if err != nil {
				return fmt.Errorf("seed control #%d: %w", i+1, err)
			}
			if err := scope.insertControl(ctx, tx, actor, &c, "control.create"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return domain.Org{}, err
	}
	return org, nil
}

// Orgs lists every organization in the order they were created, paginated
// (for instance administrators).
func (s *Store) Orgs(ctx context.Context, limit int, cursor string) (domain.Page[domain.Org], error) {
	return s.orgs(ctx, 0, limit, cursor)
}

// OrgsOf lists the organizations the user is an unexpired member of.
func (s *Store) OrgsOf(ctx context.Context, userID int64, limit int, cursor string) (domain.Page[domain.Org], error) {
	return s.orgs(ctx, userID, limit, cursor)
}

func (s *Store) orgs(ctx context.Context, memberID int64, limit int, cursor string) (domain.Page[domain.Org], error) {
	q := newQuery(`SELECT ` + orgColumns + ` FROM orgs WHERE 1 = 1`)
	if memberID != 0 {
		q.where("id IN (SELECT org_id FROM memberships WHERE user_id = ? AND (expires_at IS NULL OR expires_at > ?))", memberID, s.now())
	}
	return idPage(ctx, s.db, q, "id", limit, cursor, scanOrg, func(o domain.Org) int64 { return o.ID })
}
