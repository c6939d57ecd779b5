package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

const monitoringColumns = `m.id, m.seq, m.ref, s.ref, m.kind, m.checked_on, m.performed_by, m.outcome, m.summary, m.follow_up,
	m.evidence, m.created_at`

type monitoringRow struct {
	domain.MonitoringRecord
	seq int64
}

func scanMonitoring(row rowScanner) (monitoringRow, error) {
	var m monitoringRow
	err := row.Scan(&m.ID, &m.seq, &m.Ref, &m.System, &m.Kind, &m.CheckedOn, &m.PerformedBy, &m.Outcome, &m.Summary, &m.FollowUp,
		&m.Evidence, &m.CreatedAt)
	if err == sql.ErrNoRows {
		return m, domain.ErrNotFound
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return m, err
}

// ListMonitoring returns one page of a system's monitoring and oversight
// records, latest first; kind "" lists both.
func (o *OrgStore) ListMonitoring(ctx context.Context, system, kind string, limit int, cursor string) (domain.Page[domain.MonitoringRecord], int, error) {
	page := domain.Page[domain.MonitoringRecord]{Items: []domain.MonitoringRecord{}}
	sys, err := o.systemBasics(ctx, o.s.db, system)
	if err != nil {
		return page, 0, err
	}
	if kind != "" && !oneOfList(kind, domain.MonitoringKinds) {
		v := &domain.ValidationError{}
		v.Add("kind", "error.one_of", kind, strings.Join(domain.MonitoringKinds, ", "))
		return page, 0, v
	}
	limit = clampLimit(limit)
	from := ` FROM ai_monitoring m JOIN ai_systems s ON s.id = m.ai_system_id WHERE m.org_id = $1 AND m.ai_system_id = $2`
	q := newQuery(`SELECT `+monitoringColumns+from, o.org.ID, sys.id)
	count := newQuery(`SELECT COUNT(*)`+from, o.org.ID, sys.id)
	if kind != "" {
		q.where("m.kind = ?", kind)
		count.where("m.kind = ?", kind)
	}
	if cursor != "" {
		after, err := decodeCursor(cursor)
		if err != nil {
			return page, 0, err
		}
		q.where("m.seq < ?", after)
	}
	q.add(" ORDER BY m.seq DESC LIMIT ?", limit+1)
	total, err := countRows(ctx, o.s.db, count)
	if err != nil {
		return page, 0, err
	}
	list, err := listRows(ctx, o.s.db, q, scanMonitoring)
	if err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(m monitoringRow) int64 { return m.seq })
	for _, m := range list {
		page.Items = append(page.Items, m.MonitoringRecord)
	}
	return page, total, nil
}

// RecordMonitoring records a monitoring check or an oversight record,
// performed by who unless the input names someone; a check moves the
// system's next check.
func (o *OrgStore) RecordMonitoring(ctx context.Context, actor domain.Actor, who, system string, in domain.MonitoringInput) (domain.MonitoringRecord, error) {
	for _, p := range []*string{&in.Kind, &in.CheckedOn, &in.PerformedBy, &in.Outcome, &in.Summary, &in.FollowUp, &in.Evidence} {
		*p = strings.TrimSpace(*p)
	}
	if in.PerformedBy == "" {
		in.PerformedBy = who
	}
	var m domain.MonitoringRecord
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "ai_systems", strings.ToUpper(strings.TrimSpace(system))); err != nil {
			return err
		}
		sys, err := o.systemBasics(ctx, tx, system)
		if err != nil {
			return err
		}
		if err := in.Validate(o.today()); err != nil {
			return err
		}
		now := o.s.now()
		seq, err := o.nextSeq(ctx, tx, "MON")
		if err != nil {
			return err
		}
		m = domain.MonitoringRecord{Ref: fmt.Sprintf("MON-%03d", seq), System: sys.ref, Kind: in.Kind, CheckedOn: in.CheckedOn,
			PerformedBy: in.PerformedBy, Outcome: in.Outcome, Summary: in.Summary, FollowUp: in.FollowUp, Evidence: in.Evidence, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO ai_monitoring (org_id, seq, ref, ai_system_id, kind, checked_on, performed_by,
			outcome, summary, follow_up, evidence, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			o.org.ID, seq, m.Ref, sys.id, m.Kind, m.CheckedOn, m.PerformedBy, m.Outcome, m.Summary, m.FollowUp, m.Evidence, now).Scan(&m.ID); err != nil {
			return err
		}
		if err := o.recomputeMonitoringDue(ctx, tx, sys.id); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "ai_monitoring.record",
			resourceType: "ai_monitoring", resourceRef: m.Ref, after: m, detail: map[string]string{"ai_system": sys.ref}})
	})
	return m, err
}

// MonitoringRecord returns one monitoring or oversight record.
func (o *OrgStore) MonitoringRecord(ctx context.Context, ref string) (domain.MonitoringRecord, error) {
	m, err := scanMonitoring(o.s.db.QueryRowContext(ctx, `SELECT `+monitoringColumns+` FROM ai_monitoring m
		JOIN ai_systems s ON s.id = m.ai_system_id WHERE m.org_id = $1 AND m.ref = $2`, o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	return m.MonitoringRecord, err
}

// DeleteMonitoring removes a monitoring record; the trail keeps it.
func (o *OrgStore) DeleteMonitoring(ctx context.Context, actor domain.Actor, ref string) error {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		var systemID int64
		m, err := scanMonitoring(tx.QueryRowContext(ctx, `SELECT `+monitoringColumns+` FROM ai_monitoring m
			JOIN ai_systems s ON s.id = m.ai_system_id WHERE m.org_id = $1 AND m.ref = $2`, o.org.ID, ref))
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT ai_system_id FROM ai_monitoring WHERE id = $1`, m.ID).Scan(&systemID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ai_monitoring WHERE org_id = $1 AND id = $2`, o.org.ID, m.ID); err != nil {
			return err
		}
		if err := o.recomputeMonitoringDue(ctx, tx, systemID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "ai_monitoring.delete",
			resourceType: "ai_monitoring", resourceRef: ref, before: m.MonitoringRecord, detail: map[string]string{"ai_system": m.System}})
	})
}
