package store

import (
	"context"
	"database/sql"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
)

// SessionPolicy bounds how long a sign-in lasts.
type SessionPolicy struct {
	Idle     time.Duration // ends after this long without a request
	Absolute time.Duration // ends this long after sign-in, whatever happens
}

// DefaultSessions is what the server uses unless configured otherwise.
var DefaultSessions = SessionPolicy{Idle: 2 * time.Hour, Absolute: 12 * time.Hour}

// touchEvery limits how often a session's last-seen time is written: once a
// minute is precise enough for an idle timeout of hours.
const touchEvery = time.Minute

// CreateSession starts a session for the user (a sign-in, which the
// instance trail records) and returns its secret, the cookie value. Only the
// secret's hash is stored.
func (s *Store) CreateSession(ctx context.Context, u domain.User, via string, p SessionPolicy) (string, error) {
	secret := auth.NewSecret(32)
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $3, $4)`, secretHash(secret), u.ID, now, now.Add(p.Absolute)); err != nil {
			return err
		}
		return s.appendTrail(ctx, tx, InstanceChain, now, change{actor: domain.Actor{Kind: "user", Name: u.Email},
			action: "user.sign_in", resourceType: "user", resourceRef: u.Email, after: map[string]string{"via": via}})
	})
	return secret, err
}

// SessionUser returns the active user of a live session, or ErrNotFound for
// an unknown, expired or idle session (which it deletes).
func (s *Store) SessionUser(ctx context.Context, secret string, p SessionPolicy) (domain.User, error) {
	var lastSeen, expires time.Time
	id := secretHash(secret)
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.instance_admin, u.active, u.version,
			u.created_at, u.updated_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`, id), &lastSeen, &expires)
	if err != nil {
		return u, err
	}
	now := s.now()
	if !u.Active || now.After(expires) || now.After(lastSeen.Add(p.Idle)) {
		s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, id)
		return domain.User{}, domain.ErrNotFound
	}
	if now.Sub(lastSeen) > touchEvery {
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1`, id, now); err != nil {
			return domain.User{}, err
		}
	}
	return u, nil
}

// DeleteSession ends one session (sign out).
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, secretHash(secret))
	return err
}
