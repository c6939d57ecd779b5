package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

const datasetColumns = `d.id, d.seq, d.ref, d.name, d.description, d.owner, d.source, d.provenance, d.collection_method,
	d.licence, d.personal_data, d.personal_details, d.quality_checks, d.quality, d.quality_checked_on, d.preparation,
	d.known_bias, d.retention, d.version, d.created_at, d.updated_at`

type datasetRow struct {
	domain.Dataset
	seq int64
}

func scanDataset(row rowScanner) (datasetRow, error) {
	var d datasetRow
	err := row.Scan(&d.ID, &d.seq, &d.Ref, &d.Name, &d.Description, &d.Owner, &d.Source, &d.Provenance, &d.CollectionMethod,
		&d.Licence, &d.PersonalData, &d.PersonalDetails, &d.QualityChecks, &d.Quality, &d.QualityCheckedOn, &d.Preparation,
		&d.KnownBias, &d.Retention, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	if err == sql.ErrNoRows {
		return d, domain.ErrNotFound
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, err
}

// ListDatasets returns one page of datasets in ref order and the count matching f.
func (o *OrgStore) ListDatasets(ctx context.Context, f domain.DatasetFilter) (domain.Page[domain.Dataset], int, error) {
	page := domain.Page[domain.Dataset]{Items: []domain.Dataset{}}
	if f.Quality != "" && !oneOfList(f.Quality, domain.DatasetQuality) {
		v := &domain.ValidationError{}
		v.Add("quality_result", "error.one_of", f.Quality, strings.Join(domain.DatasetQuality, ", "))
		return page, 0, v
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+datasetColumns+` FROM datasets d WHERE d.org_id = $1`, o.org.ID)
	count := newQuery(`SELECT COUNT(*) FROM datasets d WHERE d.org_id = $1`, o.org.ID)
	for _, qq := range []*query{q, count} {
		if f.Quality != "" {
			qq.where("d.quality = ?", f.Quality)
		}
		if f.PersonalData != nil {
			qq.where("d.personal_data = ?", *f.PersonalData)
		}
		if f.AISystem != "" {
			qq.where(`d.id IN (SELECT l.dataset_id FROM ai_system_datasets l JOIN ai_systems s ON s.id = l.ai_system_id
				WHERE l.org_id = ? AND s.ref = ?)`, o.org.ID, strings.ToUpper(strings.TrimSpace(f.AISystem)))
		}
		if f.Text != "" {
			qq.where(`d.search_fold LIKE ? ESCAPE '\'`, likePattern(f.Text))
		}
	}
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, 0, err
		}
		q.where("d.seq > ?", after)
	}
	q.add(" ORDER BY d.seq LIMIT ?", limit+1)
	total, err := countRows(ctx, o.s.db, count)
	if err != nil {
		return page, 0, err
	}
	list, err := listRows(ctx, o.s.db, q, scanDataset)
	if err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(d datasetRow) int64 { return d.seq })
	if err := o.loadDatasetSystems(ctx, o.s.db, list); err != nil {
		return page, 0, err
	}
	for _, d := range list {
		page.Items = append(page.Items, d.Dataset)
	}
	return page, total, nil
}

func (o *OrgStore) loadDatasetSystems(ctx context.Context, db queryer, list []datasetRow) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
		list[i].AISystems = []string{}
	}
	q := newQuery("")
	q.add(`SELECT l.dataset_id, s.ref FROM ai_system_datasets l JOIN ai_systems s ON s.id = l.ai_system_id
		WHERE l.org_id = ? AND l.dataset_id IN `, o.org.ID)
	inIDs(q, ids)
	q.add(" ORDER BY s.seq")
	got, err := linkRefs(ctx, db, q)
	if err != nil {
		return err
	}
	for i := range list {
		if refs, ok := got[list[i].ID]; ok {
			list[i].AISystems = refs
		}
	}
	return nil
}

// Dataset returns one dataset with the AI systems that use it.
func (o *OrgStore) Dataset(ctx context.Context, ref string) (domain.Dataset, error) {
	d, err := o.dataset(ctx, o.s.db, ref)
	return d.Dataset, err
}

