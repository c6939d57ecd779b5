package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

const assessmentColumns = `a.id, a.seq, a.ref, s.ref, s.name, a.number, a.status, a.individuals, a.groups_text, a.society,
	a.conclusion, a.residual, a.assessor, a.reviewer, a.review_date, a.approved_by, a.approved_at, a.model_version,
	a.method_version, a.version, a.created_at, a.updated_at`

const assessmentFrom = ` FROM impact_assessments a JOIN ai_systems s ON s.id = a.ai_system_id AND s.org_id = a.org_id`

type assessmentRow struct {
	domain.ImpactAssessment
	seq int64
}

func scanAssessment(row rowScanner) (assessmentRow, error) {
	var a assessmentRow
	var approvedAt sql.NullTime
	err := row.Scan(&a.ID, &a.seq, &a.Ref, &a.System, &a.SystemName, &a.Number, &a.Status, &a.Individuals, &a.Groups,
		&a.Society, &a.Conclusion, &a.Residual, &a.Assessor, &a.Reviewer, &a.ReviewDate, &a.ApprovedBy, &approvedAt,
		&a.ModelVersion, &a.MethodVersion, &a.Version, &a.CreatedAt, &a.UpdatedAt)
	if err == sql.ErrNoRows {
		return a, domain.ErrNotFound
	}
	if approvedAt.Valid {
		t := approvedAt.Time.UTC()
		a.ApprovedAt = &t
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

// ListImpactAssessments returns one page of assessments (latest first) and the count matching f.
func (o *OrgStore) ListImpactAssessments(ctx context.Context, f domain.ImpactAssessmentFilter) (domain.Page[domain.ImpactAssessment], int, error) {
	page := domain.Page[domain.ImpactAssessment]{Items: []domain.ImpactAssessment{}}
	statuses := []string{domain.AssessmentDraft, domain.AssessmentApproved, domain.AssessmentStale, domain.AssessmentSuperseded}
	if f.Status != "" && !oneOfList(f.Status, statuses) {
		v := &domain.ValidationError{}
		v.Add("status", "error.one_of", f.Status, strings.Join(statuses, ", "))
		return page, 0, v
	}
	limit := clampLimit(f.Limit)
	today := o.today()
	q := newQuery(`SELECT `+assessmentColumns+assessmentFrom+` WHERE a.org_id = $1`, o.org.ID)
	count := newQuery(`SELECT COUNT(*)`+assessmentFrom+` WHERE a.org_id = $1`, o.org.ID)
	for _, qq := range []*query{q, count} {
		if f.System != "" {
			qq.where("s.ref = ?", strings.ToUpper(strings.TrimSpace(f.System)))
		}
		switch f.Status {
		case domain.AssessmentStale:
			qq.where(staleAssessment, today)
		case domain.AssessmentApproved:
			qq.where("NOT "+staleAssessment, today)
			qq.where("a.status = 'approved'")
		case domain.AssessmentDraft, domain.AssessmentSuperseded:
			qq.where("a.status = ?", f.Status)
		}
	}
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, 0, err
		}
		q.where("a.seq < ?", after)
	}
	q.add(" ORDER BY a.seq DESC LIMIT ?", limit+1)
	total, err := countRows(ctx, o.s.db, count)
	if err != nil {
		return page, 0, err
	}
	list, err := listRows(ctx, o.s.db, q, scanAssessment)
	if err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(a assessmentRow) int64 { return a.seq })
	if err := o.loadAssessmentDetails(ctx, o.s.db, list); err != nil {
		return page, 0, err
	}
	for _, a := range list {
		page.Items = append(page.Items, a.ImpactAssessment)
	}
	return page, total, nil
}

