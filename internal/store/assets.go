package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

const assetColumns = `a.id, a.seq, a.ref, a.name, a.type, a.owner, a.location, a.classification,
	a.confidentiality, a.integrity, a.availability, a.description, a.version, a.created_at, a.updated_at`

type assetRow struct {
	domain.Asset
	seq int64
}

func scanAsset(row interface{ Scan(...any) error }) (assetRow, error) {
	var a assetRow
	err := row.Scan(&a.ID, &a.seq, &a.Ref, &a.Name, &a.Type, &a.Owner, &a.Location, &a.Classification,
		&a.Confidentiality, &a.Integrity, &a.Availability, &a.Description, &a.Version, &a.CreatedAt, &a.UpdatedAt)
	if err == sql.ErrNoRows {
		return a, domain.ErrNotFound
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

// ListAssets returns one page of the organization's assets in ref order and
// the number of assets matching the filter.
func (o *OrgStore) ListAssets(ctx context.Context, f domain.AssetFilter) (domain.Page[domain.Asset], int, error) {
	page := domain.Page[domain.Asset]{Items: []domain.Asset{}}
	v := &domain.ValidationError{}
	if f.Type != "" && !domain.ValidAssetType(f.Type) {
		v.Add("type", "error.one_of", f.Type, strings.Join(domain.AssetTypes, ", "))
	}
	if f.Classification != "" && !domain.ValidClassification(f.Classification) {
		v.Add("classification", "error.one_of", f.Classification, strings.Join(domain.Classifications, ", "))
	}
	if err := v.Err(); err != nil {
		return page, 0, err
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+assetColumns+` FROM assets a WHERE a.org_id = $1`, o.org.ID)
	count := newQuery(`SELECT COUNT(*) FROM assets a WHERE a.org_id = $1`, o.org.ID)
	for _, qq := range []*query{q, count} {
		assetConditions(qq, o.org.ID, f)
	}
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, 0, err
		}
		q.where("a.seq > ?", after)
	}
	q.add(" ORDER BY a.seq LIMIT ?", limit+1)
	var total int
	if err := o.s.db.QueryRowContext(ctx, count.sql(), count.args...).Scan(&total); err != nil {
		return page, 0, err
	}
	rows, err := o.s.db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, 0, err
	}
	var list []assetRow
	for rows.Next() {
		a, err := scanAsset(rows)
		if err != nil {
			rows.Close()
			return page, 0, err
		}
		list = append(list, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(a assetRow) int64 { return a.seq })
	if err := o.loadAssetLinks(ctx, o.s.db, list); err != nil {
		return page, 0, err
	}
	for _, a := range list {
		page.Items = append(page.Items, a.Asset)
	}
	return page, total, nil
}

func assetConditions(q *query, orgID int64, f domain.AssetFilter) {
	if f.Type != "" {
		q.where("a.type = ?", f.Type)
	}
	if f.Classification != "" {
		q.where("a.classification = ?", f.Classification)
	}
	if f.Owner != "" {
		q.where("a.owner_fold = ?", fold(strings.TrimSpace(f.Owner)))
	}
	if f.Text != "" {
		q.where(`a.search_fold LIKE ? ESCAPE '\'`, likePattern(f.Text))
	}
	if f.Risk != "" {
		q.where(`a.id IN (SELECT l.asset_id FROM risk_assets l JOIN risks k ON k.id = l.risk_id AND k.org_id = l.org_id
			WHERE l.org_id = ? AND k.ref = ?)`, orgID, strings.ToUpper(strings.TrimSpace(f.Risk)))
	}
	if f.Control != "" {
		q.where(`a.id IN (SELECT l.asset_id FROM asset_controls l JOIN controls c ON c.id = l.control_id
			WHERE l.org_id = ? AND c.org_id = ? AND c.ref = ?)`, orgID, orgID, strings.TrimSpace(f.Control))
	}
}

