package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"tandem/internal/catalog"
	"tandem/internal/domain"
)

// The Statement of Applicability of a standard is derived, never stored:
// one row per Annex A control of the standard, in catalog order, with the
// organization's decision on it (soa_decisions) and the controls linked to
// it. Only an issued version freezes the rows (soa_versions).

// soaDecision is a stored decision, also as the trail records it.
type soaDecision struct {
	Applicable    bool      `json:"applicable"`
	Justification string    `json:"justification"`
	Reasons       []string  `json:"reasons"`
	Version       int64     `json:"version"`
	DecidedAt     time.Time `json:"decided_at"`
	DecidedBy     string    `json:"decided_by"`
}

// annexOf returns the Annex A controls of a standard, in catalog order; a
// standard that is unknown or has no Annex A has no SoA (ErrNotFound).
func (o *OrgStore) annexOf(standard string) ([]*catalog.Requirement, error) {
	std := o.s.catalog.Standard(standard)
	if std == nil {
		return nil, domain.ErrNotFound
	}
	var out []*catalog.Requirement
	for _, r := range std.Requirements {
		if r.Kind == catalog.KindAnnex {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, domain.ErrNotFound
	}
	return out, nil
}

// SoA derives the Statement of Applicability of a standard as it stands
// now (the draft): every Annex A control with its decision (Applicable nil
// while undecided), its implementing controls and their state. Two queries
// whatever the size: the decisions, and the links with their controls.
func (o *OrgStore) SoA(ctx context.Context, standard string) ([]domain.SoARow, error) {
	reqs, err := o.annexOf(standard)
	if err != nil {
		return nil, err
	}
	return o.soaRows(ctx, o.s.db, standard, reqs, "")
}

// SoARow derives one row of a standard's SoA: the Annex A control ref
// ("A.5.1") with its decision and implementing controls.
func (o *OrgStore) SoARow(ctx context.Context, standard, ref string) (domain.SoARow, error) {
	req, err := o.annexRequirement(standard, ref)
	if err != nil {
		return domain.SoARow{}, err
	}
	rows, err := o.soaRows(ctx, o.s.db, standard, []*catalog.Requirement{req}, req.Key)
	if err != nil {
		return domain.SoARow{}, err
	}
	return rows[0], nil
}

// soaRows builds the rows of reqs; key, when set, narrows both queries to
// that one requirement (reqs is then just it).
func (o *OrgStore) soaRows(ctx context.Context, db queryer, standard string, reqs []*catalog.Requirement, key string) ([]domain.SoARow, error) {
	decisions, err := o.decisions(ctx, db, standard, key)
	if err != nil {
		return nil, err
	}
	controls, err := o.implementing(ctx, db, standard, key)
	if err != nil {
		return nil, err
	}
	risks, err := o.risksBehind(ctx, db, standard, key)
	if err != nil {
		return nil, err
	}
	rows := make([]domain.SoARow, len(reqs))
	for i, req := range reqs {
		row := domain.SoARow{Key: req.Key, Ref: req.Ref, Title: req.Title, Group: req.Group,
			Reasons: []string{}, Controls: controls[req.Key]}
		if row.Controls == nil {
			row.Controls = []domain.SoAControl{}
		}
		if row.Risks = risks[req.Key]; row.Risks == nil {
			row.Risks = []domain.SoARisk{}
		}
		if d, ok := decisions[req.Key]; ok {
			row.Applicable = &d.Applicable
			row.Justification, row.Reasons, row.Version = d.Justification, d.Reasons, d.Version
			row.DecidedBy = d.DecidedBy
			at := d.DecidedAt
			row.DecidedAt = &at
		}
		row.State = domain.StateOf(row.Controls)
		row.Flagged = flagged(row)
		rows[i] = row
	}
	return rows, nil
}

// risksBehind finds, per Annex A control of standard, the risks whose
// treatment plans use a control implementing it — risk → control → Annex A
// control, in one query. A risk reaching a row through two controls is
// listed once, through the first.
func (o *OrgStore) risksBehind(ctx context.Context, db queryer, standard, key string) (map[string][]domain.SoARisk, error) {
	q := newQuery(`SELECT cr.requirement_key, r.ref, r.title, r.register, r.residual_level, c.ref
		FROM control_requirements cr
		JOIN risk_controls rc ON rc.control_id = cr.control_id AND rc.org_id = cr.org_id
		JOIN risks r ON r.id = rc.risk_id AND r.org_id = cr.org_id
		JOIN controls c ON c.id = cr.control_id AND c.org_id = cr.org_id
		WHERE cr.org_id = $1 AND cr.standard = $2`, o.org.ID, standard)
	if key != "" {
		q.where("cr.requirement_key = ?", key)
	}
	q.add(" ORDER BY cr.requirement_key, r.seq, c.seq")
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]domain.SoARisk{}
	for rows.Next() {
		var k string
		var r domain.SoARisk
		if err := rows.Scan(&k, &r.Ref, &r.Title, &r.Register, &r.Level, &r.Control); err != nil {
			return nil, err
		}
		if list := out[k]; len(list) > 0 && list[len(list)-1].Ref == r.Ref {
			continue
		}
		out[k] = append(out[k], r)
	}
	return out, rows.Err()
}