// loadAssessmentDetails fills impacts (with controls, raised risks and
// levels) and derives staleness with its reasons: three queries a page.
func (o *OrgStore) loadAssessmentDetails(ctx context.Context, db queryer, list []assessmentRow) error {
	if len(list) == 0 {
		return nil
	}
	m, err := o.riskMethod(ctx, db, -1)
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	byID := map[int64]*assessmentRow{}
	for i := range list {
		ids[i] = list[i].ID
		list[i].Impacts = []domain.AssessedImpact{}
		byID[list[i].ID] = &list[i]
	}
	q := newQuery("")
	q.add(`SELECT i.id, i.assessment_id, i.number, i.category, i.description, i.affected, i.severity, i.likelihood,
		i.mitigation, COALESCE(r.ref, '') FROM assessment_impacts i LEFT JOIN risks r ON r.id = i.risk_id
		WHERE i.org_id = ? AND i.assessment_id IN `, o.org.ID)
	inIDs(q, ids)
	q.add(" ORDER BY i.assessment_id, i.number")
	type impactRow struct {
		id, assessment int64
		domain.AssessedImpact
	}
	impacts, err := listRows(ctx, db, q, func(r rowScanner) (impactRow, error) {
		var x impactRow
		err := r.Scan(&x.id, &x.assessment, &x.Number, &x.Category, &x.Description, &x.Affected, &x.Severity, &x.Likelihood,
			&x.Mitigation, &x.Risk)
		return x, err
	})
	if err != nil {
		return err
	}
	impactIDs := make([]int64, 0, len(impacts))
	for _, x := range impacts {
		impactIDs = append(impactIDs, x.id)
	}
	controls := map[int64][]string{}
	if len(impactIDs) > 0 {
		cq := newQuery("")
		cq.add(`SELECT l.impact_id, c.ref FROM impact_controls l JOIN controls c ON c.id = l.control_id
			WHERE l.org_id = ? AND l.impact_id IN `, o.org.ID)
		inIDs(cq, impactIDs)
		cq.add(" ORDER BY c.seq")
		if controls, err = linkRefs(ctx, db, cq); err != nil {
			return err
		}
	}
	for _, x := range impacts {
		imp := x.AssessedImpact
		imp.Controls = controls[x.id]
		if imp.Controls == nil {
			imp.Controls = []string{}
		}
		imp.Level = m.Level(imp.Likelihood, imp.Severity)
		a := byID[x.assessment]
		a.Impacts = append(a.Impacts, imp)
	}
	// Why approved ones are stale: the kinds of change after the approval.
	eq := newQuery("")
	eq.add(`SELECT a.id, e.kind FROM impact_assessments a JOIN ai_system_events e ON e.ai_system_id = a.ai_system_id
		AND e.org_id = a.org_id AND e.at > a.approved_at WHERE a.org_id = ? AND a.status = 'approved' AND a.id IN `, o.org.ID)
	inIDs(eq, ids)
	eq.add(" ORDER BY e.at")
	kinds, err := linkRefs(ctx, db, eq)
	if err != nil {
		return err
	}
	today := o.today()
	for i := range list {
		a := &list[i].ImpactAssessment
		if a.Status != domain.AssessmentApproved {
			continue
		}
		var reasons []string
		for _, k := range kinds[a.ID] {
			if !oneOfList(k, reasons) {
				reasons = append(reasons, k)
			}
		}
		if a.ReviewDate != "" && a.ReviewDate <= today {
			reasons = append(reasons, "review_due")
		}
		if len(reasons) > 0 {
			a.Status, a.StaleReason = domain.AssessmentStale, reasons
		}
	}
	return nil
}

// ImpactAssessment returns one assessment version with its impacts.
func (o *OrgStore) ImpactAssessment(ctx context.Context, ref string) (domain.ImpactAssessment, error) {
	a, err := o.assessment(ctx, o.s.db, ref)
	return a.ImpactAssessment, err
}

