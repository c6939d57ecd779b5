package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
)

// InstanceChain is the trail chain of the instance itself (users and their
// credentials); every organization has its own chain besides.
const InstanceChain = 0

const userColumns = `id, email, name, instance_admin, active, version, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (domain.User, error) {
	var u domain.User
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.InstanceAdmin, &u.Active, &u.Version, &u.CreatedAt, &u.UpdatedAt}, extra...)...)
	if err == sql.ErrNoRows {
		return u, domain.ErrNotFound
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

// CreateUser adds a user; the password is hashed with argon2id before the
// transaction starts, so the slow hash holds no lock.
func (s *Store) CreateUser(ctx context.Context, actor domain.Actor, in domain.UserInput) (domain.User, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return domain.User{}, err
	}
	hash := ""
	if in.Password != "" {
		var err error
		if hash, err = auth.HashPassword(in.Password); err != nil {
			return domain.User{}, err
		}
	}
	now := s.now()
	u := domain.User{Email: in.Email, Name: in.Name, InstanceAdmin: in.InstanceAdmin, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, instance_admin, active, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`, u.Email, u.Name, hash, u.InstanceAdmin, true, now).Scan(&u.ID)
		if isUniqueViolation(err) {
			v := &domain.ValidationError{}
			v.Add("email", "error.duplicate_email", u.Email)
			return v
		}
		if err != nil {
			return err
		}
		return s.appendTrail(ctx, tx, InstanceChain, now, change{actor: actor, action: "user.create",
			resourceType: "user", resourceRef: u.Email, after: u})
	})
	return u, err
}

// UserByEmail returns the user with this email (any case).
func (s *Store) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))))
}

// Authenticate checks an email and password. Unknown users, inactive users
// and wrong passwords all answer ErrNotFound after the same amount of work.
func (s *Store) Authenticate(ctx context.Context, email, password string) (domain.User, error) {
	var hash string
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))), &hash)
	switch {
	case errors.Is(err, domain.ErrNotFound) || (err == nil && (hash == "" || len(password) > domain.MaxPasswordBytes)):
		auth.CheckNoUser(password)
		return domain.User{}, domain.ErrNotFound
	case err != nil:
		return domain.User{}, err
	}
	if err := auth.CheckPassword(hash, password); err != nil || !u.Active {
		return domain.User{}, domain.ErrNotFound
	}
	return u, nil
}

// SetMembership gives the user a role in the organization (replacing any
// earlier one); expires, when set, ends it (external auditors).
func (o *OrgStore) SetMembership(ctx context.Context, actor domain.Actor, email, role string, expires *time.Time) error {
	v := &domain.ValidationError{}
	if !auth.ValidRole(role) {
		v.Add("role", "error.role", role)
	}
	u, err := o.s.UserByEmail(ctx, email)
	if errors.Is(err, domain.ErrNotFound) {
		v.Add("email", "error.unknown_user", email, email)
	} else if err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return err
	}
	now := o.s.now()
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		var before *domain.Membership
		var old domain.Membership
		err := tx.QueryRowContext(ctx, `SELECT role, expires_at FROM memberships WHERE user_id = $1 AND org_id = $2`,
			u.ID, o.org.ID).Scan(&old.Role, &old.ExpiresAt)
		if err == nil {
			old.OrgSlug = o.org.Slug
			before = &old
			if err := o.keepAnAdmin(ctx, tx, u.ID, old, role == string(auth.RoleAdmin) && expires == nil); err != nil {
				return err
			}
		} else if !notFound(err) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = $1 AND org_id = $2`, u.ID, o.org.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, org_id, role, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5)`, u.ID, o.org.ID, role, expires, now); err != nil {
			return err
		}
		after := domain.Membership{OrgSlug: o.org.Slug, Role: role, ExpiresAt: expires}
		var beforeState any
		if before != nil {
			beforeState = before
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "member.set",
			resourceType: "member", resourceRef: u.Email, before: beforeState, after: after})
	})
}

// Memberships lists the organizations a user belongs to (unexpired), by name.
func (s *Store) Memberships(ctx context.Context, userID int64) ([]domain.Membership, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.slug, o.name, m.role, m.expires_at
		FROM memberships m JOIN orgs o ON o.id = m.org_id
		WHERE m.user_id = $1 AND (m.expires_at IS NULL OR m.expires_at > $2)
		ORDER BY o.name LIMIT 1000`, userID, s.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Membership
	for rows.Next() {
		var m domain.Membership
		if err := rows.Scan(&m.OrgID, &m.OrgSlug, &m.OrgName, &m.Role, &m.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Role returns the user's unexpired role in this organization, or
// domain.ErrNotFound when they are not a member.
func (o *OrgStore) Role(ctx context.Context, userID int64) (auth.Role, error) {
	var role string
	err := o.s.db.QueryRowContext(ctx, `SELECT role FROM memberships WHERE user_id = $1 AND org_id = $2
		AND (expires_at IS NULL OR expires_at > $3)`, userID, o.org.ID, o.s.now()).Scan(&role)
	if notFound(err) {
		return "", domain.ErrNotFound
	}
	return auth.Role(role), err
}

// secretHash is how session and token secrets are stored.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Users lists every user of the instance in the order they were added,
// paginated (for instance administrators); text filters on the email,
// which is stored lowercased so both engines match alike.
func (s *Store) Users(ctx context.Context, text string, limit int, cursor string) (domain.Page[domain.User], error) {
	q := newQuery(`SELECT ` + userColumns + ` FROM users WHERE 1 = 1`)
	if text = strings.TrimSpace(text); text != "" {
		q.where(`email LIKE ? ESCAPE '\'`, likePattern(text))
	}
	scan := func(row interface{ Scan(...any) error }) (domain.User, error) { return scanUser(row) }
	return idPage(ctx, s.db, q, "id", limit, cursor, scan, func(u domain.User) int64 { return u.ID })
}
