package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"tandem/internal/domain"
)

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// listRows runs q and scans every row; one page of a list is limit+1 rows
// so that trimPage can tell whether there is a next one.
func listRows[R any](ctx context.Context, db queryer, q *query, scan func(rowScanner) (R, error)) ([]R, error) {
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []R
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// countRows runs a COUNT(*) query.
func countRows(ctx context.Context, db queryer, q *query) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, q.sql(), q.args...).Scan(&n)
	return n, err
}

// inIDs appends "(?, ?, …)" for ids.
func inIDs(q *query, ids []int64) {
	q.add("(")
	for i, id := range ids {
		if i > 0 {
			q.add(", ")
		}
		q.add("?", id)
	}
	q.add(")")
}

// linkRefs loads (owner id → refs) pairs of a link query whose rows are
// (id, ref), ordered by the query.
func linkRefs(ctx context.Context, db queryer, q *query) (map[int64][]string, error) {
	out := map[int64][]string{}
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, err
		}
		out[id] = append(out[id], ref)
	}
	return out, rows.Err()
}

// rewriteLinks rewrites the rows of a link table (owner column, target
// column) for one owner inside tx.
func (o *OrgStore) rewriteLinks(ctx context.Context, tx *sql.Tx, table, ownerCol, targetCol string, ownerID int64, refs []string, ids map[string]int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE org_id = $1 AND `+ownerCol+` = $2`, o.org.ID, ownerID); err != nil {
		return err
	}
	for _, r := range refs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+ownerCol+`, org_id, `+targetCol+`) VALUES ($1, $2, $3)`,
			ownerID, o.org.ID, ids[r]); err != nil {
			return err
		}
	}
	return nil
}

func jsonList(list []string) string {
	if list == nil {
		list = []string{}
	}
	b, _ := json.Marshal(list)
	return string(b)
}

func parseJSONList(s string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(s), &out)
	return out
}

// lockRow takes the row lock of a record of the organization's table by
// ref before it is read; domain.ErrNotFound when there is none.
func (o *OrgStore) lockRow(ctx context.Context, tx *sql.Tx, table, ref string) error {
	res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET version = version WHERE org_id = $1 AND ref = $2`, o.org.ID, ref)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return nil
}
