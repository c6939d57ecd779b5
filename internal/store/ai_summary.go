package store

import (
	"context"

	"tandem/internal/domain"
)

// maxSummaryRefs bounds the lists of refs the dashboard names.
const maxSummaryRefs = 20

// AISummary counts what the dashboard shows of AI governance, in SQL.
func (o *OrgStore) AISummary(ctx context.Context) (domain.AISummary, error) {
	sum := domain.AISummary{ByStage: map[string]int{}, ByClass: map[string]int{}, StaleSystems: []string{}, OverdueSystems: []string{}}
	today := o.today()
	db := o.s.db
	for _, g := range []struct {
		col  string
		into map[string]int
	}{{"stage", sum.ByStage}, {"eu_class", sum.ByClass}} {
		q := newQuery(`SELECT `+g.col+`, COUNT(*) FROM ai_systems WHERE org_id = $1 GROUP BY `+g.col, o.org.ID)
		rows, err := listRows(ctx, db, q, func(r rowScanner) (struct {
			k string
			n int
		}, error) {
			var x struct {
				k string
				n int
			}
			err := r.Scan(&x.k, &x.n)
			return x, err
		})
		if err != nil {
			return sum, err
		}
		for _, x := range rows {
			g.into[x.k] = x.n
		}
	}
	for _, n := range sum.ByStage {
		sum.Systems += n
	}
	sum.Live = sum.ByStage["deployment"] + sum.ByStage["operation"]
	stale := newQuery(`SELECT s.ref FROM ai_systems s WHERE s.org_id = $1`, o.org.ID)
	stale.where(systemHasStaleAssessment, today)
	stale.add(" ORDER BY s.seq")
	overdue := newQuery(`SELECT s.ref FROM ai_systems s WHERE s.org_id = $1 AND s.stage IN ('deployment', 'operation')
		AND s.monitoring_due <> ''`, o.org.ID)
	overdue.where("s.monitoring_due < ?", today)
	overdue.add(" ORDER BY s.seq")
	for _, l := range []struct {
		q     *query
		count *int
		refs  *[]string
	}{{stale, &sum.StaleAssessments, &sum.StaleSystems}, {overdue, &sum.MonitoringOverdue, &sum.OverdueSystems}} {
		refs, err := listRows(ctx, db, l.q, func(r rowScanner) (string, error) {
			var s string
			return s, r.Scan(&s)
		})
		if err != nil {
			return sum, err
		}
		*l.count = len(refs)
		if len(refs) > maxSummaryRefs {
			refs = refs[:maxSummaryRefs]
		}
		*l.refs = append(*l.refs, refs...)
	}
	noAssessment := newQuery(`SELECT COUNT(*) FROM ai_systems s WHERE s.org_id = $1 AND s.stage <> 'retired'`, o.org.ID)
	noAssessment.where("NOT " + systemHasApprovedAssessment)
	staleRisks := newQuery(`SELECT COUNT(DISTINCT r.id) FROM risks r JOIN risk_ai_systems l ON l.risk_id = r.id
		JOIN ai_systems s ON s.id = l.ai_system_id WHERE r.org_id = $1 AND l.org_id = $1 AND r.status <> 'closed'`, o.org.ID)
	staleRisks.where(systemHasStaleAssessment, today)
	// A system fails when the latest result of one of its series fails.
	failed := newQuery(`SELECT COUNT(DISTINCT t.ai_system_id) FROM ai_tests t WHERE t.org_id = $1 AND t.passed = $2
		AND NOT EXISTS (SELECT 1 FROM ai_tests u WHERE u.org_id = t.org_id AND u.ai_system_id = t.ai_system_id
		AND u.metric = t.metric AND u.slice = t.slice AND (u.tested_on > t.tested_on OR (u.tested_on = t.tested_on AND u.seq > t.seq)))`,
		o.org.ID, false)
	reviews := newQuery(`SELECT COUNT(*) FROM suppliers WHERE org_id = $1 AND status <> 'offboarded' AND next_review <> ''`, o.org.ID)
	reviews.where("next_review <= ?", today)
	for _, c := range []struct {
		q    *query
		into *int
	}{{noAssessment, &sum.NoAssessment}, {staleRisks, &sum.StaleRisks}, {failed, &sum.FailedTests}, {reviews, &sum.SupplierReviews}} {
		n, err := countRows(ctx, db, c.q)
		if err != nil {
			return sum, err
		}
		*c.into = n
	}
	return sum, nil
}