// flagged: an applicable row that relies on a control shared with the
// other standard which has been marked not implemented, so that a change
// made for one standard shows in the other's statement.
func flagged(r domain.SoARow) bool {
	if r.Applicable == nil || !*r.Applicable {
		return false
	}
	for _, c := range r.Controls {
		if c.Scope == domain.ScopeShared && c.Status == domain.StatusNotImplemented {
			return true
		}
	}
	return false
}

func (o *OrgStore) decisions(ctx context.Context, db queryer, standard, key string) (map[string]soaDecision, error) {
	q := newQuery(`SELECT requirement_key, applicable, justification, reasons, version, decided_at, decided_by
		FROM soa_decisions WHERE org_id = $1 AND standard = $2`, o.org.ID, standard)
	if key != "" {
		q.where("requirement_key = ?", key)
	}
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]soaDecision{}
	for rows.Next() {
		var k, reasons string
		var d soaDecision
		if err := rows.Scan(&k, &d.Applicable, &d.Justification, &reasons, &d.Version, &d.DecidedAt, &d.DecidedBy); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(reasons), &d.Reasons); err != nil {
			return nil, fmt.Errorf("soa decision %s: reasons: %w", k, err)
		}
		if d.Reasons == nil {
			d.Reasons = []string{}
		}
		d.DecidedAt = d.DecidedAt.UTC()
		out[k] = d
	}
	return out, rows.Err()
}

// implementing reads every link of the organization's controls to the
// standard, with the control and the standards it is linked to (for its
// scope), in one query; links to clauses are read too and left unused.
func (o *OrgStore) implementing(ctx context.Context, db queryer, standard, key string) (map[string][]domain.SoAControl, error) {
	const linkedTo = `EXISTS (SELECT 1 FROM control_requirements x WHERE x.control_id = c.id AND `
	q := newQuery(`SELECT r.requirement_key, c.ref, c.title, c.owner, c.status, `+
		linkedTo+`x.standard = $3), `+linkedTo+`x.standard = $4), `+linkedTo+`x.standard <> $3 AND x.standard <> $4)
		FROM control_requirements r JOIN controls c ON c.id = r.control_id
		WHERE r.org_id = $1 AND c.org_id = $1 AND r.standard = $2`,
		o.org.ID, standard, domain.ISO27001, domain.ISO42001)
	if key != "" {
		q.where("r.requirement_key = ?", key)
	}
	q.add(" ORDER BY c.seq")
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]domain.SoAControl{}
	for rows.Next() {
		var k string
		var c domain.SoAControl
		var in27001, in42001, other bool
		if err := rows.Scan(&k, &c.Ref, &c.Title, &c.Owner, &c.Status, &in27001, &in42001, &other); err != nil {
			return nil, err
		}
		c.Scope = domain.ScopeFrom(in27001, in42001, other)
		out[k] = append(out[k], c)
	}
	return out, rows.Err()
}