func (o *OrgStore) assessment(ctx context.Context, db queryer, ref string) (assessmentRow, error) {
	a, err := scanAssessment(db.QueryRowContext(ctx, `SELECT `+assessmentColumns+assessmentFrom+
		` WHERE a.org_id = $1 AND a.ref = $2`, o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	if err != nil {
		return a, err
	}
	list := []assessmentRow{a}
	err = o.loadAssessmentDetails(ctx, db, list)
	return list[0], err
}

// systemBasics is what assessments and records need of their AI system.
type systemBasics struct {
	id                             int64
	ref, name, owner, model, stage string
	parties                        []string
}

func (o *OrgStore) systemBasics(ctx context.Context, db queryer, ref string) (systemBasics, error) {
	var s systemBasics
	var parties string
	err := db.QueryRowContext(ctx, `SELECT id, ref, name, owner, model_version, stage, affected_parties FROM ai_systems
		WHERE org_id = $1 AND ref = $2`, o.org.ID, strings.ToUpper(strings.TrimSpace(ref))).Scan(&s.id, &s.ref, &s.name,
		&s.owner, &s.model, &s.stage, &parties)
	if err == sql.ErrNoRows {
		return s, domain.ErrNotFound
	}
	s.parties = parseJSONList(parties)
	return s, err
}

// checkAssessment validates a draft against the method in force and
// resolves the controls of its impacts.
func (o *OrgStore) checkAssessment(ctx context.Context, tx *sql.Tx, a *domain.ImpactAssessment) (map[string]int64, error) {
	m, err := o.riskMethod(ctx, tx, -1)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, imp := range a.Impacts {
		refs = append(refs, imp.Controls...)
	}
	ids, err := o.idsByRef(ctx, tx, "controls", refs)
	if err != nil {
		return nil, err
	}
	a.MethodVersion = int(m.Version)
	for i := range a.Impacts {
		a.Impacts[i].Level = m.Level(a.Impacts[i].Likelihood, a.Impacts[i].Severity)
	}
	return ids, a.Validate(m, func(ref string) bool { _, ok := ids[ref]; return ok })
}

// writeImpacts replaces the impacts of an assessment inside tx; raised
// risks stay with their impact number.
func (o *OrgStore) writeImpacts(ctx context.Context, tx *sql.Tx, assessmentID int64, impacts []domain.AssessedImpact, controls map[string]int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM assessment_impacts WHERE org_id = $1 AND assessment_id = $2`, o.org.ID, assessmentID); err != nil {
		return err
	}
	riskIDs, err := o.idsByRef(ctx, tx, "risks", riskRefs(impacts))
	if err != nil {
		return err
	}
	for _, imp := range impacts {
		var risk sql.NullInt64
		if id, ok := riskIDs[imp.Risk]; ok {
			risk = sql.NullInt64{Int64: id, Valid: true}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO assessment_impacts (org_id, assessment_id, number, category, description,
			affected, severity, likelihood, mitigation, risk_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			o.org.ID, assessmentID, imp.Number, imp.Category, imp.Description, imp.Affected, imp.Severity, imp.Likelihood,
			imp.Mitigation, risk).Scan(&id); err != nil {
			return err
		}
		for _, c := range imp.Controls {
			if _, err := tx.ExecContext(ctx, `INSERT INTO impact_controls (impact_id, org_id, control_id) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, id, o.org.ID, controls[c]); err != nil {
				return err
			}
		}
	}
	return nil
}

func riskRefs(impacts []domain.AssessedImpact) []string {
	var out []string
	for _, imp := range impacts {
		if imp.Risk != "" {
			out = append(out, imp.Risk)
		}
	}
	return out
}

func (o *OrgStore) draftOf(ctx context.Context, db queryer, systemID int64) (string, error) {
	var ref string
	err := db.QueryRowContext(ctx, `SELECT ref FROM impact_assessments WHERE org_id = $1 AND ai_system_id = $2 AND status = 'draft'`,
		o.org.ID, systemID).Scan(&ref)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return ref, err
}

// CreateImpactAssessment starts a draft for the system (refused while another draft exists).
func (o *OrgStore) CreateImpactAssessment(ctx context.Context, actor domain.Actor, system string, in domain.ImpactAssessmentInput) (domain.ImpactAssessment, error) {
	a := in.Apply(domain.ImpactAssessment{})
	return o.insertAssessment(ctx, actor, system, a, "impact_assessment.create")
}

