package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tandem/internal/domain"
)

// actionColumns are read with the ref of the risk whose plan holds the
// action; queries join risks r (LEFT JOIN where an action may have none).
const actionColumns = `a.id, a.seq, a.ref, COALESCE(a.risk_id, 0), COALESCE(r.ref, ''), a.title, a.owner, a.due, a.status, a.notes,
	a.version, a.created_at, a.updated_at`

func scanAction(row interface{ Scan(...any) error }) (domain.Action, error) {
	var a domain.Action
	err := row.Scan(&a.ID, &a.Seq, &a.Ref, &a.RiskID, &a.Risk, &a.Title, &a.Owner, &a.Due, &a.Status, &a.Notes,
		&a.Version, &a.CreatedAt, &a.UpdatedAt)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

func (o *OrgStore) queryActions(ctx context.Context, db queryer, q *query) ([]domain.Action, error) {
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := o.today()
	list := []domain.Action{}
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, err
		}
		a.Derive(today)
		list = append(list, a)
	}
	return list, rows.Err()
}

// ActionFilter narrows an action list.
type ActionFilter struct {
	Risk     string // ref of a risk: the actions of its treatment plan
	Register string // the actions of the treatment plans of one register
	Owner    string
	Status   string
	Overdue  bool // open and past due
	Limit    int
	Cursor   string
}

// ListActions returns one page of actions, soonest due first.
func (o *OrgStore) ListActions(ctx context.Context, f ActionFilter) (domain.Page[domain.Action], error) {
	page := domain.Page[domain.Action]{Items: []domain.Action{}}
	v := &domain.ValidationError{}
	if f.Status != "" && !slices.Contains(domain.ActionStatuses, f.Status) {
		v.Add("status", "error.one_of", f.Status, strings.Join(domain.ActionStatuses, ", "))
	}
	if f.Register != "" && !slices.Contains(domain.Registers, f.Register) {
		v.Add("register", "error.one_of", f.Register, strings.Join(domain.Registers, ", "))
	}
	if err := v.Err(); err != nil {
		return page, err
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+actionColumns+` FROM actions a LEFT JOIN risks r ON r.id = a.risk_id AND r.org_id = a.org_id WHERE a.org_id = $1`, o.org.ID)
	actionConditions(q, f, o.today())
	// Ordered by due date, so the cursor is the position in that order:
	// the due date and the sequence number of the last action shown, both
	// carried in the cursor, so that a change to that action since does
	// not move the page.
	if f.Cursor != "" {
		due, seq, err := decodeDueCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		q.where(`(a.due > ? OR (a.due = ? AND a.seq > ?))`, due, due, seq)
	}
	q.add(" ORDER BY a.due, a.seq LIMIT ?", limit+1)
	list, err := o.queryActions(ctx, o.s.db, q)
	if err != nil {
		return page, err
	}
	if len(list) > limit {
		last := list[limit-1]
		next := base64.RawURLEncoding.EncodeToString([]byte(last.Due + "/" + strconv.FormatInt(last.Seq, 10)))
		page.Items, page.Next = list[:limit], &next
		return page, nil
	}
	page.Items = list
	return page, nil
}

// decodeDueCursor reads a cursor of the action list: "due/seq".
func decodeDueCursor(c string) (string, int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if due, seq, ok := strings.Cut(string(raw), "/"); err == nil && ok {
		if _, derr := time.Parse(time.DateOnly, due); derr == nil {
			if n, perr := strconv.ParseInt(seq, 10, 64); perr == nil && n > 0 {
				return due, n, nil
			}
		}
	}
	v := &domain.ValidationError{}
	v.Add("cursor", "error.cursor", c)
	return "", 0, v
}

// CountOverdueActions counts the open actions past their due date.
func (o *OrgStore) CountOverdueActions(ctx context.Context) (int, error) {
	return o.CountActions(ctx, ActionFilter{Overdue: true})
}

// CountActions counts the actions a filter keeps (cursor and limit aside).
func (o *OrgStore) CountActions(ctx context.Context, f ActionFilter) (int, error) {
	q := newQuery(`SELECT COUNT(*) FROM actions a LEFT JOIN risks r ON r.id = a.risk_id AND r.org_id = a.org_id WHERE a.org_id = $1`, o.org.ID)
	actionConditions(q, f, o.today())
	var n int
	return n, o.s.db.QueryRowContext(ctx, q.sql(), q.args...).Scan(&n)
}