// annexRequirement resolves a ref of a standard to its Annex A control:
// an unknown standard or ref is not found; a clause is a field error on
// "ref" (it has no applicability decision).
func (o *OrgStore) annexRequirement(standard, ref string) (*catalog.Requirement, error) {
	if o.s.catalog.Standard(standard) == nil {
		return nil, domain.ErrNotFound
	}
	req := o.s.catalog.Requirement(standard + "/" + ref)
	if req == nil {
		return nil, domain.ErrNotFound
	}
	if req.Kind != catalog.KindAnnex {
		v := &domain.ValidationError{}
		v.Add("ref", "error.not_annex", ref, ref)
		return nil, v
	}
	return req, nil
}

// Decide records the decision on one Annex A control of a standard. The
// first decision is made with version nil or 0; a later one must name the
// version it is based on (domain.ErrVersionRequired without, ErrConflict
// when stale). Invalid input writes nothing. The decision and its trail
// entry land in one transaction; the row is returned as the SoA now shows it.
func (o *OrgStore) Decide(ctx context.Context, actor domain.Actor, standard, ref string, version *int64, in domain.DecisionInput) (domain.SoARow, error) {
	req, err := o.annexRequirement(standard, ref)
	if _, invalid := domain.AsValidation(err); err != nil && !invalid {
		return domain.SoARow{}, err
	}
	// Report the ref and every field of the input together.
	problems := &domain.ValidationError{}
	for _, e := range []error{err, in.Validate()} {
		if v, ok := domain.AsValidation(e); ok {
			problems.Fields = append(problems.Fields, v.Fields...)
		}
	}
	if err := problems.Err(); err != nil {
		return domain.SoARow{}, err
	}
	next := soaDecision{Applicable: *in.Applicable, Justification: in.Justification,
		Reasons: canonicalReasons(in.Reasons), DecidedBy: actor.String()}
	err = o.s.inTx(ctx, func(tx *sql.Tx) error {
		cur, found, err := o.decision(ctx, tx, req.Key)
		if err != nil {
			return err
		}
		switch {
		case !found && version != nil && *version != 0:
			return domain.ErrConflict // the caller saw a decision that is not there
		case found && version == nil:
			return domain.ErrVersionRequired
		case found && *version != cur.Version:
			return domain.ErrConflict
		}
		if found && sameDecision(cur, next) {
			return nil // nothing changes, so nothing is written
		}
		reasons, err := json.Marshal(next.Reasons)
		if err != nil {
			return err
		}
		next.DecidedAt = o.s.now()
		change := change{actor: actor, action: "soa.decide", resourceType: "soa", resourceRef: req.Key}
		if !found {
			next.Version = 1
			_, err := tx.ExecContext(ctx, `INSERT INTO soa_decisions
				(org_id, requirement_key, standard, applicable, justification, reasons, version, decided_at, decided_by)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`,
				o.org.ID, req.Key, standard, next.Applicable, next.Justification, string(reasons), next.DecidedAt, next.DecidedBy)
			if isUniqueViolation(err) {
				return domain.ErrConflict // decided concurrently
			}
			if err != nil {
				return err
			}
		} else {
			next.Version = cur.Version + 1
			res, err := tx.ExecContext(ctx, `UPDATE soa_decisions SET applicable = $1, justification = $2, reasons = $3,
				version = version + 1, decided_at = $4, decided_by = $5
				WHERE org_id = $6 AND requirement_key = $7 AND version = $8`,
				next.Applicable, next.Justification, string(reasons), next.DecidedAt, next.DecidedBy, o.org.ID, req.Key, cur.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return domain.ErrConflict
			}
			change.before = cur
		}
		change.after = next
		return o.s.appendTrail(ctx, tx, o.org.ID, next.DecidedAt, change)
	})
	if err != nil {
		return domain.SoARow{}, err
	}
	return o.SoARow(ctx, standard, ref)
}

