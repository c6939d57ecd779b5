package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

const aiSystemColumns = `s.id, s.seq, s.ref, s.name, s.purpose, s.intended_use, s.misuse, s.owner, s.business_unit, s.stage,
	s.role, s.model_type, s.model_version, s.sourcing, COALESCE(p.ref, ''), s.autonomy, s.oversight, s.users,
	s.affected_parties, s.affected, s.eu_class, s.eu_reason, s.deployed_on, s.monitoring_plan, s.monitoring_days,
	s.monitoring_due, s.status, s.version, s.created_at, s.updated_at`

const aiSystemFrom = ` FROM ai_systems s LEFT JOIN suppliers p ON p.id = s.supplier_id`

type aiSystemRow struct {
	domain.AISystem
	seq int64
}

func scanAISystem(row rowScanner) (aiSystemRow, error) {
	var s aiSystemRow
	var parties string
	err := row.Scan(&s.ID, &s.seq, &s.Ref, &s.Name, &s.Purpose, &s.IntendedUse, &s.Misuse, &s.Owner, &s.BusinessUnit, &s.Stage,
		&s.Role, &s.ModelType, &s.ModelVersion, &s.Sourcing, &s.Supplier, &s.Autonomy, &s.Oversight, &s.Users,
		&parties, &s.Affected, &s.EUAIActClass, &s.EUAIActReason, &s.DeployedOn, &s.MonitoringPlan, &s.MonitoringDays,
		&s.MonitoringDue, &s.Status, &s.Version, &s.CreatedAt, &s.UpdatedAt)
	if err == sql.ErrNoRows {
		return s, domain.ErrNotFound
	}
	s.AffectedParties = parseJSONList(parties)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

// ListAISystems returns one page of the AI inventory in ref order and the count matching f.
func (o *OrgStore) ListAISystems(ctx context.Context, f domain.AISystemFilter) (domain.Page[domain.AISystem], int, error) {
	page := domain.Page[domain.AISystem]{Items: []domain.AISystem{}}
	v := &domain.ValidationError{}
	for _, c := range []struct {
		field, value string
		list         []string
	}{{"stage", f.Stage, domain.AIStages}, {"eu_ai_act_class", f.Class, domain.EUAIActClasses}, {"role", f.Role, domain.AIRoles}} {
		if c.value != "" && !oneOfList(c.value, c.list) {
			v.Add(c.field, "error.one_of", c.value, strings.Join(c.list, ", "))
		}
	}
	if err := v.Err(); err != nil {
		return page, 0, err
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+aiSystemColumns+aiSystemFrom+` WHERE s.org_id = $1`, o.org.ID)
	count := newQuery(`SELECT COUNT(*) FROM ai_systems s WHERE s.org_id = $1`, o.org.ID)
	today := o.today()
	for _, qq := range []*query{q, count} {
		o.aiSystemConditions(qq, f, today)
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
	list, err := listRows(ctx, o.s.db, q, scanAISystem)
	if err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(s aiSystemRow) int64 { return s.seq })
	if err := o.loadAISystemLinks(ctx, o.s.db, list); err != nil {
		return page, 0, err
	}
	for _, s := range list {
		page.Items = append(page.Items, s.AISystem)
	}
	return page, total, nil
}

func (o *OrgStore) aiSystemConditions(q *query, f domain.AISystemFilter, today string) {
	if f.Stage != "" {
		q.where("s.stage = ?", f.Stage)
	}
	if f.Class != "" {
		q.where("s.eu_class = ?", f.Class)
	}
	if f.Role != "" {
		q.where("s.role = ?", f.Role)
	}
	if f.Owner != "" {
		q.where("s.owner_fold = ?", fold(strings.TrimSpace(f.Owner)))
	}
	if f.Supplier != "" {
		q.where("s.supplier_id IN (SELECT id FROM suppliers WHERE org_id = ? AND ref = ?)", o.org.ID,
			strings.ToUpper(strings.TrimSpace(f.Supplier)))
	}
	if f.Dataset != "" {
		q.where(`s.id IN (SELECT l.ai_system_id FROM ai_system_datasets l JOIN datasets d ON d.id = l.dataset_id
			WHERE l.org_id = ? AND d.ref = ?)`, o.org.ID, strings.ToUpper(strings.TrimSpace(f.Dataset)))
	}
	if f.Stale {
		q.where(systemHasStaleAssessment, today)
	}
	if f.NoAssessment {
		q.where("s.stage <> 'retired' AND NOT " + systemHasApprovedAssessment)
	}
	if f.Overdue {
		q.where("s.stage IN ('deployment', 'operation') AND s.monitoring_due <> '' AND s.monitoring_due < ?", today)
	}
	if f.Text != "" {
		q.where(`s.search_fold LIKE ? ESCAPE '\'`, likePattern(f.Text))
	}
}

// loadAISystemLinks fills datasets and the current assessment of every
// system (one query each) and derives the monitoring state.
func (o *OrgStore) loadAISystemLinks(ctx context.Context, db queryer, list []aiSystemRow) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
		list[i].Datasets = []string{}
	}
	q := newQuery("")
	q.add(`SELECT l.ai_system_id, d.ref FROM ai_system_datasets l JOIN datasets d ON d.id = l.dataset_id
		WHERE l.org_id = ? AND l.ai_system_id IN `, o.org.ID)
	inIDs(q, ids)
	q.add(" ORDER BY d.ref")
	got, err := linkRefs(ctx, db, q)
	if err != nil {
		return err
	}
	states, err := o.assessmentStates(ctx, db, ids)
	if err != nil {
		return err
	}
	today := o.today()
	for i := range list {
		s := &list[i].AISystem
		if refs, ok := got[s.ID]; ok {
			s.Datasets = refs
		}
		if st, ok := states[s.ID]; ok {
			s.Assessment, s.AssessmentRef = st.Status, st.Ref
		}
		s.Derive(today)
	}
	return nil
}

