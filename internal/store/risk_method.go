package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"tandem/internal/domain"
)

// The risk method of an organization is versioned: every change inserts the
// next version into risk_methods, and the newest one is in force. Without
// any row the default method (version 0) is.

// riskMethodBody is what method_json holds (the version and who changed it
// live in columns).
type riskMethodBody struct {
	Likelihood []domain.ScaleStep `json:"likelihood"`
	Impact     []domain.ScaleStep `json:"impact"`
	Levels     []domain.RiskLevel `json:"levels"`
	Matrix     [][]string         `json:"matrix"`
	Appetite   string             `json:"appetite"`
}

// RiskMethod returns the method in force.
func (o *OrgStore) RiskMethod(ctx context.Context) (domain.RiskMethod, error) {
	return o.riskMethod(ctx, o.s.db, -1)
}

// RiskMethodVersion returns one version of the method (0: the default).
func (o *OrgStore) RiskMethodVersion(ctx context.Context, version int64) (domain.RiskMethod, error) {
	if version < 0 {
		return domain.RiskMethod{}, domain.ErrNotFound
	}
	return o.riskMethod(ctx, o.s.db, version)
}

// riskMethod reads a version, or the newest when version is -1.
func (o *OrgStore) riskMethod(ctx context.Context, db queryer, version int64) (domain.RiskMethod, error) {
	if version == 0 {
		return domain.DefaultRiskMethod(), nil
	}
	q := newQuery(`SELECT version, method_json, created_at, created_by FROM risk_methods WHERE org_id = $1`, o.org.ID)
	if version > 0 {
		q.where("version = ?", version)
	}
	q.add(" ORDER BY version DESC LIMIT 1")
	var m domain.RiskMethod
	var body string
	var b riskMethodBody
	var at sql.NullTime
	err := db.QueryRowContext(ctx, q.sql(), q.args...).Scan(&m.Version, &body, &at, &m.UpdatedBy)
	if notFound(err) {
		if version > 0 {
			return domain.RiskMethod{}, domain.ErrNotFound
		}
		return domain.DefaultRiskMethod(), nil
	}
	if err != nil {
		return domain.RiskMethod{}, err
	}
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return domain.RiskMethod{}, fmt.Errorf("risk method %d: %w", m.Version, err)
	}
	m.Likelihood, m.Impact, m.Levels, m.Matrix, m.Appetite = b.Likelihood, b.Impact, b.Levels, b.Matrix, b.Appetite
	t := at.Time.UTC()
	m.UpdatedAt = &t
	return m, nil
}

// SetRiskMethod records in as the next version of the method. version is
// the one the caller read (0: the default); nil when none was given, which
// is refused once the method has been changed (ErrVersionRequired).
func (o *OrgStore) SetRiskMethod(ctx context.Context, actor domain.Actor, version *int64, in domain.RiskMethod) (domain.RiskMethod, error) {
	in = in.Normalize()
	if err := in.Validate(); err != nil {
		return domain.RiskMethod{}, err
	}
	body, err := json.Marshal(riskMethodBody{in.Likelihood, in.Impact, in.Levels, in.Matrix, in.Appetite})
	if err != nil {
		return domain.RiskMethod{}, err
	}
	var out domain.RiskMethod
	err = o.s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := o.riskMethod(ctx, tx, -1)
		if err != nil {
			return err
		}
		switch {
		case version == nil && cur.Version > 0:
			return domain.ErrVersionRequired
		case version != nil && *version != cur.Version:
			return domain.ErrConflict
		}
		now := o.s.now()
		out = in
		out.Version, out.UpdatedAt, out.UpdatedBy = cur.Version+1, &now, actor.String()
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_methods (org_id, version, method_json, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5)`, o.org.ID, out.Version, string(body), now, out.UpdatedBy); err != nil {
			if isUniqueViolation(err) {
				return domain.ErrConflict
			}
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "risk_method.update",
			resourceType: "risk_method", resourceRef: "v" + strconv.FormatInt(out.Version, 10), before: cur, after: out})
	})
	if err != nil {
		return domain.RiskMethod{}, err
	}
	return out, nil
}

// RiskMethodVersions lists the recorded versions of the method, newest
// first, one page at a time; the cursor is the position after the last
// version shown. Version 0, the default, is no row and is not listed.
func (o *OrgStore) RiskMethodVersions(ctx context.Context, limit int, cursor string) (domain.Page[domain.RiskMethod], error) {
	page := domain.Page[domain.RiskMethod]{Items: []domain.RiskMethod{}}
	limit = clampLimit(limit)
	q := newQuery(`SELECT version, method_json, created_at, created_by FROM risk_methods WHERE org_id = $1`, o.org.ID)
	if cursor != "" {
		before, err := decodeCursor(cursor)
		if err != nil {
			return page, err
		}
		q.where("version < ?", before)
	}
	q.add(" ORDER BY version DESC LIMIT ?", limit+1)
	rows, err := o.s.db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		var m domain.RiskMethod
		var body string
		var b riskMethodBody
		var at sql.NullTime
		if err := rows.Scan(&m.Version, &body, &at, &m.UpdatedBy); err != nil {
			return page, err
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return page, fmt.Errorf("risk method %d: %w", m.Version, err)
		}
		m.Likelihood, m.Impact, m.Levels, m.Matrix, m.Appetite = b.Likelihood, b.Impact, b.Levels, b.Matrix, b.Appetite
		t := at.Time.UTC()
		m.UpdatedAt = &t
		page.Items = append(page.Items, m)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(m domain.RiskMethod) int64 { return m.Version })
	return page, nil
}
