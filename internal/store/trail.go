package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"tandem/internal/domain"
)

// change is what a write appends to the trail.
type change struct {
	actor        domain.Actor
	action       string // e.g. "control.update"
	resourceType string
	resourceRef  string
	before       any // nil when the record did not exist
	after        any // nil when the record no longer exists
}

// appendTrail adds one entry to the organization's chain inside tx. The
// UPDATE of trail_heads takes a row lock, so two concurrent writers cannot
// both chain onto the same previous entry.
func (s *Store) appendTrail(ctx context.Context, tx *sql.Tx, orgID int64, at time.Time, c change) error {
	before, err := marshalState(c.before)
	if err != nil {
		return err
	}
	after, err := marshalState(c.after)
	if err != nil {
		return err
	}
	var seq int64
	var prev string
	err = tx.QueryRowContext(ctx,
		`UPDATE trail_heads SET seq = seq + 1 WHERE org_id = $1 RETURNING seq, hash`, orgID).Scan(&seq, &prev)
	if notFound(err) {
		seq, prev = 1, ""
		_, err = tx.ExecContext(ctx, `INSERT INTO trail_heads (org_id, seq, hash) VALUES ($1, 1, '')`, orgID)
	}
	if err != nil {
		return fmt.Errorf("trail head: %w", err)
	}
	e := domain.TrailEntry{
		Seq: seq, At: at, Actor: c.actor.String(), Action: c.action,
		ResourceType: c.resourceType, ResourceRef: c.resourceRef,
		Before: before, After: after, PrevHash: prev,
	}
	e.Hash = TrailHash(orgID, e)
	if _, err := tx.ExecContext(ctx, `INSERT INTO trail_entries
		(org_id, seq, at, actor, action, resource_type, resource_ref, before_json, after_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		orgID, e.Seq, e.At, e.Actor, e.Action, e.ResourceType, e.ResourceRef,
		string(e.Before), string(e.After), e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("trail entry: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE trail_heads SET hash = $2 WHERE org_id = $1`, orgID, e.Hash); err != nil {
		return fmt.Errorf("trail head: %w", err)
	}
	return nil
}

func marshalState(v any) (json.RawMessage, error) {
	if v == nil {
		return json.RawMessage("null"), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("trail state: %w", err)
	}
	return b, nil
}

// TrailHash is SHA-256 over a canonical encoding of the entry: its fields in
// a fixed order, the time in UTC with microseconds (what both engines keep),
// and the hash of the previous entry.
func TrailHash(orgID int64, e domain.TrailEntry) string {
	canon, _ := json.Marshal([]any{
		orgID, e.Seq, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.Actor, e.Action,
		e.ResourceType, e.ResourceRef, string(e.Before), string(e.After), e.PrevHash,
	})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

const trailColumns = `seq, at, actor, action, resource_type, resource_ref, before_json, after_json, prev_hash, hash`

func scanTrail(row interface{ Scan(...any) error }) (domain.TrailEntry, error) {
	var e domain.TrailEntry
	var before, after string
	err := row.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.ResourceType, &e.ResourceRef, &before, &after, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	e.Before, e.After = json.RawMessage(before), json.RawMessage(after)
	return e, err
}

// Trail lists the organization's entries, newest first, optionally for one
// resource, paginated by sequence number.
func (o *OrgStore) Trail(ctx context.Context, resourceType, resourceRef string, limit int, cursor string) (domain.Page[domain.TrailEntry], error) {
	page := domain.Page[domain.TrailEntry]{Items: []domain.TrailEntry{}}
	limit = clampLimit(limit)
	q := newQuery(`SELECT `+trailColumns+` FROM trail_entries WHERE org_id = $1`, o.org.ID)
	if resourceType != "" {
		q.where("resource_type = ?", resourceType)
	}
	if resourceRef != "" {
		q.where("resource_ref = ?", resourceRef)
	}
	if cursor != "" {
		after, err := decodeCursor(cursor)
		if err != nil {
			return page, err
		}
		q.where("seq < ?", after)
	}
	q.add(" ORDER BY seq DESC LIMIT ?", limit+1)
	rows, err := o.s.db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanTrail(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(e domain.TrailEntry) int64 { return e.Seq })
	return page, nil
}
