package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

// AdoptedReferences maps each reference id the organization has adopted to
// the ref of the control that carries it. The unique index on
// (org_id, reference_id) bounds it by the size of the reference set.
func (o *OrgStore) AdoptedReferences(ctx context.Context) (map[string]string, error) {
	return o.adopted(ctx, o.s.db)
}

func (o *OrgStore) adopted(ctx context.Context, db queryer) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT reference_id, ref FROM controls WHERE org_id = $1 AND reference_id IS NOT NULL`, o.org.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, err
		}
		out[id] = ref
	}
	return out, rows.Err()
}

// AdoptReference creates one control per chosen reference control, in one
// transaction: status planned, no owner, the purpose as description, the
// reference's requirement links, and the reference id kept on the control.
// Reference controls the organization adopted before are skipped, so
// adopting twice is harmless. Each new control has its own trail entry
// (control.adopt). Unknown ids are field errors (ids[i]) and nothing is
// written.
func (o *OrgStore) AdoptReference(ctx context.Context, actor domain.Actor, ids []string) (domain.AdoptResult, error) {
	res := domain.AdoptResult{Created: []domain.Control{}, Skipped: []string{}}
	v := &domain.ValidationError{}
	wanted := map[string]bool{}
	switch {
	case len(ids) == 0:
		v.Add("ids", "error.required", nil)
	case len(ids) > domain.MaxAdopt:
		v.Add("ids", "error.too_many", len(ids), domain.MaxAdopt)
	}
	if len(ids) <= domain.MaxAdopt {
		for i, id := range ids {
			id = strings.TrimSpace(id)
			if o.s.catalog.ReferenceControl(id) == nil {
				v.Add(fmt.Sprintf("ids[%d]", i), "error.unknown_reference", id, id)
				continue
			}
			wanted[id] = true
		}
	}
	if err := v.Err(); err != nil {
		return res, err
	}
	// The controls are prepared (and validated) before the transaction, in
	// the order of the reference set, so the new refs follow its themes.
	var todo []domain.Control
	for _, rc := range o.s.catalog.Reference {
		if !wanted[rc.ID] {
			continue
		}
		title, purpose, status := rc.Title, rc.Purpose, domain.StatusPlanned
		reqs := append([]string(nil), rc.Requirements...)
		c, err := o.prepareControl(domain.ControlInput{Title: &title, Description: &purpose, Status: &status, Requirements: &reqs})
		if err != nil {
			return res, fmt.Errorf("reference control %s: %w", rc.ID, err) // a defect of the embedded data
		}
		c.Reference = rc.ID
		todo = append(todo, c)
	}
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		// Take the organization's control counter first: it serializes
		// concurrent adoptions (and creations), so the adopted set read
		// next is current and no reference is adopted twice.
		if err := o.lockControls(ctx, tx); err != nil {
			return err
		}
		have, err := o.adopted(ctx, tx)
		if err != nil {
			return err
		}
		res.Created, res.Skipped = []domain.Control{}, []string{}
		for _, c := range todo {
			if have[c.Reference] != "" {
				res.Skipped = append(res.Skipped, c.Reference)
				continue
			}
			if err := o.insertControl(ctx, tx, actor, &c, "control.adopt"); err != nil {
				return err
			}
			res.Created = append(res.Created, c)
		}
		return nil
	})
	if err != nil {
		return domain.AdoptResult{Created: []domain.Control{}, Skipped: []string{}}, err
	}
	return res, nil
}

// lockControls takes the row lock of the organization's CTL counter (made
// if missing) without advancing it; nextSeq then continues from it.
func (o *OrgStore) lockControls(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ref_counters (org_id, prefix, last) VALUES ($1, 'CTL', 0)
		ON CONFLICT (org_id, prefix) DO UPDATE SET last = ref_counters.last`, o.org.ID)
	return err
}

// ImportControls creates every row of an imported register in one
// transaction, each with its trail entry (control.import), or nothing:
// every row is validated first and all problems come back together as
// field errors named rows[N].field, N being the row number in the file.
// A non-empty importID names the stashed upload the rows came from; it is
// deleted in the same transaction, so committing the same upload twice
// finds nothing (domain.ErrNotFound) instead of importing it twice.
func (o *OrgStore) ImportControls(ctx context.Context, actor domain.Actor, importID string, rows []domain.ImportRow) ([]domain.Control, error) {
	v := &domain.ValidationError{}
	switch {
	case len(rows) == 0:
		v.Add("rows", "error.import_no_rows", nil)
	case len(rows) > domain.MaxImportRows:
		v.Add("rows", "error.import_too_many_rows", len(rows), len(rows), domain.MaxImportRows)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	controls := make([]domain.Control, len(rows))
	for i, row := range rows {
		c, err := o.prepareControl(row.Control)
		if bad, ok := domain.AsValidation(err); ok {
			for _, f := range bad.Fields {
				f.Field = fmt.Sprintf("rows[%d].%s", row.Row, f.Field)
				v.Fields = append(v.Fields, f)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		controls[i] = c
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if importID != "" {
			res, err := tx.ExecContext(ctx, `DELETE FROM control_imports WHERE org_id = $1 AND id = $2 AND actor = $3 AND expires_at > $4
				AND kind = $5`, o.org.ID, importID, actor.String(), o.s.now(), ImportControlsKind)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return domain.ErrNotFound
			}
		}
		for i := range controls {
			if err := o.insertControl(ctx, tx, actor, &controls[i], "control.import"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return controls, nil
}

// StashImport keeps an uploaded control register (already parsed, as
// JSON) between the steps of an import and returns the random id that
// finds it again (see StashRegister).
func (o *OrgStore) StashImport(ctx context.Context, actor domain.Actor, fileName string, table []byte) (string, error) {
	return o.StashRegister(ctx, actor, ImportControlsKind, fileName, table)
}

// StashedImport returns the file name and the parsed register of an
// unexpired control register upload made by actor in this organization,
// or domain.ErrNotFound (unknown, expired, committed, someone else's, or
// uploaded as another kind of register).
func (o *OrgStore) StashedImport(ctx context.Context, actor domain.Actor, id string) (string, []byte, error) {
	return o.StashedRegister(ctx, actor, ImportControlsKind, id)
}
