package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tandem/internal/domain"
)

const aiTestColumns = `t.id, t.seq, t.ref, s.ref, t.kind, t.metric, t.slice, t.comparator, t.threshold, t.result, t.passed,
	t.tested_on, t.model_version, t.evidence, t.notes, t.recorded_by, t.created_at`

type aiTestRow struct {
	domain.AITest
	seq int64
}

func scanAITest(row rowScanner) (aiTestRow, error) {
	var t aiTestRow
	err := row.Scan(&t.ID, &t.seq, &t.Ref, &t.System, &t.Kind, &t.Metric, &t.Slice, &t.Comparator, &t.Threshold, &t.Result,
		&t.Passed, &t.TestedOn, &t.ModelVersion, &t.Evidence, &t.Notes, &t.RecordedBy, &t.CreatedAt)
	if err == sql.ErrNoRows {
		return t, domain.ErrNotFound
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return t, err
}

// ListAITests returns one page of a system's test records, latest first.
func (o *OrgStore) ListAITests(ctx context.Context, system string, f domain.AITestFilter) (domain.Page[domain.AITest], int, error) {
	page := domain.Page[domain.AITest]{Items: []domain.AITest{}}
	sys, err := o.systemBasics(ctx, o.s.db, system)
	if err != nil {
		return page, 0, err
	}
	if f.Kind != "" && !oneOfList(f.Kind, domain.AITestKinds) {
		v := &domain.ValidationError{}
		v.Add("kind", "error.one_of", f.Kind, strings.Join(domain.AITestKinds, ", "))
		return page, 0, v
	}
	limit := clampLimit(f.Limit)
	from := ` FROM ai_tests t JOIN ai_systems s ON s.id = t.ai_system_id WHERE t.org_id = $1 AND t.ai_system_id = $2`
	q := newQuery(`SELECT `+aiTestColumns+from, o.org.ID, sys.id)
	count := newQuery(`SELECT COUNT(*)`+from, o.org.ID, sys.id)
	for _, qq := range []*query{q, count} {
		if f.Kind != "" {
			qq.where("t.kind = ?", f.Kind)
		}
		if f.Metric != "" {
			qq.where("t.metric = ?", f.Metric)
		}
		if f.Failed {
			qq.where("t.passed = ?", false)
		}
	}
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, 0, err
		}
		q.where("t.seq < ?", after)
	}
	q.add(" ORDER BY t.seq DESC LIMIT ?", limit+1)
	total, err := countRows(ctx, o.s.db, count)
	if err != nil {
		return page, 0, err
	}
	list, err := listRows(ctx, o.s.db, q, scanAITest)
	if err != nil {
		return page, 0, err
	}
	list, page.Next = trimPage(list, limit, func(t aiTestRow) int64 { return t.seq })
	for _, t := range list {
		page.Items = append(page.Items, t.AITest)
	}
	return page, total, nil
}

// RecordAITest records a test result of the system, signed by who.
func (o *OrgStore) RecordAITest(ctx context.Context, actor domain.Actor, who, system string, in domain.AITestInput) (domain.AITest, error) {
	for _, p := range []*string{&in.Kind, &in.Metric, &in.Slice, &in.Comparator, &in.TestedOn, &in.ModelVersion, &in.Evidence, &in.Notes} {
		*p = strings.TrimSpace(*p)
	}
	var t domain.AITest
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		sys, err := o.systemBasics(ctx, tx, system)
		if err != nil {
			return err
		}
		if err := in.Validate(o.today()); err != nil {
			return err
		}
		if in.ModelVersion == "" {
			in.ModelVersion = sys.model
		}
		now := o.s.now()
		seq, err := o.nextSeq(ctx, tx, "AIT")
		if err != nil {
			return err
		}
		t = domain.AITest{Ref: fmt.Sprintf("AIT-%03d", seq), System: sys.ref, Kind: in.Kind, Metric: in.Metric, Slice: in.Slice,
			Comparator: in.Comparator, Threshold: in.Threshold, Result: in.Result, Passed: domain.Pass(in.Comparator, in.Threshold, in.Result),
			TestedOn: in.TestedOn, ModelVersion: in.ModelVersion, Evidence: in.Evidence, Notes: in.Notes, RecordedBy: who, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO ai_tests (org_id, seq, ref, ai_system_id, kind, metric, slice, comparator,
			threshold, result, passed, tested_on, model_version, evidence, notes, recorded_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			o.org.ID, seq, t.Ref, sys.id, t.Kind, t.Metric, t.Slice, t.Comparator, t.Threshold, t.Result, t.Passed, t.TestedOn,
			t.ModelVersion, t.Evidence, t.Notes, t.RecordedBy, now).Scan(&t.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "ai_test.record",
			resourceType: "ai_test", resourceRef: t.Ref, after: t, detail: map[string]string{"ai_system": sys.ref}})
	})
	return t, err
}