func actionConditions(q *query, f ActionFilter, today string) {
	if f.Risk != "" {
		q.where("r.ref = ?", strings.ToUpper(strings.TrimSpace(f.Risk)))
	}
	if f.Register != "" {
		q.where("r.register = ?", f.Register)
	}
	if f.Owner != "" {
		q.where("a.owner_fold = ?", fold(strings.TrimSpace(f.Owner)))
	}
	if f.Status != "" {
		q.where("a.status = ?", f.Status)
	}
	if f.Overdue {
		q.where("a.status = ? AND a.due < ?", domain.ActionOpen, today)
	}
}

// Action returns one action by ref.
func (o *OrgStore) Action(ctx context.Context, ref string) (domain.Action, error) {
	a, err := o.action(ctx, o.s.db, ref)
	a.Derive(o.today())
	return a, err
}

func (o *OrgStore) action(ctx context.Context, db queryer, ref string) (domain.Action, error) {
	a, err := scanAction(db.QueryRowContext(ctx, `SELECT `+actionColumns+` FROM actions a LEFT JOIN risks r ON r.id = a.risk_id AND r.org_id = a.org_id
		WHERE a.org_id = $1 AND a.ref = $2`, o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	if notFound(err) {
		return a, domain.ErrNotFound
	}
	return a, err
}

// AddRiskAction adds an action (next ACT ref) to the treatment plan of
// the risk with riskRef.
func (o *OrgStore) AddRiskAction(ctx context.Context, actor domain.Actor, riskRef string, in domain.ActionInput) (domain.Action, error) {
	var a domain.Action
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = o.addRiskAction(ctx, tx, actor, riskRef, in)
		return err
	})
	if err != nil {
		return domain.Action{}, err
	}
	return o.Action(ctx, a.Ref)
}

func (o *OrgStore) addRiskAction(ctx context.Context, tx *sql.Tx, actor domain.Actor, riskRef string, in domain.ActionInput) (domain.Action, error) {
	var riskID int64
	var ref string
	err := tx.QueryRowContext(ctx, `SELECT id, ref FROM risks WHERE org_id = $1 AND ref = $2`, o.org.ID,
		strings.ToUpper(strings.TrimSpace(riskRef))).Scan(&riskID, &ref)
	if notFound(err) {
		return domain.Action{}, domain.ErrNotFound
	}
	if err != nil {
		return domain.Action{}, err
	}
	a := in.Apply(domain.Action{})
	if err := a.Validate(); err != nil {
		return a, err
	}
	seq, err := o.nextSeq(ctx, tx, "ACT")
	if err != nil {
		return a, err
	}
	now := o.s.now()
	a.Seq, a.Ref, a.RiskID, a.Risk, a.Version, a.CreatedAt, a.UpdatedAt = seq, fmt.Sprintf("ACT-%03d", seq), riskID, ref, 1, now, now
	err = tx.QueryRowContext(ctx, `INSERT INTO actions (org_id, seq, ref, risk_id, title, owner, owner_fold, due, status, notes,
		version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
		o.org.ID, a.Seq, a.Ref, riskID, a.Title, a.Owner, fold(a.Owner), a.Due, a.Status, a.Notes, now).Scan(&a.ID)
	if err != nil {
		return a, err
	}
	return a, o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "action.create",
		resourceType: "action", resourceRef: a.Ref, after: a})
}

// UpdateAction changes an action at the version the caller read.
func (o *OrgStore) UpdateAction(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.ActionInput) (domain.Action, error) {
	var a domain.Action
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := o.action(ctx, tx, ref)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict
		}
		a = in.Apply(before)
		if err := a.Validate(); err != nil {
			return err
		}
		now := o.s.now()
		a.Version, a.UpdatedAt = before.Version+1, now
		res, err := tx.ExecContext(ctx, `UPDATE actions SET title = $1, owner = $2, owner_fold = $3, due = $4, status = $5,
			notes = $6, version = $7, updated_at = $8 WHERE org_id = $9 AND id = $10 AND version = $11`,
			a.Title, a.Owner, fold(a.Owner), a.Due, a.Status, a.Notes, a.Version, now, o.org.ID, a.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "action.update",
			resourceType: "action", resourceRef: a.Ref, before: before, after: a})
	})
	if err != nil {
		return domain.Action{}, err
	}
	return o.Action(ctx, a.Ref)
}

// DeleteAction removes an action at the version the caller read.
func (o *OrgStore) DeleteAction(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := o.action(ctx, tx, ref)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM actions WHERE org_id = $1 AND id = $2`, o.org.ID, before.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "action.delete",
			resourceType: "action", resourceRef: before.Ref, before: before})
	})
}
