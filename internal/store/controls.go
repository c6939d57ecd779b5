package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
)

const controlColumns = `c.id, c.seq, c.ref, c.title, c.description, c.owner, c.status, c.reference_id, c.version, c.created_at, c.updated_at`

type controlRow struct {
	domain.Control
	seq int64
}

func scanControl(row interface{ Scan(...any) error }) (controlRow, error) {
	var c controlRow
	var reference sql.NullString
	err := row.Scan(&c.ID, &c.seq, &c.Ref, &c.Title, &c.Description, &c.Owner, &c.Status, &reference, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	if err == sql.ErrNoRows {
		return c, domain.ErrNotFound
	}
	c.Reference = reference.String
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, err
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ListControls returns one page of the organization's controls in ref order.
func (o *OrgStore) ListControls(ctx context.Context, f domain.ControlFilter) (domain.Page[domain.Control], int, error) {
	page := domain.Page[domain.Control]{Items: []domain.Control{}}
	if err := o.validateFilter(f); err != nil {
		return page, 0, err
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+controlColumns+` FROM controls c WHERE c.org_id = $1`, o.org.ID)
	controlConditions(q, o.org.ID, f, o.themeKeys(f.Theme))
	// The total is counted with the same conditions, before the cursor.
	count := newQuery(`SELECT COUNT(*) FROM controls c WHERE c.org_id = $1`, o.org.ID)
	controlConditions(count, o.org.ID, f, o.themeKeys(f.Theme))
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, 0, err
		}
		q.where("c.seq > ?", after)
	}
	q.add(" ORDER BY c.seq LIMIT ?", limit+1)

	var total int
	if err := o.s.db.QueryRowContext(ctx, count.sql(), count.args...).Scan(&total); err != nil {
		return page, 0, err
	}
	rows, err := o.s.db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, 0, err
	}
	var list []controlRow
	for rows.Next() {
		c, err := scanControl(rows)
		if err != nil {
			rows.Close()
			return page, 0, err
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(c controlRow) int64 { return c.seq })
	if err := o.loadLinks(ctx, o.s.db, list); err != nil {
		return page, 0, err
	}
	for _, c := range list {
		page.Items = append(page.Items, c.Control)
	}
	return page, total, nil
}

func (o *OrgStore) validateFilter(f domain.ControlFilter) error {
	v := &domain.ValidationError{}
	if f.Status != "" && !domain.ValidStatus(f.Status) {
		v.Add("status", "error.one_of", f.Status, strings.Join(domain.Statuses, ", "))
	}
	if f.Scope != "" && !domain.ValidScope(f.Scope) {
		v.Add("scope", "error.one_of", f.Scope, strings.Join(domain.Scopes, ", "))
	}
	if f.Standard != "" && o.s.catalog.Standard(f.Standard) == nil {
		v.Add("standard", "error.unknown_standard", f.Standard, f.Standard)
	}
	if f.Requirement != "" && !o.s.catalog.HasRequirement(f.Requirement) {
		v.Add("requirement", "error.unknown_requirement", f.Requirement, f.Requirement)
	}
	if f.Theme != "" && len(o.themeKeys(f.Theme)) == 0 {
		v.Add("theme", "error.unknown_theme", f.Theme, f.Theme)
	}
	return v.Err()
}

// themeKeys lists the Annex A controls of a theme or group named as
// "<standard>/<group id>"; none for anything else.
func (o *OrgStore) themeKeys(theme string) []string {
	std, group, ok := strings.Cut(theme, "/")
	s := o.s.catalog.Standard(std)
	if !ok || s == nil {
		return nil
	}
	var keys []string
	for _, r := range s.Requirements {
		if r.Kind == catalog.KindAnnex && r.Group == group {
			keys = append(keys, r.Key)
		}
	}
	return keys
}