func (o *OrgStore) decision(ctx context.Context, db queryer, key string) (soaDecision, bool, error) {
	ds, err := o.decisions(ctx, db, catalog.StandardOfKey(key), key)
	if err != nil {
		return soaDecision{}, false, err
	}
	d, ok := ds[key]
	return d, ok, nil
}

// canonicalReasons orders reasons as forms list them, so that the same
// choice is stored (and compared) the same way.
func canonicalReasons(in []string) []string {
	out := []string{}
	for _, r := range domain.Reasons {
		if slices.Contains(in, r) {
			out = append(out, r)
		}
	}
	return out
}

func sameDecision(a, b soaDecision) bool {
	return a.Applicable == b.Applicable && a.Justification == b.Justification && slices.Equal(a.Reasons, b.Reasons)
}

// soaIssue is what the trail records of an issued version: its identity,
// its counts and the SHA-256 of the frozen rows, which are too long for a
// trail entry but must be provably the ones approved.
type soaIssue struct {
	Standard   string            `json:"standard"`
	Number     int               `json:"number"`
	Approver   string            `json:"approver"`
	Note       string            `json:"note"`
	Summary    domain.SoASummary `json:"summary"`
	RowsSHA256 string            `json:"rows_sha256"`
}

// IssueSoA freezes the SoA of a standard as it stands now as the next
// numbered version, approved by approver. Numbers are handed out by the
// organization's counter, so two concurrent issues never share one.
func (o *OrgStore) IssueSoA(ctx context.Context, actor domain.Actor, standard, approver, note string) (domain.SoAVersion, error) {
	reqs, err := o.annexOf(standard)
	if err != nil {
		return domain.SoAVersion{}, err
	}
	in := domain.IssueInput{Approver: approver, Note: note}
	if err := in.Validate(); err != nil {
		return domain.SoAVersion{}, err
	}
	var v domain.SoAVersion
	// The frozen rows are read by several statements: on PostgreSQL they
	// must all see one snapshot, or a version could freeze a state that
	// never existed (SQLite's write transaction is exclusive already). A
	// concurrent issue then fails to serialize and is tried again: each
	// round lets at least one of them through.
	for attempt := 1; ; attempt++ {
		err = o.issueOnce(ctx, actor, standard, reqs, in, &v)
		if !isSerializationFailure(err) || attempt == maxSerializationRetries {
			break
		}
		time.Sleep(time.Duration(attempt) * 5 * time.Millisecond)
	}
	if err != nil {
		return domain.SoAVersion{}, err
	}
	return v, nil
}

// VersionRef is how the trail names an issued version: "iso27001-2022/v3".
func VersionRef(standard string, number int) string {
	return standard + "/v" + strconv.Itoa(number)
}

const soaVersionColumns = `number, issued_at, approver, note, summary_json`

func scanSoAVersion(row interface{ Scan(...any) error }, standard string, rowsJSON *string) (domain.SoAVersion, error) {
	v := domain.SoAVersion{Standard: standard}
	var summary string
	dest := []any{&v.Number, &v.IssuedAt, &v.Approver, &v.Note, &summary}
	if rowsJSON != nil {
		dest = append(dest, rowsJSON)
	}
	if err := row.Scan(dest...); err != nil {
		if notFound(err) {
			return v, domain.ErrNotFound
		}
		return v, err
	}
	v.IssuedAt = v.IssuedAt.UTC()
	if err := json.Unmarshal([]byte(summary), &v.Summary); err != nil {
		return v, fmt.Errorf("soa version %d: summary: %w", v.Number, err)
	}
	return v, nil
}

