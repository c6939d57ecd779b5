package store

import (
	"context"
	"database/sql"

	"tandem/internal/domain"
)

// The judgement "this approved impact assessment is stale", in SQL, for an
// assessment row aliased a: its review date has come (today is the one
// argument), or its system has a change event after the approval. Every
// list, filter and count of stale assessments uses it, and
// assessmentStates below applies it per system, so the inventory, the
// system page, the dashboard and the API agree.
const staleAssessment = `(a.status = 'approved' AND ((a.review_date <> '' AND a.review_date <= ?)
	OR EXISTS (SELECT 1 FROM ai_system_events e WHERE e.org_id = a.org_id AND e.ai_system_id = a.ai_system_id
		AND e.at > a.approved_at)))`

// systemHasStaleAssessment is a condition on an AI system row aliased s:
// its approved assessment is stale (one argument: today).
const systemHasStaleAssessment = `EXISTS (SELECT 1 FROM impact_assessments a WHERE a.org_id = s.org_id
	AND a.ai_system_id = s.id AND ` + staleAssessment + `)`

// systemHasApprovedAssessment is a condition on an AI system row aliased
// s: it has an approved (perhaps stale) assessment.
const systemHasApprovedAssessment = `EXISTS (SELECT 1 FROM impact_assessments a WHERE a.org_id = s.org_id
	AND a.ai_system_id = s.id AND a.status = 'approved')`

// assessmentState is the current impact assessment of one AI system.
type assessmentState struct {
	Ref    string
	Status string // draft, approved, stale
}

// assessmentStates returns, for each AI system id, its current
// assessment: the approved one (approved or stale) when there is one, else
// its draft. Systems with neither are absent. One query.
func (o *OrgStore) assessmentStates(ctx context.Context, db queryer, systemIDs []int64) (map[int64]assessmentState, error) {
	out := map[int64]assessmentState{}
	if len(systemIDs) == 0 {
		return out, nil
	}
	q := newQuery("")
	q.add(`SELECT a.ai_system_id, a.ref, a.status, CASE WHEN `+staleAssessment+` THEN 1 ELSE 0 END
		FROM impact_assessments a WHERE a.org_id = ? AND a.status IN ('approved', 'draft') AND a.ai_system_id IN (`,
		o.today(), o.org.ID)
	for i, id := range systemIDs {
		if i > 0 {
			q.add(", ")
		}
		q.add("?", id)
	}
	q.add(")")
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref, status string
		var stale int
		if err := rows.Scan(&id, &ref, &status, &stale); err != nil {
			return nil, err
		}
		if status == domain.AssessmentApproved && stale == 1 {
			status = domain.AssessmentStale
		}
		if cur, ok := out[id]; ok && cur.Status != domain.AssessmentDraft {
			continue // the approved one is current; a draft revision waits behind it
		}
		out[id] = assessmentState{Ref: ref, Status: status}
	}
	return out, rows.Err()
}

// recomputeMonitoringDue sets the system's next monitoring check inside
// tx: the latest monitoring check (or, before the first, the deployment
// date) plus the system's interval; none without an interval or a start.
// It is called by every write that changes one of these.
func (o *OrgStore) recomputeMonitoringDue(ctx context.Context, tx *sql.Tx, systemID int64) error {
	var deployed string
	var days int
	var last sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT s.deployed_on, s.monitoring_days,
		(SELECT MAX(m.checked_on) FROM ai_monitoring m WHERE m.org_id = s.org_id AND m.ai_system_id = s.id AND m.kind = 'monitoring')
		FROM ai_systems s WHERE s.org_id = $1 AND s.id = $2`, o.org.ID, systemID).Scan(&deployed, &days, &last)
	if err != nil {
		return err
	}
	base := deployed
	if last.Valid && last.String > base {
		base = last.String
	}
	due := ""
	if days > 0 && base != "" {
		due = domain.AddDays(base, days)
	}
	_, err = tx.ExecContext(ctx, `UPDATE ai_systems SET monitoring_due = $1 WHERE org_id = $2 AND id = $3`, due, o.org.ID, systemID)
	return err
}
