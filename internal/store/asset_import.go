package store

import (
	"context"
	"database/sql"

	"tandem/internal/domain"
)

// AssetImportRow is one row of an imported asset inventory: the asset it
// describes and its row number in the file as a spreadsheet shows it.
type AssetImportRow struct {
	Row   int
	Asset domain.AssetInput
}

// ImportAssets registers every row of an imported asset inventory in one
// transaction, each with its own trail entry (asset.import, its detail
// naming the file and row), or nothing. Each row is validated inside the
// transaction as CreateAsset validates an asset (its controls must be this
// organization's); every problem of every row comes back together as
// field errors named rows[N].field.
func (o *OrgStore) ImportAssets(ctx context.Context, actor domain.Actor, src ImportSource, rows []AssetImportRow) ([]domain.Asset, error) {
	if err := importBounds(len(rows)); err != nil {
		return nil, err
	}
	var created []domain.Asset
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.consumeStash(ctx, tx, actor, ImportAssetsKind, src); err != nil {
			return err
		}
		v := &domain.ValidationError{}
		created = make([]domain.Asset, 0, len(rows))
		for _, row := range rows {
			a, err := o.createAsset(ctx, tx, actor, row.Asset.Apply(domain.Asset{}), "asset.import",
				importDetail{Imported: true, File: src.File, Row: row.Row})
			if err != nil {
				if addRowErrors(v, row.Row, err) {
					continue
				}
				return err
			}
			created = append(created, a)
		}
		return v.Err()
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}
