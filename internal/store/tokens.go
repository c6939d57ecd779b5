package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
)

// TokenPrefix starts every API token, so that a leaked one is easy to spot
// (secret scanners, logs).
const TokenPrefix = "tdm_"

const tokenColumns = `id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (domain.Token, error) {
	var t domain.Token
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt, &t.RevokedAt)
	if err == sql.ErrNoRows {
		return t, domain.ErrNotFound
	}
	return t, err
}

// CreateToken makes an API token for the user and returns its secret, shown
// once; only its hash is kept.
func (s *Store) CreateToken(ctx context.Context, actor domain.Actor, userID int64, name string, expires *time.Time) (string, domain.Token, error) {
	name = strings.TrimSpace(name)
	v := &domain.ValidationError{}
	switch {
	case name == "":
		v.Add("name", "error.required", name)
	case len([]rune(name)) > 100:
		v.Add("name", "error.too_long", nil, 100)
	}
	if expires != nil && !expires.After(s.now()) {
		v.Add("expires", "error.expiry_past", expires)
	}
	if err := v.Err(); err != nil {
		return "", domain.Token{}, err
	}
	secret := TokenPrefix + auth.NewSecret(32)
	now := s.now()
	t := domain.Token{UserID: userID, Name: name, Prefix: secret[:len(TokenPrefix)+6], CreatedAt: now, ExpiresAt: expires}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var email string
		if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, userID).Scan(&email); err != nil {
			if notFound(err) {
				return domain.ErrNotFound
			}
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, secret_hash, prefix, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, userID, name, secretHash(secret), t.Prefix, now, expires).Scan(&t.ID); err != nil {
			return err
		}
		return s.appendTrail(ctx, tx, InstanceChain, now, change{actor: actor, action: "token.create",
			resourceType: "token", resourceRef: email + "/" + t.Prefix, after: t})
	})
	if err != nil {
		return "", domain.Token{}, err
	}
	return secret, t, nil
}

// TokenUser returns the active user of a live token (and the token), or
// ErrNotFound for an unknown, revoked or expired token. It records the
// token's last use.
func (s *Store) TokenUser(ctx context.Context, secret string) (domain.User, domain.Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE secret_hash = $1`, secretHash(secret)))
	if err != nil {
		return domain.User{}, t, err
	}
	now := s.now()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && now.After(*t.ExpiresAt)) {
		return domain.User{}, t, domain.ErrNotFound
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, t.UserID))
	if err != nil || !u.Active {
		return domain.User{}, t, domain.ErrNotFound
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, t.ID, now); err != nil {
			return domain.User{}, t, err
		}
		t.LastUsedAt = &now
	}
	return u, t, nil
}