func (o *OrgStore) insertAssessment(ctx context.Context, actor domain.Actor, system string, a domain.ImpactAssessment, action string) (domain.ImpactAssessment, error) {
	var ref string
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := o.lockRow(ctx, tx, "ai_systems", strings.ToUpper(strings.TrimSpace(system))); err != nil {
			return err
		}
		sys, err := o.systemBasics(ctx, tx, system)
		if err != nil {
			return err
		}
		if draft, err := o.draftOf(ctx, tx, sys.id); err != nil {
			return err
		} else if draft != "" {
			v := &domain.ValidationError{}
			v.Add("ai_system", "error.assessment_draft_exists", draft, draft)
			return v
		}
		controls, err := o.checkAssessment(ctx, tx, &a)
		if err != nil {
			return err
		}
		now := o.s.now()
		seq, err := o.nextSeq(ctx, tx, "AIA")
		if err != nil {
			return err
		}
		a.Ref, a.System, a.SystemName, a.Status, a.Version = fmt.Sprintf("AIA-%03d", seq), sys.ref, sys.name, domain.AssessmentDraft, 1
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM impact_assessments WHERE ai_system_id = $1`,
			sys.id).Scan(&a.Number); err != nil {
			return err
		}
		a.ApprovedBy, a.ApprovedAt, a.ModelVersion = "", nil, ""
		a.CreatedAt, a.UpdatedAt = now, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO impact_assessments (org_id, seq, ref, ai_system_id, number, status,
			individuals, groups_text, society, conclusion, residual, assessor, reviewer, review_date, method_version, version,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15)
			RETURNING id`, o.org.ID, seq, a.Ref, sys.id, a.Number, a.Individuals, a.Groups, a.Society, a.Conclusion, a.Residual,
			a.Assessor, a.Reviewer, a.ReviewDate, a.MethodVersion, now).Scan(&a.ID); err != nil {
			return err
		}
		if err := o.writeImpacts(ctx, tx, a.ID, a.Impacts, controls); err != nil {
			return err
		}
		ref = a.Ref
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: action,
			resourceType: "impact_assessment", resourceRef: a.Ref, after: a})
	})
	if err != nil {
		return domain.ImpactAssessment{}, err
	}
	return o.ImpactAssessment(ctx, ref)
}

// lockedAssessment locks and reads an assessment at version inside tx.
func (o *OrgStore) lockedAssessment(ctx context.Context, tx *sql.Tx, ref string, version int64) (assessmentRow, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	if err := o.lockRow(ctx, tx, "impact_assessments", ref); err != nil {
		return assessmentRow{}, err
	}
	cur, err := o.assessment(ctx, tx, ref)
	if err != nil {
		return cur, err
	}
	if version != cur.Version {
		return cur, domain.ErrConflict
	}
	return cur, nil
}

func frozen(a domain.ImpactAssessment) error {
	if a.Status == domain.AssessmentDraft {
		return nil
	}
	v := &domain.ValidationError{}
	v.Add("status", "error.assessment_frozen", a.Status)
	return v
}