// AISystem returns one AI system with its datasets, supplier and derived state.
func (o *OrgStore) AISystem(ctx context.Context, ref string) (domain.AISystem, error) {
	s, err := o.aiSystem(ctx, o.s.db, ref)
	return s.AISystem, err
}

func (o *OrgStore) aiSystem(ctx context.Context, db queryer, ref string) (aiSystemRow, error) {
	s, err := scanAISystem(db.QueryRowContext(ctx, `SELECT `+aiSystemColumns+aiSystemFrom+` WHERE s.org_id = $1 AND s.ref = $2`,
		o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	if err != nil {
		return s, err
	}
	list := []aiSystemRow{s}
	err = o.loadAISystemLinks(ctx, db, list)
	return list[0], err
}

// validateAISystem checks s and resolves its supplier and datasets inside tx.
func (o *OrgStore) validateAISystem(ctx context.Context, tx *sql.Tx, s domain.AISystem) (sql.NullInt64, map[string]int64, error) {
	var supplier sql.NullInt64
	sup, err := o.idsByRef(ctx, tx, "suppliers", nonEmpty(s.Supplier))
	if err != nil {
		return supplier, nil, err
	}
	ds, err := o.idsByRef(ctx, tx, "datasets", s.Datasets)
	if err != nil {
		return supplier, nil, err
	}
	if id, ok := sup[s.Supplier]; ok {
		supplier = sql.NullInt64{Int64: id, Valid: true}
	}
	err = s.Validate(func(ref string) bool { _, ok := sup[ref]; return ok },
		func(ref string) bool { _, ok := ds[ref]; return ok })
	return supplier, ds, err
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// CreateAISystem registers an AI system with the next AIS ref.
func (o *OrgStore) CreateAISystem(ctx context.Context, actor domain.Actor, in domain.AISystemInput) (domain.AISystem, error) {
	var ref string
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		s := in.Apply(domain.AISystem{})
		s.Supplier = strings.ToUpper(s.Supplier)
		supplier, ds, err := o.validateAISystem(ctx, tx, s)
		if err != nil {
			return err
		}
		now := o.s.now()
		seq, err := o.nextSeq(ctx, tx, "AIS")
		if err != nil {
			return err
		}
		s.Ref = fmt.Sprintf("AIS-%03d", seq)
		ref = s.Ref
		err = tx.QueryRowContext(ctx, `INSERT INTO ai_systems (org_id, seq, ref, name, purpose, intended_use, misuse, owner,
			owner_fold, business_unit, stage, role, model_type, model_version, sourcing, supplier_id, autonomy, oversight, users,
			affected_parties, affected, eu_class, eu_reason, deployed_on, monitoring_plan, monitoring_days, status, search_fold,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
			$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, 1, $29, $29) RETURNING id`,
			o.org.ID, seq, s.Ref, s.Name, s.Purpose, s.IntendedUse, s.Misuse, s.Owner, fold(s.Owner), s.BusinessUnit, s.Stage,
			s.Role, s.ModelType, s.ModelVersion, s.Sourcing, supplier, s.Autonomy, s.Oversight, s.Users, jsonList(s.AffectedParties),
			s.Affected, s.EUAIActClass, s.EUAIActReason, s.DeployedOn, s.MonitoringPlan, s.MonitoringDays, s.Status,
			aiSystemFold(s), now).Scan(&s.ID)
		if err != nil {
			return err
		}
		if err := o.rewriteLinks(ctx, tx, "ai_system_datasets", "ai_system_id", "dataset_id", s.ID, s.Datasets, ds); err != nil {
			return err
		}
		if err := o.recomputeMonitoringDue(ctx, tx, s.ID); err != nil {
			return err
		}
		created, err := o.aiSystem(ctx, tx, s.Ref)
		if err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "ai_system.create",
			resourceType: "ai_system", resourceRef: s.Ref, after: created.AISystem})
	})
	if err != nil {
		return domain.AISystem{}, err
	}
	return o.AISystem(ctx, ref)
}