// DeleteAITest removes a test record (a mistaken entry); the trail keeps it.
func (o *OrgStore) DeleteAITest(ctx context.Context, actor domain.Actor, ref string) error {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		t, err := scanAITest(tx.QueryRowContext(ctx, `SELECT `+aiTestColumns+` FROM ai_tests t JOIN ai_systems s ON s.id = t.ai_system_id
			WHERE t.org_id = $1 AND t.ref = $2`, o.org.ID, ref))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ai_tests WHERE org_id = $1 AND id = $2`, o.org.ID, t.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "ai_test.delete",
			resourceType: "ai_test", resourceRef: ref, before: t.AITest, detail: map[string]string{"ai_system": t.System}})
	})
}

// AITest returns one test record.
func (o *OrgStore) AITest(ctx context.Context, ref string) (domain.AITest, error) {
	t, err := scanAITest(o.s.db.QueryRowContext(ctx, `SELECT `+aiTestColumns+` FROM ai_tests t JOIN ai_systems s ON s.id = t.ai_system_id
		WHERE t.org_id = $1 AND t.ref = $2`, o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	return t.AITest, err
}

// Bounds of the trend charts.
const (
	maxTrendSeries = 40
	maxTrendPoints = 50
)

// AITrends returns the system's tests per metric and slice, oldest first (the latest 50 points of each).
func (o *OrgStore) AITrends(ctx context.Context, system string) ([]domain.AITrend, error) {
	sys, err := o.systemBasics(ctx, o.s.db, system)
	if err != nil {
		return nil, err
	}
	// The latest points of each series, ranked in SQL so that a long
	// history is never read whole.
	q := newQuery(`SELECT `+aiTestColumns+` FROM ai_tests t JOIN ai_systems s ON s.id = t.ai_system_id
		WHERE t.org_id = $1 AND t.ai_system_id = $2 AND (SELECT COUNT(*) FROM ai_tests u WHERE u.org_id = t.org_id
		AND u.ai_system_id = t.ai_system_id AND u.metric = t.metric AND u.slice = t.slice
		AND (u.tested_on > t.tested_on OR (u.tested_on = t.tested_on AND u.seq > t.seq))) < $3
		ORDER BY t.metric, t.slice, t.tested_on, t.seq`, o.org.ID, sys.id, maxTrendPoints)
	list, err := listRows(ctx, o.s.db, q, scanAITest)
	if err != nil {
		return nil, err
	}
	out := []domain.AITrend{}
	for _, t := range list {
		n := len(out)
		if n == 0 || out[n-1].Metric != t.Metric || out[n-1].Slice != t.Slice {
			if n == maxTrendSeries {
				break
			}
			out = append(out, domain.AITrend{Metric: t.Metric, Slice: t.Slice})
			n++
		}
		tr := &out[n-1]
		tr.Points = append(tr.Points, t.AITest)
		tr.Comparator, tr.Threshold = t.Comparator, t.Threshold
	}
	return out, nil
}