// UpdateImpactAssessment changes a draft at version; approved ones are frozen.
func (o *OrgStore) UpdateImpactAssessment(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.ImpactAssessmentInput) (domain.ImpactAssessment, error) {
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := o.lockedAssessment(ctx, tx, ref, version)
		if err != nil {
			return err
		}
		if err := frozen(cur.ImpactAssessment); err != nil {
			return err
		}
		before := cur.ImpactAssessment
		after := in.Apply(cloneAssessment(before))
		controls, err := o.checkAssessment(ctx, tx, &after)
		if err != nil {
			return err
		}
		now := o.s.now()
		after.Version, after.UpdatedAt = before.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE impact_assessments SET individuals = $1, groups_text = $2, society = $3,
			conclusion = $4, residual = $5, assessor = $6, reviewer = $7, review_date = $8, method_version = $9,
			version = version + 1, updated_at = $10 WHERE org_id = $11 AND id = $12`, after.Individuals, after.Groups, after.Society,
			after.Conclusion, after.Residual, after.Assessor, after.Reviewer, after.ReviewDate, after.MethodVersion, now,
			o.org.ID, before.ID); err != nil {
			return err
		}
		if err := o.writeImpacts(ctx, tx, before.ID, after.Impacts, controls); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "impact_assessment.update",
			resourceType: "impact_assessment", resourceRef: before.Ref, before: before, after: after})
	})
	if err != nil {
		return domain.ImpactAssessment{}, err
	}
	return o.ImpactAssessment(ctx, ref)
}

func cloneAssessment(a domain.ImpactAssessment) domain.ImpactAssessment {
	a.Impacts = append([]domain.AssessedImpact(nil), a.Impacts...)
	return a
}

// DeleteImpactAssessment removes a draft.
func (o *OrgStore) DeleteImpactAssessment(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := o.lockedAssessment(ctx, tx, ref, version)
		if err != nil {
			return err
		}
		if err := frozen(cur.ImpactAssessment); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM impact_assessments WHERE org_id = $1 AND id = $2`, o.org.ID, cur.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "impact_assessment.delete",
			resourceType: "impact_assessment", resourceRef: cur.Ref, before: cur.ImpactAssessment})
	})
}

// ApproveImpactAssessment freezes a draft at version, signed by approver;
// the approved version before it becomes superseded.
func (o *OrgStore) ApproveImpactAssessment(ctx context.Context, actor domain.Actor, approver, ref string, version int64) (domain.ImpactAssessment, error) {
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := o.lockedAssessment(ctx, tx, ref, version)
		if err != nil {
			return err
		}
		if err := frozen(cur.ImpactAssessment); err != nil {
			return err
		}
		if err := cur.ReadyToApprove(approver, o.today()); err != nil {
			return err
		}
		var systemID int64
		var model string
		if err := tx.QueryRowContext(ctx, `SELECT s.id, s.model_version FROM ai_systems s JOIN impact_assessments a ON a.ai_system_id = s.id
			WHERE a.org_id = $1 AND a.id = $2`, o.org.ID, cur.ID).Scan(&systemID, &model); err != nil {
			return err
		}
		now := o.s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE impact_assessments SET status = 'superseded', version = version + 1, updated_at = $1
			WHERE org_id = $2 AND ai_system_id = $3 AND status = 'approved'`, now, o.org.ID, systemID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE impact_assessments SET status = 'approved', approved_by = $1, approved_at = $2,
			model_version = $3, version = version + 1, updated_at = $2 WHERE org_id = $4 AND id = $5`,
			approver, now, model, o.org.ID, cur.ID); err != nil {
			return err
		}
		after := cur.ImpactAssessment
		after.Status, after.ApprovedBy, after.ApprovedAt, after.ModelVersion, after.Version = domain.AssessmentApproved, approver, &now, model, cur.Version+1
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "impact_assessment.approve",
			resourceType: "impact_assessment", resourceRef: cur.Ref, before: cur.ImpactAssessment, after: after})
	})
	if err != nil {
		return domain.ImpactAssessment{}, err
	}
	return o.ImpactAssessment(ctx, ref)
}

// ReviseImpactAssessment starts the next draft from an approved (or stale) assessment.
func (o *OrgStore) ReviseImpactAssessment(ctx context.Context, actor domain.Actor, ref string) (domain.ImpactAssessment, error) {
	cur, err := o.ImpactAssessment(ctx, ref)
	if err != nil {
		return cur, err
	}
	if cur.Status != domain.AssessmentApproved && cur.Status != domain.AssessmentStale {
		v := &domain.ValidationError{}
		v.Add("status", "error.assessment_not_approved", cur.Status)
		return domain.ImpactAssessment{}, v
	}
	next := cloneAssessment(cur)
	next.StaleReason = nil
	return o.insertAssessment(ctx, actor, cur.System, next, "impact_assessment.revise")
}

