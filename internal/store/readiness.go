package store

import (
	"context"
	"database/sql"
	"strings"

	"tandem/internal/domain"
	"tandem/internal/readiness"
)

// Coverage returns every requirement the organization's controls are
// linked to, with those controls (one query), for readiness figures.
func (o *OrgStore) Coverage(ctx context.Context) (readiness.Coverage, error) {
	return o.coverage(ctx, o.s.db)
}

func (o *OrgStore) coverage(ctx context.Context, db queryer) (readiness.Coverage, error) {
	rows, err := db.QueryContext(ctx, `SELECT l.requirement_key, c.ref, c.title, c.owner, c.status
		FROM control_requirements l JOIN controls c ON c.id = l.control_id
		WHERE c.org_id = $1 ORDER BY l.requirement_key, c.seq`, o.org.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cov := readiness.Coverage{}
	for rows.Next() {
		var key string
		var c domain.SoAControl
		if err := rows.Scan(&key, &c.Ref, &c.Title, &c.Owner, &c.Status); err != nil {
			return nil, err
		}
		cov[key] = append(cov[key], c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Each control's scope follows from all of its links, which the rows
	// above already hold: gather the standards per control.
	stds := map[string]map[string]bool{}
	for key, list := range cov {
		std := standardOf(key)
		for _, c := range list {
			if stds[c.Ref] == nil {
				stds[c.Ref] = map[string]bool{}
			}
			stds[c.Ref][std] = true
		}
	}
	for _, list := range cov {
		for i := range list {
			s := stds[list[i].Ref]
			other := len(s) > btoi(s[domain.ISO27001])+btoi(s[domain.ISO42001])
			list[i].Scope = domain.ScopeFrom(s[domain.ISO27001], s[domain.ISO42001], other)
		}
	}
	return cov, nil
}

// Exclusions returns the Annex A controls decided not applicable.
func (o *OrgStore) Exclusions(ctx context.Context) (readiness.Excluded, error) {
	return o.exclusions(ctx, o.s.db)
}

// impact is what changing a control from before to after does in each
// standard, read inside the writing transaction before the change is
// applied; nil when it touches no requirement. It goes into the trail
// entry of the change.
func (o *OrgStore) impact(ctx context.Context, tx *sql.Tx, before, after domain.Control) (any, error) {
	cov, err := o.coverage(ctx, tx)
	if err != nil {
		return nil, err
	}
	excluded, err := o.exclusions(ctx, tx)
	if err != nil {
		return nil, err
	}
	im := readiness.ImpactOf(o.s.catalog, cov, excluded, before, after)
	if im.Empty() {
		return nil, nil
	}
	return map[string]any{"impact": im}, nil
}

func (o *OrgStore) exclusions(ctx context.Context, db queryer) (readiness.Excluded, error) {
	rows, err := db.QueryContext(ctx, `SELECT requirement_key FROM soa_decisions
		WHERE org_id = $1 AND applicable = $2`, o.org.ID, false)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := readiness.Excluded{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

func standardOf(key string) string {
	std, _, _ := strings.Cut(key, "/")
	return std
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
