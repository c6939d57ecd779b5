package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

const supplierColumns = `s.id, s.seq, s.ref, s.name, s.services, s.provides_ai, s.ai_components, s.data_shared,
	s.criticality, s.status, s.owner, s.contact, s.contract_start, s.contract_end, s.next_review, s.version,
	s.created_at, s.updated_at`

type supplierRow struct {
	domain.Supplier
	seq int64
}

func scanSupplier(row rowScanner) (supplierRow, error) {
	var s supplierRow
	err := row.Scan(&s.ID, &s.seq, &s.Ref, &s.Name, &s.Services, &s.ProvidesAI, &s.AIComponents, &s.DataShared,
		&s.Criticality, &s.Status, &s.Owner, &s.Contact, &s.ContractStart, &s.ContractEnd, &s.NextReview, &s.Version,
		&s.CreatedAt, &s.UpdatedAt)
	if err == sql.ErrNoRows {
		return s, domain.ErrNotFound
	}
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

// ListSuppliers returns one page of the supplier register in ref order and the count matching f.
func (o *OrgStore) ListSuppliers(ctx context.Context, f domain.SupplierFilter) (domain.Page[domain.Supplier], int, error) {
	page := domain.Page[domain.Supplier]{Items: []domain.Supplier{}}
	v := &domain.ValidationError{}
	if f.Criticality != "" && !oneOfList(f.Criticality, domain.SupplierCriticality) {
		v.Add("criticality", "error.one_of", f.Criticality, strings.Join(domain.SupplierCriticality, ", "))
	}
	if f.Status != "" && !oneOfList(f.Status, domain.SupplierStatuses) {
		v.Add("status", "error.one_of", f.Status, strings.Join(domain.SupplierStatuses, ", "))
	}
	if err := v.Err(); err != nil {
		return page, 0, err
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+supplierColumns+` FROM suppliers s WHERE s.org_id = $1`, o.org.ID)
	count := newQuery(`SELECT COUNT(*) FROM suppliers s WHERE s.org_id = $1`, o.org.ID)
	today := o.today()
	for _, qq := range []*query{q, count} {
		if f.Criticality != "" {
			qq.where("s.criticality = ?", f.Criticality)
		}
		if f.Status != "" {
			qq.where("s.status = ?", f.Status)
		}
		if f.ProvidesAI != nil {
			qq.where("s.provides_ai = ?", *f.ProvidesAI)
		}
		if f.ReviewDue {
			qq.where("s.next_review <> '' AND s.next_review <= ? AND s.status <> 'offboarded'", today)
		}
		if f.Text != "" {
			qq.where(`s.search_fold LIKE ? ESCAPE '\'`, likePattern(f.Text))
		}
	}
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, 0, err
		}
		q.where("s.seq > ?", after)
	}
	q.add(" ORDER BY s.seq LIMIT ?", limit+1)
	total, err := countRows(ctx, o.s.db, count)
	if err != nil {
		return page, 0, err
	}
	list, err := listRows(ctx, o.s.db, q, scanSupplier)
	if err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(s supplierRow) int64 { return s.seq })
	if err := o.loadSupplierLinks(ctx, o.s.db, list); err != nil {
		return page, 0, err
	}
	for _, s := range list {
		page.Items = append(page.Items, s.Supplier)
	}
	return page, total, nil
}