func (o *OrgStore) dataset(ctx context.Context, db queryer, ref string) (datasetRow, error) {
	d, err := scanDataset(db.QueryRowContext(ctx, `SELECT `+datasetColumns+` FROM datasets d WHERE d.org_id = $1 AND d.ref = $2`,
		o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	if err != nil {
		return d, err
	}
	list := []datasetRow{d}
	err = o.loadDatasetSystems(ctx, db, list)
	return list[0], err
}

// CreateDataset registers a dataset with the next DS ref.
func (o *OrgStore) CreateDataset(ctx context.Context, actor domain.Actor, in domain.DatasetInput) (domain.Dataset, error) {
	var out domain.Dataset
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		d := in.Apply(domain.Dataset{})
		if err := d.Validate(); err != nil {
			return err
		}
		now := o.s.now()
		seq, err := o.nextSeq(ctx, tx, "DS")
		if err != nil {
			return err
		}
		d.Ref, d.Version, d.CreatedAt, d.UpdatedAt = fmt.Sprintf("DS-%03d", seq), 1, now, now
		err = tx.QueryRowContext(ctx, `INSERT INTO datasets (org_id, seq, ref, name, description, owner, owner_fold, source,
			provenance, collection_method, licence, personal_data, personal_details, quality_checks, quality, quality_checked_on,
			preparation, known_bias, retention, search_fold, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1, $21, $21) RETURNING id`,
			o.org.ID, seq, d.Ref, d.Name, d.Description, d.Owner, fold(d.Owner), d.Source, d.Provenance, d.CollectionMethod,
			d.Licence, d.PersonalData, d.PersonalDetails, d.QualityChecks, d.Quality, d.QualityCheckedOn, d.Preparation,
			d.KnownBias, d.Retention, datasetFold(d), now).Scan(&d.ID)
		if err != nil {
			return err
		}
		out = d
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "dataset.create",
			resourceType: "dataset", resourceRef: d.Ref, after: d})
	})
	return out, err
}

// UpdateDataset changes a dataset at version.
func (o *OrgStore) UpdateDataset(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.DatasetInput) (domain.Dataset, error) {
	var after domain.Dataset
	ref = strings.ToUpper(strings.TrimSpace(ref))
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "datasets", ref); err != nil {
			return err
		}
		cur, err := o.dataset(ctx, tx, ref)
		if err != nil {
			return err
		}
		before := cur.Dataset
		if version != before.Version {
			return domain.ErrConflict
		}
		after = in.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		now := o.s.now()
		after.Version, after.UpdatedAt = before.Version+1, now
		res, err := tx.ExecContext(ctx, `UPDATE datasets SET name = $1, description = $2, owner = $3, owner_fold = $4, source = $5,
			provenance = $6, collection_method = $7, licence = $8, personal_data = $9, personal_details = $10, quality_checks = $11,
			quality = $12, quality_checked_on = $13, preparation = $14, known_bias = $15, retention = $16, search_fold = $17,
			version = version + 1, updated_at = $18 WHERE org_id = $19 AND id = $20 AND version = $21`,
			after.Name, after.Description, after.Owner, fold(after.Owner), after.Source, after.Provenance, after.CollectionMethod,
			after.Licence, after.PersonalData, after.PersonalDetails, after.QualityChecks, after.Quality, after.QualityCheckedOn,
			after.Preparation, after.KnownBias, after.Retention, datasetFold(after), now, o.org.ID, before.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "dataset.update",
			resourceType: "dataset", resourceRef: ref, before: before, after: after})
	})
	if err != nil {
		return domain.Dataset{}, err
	}
	return after, nil
}

// DeleteDataset removes a dataset no AI system uses.
func (o *OrgStore) DeleteDataset(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "datasets", ref); err != nil {
			return err
		}
		cur, err := o.dataset(ctx, tx, ref)
		if err != nil {
			return err
		}
		if version != cur.Version {
			return domain.ErrConflict
		}
		if len(cur.AISystems) > 0 {
			v := &domain.ValidationError{}
			v.Add("ref", "error.dataset_in_use", cur.AISystems, strings.Join(cur.AISystems, ", "))
			return v
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM datasets WHERE org_id = $1 AND id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "dataset.delete",
			resourceType: "dataset", resourceRef: ref, before: cur.Dataset})
	})
}

func datasetFold(d domain.Dataset) string {
	return fold(d.Ref + "\n" + d.Name + "\n" + d.Description + "\n" + d.Source + "\n" + d.Owner)
}
