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
	detail       any // nil, or what the write did beyond the record (a control change's impact)
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
	var detail json.RawMessage
	if c.detail != nil {
		if detail, err = marshalState(c.detail); err != nil {
			return err
		}
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
		Before: before, After: after, Detail: detail, PrevHash: prev,
	}
	e.Hash = TrailHash(orgID, e)
	if _, err := tx.ExecContext(ctx, `INSERT INTO trail_entries
		(org_id, seq, at, actor, action, resource_type, resource_ref, before_json, after_json, detail_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		orgID, e.Seq, e.At, e.Actor, e.Action, e.ResourceType, e.ResourceRef,
		string(e.Before), string(e.After), string(e.Detail), e.PrevHash, e.Hash); err != nil {
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
// the detail when there is one (entries from before details existed keep
// their hashes), and the hash of the previous entry.
func TrailHash(orgID int64, e domain.TrailEntry) string {
	fields := []any{
		orgID, e.Seq, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.Actor, e.Action,
		e.ResourceType, e.ResourceRef, string(e.Before), string(e.After), e.PrevHash,
	}
	if len(e.Detail) > 0 {
		fields = append(fields, string(e.Detail))
	}
	canon, _ := json.Marshal(fields)
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

const trailColumns = `seq, at, actor, action, resource_type, resource_ref, before_json, after_json, detail_json, prev_hash, hash`

func scanTrail(row interface{ Scan(...any) error }) (domain.TrailEntry, error) {
	var e domain.TrailEntry
	var before, after, detail string
	err := row.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.ResourceType, &e.ResourceRef, &before, &after, &detail, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	e.Before, e.After = json.RawMessage(before), json.RawMessage(after)
	if detail != "" {
		e.Detail = json.RawMessage(detail)
	}
	return e, err
}

// Trail lists the organization's entries that match f, newest first,
// paginated by sequence number; the period is half-open (From inclusive, To
// exclusive). Every condition is SQL served by an index (migration 00003):
// nothing is filtered in Go.
func (o *OrgStore) Trail(ctx context.Context, f domain.TrailFilter) (domain.Page[domain.TrailEntry], error) {
	page := domain.Page[domain.TrailEntry]{Items: []domain.TrailEntry{}}
	v := &domain.ValidationError{}
	if bad, ok := domain.AsValidation(f.Validate()); ok {
		v.Fields = append(v.Fields, bad.Fields...)
	}
	var before int64
	if f.Cursor != "" {
		seq, err := decodeCursor(f.Cursor)
		if bad, ok := domain.AsValidation(err); ok {
			v.Fields = append(v.Fields, bad.Fields...)
		}
		before = seq
	}
	if err := v.Err(); err != nil {
		return page, err
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+trailColumns+` FROM trail_entries WHERE org_id = $1`, o.org.ID)
	for _, c := range []struct{ column, value string }{
		{"actor", f.Actor}, {"action", f.Action}, {"resource_type", f.ResourceType}, {"resource_ref", f.ResourceRef},
	} {
		if c.value != "" {
			q.where(c.column+" = ?", c.value)
		}
	}
	if f.From != nil {
		q.where("at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q.where("at < ?", f.To.UTC())
	}
	if before > 0 {
		q.where("seq < ?", before)
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

// TrailChoices bounds the distinct actors and actions offered as filters.
const TrailChoices = 200

// TrailActors lists the distinct actors of the organization's trail, in
// order, at most TrailChoices of them (for a filter's choices).
func (o *OrgStore) TrailActors(ctx context.Context) ([]string, error) {
	return o.trailDistinct(ctx, "actor")
}

// TrailActions lists the distinct actions of the organization's trail, in
// order, at most TrailChoices of them.
func (o *OrgStore) TrailActions(ctx context.Context) ([]string, error) {
	return o.trailDistinct(ctx, "action")
}

// trailDistinct reads the distinct values of column (a fixed name, never
// input) by skipping through its (org_id, column, seq) index: each step
// asks for the smallest value above the previous one, so the cost follows
// the number of distinct values, not the length of the trail. Plain SELECT
// DISTINCT would read every entry of the organization.
func (o *OrgStore) trailDistinct(ctx context.Context, column string) ([]string, error) {
	rows, err := o.s.db.QueryContext(ctx, `WITH RECURSIVE d(v, n) AS (
		SELECT MIN(`+column+`), 1 FROM trail_entries WHERE org_id = $1
		UNION ALL
		SELECT (SELECT MIN(`+column+`) FROM trail_entries WHERE org_id = $1 AND `+column+` > d.v), n + 1
		FROM d WHERE d.v IS NOT NULL AND n < $2
	) SELECT v FROM d WHERE v IS NOT NULL`, o.org.ID, TrailChoices)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
