package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"tandem/internal/domain"
)

// ErrForbiddenAcceptance: the principal's role may not accept the residual
// level of the risk (the method's authority table decides).
var ErrForbiddenAcceptance = errors.New("role may not accept this risk level")

// riskDetails is what the details column holds: the fields of one register.
type riskDetails struct {
	Threat        string   `json:"threat,omitempty"`
	Vulnerability string   `json:"vulnerability,omitempty"`
	CIA           []string `json:"cia,omitempty"`
	AISystems     string   `json:"ai_systems,omitempty"`
	Sources       []string `json:"sources,omitempty"`
	Parties       []string `json:"parties,omitempty"`
}

const riskColumns = `r.id, r.seq, r.ref, r.register, r.title, r.description, r.owner,
	r.inherent_likelihood, r.inherent_impact, r.inherent_level, r.inherent_method,
	r.residual_likelihood, r.residual_impact, r.residual_level, r.residual_method,
	r.treatment, r.controls, r.status, r.next_review, r.details, r.acceptance, r.version, r.created_at, r.updated_at`

func scanRisk(row interface{ Scan(...any) error }) (domain.Risk, error) {
	var r domain.Risk
	var controls, details, acceptance string
	err := row.Scan(&r.ID, &r.Seq, &r.Ref, &r.Register, &r.Title, &r.Description, &r.Owner,
		&r.Inherent.Likelihood, &r.Inherent.Impact, &r.Inherent.Level, &r.Inherent.MethodVersion,
		&r.Residual.Likelihood, &r.Residual.Impact, &r.Residual.Level, &r.Residual.MethodVersion,
		&r.Treatment, &controls, &r.Status, &r.NextReview, &details, &acceptance, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	var d riskDetails
	if err := json.Unmarshal([]byte(controls), &r.Controls); err != nil {
		return r, fmt.Errorf("risk %s controls: %w", r.Ref, err)
	}
	if err := json.Unmarshal([]byte(details), &d); err != nil {
		return r, fmt.Errorf("risk %s details: %w", r.Ref, err)
	}
	if acceptance != "" {
		r.Acceptance = &domain.RiskAcceptance{}
		if err := json.Unmarshal([]byte(acceptance), r.Acceptance); err != nil {
			return r, fmt.Errorf("risk %s acceptance: %w", r.Ref, err)
		}
	}
	r.Threat, r.Vulnerability, r.CIA, r.AISystems, r.Sources, r.Parties = d.Threat, d.Vulnerability, d.CIA, d.AISystems, d.Sources, d.Parties
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if r.Controls == nil {
		r.Controls = []string{}
	}
	return r, nil
}

// markRescore flags scores given under an older method version than the
// one in force.
func markRescore(r *domain.Risk, current int64) {
	r.Inherent.Rescore = r.Inherent.MethodVersion != current
	r.Residual.Rescore = r.Residual.MethodVersion != current
}

// ListRisks returns one page of risks in ref order, filtered in SQL.
func (o *OrgStore) ListRisks(ctx context.Context, f domain.RiskFilter) (domain.Page[domain.Risk], error) {
	page := domain.Page[domain.Risk]{Items: []domain.Risk{}}
	v := &domain.ValidationError{}
	if f.Register != "" && !slices.Contains(domain.Registers, f.Register) {
		v.Add("register", "error.one_of", f.Register, strings.Join(domain.Registers, ", "))
	}
	if f.Status != "" && !slices.Contains(domain.RiskStatuses, f.Status) {
		v.Add("status", "error.one_of", f.Status, strings.Join(domain.RiskStatuses, ", "))
	}
	if err := v.Err(); err != nil {
		return page, err
	}
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return page, err
	}
	limit := clampLimit(f.Limit)
	q := newQuery(`SELECT `+riskColumns+` FROM risks r WHERE r.org_id = $1`, o.org.ID)
	prefix := "r.residual_"
	if f.Inherent {
		prefix = "r.inherent_"
	}
	for _, c := range []struct {
		cond string
		arg  any
		on   bool
	}{
		{"r.register = ?", f.Register, f.Register != ""},
		{"r.status = ?", f.Status, f.Status != ""},
		{"r.owner_fold = ?", fold(strings.TrimSpace(f.Owner)), f.Owner != ""},
		{prefix + "level = ?", f.Level, f.Level != ""},
		{prefix + "likelihood = ?", f.Likelihood, f.Likelihood > 0},
		{prefix + "impact = ?", f.Impact, f.Impact > 0},
	} {
		if c.on {
			q.where(c.cond, c.arg)
		}
	}
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		q.where("r.seq > ?", after)
	}
	q.add(" ORDER BY r.seq LIMIT ?", limit+1)
	rows, err := o.s.db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return page, err
		}
		markRescore(&r, m.Version)
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(r domain.Risk) int64 { return r.Seq })
	return page, nil
}

