package store

import (
	"context"
	"database/sql"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
)

// Member is one person's membership of the organization, as the members
// page lists it.
type Member struct {
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	ExpiresAt *time.Time `json:"expires_at"`
	Active    bool       `json:"active"`
	Expired   bool       `json:"expired" doc:"The grant has ended; the person no longer has access"`
	userID    int64
}

// Members lists the organization's members (expired grants included, so
// an administrator sees them), by email, paginated.
func (o *OrgStore) Members(ctx context.Context, limit int, cursor string) (domain.Page[Member], error) {
	page := domain.Page[Member]{Items: []Member{}}
	limit = clampLimit(limit)
	q := newQuery(`SELECT u.id, u.email, u.name, u.active, m.role, m.expires_at
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1`, o.org.ID)
	if cursor != "" {
		after, err := decodeCursor(cursor)
		if err != nil {
			return page, err
		}
		q.where("u.id > ?", after)
	}
	q.add(" ORDER BY u.id LIMIT ?", limit+1)
	rows, err := o.s.db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	now := o.s.now()
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.userID, &m.Email, &m.Name, &m.Active, &m.Role, &m.ExpiresAt); err != nil {
			return page, err
		}
		m.Expired = m.ExpiresAt != nil && !m.ExpiresAt.After(now)
		page.Items = append(page.Items, m)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(m Member) int64 { return m.userID })
	return page, nil
}

// RemoveMembership ends a user's membership of the organization.
func (o *OrgStore) RemoveMembership(ctx context.Context, actor domain.Actor, email string) error {
	u, err := o.s.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	now := o.s.now()
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		var old domain.Membership
		err := tx.QueryRowContext(ctx, `SELECT role, expires_at FROM memberships WHERE user_id = $1 AND org_id = $2`,
			u.ID, o.org.ID).Scan(&old.Role, &old.ExpiresAt)
		if notFound(err) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := o.keepAnAdmin(ctx, tx, u.ID, old, false); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = $1 AND org_id = $2`, u.ID, o.org.ID); err != nil {
			return err
		}
		old.OrgSlug = o.org.Slug
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "member.remove",
			resourceType: "member", resourceRef: u.Email, before: old})
	})
}

// keepAnAdmin refuses a change that would leave the organization without
// a lasting administrator (admin, no end date): old is the user's current
// membership and stillLasting whether they remain one. Membership changes of one organization are serialized
// on its row, so two administrators demoting each other at once cannot
// both succeed.
func (o *OrgStore) keepAnAdmin(ctx context.Context, tx *sql.Tx, userID int64, old domain.Membership, stillLasting bool) error {
	if old.Role != string(auth.RoleAdmin) || old.ExpiresAt != nil || stillLasting {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orgs SET version = version WHERE id = $1`, o.org.ID); err != nil {
		return err
	}
	var others int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships
		WHERE org_id = $1 AND role = 'admin' AND user_id <> $2 AND expires_at IS NULL`, o.org.ID, userID).Scan(&others)
	if err != nil {
		return err
	}
	if others == 0 {
		v := &domain.ValidationError{}
		v.Add("role", "error.last_admin", old.Role)
		return v
	}
	return nil
}