func oneOfList(s string, list []string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// loadSupplierLinks fills links, supplied AI systems and the last
// assessment of every supplier: one query each.
func (o *OrgStore) loadSupplierLinks(ctx context.Context, db queryer, list []supplierRow) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	links := []struct {
		sql string
		set func(s *domain.Supplier, refs []string)
	}{
		{`SELECT l.supplier_id, a.ref FROM supplier_assets l JOIN assets a ON a.id = l.asset_id WHERE l.org_id = ? AND l.supplier_id IN `,
			func(s *domain.Supplier, r []string) { s.Assets = r }},
		{`SELECT l.supplier_id, k.ref FROM supplier_risks l JOIN risks k ON k.id = l.risk_id WHERE l.org_id = ? AND l.supplier_id IN `,
			func(s *domain.Supplier, r []string) { s.Risks = r }},
		{`SELECT l.supplier_id, c.ref FROM supplier_controls l JOIN controls c ON c.id = l.control_id WHERE l.org_id = ? AND l.supplier_id IN `,
			func(s *domain.Supplier, r []string) { s.Controls = r }},
		{`SELECT a.supplier_id, a.ref FROM ai_systems a WHERE a.org_id = ? AND a.supplier_id IN `,
			func(s *domain.Supplier, r []string) { s.AISystems = r }},
	}
	today := o.today()
	for i := range list {
		s := &list[i].Supplier
		s.Assets, s.Risks, s.Controls, s.AISystems = []string{}, []string{}, []string{}, []string{}
	}
	for _, l := range links {
		q := newQuery("")
		q.add(l.sql, o.org.ID)
		inIDs(q, ids)
		q.add(" ORDER BY 2")
		got, err := linkRefs(ctx, db, q)
		if err != nil {
			return err
		}
		for i := range list {
			if refs, ok := got[list[i].ID]; ok {
				l.set(&list[i].Supplier, refs)
			}
		}
	}
	// The latest assessment of each supplier: its highest number.
	q := newQuery("")
	q.add(`SELECT a.supplier_id, a.assessed_on, a.result FROM supplier_assessments a WHERE a.org_id = ? AND a.number =
		(SELECT MAX(b.number) FROM supplier_assessments b WHERE b.supplier_id = a.supplier_id) AND a.supplier_id IN `, o.org.ID)
	inIDs(q, ids)
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	last := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var on, res string
		if err := rows.Scan(&id, &on, &res); err != nil {
			return err
		}
		last[id] = [2]string{on, res}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range list {
		s := &list[i].Supplier
		if l, ok := last[s.ID]; ok {
			s.LastAssessedOn, s.LastResult = l[0], l[1]
		}
		s.Derive(today)
	}
	return nil
}

// Supplier returns one supplier with its links and last assessment.
func (o *OrgStore) Supplier(ctx context.Context, ref string) (domain.Supplier, error) {
	s, err := o.supplier(ctx, o.s.db, ref)
	return s.Supplier, err
}