// SoAVersions lists the issued versions of a standard's SoA, newest first,
// without their rows, a page at a time.
func (o *OrgStore) SoAVersions(ctx context.Context, standard string, limit int, cursor string) (domain.Page[domain.SoAVersion], error) {
	page := domain.Page[domain.SoAVersion]{Items: []domain.SoAVersion{}}
	if _, err := o.annexOf(standard); err != nil {
		return page, err
	}
	limit = clampLimit(limit)
	q := newQuery(`SELECT `+soaVersionColumns+` FROM soa_versions WHERE org_id = $1 AND standard = $2`, o.org.ID, standard)
	if cursor != "" {
		before, err := decodeCursor(cursor)
		if err != nil {
			return page, err
		}
		q.where("number < ?", before)
	}
	q.add(" ORDER BY number DESC LIMIT ?", limit+1)
	rows, err := o.s.db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanSoAVersion(rows, standard, nil)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, v)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(v domain.SoAVersion) int64 { return int64(v.Number) })
	return page, nil
}

// SoAVersion returns one issued version with its frozen rows.
func (o *OrgStore) SoAVersion(ctx context.Context, standard string, number int) (domain.SoAVersion, error) {
	if _, err := o.annexOf(standard); err != nil {
		return domain.SoAVersion{}, err
	}
	var rowsJSON string
	v, err := scanSoAVersion(o.s.db.QueryRowContext(ctx, `SELECT `+soaVersionColumns+`, rows_json FROM soa_versions
		WHERE org_id = $1 AND standard = $2 AND number = $3`, o.org.ID, standard, number), standard, &rowsJSON)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(rowsJSON), &v.Rows); err != nil {
		return v, fmt.Errorf("soa version %d: rows: %w", number, err)
	}
	return v, nil
}

// SoADiff compares issued version from with version to, or with the
// current draft when to is 0.
func (o *OrgStore) SoADiff(ctx context.Context, standard string, from, to int) (domain.SoADiff, error) {
	d := domain.SoADiff{Standard: standard}
	older, err := o.SoAVersion(ctx, standard, from)
	if err != nil {
		return d, err
	}
	var rows []domain.SoARow
	if to == 0 {
		rows, err = o.SoA(ctx, standard)
	} else {
		var newer domain.SoAVersion
		newer, err = o.SoAVersion(ctx, standard, to)
		rows = newer.Rows
		newer.Rows = nil
		d.To = &newer
	}
	if err != nil {
		return d, err
	}
	d.Items = domain.DiffSoA(older.Rows, rows)
	older.Rows = nil
	d.From = older
	return d, nil
}

// maxSerializationRetries bounds the attempts of a transaction that runs
// at repeatable-read isolation on PostgreSQL.
const maxSerializationRetries = 20

// issueOnce is one attempt at issuing a version (see IssueSoA).
func (o *OrgStore) issueOnce(ctx context.Context, actor domain.Actor, standard string, reqs []*catalog.Requirement, in domain.IssueInput, v *domain.SoAVersion) error {
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		if o.s.engine == Postgres {
			if _, err := tx.ExecContext(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
				return err
			}
		}
		number, err := o.nextSeq(ctx, tx, "SOA:"+standard)
		if err != nil {
			return err
		}
		rows, err := o.soaRows(ctx, tx, standard, reqs, "")
		if err != nil {
			return err
		}
		*v = domain.SoAVersion{Standard: standard, Number: int(number), IssuedAt: o.s.now(), Approver: in.Approver,
			Note: in.Note, Summary: domain.Summarize(rows), Rows: rows}
		rowsJSON, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		summaryJSON, err := json.Marshal(v.Summary)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO soa_versions
			(org_id, standard, number, issued_at, approver, note, summary_json, rows_json)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			o.org.ID, standard, v.Number, v.IssuedAt, v.Approver, v.Note, string(summaryJSON), string(rowsJSON)); err != nil {
			return err
		}
		sum := sha256.Sum256(rowsJSON)
		return o.s.appendTrail(ctx, tx, o.org.ID, v.IssuedAt, change{actor: actor, action: "soa.issue",
			resourceType: "soa", resourceRef: VersionRef(standard, v.Number),
			after: soaIssue{Standard: standard, Number: v.Number, Approver: v.Approver, Note: v.Note,
				Summary: v.Summary, RowsSHA256: hex.EncodeToString(sum[:])}})
	})
}