// RaiseRiskFromImpact creates an AI risk from impact number n of the
// assessment, prefilled from it and overridden by in, linked both ways.
func (o *OrgStore) RaiseRiskFromImpact(ctx context.Context, actor domain.Actor, ref string, n int, in domain.RiskInput) (domain.Risk, error) {
	var riskRef string
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		ref = strings.ToUpper(strings.TrimSpace(ref))
		if err := o.lockRow(ctx, tx, "impact_assessments", ref); err != nil {
			return err
		}
		a, err := o.assessment(ctx, tx, ref)
		if err != nil {
			return err
		}
		if n < 1 || n > len(a.Impacts) {
			return domain.ErrNotFound
		}
		imp := a.Impacts[n-1]
		if imp.Risk != "" {
			v := &domain.ValidationError{}
			v.Add("impact", "error.impact_risk_exists", imp.Risk, imp.Risk)
			return v
		}
		sys, err := o.systemBasics(ctx, tx, a.System)
		if err != nil {
			return err
		}
		prefill := impactRiskInput(a.ImpactAssessment, imp, sys)
		mergeRiskInput(&prefill, in)
		r, err := o.createRisk(ctx, tx, actor, prefill, "risk.create",
			domain.ImpactLink{Assessment: a.Ref, Impact: imp.Number, System: a.System})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessment_impacts SET risk_id = $1 WHERE org_id = $2 AND assessment_id = $3 AND number = $4`,
			r.ID, o.org.ID, a.ID, imp.Number); err != nil {
			return err
		}
		riskRef = r.Ref
		return nil
	})
	if err != nil {
		return domain.Risk{}, err
	}
	return o.Risk(ctx, riskRef)
}

// impactSources maps an impact category to the AI risk source it is.
var impactSources = map[string]string{
	"fairness_bias": "bias_fairness", "privacy": "privacy", "safety": "safety",
	"transparency_explainability": "transparency_explainability", "autonomy_human_rights": "accountability",
	"accessibility": "societal_environmental", "environment": "societal_environmental", "economic": "societal_environmental",
}

func impactRiskInput(a domain.ImpactAssessment, imp domain.AssessedImpact, sys systemBasics) domain.RiskInput {
	title := imp.Description
	if r := []rune(title); len(r) > 120 {
		title = string(r[:117]) + "…"
	}
	desc := imp.Description
	if imp.Mitigation != "" {
		desc += "\n\n" + imp.Mitigation
	}
	parties := sys.parties
	if len(parties) == 0 {
		parties = []string{"individuals"}
	}
	controls := append([]string{}, imp.Controls...)
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	return domain.RiskInput{Register: str(domain.RegisterAI), Title: str(title), Description: str(desc), Owner: str(sys.owner),
		InherentL: num(imp.Likelihood), InherentI: num(imp.Severity), ResidualL: num(imp.Likelihood), ResidualI: num(imp.Severity),
		Treatment: str("modify"), Status: str("open"), Controls: &controls, Sources: &[]string{impactSources[imp.Category]},
		Parties: &parties, AISystemRefs: &[]string{sys.ref}, AISystems: str(sys.name)}
}

// mergeRiskInput lets what a person gave override the prefill.
func mergeRiskInput(dst *domain.RiskInput, in domain.RiskInput) {
	for _, f := range []struct{ src, dst **string }{{&in.Title, &dst.Title}, {&in.Description, &dst.Description},
		{&in.Owner, &dst.Owner}, {&in.Treatment, &dst.Treatment}, {&in.Status, &dst.Status}, {&in.NextReview, &dst.NextReview}} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
	for _, f := range []struct{ src, dst **int }{{&in.InherentL, &dst.InherentL}, {&in.InherentI, &dst.InherentI},
		{&in.ResidualL, &dst.ResidualL}, {&in.ResidualI, &dst.ResidualI}} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
	for _, f := range []struct{ src, dst **[]string }{{&in.Controls, &dst.Controls}, {&in.Sources, &dst.Sources},
		{&in.Parties, &dst.Parties}} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
}