// Risk returns one risk by ref.
func (o *OrgStore) Risk(ctx context.Context, ref string) (domain.Risk, error) {
	r, err := o.risk(ctx, o.s.db, ref)
	if err != nil {
		return r, err
	}
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return r, err
	}
	markRescore(&r, m.Version)
	return r, nil
}

func (o *OrgStore) risk(ctx context.Context, db queryer, ref string) (domain.Risk, error) {
	r, err := scanRisk(db.QueryRowContext(ctx, `SELECT `+riskColumns+` FROM risks r WHERE r.org_id = $1 AND r.ref = $2`,
		o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	if notFound(err) {
		return r, domain.ErrNotFound
	}
	return r, err
}

// CreateRisk raises a risk with the next RSK ref. role is the principal's
// role, which must be allowed to accept the residual level when the risk
// is created accepted or closed above appetite.
func (o *OrgStore) CreateRisk(ctx context.Context, actor domain.Actor, role string, in domain.RiskInput) (domain.Risk, error) {
	var r domain.Risk
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		v := &domain.ValidationError{}
		if in.Status == nil {
			in.Status = ptrTo("open")
		}
		r = in.Apply(domain.Risk{}, v)
		if err := o.checkRisk(ctx, tx, role, &r, v); err != nil {
			return err
		}
		seq, err := o.nextSeq(ctx, tx, "RSK")
		if err != nil {
			return err
		}
		now := o.s.now()
		r.Seq, r.Ref, r.Version, r.CreatedAt, r.UpdatedAt = seq, fmt.Sprintf("RSK-%03d", seq), 1, now, now
		controls, details, acceptance, err := riskJSON(r)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO risks (org_id, seq, ref, register, title, description, owner, owner_fold,
			inherent_likelihood, inherent_impact, inherent_level, inherent_method,
			residual_likelihood, residual_impact, residual_level, residual_method,
			treatment, controls, status, next_review, details, acceptance, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, 1, $23, $23)
			RETURNING id`, o.org.ID, r.Seq, r.Ref, r.Register, r.Title, r.Description, r.Owner, fold(r.Owner),
			r.Inherent.Likelihood, r.Inherent.Impact, r.Inherent.Level, r.Inherent.MethodVersion,
			r.Residual.Likelihood, r.Residual.Impact, r.Residual.Level, r.Residual.MethodVersion,
			r.Treatment, controls, r.Status, r.NextReview, details, acceptance, now).Scan(&r.ID)
		if err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "risk.create",
			resourceType: "risk", resourceRef: r.Ref, after: r})
	})
	if err != nil {
		return domain.Risk{}, err
	}
	return r, nil
}

// UpdateRisk changes a risk; version is the one the caller read (required).
// Scores that were not touched keep the method version they were given
// under; a changed score is rescored under the method in force.
func (o *OrgStore) UpdateRisk(ctx context.Context, actor domain.Actor, role, ref string, version *int64, in domain.RiskInput) (domain.Risk, error) {
	if version == nil {
		return domain.Risk{}, domain.ErrVersionRequired
	}
	var r domain.Risk
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := o.risk(ctx, tx, ref)
		if err != nil {
			return err
		}
		if before.Version != *version {
			return domain.ErrConflict
		}
		v := &domain.ValidationError{}
		r = in.Apply(before, v)
		if err := o.checkRisk(ctx, tx, role, &r, v); err != nil {
			return err
		}
		// Untouched scores keep the version they were given under.
		if r.Inherent.Likelihood == before.Inherent.Likelihood && r.Inherent.Impact == before.Inherent.Impact {
			r.Inherent = before.Inherent
		}
		if r.Residual.Likelihood == before.Residual.Likelihood && r.Residual.Impact == before.Residual.Impact {
			r.Residual = before.Residual
		}
		now := o.s.now()
		r.Version, r.UpdatedAt = before.Version+1, now
		controls, details, acceptance, err := riskJSON(r)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE risks SET title = $1, description = $2, owner = $3, owner_fold = $4,
			inherent_likelihood = $5, inherent_impact = $6, inherent_level = $7, inherent_method = $8,
			residual_likelihood = $9, residual_impact = $10, residual_level = $11, residual_method = $12,
			treatment = $13, controls = $14, status = $15, next_review = $16, details = $17, acceptance = $18,
			version = $19, updated_at = $20 WHERE org_id = $21 AND id = $22 AND version = $23`,
			r.Title, r.Description, r.Owner, fold(r.Owner),
			r.Inherent.Likelihood, r.Inherent.Impact, r.Inherent.Level, r.Inherent.MethodVersion,
			r.Residual.Likelihood, r.Residual.Impact, r.Residual.Level, r.Residual.MethodVersion,
			r.Treatment, controls, r.Status, r.NextReview, details, acceptance, r.Version, now, o.org.ID, r.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrConflict
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: "risk.update",
			resourceType: "risk", resourceRef: r.Ref, before: before, after: r})
	})
	if err != nil {
		return domain.Risk{}, err
	}
	return o.Risk(ctx, r.Ref)
}