// controlConditions adds the filter's conditions; each is plain SQL over
// indexed columns, so filtering never loads rows it does not return.
func controlConditions(q *query, orgID int64, f domain.ControlFilter, themeKeys []string) {
	const linked = `EXISTS (SELECT 1 FROM control_requirements r WHERE r.control_id = c.id`
	if f.Status != "" {
		q.where("c.status = ?", f.Status)
	}
	if f.Owner != "" {
		q.where("c.owner_fold = ?", fold(f.Owner))
	}
	if f.Text != "" {
		q.where(`c.search_fold LIKE ? ESCAPE '\'`, likePattern(f.Text))
	}
	if f.Standard != "" {
		q.where(linked+" AND r.standard = ?)", f.Standard)
	}
	// A requirement is linked to few controls: select them through the
	// (org_id, requirement_key) index rather than probing every control.
	if f.Risk != "" {
		q.where(`c.id IN (SELECT l.control_id FROM risk_controls l JOIN risks k ON k.id = l.risk_id AND k.org_id = l.org_id
			WHERE l.org_id = ? AND k.ref = ?)`, orgID, strings.ToUpper(strings.TrimSpace(f.Risk)))
	}
	if f.Requirement != "" {
		q.where("c.id IN (SELECT r.control_id FROM control_requirements r WHERE r.org_id = ? AND r.requirement_key = ?)", orgID, f.Requirement)
	}
	if len(themeKeys) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(themeKeys)), ", ")
		args := append([]any{orgID}, anySlice(themeKeys)...)
		q.where("c.id IN (SELECT r.control_id FROM control_requirements r WHERE r.org_id = ? AND r.requirement_key IN ("+marks+"))", args...)
	}
	switch f.Scope {
	case domain.ScopeShared:
		q.where(linked+" AND r.standard = ?) AND "+linked+" AND r.standard = ?)", domain.ISO27001, domain.ISO42001)
	case domain.Scope27001:
		q.where(linked+" AND r.standard = ?) AND NOT "+linked+" AND r.standard <> ?)", domain.ISO27001, domain.ISO27001)
	case domain.Scope42001:
		q.where(linked+" AND r.standard = ?) AND NOT "+linked+" AND r.standard <> ?)", domain.ISO42001, domain.ISO42001)
	case domain.ScopeUnlinked:
		q.where("NOT " + linked + ")")
	}
}

// loadLinks fills Requirements and Scope of every control in one query.
func (o *OrgStore) loadLinks(ctx context.Context, db queryer, list []controlRow) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*controlRow, len(list))
	// The unary plus keeps the planner on the primary key (control_id, …)
	// instead of scanning the organization's whole link index; the org
	// condition still applies as a filter.
	q := newQuery(`SELECT control_id, requirement_key FROM control_requirements WHERE +org_id = $1 AND control_id IN (`, o.org.ID)
	for i := range list {
		list[i].Requirements = []string{}
		byID[list[i].ID] = &list[i]
		if i > 0 {
			q.add(", ")
		}
		q.add("?", list[i].ID)
	}
	q.add(")")
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		c := byID[id]
		c.Requirements = append(c.Requirements, key)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range list {
		o.s.catalog.SortKeys(list[i].Requirements)
		list[i].Scope = domain.ScopeOf(list[i].Requirements)
	}
	return nil
}

// Control returns the control with this ref, or domain.ErrNotFound.
func (o *OrgStore) Control(ctx context.Context, ref string) (domain.Control, error) {
	c, err := o.control(ctx, o.s.db, ref)
	return c.Control, err
}

func (o *OrgStore) control(ctx context.Context, db queryer, ref string) (controlRow, error) {
	c, err := scanControl(db.QueryRowContext(ctx,
		`SELECT `+controlColumns+` FROM controls c WHERE c.org_id = $1 AND c.ref = $2`, o.org.ID, ref))
	if err != nil {
		return c, err
	}
	list := []controlRow{c}
	if err := o.loadLinks(ctx, db, list); err != nil {
		return c, err
	}
	return list[0], nil
}

// CreateControl registers a new control with the next CTL ref.
func (o *OrgStore) CreateControl(ctx context.Context, actor domain.Actor, in domain.ControlInput) (domain.Control, error) {
	c, err := o.prepareControl(in)
	if err != nil {
		return domain.Control{}, err
	}
	err = o.s.inTx(ctx, func(tx *sql.Tx) error {
		return o.insertControl(ctx, tx, actor, &c, "control.create")
	})
	if err != nil {
		return domain.Control{}, err
	}
	return c, nil
}

// prepareControl turns input into a valid new control, or field errors.
func (o *OrgStore) prepareControl(in domain.ControlInput) (domain.Control, error) {
	c := in.Apply(domain.Control{})
	o.s.catalog.SortKeys(c.Requirements)
	return c, c.Validate(o.s.catalog)
}