// loadAssetLinks fills the control refs of every asset in one query.
func (o *OrgStore) loadAssetLinks(ctx context.Context, db queryer, list []assetRow) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*assetRow, len(list))
	q := newQuery(`SELECT l.asset_id, c.ref FROM asset_controls l JOIN controls c ON c.id = l.control_id
		WHERE l.org_id = $1 AND c.org_id = $1 AND l.asset_id IN (`, o.org.ID)
	for i := range list {
		list[i].Controls = []string{}
		byID[list[i].ID] = &list[i]
		if i > 0 {
			q.add(", ")
		}
		q.add("?", list[i].ID)
	}
	q.add(") ORDER BY c.ref")
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return err
		}
		a := byID[id]
		a.Controls = append(a.Controls, ref)
	}
	return rows.Err()
}

// Asset returns the asset with this ref, or domain.ErrNotFound.
func (o *OrgStore) Asset(ctx context.Context, ref string) (domain.Asset, error) {
	a, err := o.asset(ctx, o.s.db, ref)
	return a.Asset, err
}

func (o *OrgStore) asset(ctx context.Context, db queryer, ref string) (assetRow, error) {
	a, err := scanAsset(db.QueryRowContext(ctx,
		`SELECT `+assetColumns+` FROM assets a WHERE a.org_id = $1 AND a.ref = $2`, o.org.ID, ref))
	if err != nil {
		return a, err
	}
	list := []assetRow{a}
	if err := o.loadAssetLinks(ctx, db, list); err != nil {
		return a, err
	}
	return list[0], nil
}

// controlIDs resolves control refs of this organization to ids; a ref
// that is not there is absent from the map.
func (o *OrgStore) controlIDs(ctx context.Context, db queryer, refs []string) (map[string]int64, error) {
	return o.idsByRef(ctx, db, "controls", refs)
}

// idsByRef resolves refs of one of the organization's tables (controls,
// assets, risks …) to ids; a ref that is not there is absent from the map.
func (o *OrgStore) idsByRef(ctx context.Context, db queryer, table string, refs []string) (map[string]int64, error) {
	ids := map[string]int64{}
	if len(refs) == 0 {
		return ids, nil
	}
	q := newQuery(`SELECT ref, id FROM `+table+` WHERE org_id = $1 AND ref IN (`, o.org.ID)
	for i, r := range refs {
		if i > 0 {
			q.add(", ")
		}
		q.add("?", r)
	}
	q.add(")")
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var id int64
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, err
		}
		ids[ref] = id
	}
	return ids, rows.Err()
}

// validateAsset checks a and resolves its control links inside tx.
func (o *OrgStore) validateAsset(ctx context.Context, tx *sql.Tx, a domain.Asset) (map[string]int64, error) {
	ids, err := o.controlIDs(ctx, tx, a.Controls)
	if err != nil {
		return nil, err
	}
	return ids, a.Validate(func(ref string) bool { _, ok := ids[ref]; return ok })
}

// CreateAsset registers a new asset with the next AST ref.
func (o *OrgStore) CreateAsset(ctx context.Context, actor domain.Actor, in domain.AssetInput) (domain.Asset, error) {
	var a domain.Asset
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = o.createAsset(ctx, tx, actor, in.Apply(domain.Asset{}), "asset.create", nil)
		return err
	})
	if err != nil {
		return domain.Asset{}, err
	}
	return a, nil
}

// createAsset validates and inserts one asset with its control links and
// its trail entry (action; detail may be nil) inside tx.
func (o *OrgStore) createAsset(ctx context.Context, tx *sql.Tx, actor domain.Actor, a domain.Asset, action string, detail any) (domain.Asset, error) {
	ids, err := o.validateAsset(ctx, tx, a)
	if err != nil {
		return a, err
	}
	now := o.s.now()
	a.Version, a.CreatedAt, a.UpdatedAt = 1, now, now
	seq, err := o.nextSeq(ctx, tx, "AST")
	if err != nil {
		return a, err
	}
	a.Ref = fmt.Sprintf("AST-%03d", seq)
	err = tx.QueryRowContext(ctx, `INSERT INTO assets
		(org_id, seq, ref, name, type, owner, location, classification, confidentiality, integrity, availability,
		 description, owner_fold, search_fold, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15) RETURNING id`,
		o.org.ID, seq, a.Ref, a.Name, a.Type, a.Owner, a.Location, a.Classification, a.Confidentiality, a.Integrity,
		a.Availability, a.Description, fold(a.Owner), assetSearchFold(a), now).Scan(&a.ID)
	if err != nil {
		return a, err
	}
	if err := o.linkAssetControls(ctx, tx, a.ID, a.Controls, ids); err != nil {
		return a, err
	}
	return a, o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: action,
		resourceType: "asset", resourceRef: a.Ref, after: a, detail: detail})
}

