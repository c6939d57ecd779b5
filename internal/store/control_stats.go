package store

import (
	"context"

	"tandem/internal/domain"
)

// ControlStats counts the organization's controls by status, by derived
// scope and per requirement, in three aggregate queries whose result size is
// bounded by the number of statuses, scopes and catalog requirements, not by
// the number of controls.
func (o *OrgStore) ControlStats(ctx context.Context) (domain.ControlStats, error) {
	st := domain.ControlStats{ByStatus: map[string]int{}, ByScope: map[string]int{}, Requirements: map[string]domain.RequirementCoverage{}}
	db := o.s.db

	rows, err := db.QueryContext(ctx, `SELECT status, COUNT(*) FROM controls WHERE org_id = $1 GROUP BY status`, o.org.ID)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			rows.Close()
			return st, err
		}
		st.ByStatus[status] = n
		st.Total += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}

	// The scope of each control follows from which standards its links
	// touch; the inner query reduces every control to three flags.
	rows, err = db.QueryContext(ctx, `SELECT has27001, has42001, has_other, COUNT(*) FROM (
			SELECT c.id,
				MAX(CASE WHEN r.standard = $2 THEN 1 ELSE 0 END) AS has27001,
				MAX(CASE WHEN r.standard = $3 THEN 1 ELSE 0 END) AS has42001,
				MAX(CASE WHEN r.standard <> $2 AND r.standard <> $3 THEN 1 ELSE 0 END) AS has_other
			FROM controls c LEFT JOIN control_requirements r ON r.control_id = c.id
			WHERE c.org_id = $1 GROUP BY c.id) flags
		GROUP BY has27001, has42001, has_other`, o.org.ID, domain.ISO27001, domain.ISO42001)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var has27, has42, other, n int
		if err := rows.Scan(&has27, &has42, &other, &n); err != nil {
			rows.Close()
			return st, err
		}
		st.ByScope[domain.ScopeFrom(has27 == 1, has42 == 1, other == 1)] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}

	rows, err = db.QueryContext(ctx, `SELECT r.requirement_key, COUNT(*),
			SUM(CASE WHEN c.status = $2 THEN 1 ELSE 0 END)
		FROM control_requirements r JOIN controls c ON c.id = r.control_id
		WHERE r.org_id = $1 AND c.org_id = $1 GROUP BY r.requirement_key`, o.org.ID, domain.StatusImplemented)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var cov domain.RequirementCoverage
		if err := rows.Scan(&key, &cov.Controls, &cov.Implemented); err != nil {
			return st, err
		}
		st.Requirements[key] = cov
	}
	return st, rows.Err()
}