// DeleteRisk removes a risk at the version the caller read.
func (o *OrgStore) DeleteRisk(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return o.s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := o.risk(ctx, tx, ref)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM risks WHERE org_id = $1 AND id = $2`, o.org.ID, before.ID); err != nil {
			return err
		}
		return o.s.appendTrail(ctx, tx, o.org.ID, o.s.now(), change{actor: actor, action: "risk.delete",
			resourceType: "risk", resourceRef: before.Ref, before: before})
	})
}

// checkRisk validates r against the method in force (read in tx), checks
// that its controls are the organization's, and decides its acceptance.
func (o *OrgStore) checkRisk(ctx context.Context, tx *sql.Tx, role string, r *domain.Risk, v *domain.ValidationError) error {
	m, err := o.riskMethod(ctx, tx, -1)
	if err != nil {
		return err
	}
	r.Validate(m, v)
	if len(r.Controls) > 0 && len(r.Controls) <= 100 {
		for i := range r.Controls {
			r.Controls[i] = strings.ToUpper(r.Controls[i])
		}
		q := newQuery(`SELECT ref FROM controls WHERE org_id = $1`, o.org.ID)
		q.where("ref IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(r.Controls)), ", ")+")", anySlice(r.Controls)...)
		rows, err := tx.QueryContext(ctx, q.sql(), q.args...)
		if err != nil {
			return err
		}
		known := map[string]bool{}
		for rows.Next() {
			var ref string
			if err := rows.Scan(&ref); err != nil {
				rows.Close()
				return err
			}
			known[ref] = true
		}
		rows.Close()
		for _, c := range r.Controls {
			if !known[c] {
				v.Add("controls", "error.unknown_control", c, c)
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if r.NeedsAcceptance(m) {
		if r.Acceptance == nil {
			v.Add("acceptance", "error.risk_acceptance_required", nil)
			return v
		}
		if !m.MayAccept(role, r.Residual.Level) {
			return ErrForbiddenAcceptance
		}
	}
	return nil
}

func riskJSON(r domain.Risk) (controls, details, acceptance string, err error) {
	c, err := json.Marshal(r.Controls)
	if err != nil {
		return
	}
	d, err := json.Marshal(riskDetails{r.Threat, r.Vulnerability, r.CIA, r.AISystems, r.Sources, r.Parties})
	if err != nil {
		return
	}
	if r.Acceptance != nil {
		a, err2 := json.Marshal(r.Acceptance)
		if err2 != nil {
			return "", "", "", err2
		}
		acceptance = string(a)
	}
	return string(c), string(d), acceptance, nil
}

func ptrTo[T any](v T) *T { return &v }