// insertControl writes a prepared control, its links and its trail entry
// (action: control.create, or control.adopt / control.import).
func (o *OrgStore) insertControl(ctx context.Context, tx *sql.Tx, actor domain.Actor, c *domain.Control, action string) error {
	now := o.s.now()
	c.Version, c.CreatedAt, c.UpdatedAt = 1, now, now
	seq, err := o.nextSeq(ctx, tx, "CTL")
	if err != nil {
		return err
	}
	c.Ref = fmt.Sprintf("CTL-%03d", seq)
	reference := sql.NullString{String: c.Reference, Valid: c.Reference != ""}
	err = tx.QueryRowContext(ctx, `INSERT INTO controls
		(org_id, seq, ref, title, description, owner, status, reference_id, owner_fold, search_fold, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
		o.org.ID, seq, c.Ref, c.Title, c.Description, c.Owner, c.Status, reference, fold(c.Owner), searchFold(*c), now).Scan(&c.ID)
	if err != nil {
		return err
	}
	if err := o.addLinks(ctx, tx, c.ID, c.Requirements); err != nil {
		return err
	}
	return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: action,
		resourceType: "control", resourceRef: c.Ref, after: *c})
}

// nextSeq hands out the next number of a ref prefix; the upsert holds a row
// lock until commit, so two concurrent creates never get the same number.
func (o *OrgStore) nextSeq(ctx context.Context, tx *sql.Tx, prefix string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `INSERT INTO ref_counters (org_id, prefix, last) VALUES ($1, $2, 1)
		ON CONFLICT (org_id, prefix) DO UPDATE SET last = ref_counters.last + 1 RETURNING last`,
		o.org.ID, prefix).Scan(&seq)
	return seq, err
}

func (o *OrgStore) addLinks(ctx context.Context, tx *sql.Tx, controlID int64, keys []string) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO control_requirements (control_id, org_id, requirement_key, standard)
			VALUES ($1, $2, $3, $4)`, controlID, o.org.ID, k, catalog.StandardOfKey(k)); err != nil {
			return err
		}
	}
	return nil
}

// UpdateControl applies in to the control if it is still at version; a
// stale version gets domain.ErrConflict and nothing is written.
func (o *OrgStore) UpdateControl(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.ControlInput) (domain.Control, error) {
	return o.changeControl(ctx, actor, ref, &version, "control.update", func(c domain.Control) domain.Control {
		return in.Apply(c)
	})
}

// LinkRequirement links the control to one requirement (no-op if linked).
// A nil version skips the version check: adding a link cannot lose a
// concurrent change.
func (o *OrgStore) LinkRequirement(ctx context.Context, actor domain.Actor, ref, key string, version *int64) (domain.Control, error) {
	if err := o.checkKey(key); err != nil {
		return domain.Control{}, err
	}
	return o.changeControl(ctx, actor, ref, version, "control.link", func(c domain.Control) domain.Control {
		keys := append(append([]string{}, c.Requirements...), key)
		return domain.ControlInput{Requirements: &keys}.Apply(c)
	})
}

// checkKey reports a missing or unknown requirement key as an error on the
// field "key", the name link and unlink requests use.
func (o *OrgStore) checkKey(key string) error {
	v := &domain.ValidationError{}
	switch {
	case strings.TrimSpace(key) == "":
		v.Add("key", "error.required", key)
	case !o.s.catalog.HasRequirement(key):
		v.Add("key", "error.unknown_requirement", key, key)
	}
	return v.Err()
}

// UnlinkRequirement removes one requirement link (no-op if not linked).
func (o *OrgStore) UnlinkRequirement(ctx context.Context, actor domain.Actor, ref, key string, version *int64) (domain.Control, error) {
	if err := o.checkKey(key); err != nil {
		return domain.Control{}, err
	}
	return o.changeControl(ctx, actor, ref, version, "control.unlink", func(c domain.Control) domain.Control {
		keys := make([]string, 0, len(c.Requirements))
		for _, k := range c.Requirements {
			if k != key {
				keys = append(keys, k)
			}
		}
		return domain.ControlInput{Requirements: &keys}.Apply(c)
	})
}