func (o *OrgStore) supplier(ctx context.Context, db queryer, ref string) (supplierRow, error) {
	s, err := scanSupplier(db.QueryRowContext(ctx, `SELECT `+supplierColumns+` FROM suppliers s WHERE s.org_id = $1 AND s.ref = $2`,
		o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	if err != nil {
		return s, err
	}
	list := []supplierRow{s}
	err = o.loadSupplierLinks(ctx, db, list)
	return list[0], err
}

// supplierLinkIDs resolves and validates the supplier's links inside tx.
func (o *OrgStore) supplierLinkIDs(ctx context.Context, tx *sql.Tx, s domain.Supplier) (map[string]map[string]int64, error) {
	ids := map[string]map[string]int64{}
	for _, l := range []struct {
		kind, table string
		refs        []string
	}{{"asset", "assets", s.Assets}, {"risk", "risks", s.Risks}, {"control", "controls", s.Controls}} {
		m, err := o.idsByRef(ctx, tx, l.table, l.refs)
		if err != nil {
			return nil, err
		}
		ids[l.kind] = m
	}
	return ids, s.Validate(func(kind, ref string) bool { _, ok := ids[kind][ref]; return ok })
}

func (o *OrgStore) writeSupplierLinks(ctx context.Context, tx *sql.Tx, s domain.Supplier, ids map[string]map[string]int64) error {
	for _, l := range []struct {
		table, col, kind string
		refs             []string
	}{{"supplier_assets", "asset_id", "asset", s.Assets}, {"supplier_risks", "risk_id", "risk", s.Risks},
		{"supplier_controls", "control_id", "control", s.Controls}} {
		if err := o.rewriteLinks(ctx, tx, l.table, "supplier_id", l.col, s.ID, l.refs, ids[l.kind]); err != nil {
			return err
		}
	}
	return nil
}

// CreateSupplier registers a supplier with the next SUP ref.
func (o *OrgStore) CreateSupplier(ctx context.Context, actor domain.Actor, in domain.SupplierInput) (domain.Supplier, error) {
	var out domain.Supplier
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		s := in.Apply(domain.Supplier{})
		ids, err := o.supplierLinkIDs(ctx, tx, s)
		if err != nil {
			return err
		}
		now := o.s.now()
		seq, err := o.nextSeq(ctx, tx, "SUP")
		if err != nil {
			return err
		}
		s.Ref, s.Version, s.CreatedAt, s.UpdatedAt = fmt.Sprintf("SUP-%03d", seq), 1, now, now
		err = tx.QueryRowContext(ctx, `INSERT INTO suppliers (org_id, seq, ref, name, services, provides_ai, ai_components,
			data_shared, criticality, status, owner, owner_fold, contact, contract_start, contract_end, next_review, search_fold,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, $18)
			RETURNING id`, o.org.ID, seq, s.Ref, s.Name, s.Services, s.ProvidesAI, s.AIComponents, s.DataShared, s.Criticality,
			s.Status, s.Owner, fold(s.Owner), s.Contact, s.ContractStart, s.ContractEnd, s.NextReview, supplierFold(s), now).Scan(&s.ID)
		if err != nil {
			return err
		}
		if err := o.writeSupplierLinks(ctx, tx, s, ids); err != nil {
			return err
		}
		s.Derive(o.today())
		out = s
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "supplier.create",
			resourceType: "supplier", resourceRef: s.Ref, after: s})
	})
	return out, err
}

// UpdateSupplier changes a supplier at version (domain.ErrConflict when stale).
func (o *OrgStore) UpdateSupplier(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.SupplierInput) (domain.Supplier, error) {
	var after domain.Supplier
	ref = strings.ToUpper(strings.TrimSpace(ref))
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "suppliers", ref); err != nil {
			return err
		}
		cur, err := o.supplier(ctx, tx, ref)
		if err != nil {
			return err
		}
		before := cur.Supplier
		if version != before.Version {
			return domain.ErrConflict
		}
		after = in.Apply(before)
		ids, err := o.supplierLinkIDs(ctx, tx, after)
		if err != nil {
			return err
		}
		now := o.s.now()
		after.Version, after.UpdatedAt = before.Version+1, now
		after.Derive(o.today())
		res, err := tx.ExecContext(ctx, `UPDATE suppliers SET name = $1, services = $2, provides_ai = $3, ai_components = $4,
			data_shared = $5, criticality = $6, status = $7, owner = $8, owner_fold = $9, contact = $10, contract_start = $11,
			contract_end = $12, next_review = $13, search_fold = $14, version = version + 1, updated_at = $15
			WHERE org_id = $16 AND id = $17 AND version = $18`, after.Name, after.Services, after.ProvidesAI, after.AIComponents,
			after.DataShared, after.Criticality, after.Status, after.Owner, fold(after.Owner), after.Contact, after.ContractStart,
			after.ContractEnd, after.NextReview, supplierFold(after), now, o.org.ID, before.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		if err := o.writeSupplierLinks(ctx, tx, after, ids); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "supplier.update",
			resourceType: "supplier", resourceRef: ref, before: before, after: after})
	})
	if err != nil {
		return domain.Supplier{}, err
	}
	return after, nil
}

