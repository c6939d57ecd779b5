package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"tandem/internal/domain"
)

// The kinds of register an upload can be kept for between the steps of an
// import. A risk register upload names its register: the register is
// chosen for the whole file.
const (
	ImportControlsKind = "controls"
	ImportAssetsKind   = "assets"
)

// ImportRisksKind is the upload kind of a file imported into register.
func ImportRisksKind(register string) string { return "risks:" + register }

// ImportTTL is how long an uploaded register waits for its commit.
const ImportTTL = time.Hour

// ImportSource says where imported rows came from: the stashed upload they
// were read from (deleted in the same transaction that imports them, so
// committing the same upload twice finds nothing instead of importing it
// twice; "" when the rows came straight from a request) and the file's
// name, which each row's trail entry records.
type ImportSource struct {
	Stash string
	File  string
}

// importDetail is what the trail entry of an imported record adds: the
// file and the row (as a spreadsheet numbers it) it came from.
type importDetail struct {
	Imported bool   `json:"imported"`
	File     string `json:"file,omitempty"`
	Row      int    `json:"row"`
}

// StashRegister keeps an uploaded register of a kind (already parsed, as
// JSON) between the steps of an import and returns the random id that
// finds it again. The stash is working state, not a record of the
// management system: it has no trail entry of its own; the commit's
// entries (one per imported record) are the record. Expired stashes of
// every organization are purged here, a housekeeping delete that reads
// nothing back.
func (o *OrgStore) StashRegister(ctx context.Context, actor domain.Actor, kind, fileName string, table []byte) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b)
	now := o.s.now()
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM control_imports WHERE expires_at <= $1`, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO control_imports (id, org_id, actor, file_name, table_json, created_at, expires_at, kind)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, o.org.ID, actor.String(), fileName, string(table), now, now.Add(ImportTTL), kind)
		return err
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// StashedRegister returns the file name and the parsed register of an
// unexpired upload of kind made by actor in this organization, or
// domain.ErrNotFound (unknown, expired, committed, someone else's, or
// uploaded as another kind).
func (o *OrgStore) StashedRegister(ctx context.Context, actor domain.Actor, kind, id string) (string, []byte, error) {
	var name, table string
	err := o.s.db.QueryRowContext(ctx, `SELECT file_name, table_json FROM control_imports
		WHERE org_id = $1 AND id = $2 AND actor = $3 AND expires_at > $4 AND kind = $5`,
		o.org.ID, id, actor.String(), o.s.now(), kind).Scan(&name, &table)
	if notFound(err) {
		return "", nil, domain.ErrNotFound
	}
	if err != nil {
		return "", nil, err
	}
	return name, []byte(table), nil
}

// consumeStash deletes the stashed upload src names inside tx, or answers
// domain.ErrNotFound when it is not there (any more) for actor and kind.
func (o *OrgStore) consumeStash(ctx context.Context, tx *sql.Tx, actor domain.Actor, kind string, src ImportSource) error {
	if src.Stash == "" {
		return nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM control_imports WHERE org_id = $1 AND id = $2 AND actor = $3
		AND expires_at > $4 AND kind = $5`, o.org.ID, src.Stash, actor.String(), o.s.now(), kind)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrNotFound
	}
	return nil
}

// refBatch bounds the refs of one lookup query (well below the bind
// parameter limits of both engines).
const refBatch = 500

// KnownRefs tells which of refs name a control (table "controls") or an
// asset ("assets") of this organization: the refs an imported file
// links to, resolved in batches, so a check names every unknown one
// before anything is written.
func (o *OrgStore) KnownRefs(ctx context.Context, table string, refs []string) (map[string]bool, error) {
	if !slices.Contains([]string{"controls", "assets"}, table) {
		return nil, fmt.Errorf("store: refs of %q cannot be looked up", table)
	}
	known := map[string]bool{}
	unique := []string{}
	seen := map[string]bool{}
	for _, r := range refs {
		if r = strings.ToUpper(strings.TrimSpace(r)); r != "" && !seen[r] {
			seen[r] = true
			unique = append(unique, r)
		}
	}
	for start := 0; start < len(unique); start += refBatch {
		ids, err := o.idsByRef(ctx, o.s.db, table, unique[start:min(start+refBatch, len(unique))])
		if err != nil {
			return nil, err
		}
		for ref := range ids {
			known[ref] = true
		}
	}
	return known, nil
}

// importBounds refuses an import of no rows or of too many.
func importBounds(n int) error {
	v := &domain.ValidationError{}
	switch {
	case n == 0:
		v.Add("rows", "error.import_no_rows", nil)
	case n > domain.MaxImportRows:
		v.Add("rows", "error.import_too_many_rows", n, n, domain.MaxImportRows)
	}
	return v.Err()
}

// addRowErrors adds the field errors of one imported row to v, named
// rows[N].field; ok is false when err is not a validation error.
func addRowErrors(v *domain.ValidationError, row int, err error) bool {
	bad, ok := domain.AsValidation(err)
	if !ok {
		return false
	}
	for _, f := range bad.Fields {
		field, _, _ := strings.Cut(f.Field, "[")
		f.Field = fmt.Sprintf("rows[%d].%s", row, field)
		v.Fields = append(v.Fields, f)
	}
	return true
}
