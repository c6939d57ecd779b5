package store

import (
	"context"
	"database/sql"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
)

// SetPassword replaces a user's password and ends every session of theirs,
// so a password change locks out whoever knew the old one.
func (s *Store) SetPassword(ctx context.Context, actor domain.Actor, userID int64, password string) error {
	v := &domain.ValidationError{}
	domain.ValidatePassword(v, "password", password, false)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		email, err := s.bumpUser(ctx, tx, userID, now, `password_hash = $3`, hash)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		return s.appendTrail(ctx, tx, InstanceChain, now, change{actor: actor, action: "user.password",
			resourceType: "user", resourceRef: email})
	})
}

// SetActive activates or deactivates a user. Deactivation ends their
// sessions and revokes their tokens in the same transaction.
func (s *Store) SetActive(ctx context.Context, actor domain.Actor, userID int64, active bool) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		email, err := s.bumpUser(ctx, tx, userID, now, `active = $3`, active)
		if err != nil {
			return err
		}
		action := "user.activate"
		if !active {
			action = "user.deactivate"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, userID, now); err != nil {
				return err
			}
		}
		return s.appendTrail(ctx, tx, InstanceChain, now, change{actor: actor, action: action,
			resourceType: "user", resourceRef: email, after: map[string]bool{"active": active}})
	})
}

// bumpUser applies set (with $3 as its value) to a user, raising the
// version, and returns the user's email for the trail.
func (s *Store) bumpUser(ctx context.Context, tx *sql.Tx, userID int64, now time.Time, set string, value any) (string, error) {
	var email string
	err := tx.QueryRowContext(ctx, `UPDATE users SET `+set+`, version = version + 1, updated_at = $2
		WHERE id = $1 RETURNING email`, userID, now, value).Scan(&email)
	if notFound(err) {
		return "", domain.ErrNotFound
	}
	return email, err
}

// Tokens lists a user's API tokens, newest first (revoked ones included, so
// the owner sees what was revoked when).
func (s *Store) Tokens(ctx context.Context, userID int64) ([]domain.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1
		ORDER BY id DESC LIMIT 200`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the user's tokens; revoking twice is a no-op
// that keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, actor domain.Actor, userID, tokenID int64) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1 AND user_id = $2`, tokenID, userID))
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, tokenID, now); err != nil {
			return err
		}
		var email string
		if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, userID).Scan(&email); err != nil {
			return err
		}
		before := t
		t.RevokedAt = &now
		return s.appendTrail(ctx, tx, InstanceChain, now, change{actor: actor, action: "token.revoke",
			resourceType: "token", resourceRef: email + "/" + t.Prefix, before: before, after: t})
	})
}