// DeleteSupplier removes a supplier that supplies no AI system.
func (o *OrgStore) DeleteSupplier(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "suppliers", ref); err != nil {
			return err
		}
		cur, err := o.supplier(ctx, tx, ref)
		if err != nil {
			return err
		}
		if version != cur.Version {
			return domain.ErrConflict
		}
		if len(cur.AISystems) > 0 {
			v := &domain.ValidationError{}
			v.Add("ref", "error.supplier_in_use", cur.AISystems, strings.Join(cur.AISystems, ", "))
			return v
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM suppliers WHERE org_id = $1 AND id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "supplier.delete",
			resourceType: "supplier", resourceRef: ref, before: cur.Supplier})
	})
}

// SupplierAssessments returns the supplier's assessments, latest first (at most 200).
func (o *OrgStore) SupplierAssessments(ctx context.Context, ref string) ([]domain.SupplierAssessment, error) {
	s, err := o.Supplier(ctx, ref)
	if err != nil {
		return nil, err
	}
	q := newQuery(`SELECT id, number, assessed_on, result, assessor, summary, evidence, next_review, created_at
		FROM supplier_assessments WHERE org_id = $1 AND supplier_id = $2 ORDER BY number DESC LIMIT 200`, o.org.ID, s.ID)
	list, err := listRows(ctx, o.s.db, q, func(r rowScanner) (domain.SupplierAssessment, error) {
		a := domain.SupplierAssessment{Supplier: s.Ref}
		err := r.Scan(&a.ID, &a.Number, &a.AssessedOn, &a.Result, &a.Assessor, &a.Summary, &a.Evidence, &a.NextReview, &a.CreatedAt)
		a.CreatedAt = a.CreatedAt.UTC()
		return a, err
	})
	if list == nil {
		list = []domain.SupplierAssessment{}
	}
	return list, err
}

// AssessSupplier records an assessment signed by who; its next review
// becomes the supplier's.
func (o *OrgStore) AssessSupplier(ctx context.Context, actor domain.Actor, who, ref string, in domain.SupplierAssessmentInput) (domain.SupplierAssessment, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	in.Summary, in.Evidence = strings.TrimSpace(in.Summary), strings.TrimSpace(in.Evidence)
	a := domain.SupplierAssessment{Supplier: ref, AssessedOn: strings.TrimSpace(in.AssessedOn), Result: strings.TrimSpace(in.Result),
		Assessor: who, Summary: in.Summary, Evidence: in.Evidence, NextReview: strings.TrimSpace(in.NextReview)}
	in.AssessedOn, in.Result, in.NextReview = a.AssessedOn, a.Result, a.NextReview
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "suppliers", ref); err != nil {
			return err
		}
		cur, err := o.supplier(ctx, tx, ref)
		if err != nil {
			return err
		}
		if err := in.Validate(o.today()); err != nil {
			return err
		}
		now := o.s.now()
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM supplier_assessments WHERE supplier_id = $1`,
			cur.ID).Scan(&a.Number); err != nil {
			return err
		}
		a.CreatedAt = now
		if err := tx.QueryRowContext(ctx, `INSERT INTO supplier_assessments (org_id, supplier_id, number, assessed_on, result,
			assessor, summary, evidence, next_review, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			o.org.ID, cur.ID, a.Number, a.AssessedOn, a.Result, a.Assessor, a.Summary, a.Evidence, a.NextReview, now).Scan(&a.ID); err != nil {
			return err
		}
		if a.NextReview != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE suppliers SET next_review = $1, version = version + 1, updated_at = $2
				WHERE org_id = $3 AND id = $4`, a.NextReview, now, o.org.ID, cur.ID); err != nil {
				return err
			}
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "supplier.assess",
			resourceType: "supplier", resourceRef: ref, after: a})
	})
	return a, err
}

func supplierFold(s domain.Supplier) string {
	return fold(s.Ref + "\n" + s.Name + "\n" + s.Services + "\n" + s.AIComponents + "\n" + s.Owner + "\n" + s.Contact)
}
