package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"tandem/internal/domain"
)

// RiskImportRow is one row of an imported risk register: the risk it
// describes and its row number in the file as a spreadsheet shows it (the
// header is row 1), so that every problem can be traced to its row.
type RiskImportRow struct {
	Row  int
	Risk domain.RiskInput
}

// ImportRisks raises every row of an imported risk register in register,
// in one transaction, each with its own trail entry (risk.import, its
// detail naming the file and row), or nothing. Each row is validated
// inside the transaction exactly as CreateRisk validates a risk (the
// method in force, controls and assets of this organization, no closing
// above appetite); every problem of every row comes back together as field
// errors named rows[N].field. The register is the file's: a row cannot
// name another one. Imported risks never carry an acceptance (an
// acceptance is signed in Tandem by someone entitled to give it).
func (o *OrgStore) ImportRisks(ctx context.Context, actor domain.Actor, src ImportSource, register string, rows []RiskImportRow) ([]domain.Risk, error) {
	if !slices.Contains(domain.Registers, register) {
		v := &domain.ValidationError{}
		v.Add("register", "error.one_of", register, strings.Join(domain.Registers, ", "))
		return nil, v
	}
	if err := importBounds(len(rows)); err != nil {
		return nil, err
	}
	var created []domain.Risk
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.consumeStash(ctx, tx, actor, ImportRisksKind(register), src); err != nil {
			return err
		}
		m, err := o.riskMethod(ctx, tx, -1)
		if err != nil {
			return err
		}
		today := o.today()
		v := &domain.ValidationError{}
		created = make([]domain.Risk, 0, len(rows))
		for _, row := range rows {
			in := row.Risk
			in.Register = &register
			// A bad row is not inserted (createRisk validates first); the
			// loop goes on so that every bad row is named, and the
			// transaction is rolled back at the end.
			r, err := o.createRisk(ctx, tx, actor, in, "risk.import", importDetail{Imported: true, File: src.File, Row: row.Row})
			if err != nil {
				if addRowErrors(v, row.Row, err) {
					continue
				}
				return err
			}
			r.Derive(m, today)
			created = append(created, r)
		}
		return v.Err()
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}