// UpdateAISystem changes a system at version, recording a change event for
// each change of model version, datasets, purpose or stage.
func (o *OrgStore) UpdateAISystem(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.AISystemInput) (domain.AISystem, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "ai_systems", ref); err != nil {
			return err
		}
		cur, err := o.aiSystem(ctx, tx, ref)
		if err != nil {
			return err
		}
		before := cur.AISystem
		if version != before.Version {
			return domain.ErrConflict
		}
		next := in.Apply(before)
		next.Supplier = strings.ToUpper(next.Supplier)
		supplier, ds, err := o.validateAISystem(ctx, tx, next)
		if err != nil {
			return err
		}
		now := o.s.now()
		res, err := tx.ExecContext(ctx, `UPDATE ai_systems SET name = $1, purpose = $2, intended_use = $3, misuse = $4, owner = $5,
			owner_fold = $6, business_unit = $7, stage = $8, role = $9, model_type = $10, model_version = $11, sourcing = $12,
			supplier_id = $13, autonomy = $14, oversight = $15, users = $16, affected_parties = $17, affected = $18, eu_class = $19,
			eu_reason = $20, deployed_on = $21, monitoring_plan = $22, monitoring_days = $23, status = $24, search_fold = $25,
			version = version + 1, updated_at = $26 WHERE org_id = $27 AND id = $28 AND version = $29`,
			next.Name, next.Purpose, next.IntendedUse, next.Misuse, next.Owner, fold(next.Owner), next.BusinessUnit, next.Stage,
			next.Role, next.ModelType, next.ModelVersion, next.Sourcing, supplier, next.Autonomy, next.Oversight, next.Users,
			jsonList(next.AffectedParties), next.Affected, next.EUAIActClass, next.EUAIActReason, next.DeployedOn,
			next.MonitoringPlan, next.MonitoringDays, next.Status, aiSystemFold(next), now, o.org.ID, before.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		if err := o.rewriteLinks(ctx, tx, "ai_system_datasets", "ai_system_id", "dataset_id", before.ID, next.Datasets, ds); err != nil {
			return err
		}
		events := before.Changes(next)
		for i := range events {
			e := &events[i]
			e.System, e.At, e.By = ref, now, actor.String()
			if _, err := tx.ExecContext(ctx, `INSERT INTO ai_system_events (org_id, ai_system_id, kind, from_value, to_value, at, actor)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.org.ID, before.ID, e.Kind, e.From, e.To, now, e.By); err != nil {
				return err
			}
		}
		if err := o.recomputeMonitoringDue(ctx, tx, before.ID); err != nil {
			return err
		}
		after, err := o.aiSystem(ctx, tx, ref)
		if err != nil {
			return err
		}
		var detail any
		if len(events) > 0 {
			detail = map[string]any{"change_events": events}
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "ai_system.update",
			resourceType: "ai_system", resourceRef: ref, before: before, after: after.AISystem, detail: detail})
	})
	if err != nil {
		return domain.AISystem{}, err
	}
	return o.AISystem(ctx, ref)
}

// DeleteAISystem removes a system and everything recorded about it.
func (o *OrgStore) DeleteAISystem(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "ai_systems", ref); err != nil {
			return err
		}
		cur, err := o.aiSystem(ctx, tx, ref)
		if err != nil {
			return err
		}
		if version != cur.Version {
			return domain.ErrConflict
		}
		for _, table := range []string{"ai_system_datasets", "ai_system_events", "risk_ai_systems", "ai_tests", "ai_monitoring"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE org_id = $1 AND ai_system_id = $2`, o.org.ID, cur.ID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM impact_assessments WHERE org_id = $1 AND ai_system_id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ai_systems WHERE org_id = $1 AND id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "ai_system.delete",
			resourceType: "ai_system", resourceRef: ref, before: cur.AISystem})
	})
}

// AISystemEvents returns the system's change events, latest first (at most limit, ≤ 500).
func (o *OrgStore) AISystemEvents(ctx context.Context, ref string, limit int) ([]domain.AISystemEvent, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	ref = strings.ToUpper(strings.TrimSpace(ref))
	q := newQuery(`SELECT e.id, e.kind, e.from_value, e.to_value, e.at, e.actor FROM ai_system_events e
		JOIN ai_systems s ON s.id = e.ai_system_id WHERE e.org_id = $1 AND s.org_id = $1 AND s.ref = $2
		ORDER BY e.at DESC, e.id DESC`, o.org.ID, ref)
	q.add(" LIMIT ?", limit)
	if _, err := o.AISystem(ctx, ref); err != nil {
		return nil, err
	}
	list, err := listRows(ctx, o.s.db, q, func(r rowScanner) (domain.AISystemEvent, error) {
		e := domain.AISystemEvent{System: ref}
		err := r.Scan(&e.ID, &e.Kind, &e.From, &e.To, &e.At, &e.By)
		e.At = e.At.UTC()
		return e, err
	})
	if list == nil {
		list = []domain.AISystemEvent{}
	}
	return list, err
}

func aiSystemFold(s domain.AISystem) string {
	return fold(s.Ref + "\n" + s.Name + "\n" + s.Purpose + "\n" + s.Owner + "\n" + s.ModelType + "\n" + s.BusinessUnit)
}