// changeControl is the one path by which a control changes: read it inside
// the transaction, check the version, validate the result, write it with a
// version guard, replace the changed links and append the trail entry.
func (o *OrgStore) changeControl(ctx context.Context, actor domain.Actor, ref string, version *int64, action string, apply func(domain.Control) domain.Control) (domain.Control, error) {
	var after domain.Control
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockControl(ctx, tx, ref); err != nil {
			return err
		}
		cur, err := o.control(ctx, tx, ref)
		if err != nil {
			return err
		}
		before := cur.Control
		if version != nil && *version != before.Version {
			return domain.ErrConflict
		}
		after = apply(before)
		o.s.catalog.SortKeys(after.Requirements)
		if err := after.Validate(o.s.catalog); err != nil {
			return err
		}
		if sameControl(before, after) {
			return nil // nothing changes, so nothing is written
		}
		detail, err := o.impact(ctx, tx, before, after)
		if err != nil {
			return err
		}
		now := o.s.now()
		after.Version, after.UpdatedAt = before.Version+1, now
		res, err := tx.ExecContext(ctx, `UPDATE controls SET title = $1, description = $2, owner = $3, status = $4,
			owner_fold = $5, search_fold = $6, version = version + 1, updated_at = $7
			WHERE org_id = $8 AND id = $9 AND version = $10`,
			after.Title, after.Description, after.Owner, after.Status, fold(after.Owner), searchFold(after),
			now, o.org.ID, before.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		if err := o.replaceLinks(ctx, tx, before, after); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: action,
			resourceType: "control", resourceRef: ref, before: before, after: after, detail: detail})
	})
	if err != nil {
		return domain.Control{}, err
	}
	return after, nil
}

// lockControl takes the control's row lock before it is read, so that a
// change without a version (link, unlink, delete) waits for a concurrent
// writer instead of failing its version guard. A no-op UPDATE locks on both
// engines (SQLite's write transaction is exclusive already).
func (o *OrgStore) lockControl(ctx context.Context, tx *sql.Tx, ref string) error {
	res, err := tx.ExecContext(ctx, `UPDATE controls SET version = version WHERE org_id = $1 AND ref = $2`, o.org.ID, ref)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// fold is the case-insensitive form of a text, computed in Go so that both
// engines compare the same way for every script.
func fold(s string) string { return strings.ToLower(s) }

// searchFold is what the text filter searches: ref, title, description,
// owner and the reference id a control was adopted from.
func searchFold(c domain.Control) string {
	return fold(c.Ref + "\n" + c.Title + "\n" + c.Description + "\n" + c.Owner + "\n" + c.Reference)
}

func sameControl(a, b domain.Control) bool {
	return a.Title == b.Title && a.Description == b.Description && a.Owner == b.Owner &&
		a.Status == b.Status && strings.Join(a.Requirements, "\n") == strings.Join(b.Requirements, "\n")
}

func (o *OrgStore) replaceLinks(ctx context.Context, tx *sql.Tx, before, after domain.Control) error {
	had := map[string]bool{}
	for _, k := range before.Requirements {
		had[k] = true
	}
	var added []string
	for _, k := range after.Requirements {
		if !had[k] {
			added = append(added, k)
		}
		delete(had, k)
	}
	for k := range had {
		if _, err := tx.ExecContext(ctx, `DELETE FROM control_requirements WHERE org_id = $1 AND control_id = $2 AND requirement_key = $3`,
			o.org.ID, before.ID, k); err != nil {
			return err
		}
	}
	return o.addLinks(ctx, tx, before.ID, added)
}

// DeleteControl removes the control and its links. A non-nil version must
// match. Its ref is never handed out again.
func (o *OrgStore) DeleteControl(ctx context.Context, actor domain.Actor, ref string, version *int64) error {
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockControl(ctx, tx, ref); err != nil {
			return err
		}
		cur, err := o.control(ctx, tx, ref)
		if err != nil {
			return err
		}
		if version != nil && *version != cur.Version {
			return domain.ErrConflict
		}
		detail, err := o.impact(ctx, tx, cur.Control, domain.Control{})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM control_requirements WHERE org_id = $1 AND control_id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM controls WHERE org_id = $1 AND id = $2 AND version = $3`, o.org.ID, cur.ID, cur.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "control.delete",
			resourceType: "control", resourceRef: ref, before: cur.Control, detail: detail})
	})
}

// ControlOwners lists the distinct owners of the organization's controls
// (for filter menus), bounded.
func (o *OrgStore) ControlOwners(ctx context.Context) ([]string, error) {
	rows, err := o.s.db.QueryContext(ctx, `SELECT DISTINCT owner FROM controls WHERE org_id = $1 AND owner <> '' ORDER BY owner LIMIT 500`, o.org.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var owners []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		owners = append(owners, s)
	}
	return owners, rows.Err()
}