func (o *OrgStore) linkAssetControls(ctx context.Context, tx *sql.Tx, assetID int64, refs []string, ids map[string]int64) error {
	for _, r := range refs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO asset_controls (asset_id, org_id, control_id) VALUES ($1, $2, $3)`,
			assetID, o.org.ID, ids[r]); err != nil {
			return err
		}
	}
	return nil
}

// UpdateAsset applies in to the asset if it is still at version; a stale
// version gets domain.ErrConflict and nothing is written.
func (o *OrgStore) UpdateAsset(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.AssetInput) (domain.Asset, error) {
	var after domain.Asset
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockAsset(ctx, tx, ref); err != nil {
			return err
		}
		cur, err := o.asset(ctx, tx, ref)
		if err != nil {
			return err
		}
		before := cur.Asset
		if version != before.Version {
			return domain.ErrConflict
		}
		after = in.Apply(before)
		ids, err := o.validateAsset(ctx, tx, after)
		if err != nil {
			return err
		}
		if sameAsset(before, after) {
			return nil
		}
		now := o.s.now()
		after.Version, after.UpdatedAt = before.Version+1, now
		res, err := tx.ExecContext(ctx, `UPDATE assets SET name = $1, type = $2, owner = $3, location = $4, classification = $5,
			confidentiality = $6, integrity = $7, availability = $8, description = $9, owner_fold = $10, search_fold = $11,
			version = version + 1, updated_at = $12 WHERE org_id = $13 AND id = $14 AND version = $15`,
			after.Name, after.Type, after.Owner, after.Location, after.Classification, after.Confidentiality, after.Integrity,
			after.Availability, after.Description, fold(after.Owner), assetSearchFold(after), now, o.org.ID, before.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		if strings.Join(before.Controls, "\n") != strings.Join(after.Controls, "\n") {
			if _, err := tx.ExecContext(ctx, `DELETE FROM asset_controls WHERE org_id = $1 AND asset_id = $2`, o.org.ID, before.ID); err != nil {
				return err
			}
			if err := o.linkAssetControls(ctx, tx, before.ID, after.Controls, ids); err != nil {
				return err
			}
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "asset.update",
			resourceType: "asset", resourceRef: ref, before: before, after: after})
	})
	if err != nil {
		return domain.Asset{}, err
	}
	return after, nil
}

// lockAsset takes the asset's row lock before it is read.
func (o *OrgStore) lockAsset(ctx context.Context, tx *sql.Tx, ref string) error {
	res, err := tx.ExecContext(ctx, `UPDATE assets SET version = version WHERE org_id = $1 AND ref = $2`, o.org.ID, ref)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// DeleteAsset removes the asset and its links if it is still at version.
// Its ref is never handed out again.
func (o *OrgStore) DeleteAsset(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockAsset(ctx, tx, ref); err != nil {
			return err
		}
		cur, err := o.asset(ctx, tx, ref)
		if err != nil {
			return err
		}
		if version != cur.Version {
			return domain.ErrConflict
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_controls WHERE org_id = $1 AND asset_id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assets WHERE org_id = $1 AND id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "asset.delete",
			resourceType: "asset", resourceRef: ref, before: cur.Asset})
	})
}

func assetSearchFold(a domain.Asset) string {
	return fold(a.Ref + "\n" + a.Name + "\n" + a.Description + "\n" + a.Owner + "\n" + a.Location)
}

func sameAsset(a, b domain.Asset) bool {
	return a.Name == b.Name && a.Type == b.Type && a.Owner == b.Owner && a.Location == b.Location &&
		a.Classification == b.Classification && a.Confidentiality == b.Confidentiality && a.Integrity == b.Integrity &&
		a.Availability == b.Availability && a.Description == b.Description &&
		strings.Join(a.Controls, "\n") == strings.Join(b.Controls, "\n")
}
