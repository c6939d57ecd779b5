package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
	r.treatment, r.status, r.next_review, r.details, r.acceptance, r.version, r.created_at, r.updated_at`

func scanRisk(row interface{ Scan(...any) error }) (domain.Risk, error) {
	var r domain.Risk
	var details, acceptance string
	err := row.Scan(&r.ID, &r.Seq, &r.Ref, &r.Register, &r.Title, &r.Description, &r.Owner,
		&r.Inherent.Likelihood, &r.Inherent.Impact, &r.Inherent.Level, &r.Inherent.MethodVersion,
		&r.Residual.Likelihood, &r.Residual.Impact, &r.Residual.Level, &r.Residual.MethodVersion,
		&r.Treatment, &r.Status, &r.NextReview, &details, &acceptance, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	var d riskDetails
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
	r.Controls, r.Actions = []string{}, []domain.Action{}
	return r, nil
}

// today is the date in the organization's time zone, as YYYY-MM-DD: what
// review dates, due dates and acceptances are compared with.
// Today is the date in the organization's time zone (YYYY-MM-DD).
func (o *OrgStore) Today() string { return o.today() }

func (o *OrgStore) today() string {
	loc, err := time.LoadLocation(o.org.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return o.s.now().In(loc).Format(time.DateOnly)
}

// ListRisks returns one page of risks in ref order, filtered in SQL, with
// their controls, assets and actions (one query each for the page).
func (o *OrgStore) ListRisks(ctx context.Context, f domain.RiskFilter) (domain.Page[domain.Risk], error) {
	page := domain.Page[domain.Risk]{Items: []domain.Risk{}}
	v := &domain.ValidationError{}
	if f.Register != "" && !slices.Contains(domain.Registers, f.Register) {
		v.Add("register", "error.one_of", f.Register, strings.Join(domain.Registers, ", "))
	}
	if f.Status != "" && !slices.Contains(domain.RiskStatuses, f.Status) {
		v.Add("status", "error.one_of", f.Status, strings.Join(domain.RiskStatuses, ", "))
	}
	if f.Acceptance != "" && !slices.Contains(domain.AcceptanceStates, f.Acceptance) {
		v.Add("acceptance", "error.one_of", f.Acceptance, strings.Join(domain.AcceptanceStates, ", "))
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
	o.riskConditions(q, f, m)
	if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		q.where("r.seq > ?", after)
	}
	q.add(" ORDER BY r.seq LIMIT ?", limit+1)
	list, err := o.queryRisks(ctx, o.s.db, q, m)
	if err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(list, limit, func(r domain.Risk) int64 { return r.Seq })
	return page, o.loadRiskLinks(ctx, o.s.db, page.Items)
}

// CountRisks counts the risks a filter keeps (cursor and limit ignored).
func (o *OrgStore) CountRisks(ctx context.Context, f domain.RiskFilter) (int, error) {
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return 0, err
	}
	q := newQuery(`SELECT COUNT(*) FROM risks r WHERE r.org_id = $1`, o.org.ID)
	o.riskConditions(q, f, m)
	var n int
	return n, o.s.db.QueryRowContext(ctx, q.sql(), q.args...).Scan(&n)
}

func (o *OrgStore) riskConditions(q *query, f domain.RiskFilter, m domain.RiskMethod) {
	prefix := "r.residual_"
	if f.Inherent {
		prefix = "r.inherent_"
	}
	for _, c := range []struct {
		cond string
		args []any
		on   bool
	}{
		{"r.register = ?", []any{f.Register}, f.Register != ""},
		{"r.status = ?", []any{f.Status}, f.Status != ""},
		{"r.status <> 'closed'", nil, f.Current},
		{"r.owner_fold = ?", []any{fold(strings.TrimSpace(f.Owner))}, f.Owner != ""},
		{prefix + "level = ?", []any{f.Level}, f.Level != ""},
		{prefix + "likelihood = ?", []any{f.Likelihood}, f.Likelihood > 0},
		{prefix + "impact = ?", []any{f.Impact}, f.Impact > 0},
		{"(r.inherent_method <> ? OR r.residual_method <> ?)", []any{m.Version, m.Version}, f.Rescore},
		{"r.next_review <> '' AND r.next_review <= ?", []any{o.today()}, f.ReviewDue},
		{`r.search_fold LIKE ? ESCAPE '\'`, []any{likePattern(f.Text)}, strings.TrimSpace(f.Text) != ""},
		{`r.id IN (SELECT l.risk_id FROM risk_controls l JOIN controls c ON c.id = l.control_id
			WHERE l.org_id = ? AND c.org_id = ? AND c.ref = ?)`, []any{o.org.ID, o.org.ID, strings.ToUpper(strings.TrimSpace(f.Control))}, f.Control != ""},
		{`r.id IN (SELECT l.risk_id FROM risk_ai_systems l JOIN ai_systems s ON s.id = l.ai_system_id
			WHERE l.org_id = ? AND s.org_id = ? AND s.ref = ?)`, []any{o.org.ID, o.org.ID, strings.ToUpper(strings.TrimSpace(f.AISystem))}, f.AISystem != ""},
	} {
		if c.on {
			q.where(c.cond, c.args...)
		}
	}
	if f.Acceptance != "" {
		o.acceptanceCondition(q, f.Acceptance, m)
	}
}

// acceptanceCondition keeps the risks in one acceptance state (see
// domain.RiskFilter.Acceptance), the same judgement as
// domain.RiskAcceptance.Covers written as SQL: an acceptance covers when
// it has not expired and its level ranks at or above the residual level,
// both levels of the method in force.
func (o *OrgStore) acceptanceCondition(q *query, state string, m domain.RiskMethod) {
	// Ranks are written as numbers, level ids as arguments.
	rank := func(column string, unknown int) {
		q.add("(CASE " + column)
		for i, l := range m.Levels {
			q.add(" WHEN ? THEN "+strconv.Itoa(i), l.ID)
		}
		q.add(" ELSE " + strconv.Itoa(unknown) + " END)")
	}
	covered := func() {
		q.add("(r.acceptance_expires >= ? AND ", o.today())
		rank("r.acceptance_level", -1)
		q.add(" >= ")
		rank("r.residual_level", len(m.Levels))
		q.add(")")
	}
	if state == domain.AcceptanceAccepted {
		q.add(" AND ")
		covered()
		return
	}
	above := m.Levels[min(m.LevelRank(m.Appetite)+1, len(m.Levels)):]
	if len(above) == 0 {
		q.add(" AND 1 = 0")
		return
	}
	q.add(" AND r.residual_level IN (")
	for i, l := range above {
		if i > 0 {
			q.add(", ")
		}
		q.add("?", l.ID)
	}
	q.add(") AND NOT ")
	covered()
	switch state {
	case domain.AcceptanceNeeded:
		q.add(" AND r.status NOT IN ('accepted', 'closed')")
	case domain.AcceptanceLapsed:
		q.add(" AND r.status IN ('accepted', 'closed')")
	}
}

func (o *OrgStore) queryRisks(ctx context.Context, db queryer, q *query, m domain.RiskMethod) ([]domain.Risk, error) {
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := o.today()
	list := []domain.Risk{}
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return nil, err
		}
		r.Derive(m, today)
		list = append(list, r)
	}
	return list, rows.Err()
}

// TopRisks returns up to n risks that f keeps (cursor and limit aside),
// highest residual level first (then inherent level, then ref): the
// ranking is the method's level order, written into the ORDER BY.
func (o *OrgStore) TopRisks(ctx context.Context, f domain.RiskFilter, n int) ([]domain.Risk, error) {
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return nil, err
	}
	q := newQuery(`SELECT `+riskColumns+` FROM risks r WHERE r.org_id = $1`, o.org.ID)
	o.riskConditions(q, f, m)
	rank := func(column string) {
		q.add(" CASE " + column)
		for i, l := range m.Levels {
			q.add(" WHEN ? THEN ?", l.ID, i)
		}
		q.add(" ELSE -1 END DESC")
	}
	q.add(" ORDER BY")
	rank("r.residual_level")
	q.add(",")
	rank("r.inherent_level")
	q.add(", r.seq LIMIT ?", clampLimit(n))
	list, err := o.queryRisks(ctx, o.s.db, q, m)
	if err != nil {
		return nil, err
	}
	return list, o.loadRiskLinks(ctx, o.s.db, list)
}

// RiskHeat counts the current risks of a register per matrix cell, for
// both scores, in SQL.
func (o *OrgStore) RiskHeat(ctx context.Context, register string) (domain.RiskHeat, error) {
	h := domain.RiskHeat{Register: register}
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return h, err
	}
	grid := func() [][]int {
		g := make([][]int, len(m.Likelihood))
		for i := range g {
			g[i] = make([]int, len(m.Impact))
		}
		return g
	}
	h.Inherent, h.Residual = grid(), grid()
	for _, score := range []struct {
		prefix string
		into   [][]int
	}{{"inherent", h.Inherent}, {"residual", h.Residual}} {
		rows, err := o.s.db.QueryContext(ctx, `SELECT `+score.prefix+`_likelihood, `+score.prefix+`_impact, COUNT(*)
			FROM risks WHERE org_id = $1 AND register = $2 AND status <> 'closed'
			GROUP BY `+score.prefix+`_likelihood, `+score.prefix+`_impact`, o.org.ID, register)
		if err != nil {
			return h, err
		}
		for rows.Next() {
			var l, i, n int
			if err := rows.Scan(&l, &i, &n); err != nil {
				rows.Close()
				return h, err
			}
			if score.prefix == "residual" {
				h.Total += n
			}
			if l < 1 || l > len(m.Likelihood) || i < 1 || i > len(m.Impact) {
				h.OffMatrix += n
				continue
			}
			score.into[l-1][i-1] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return h, err
		}
	}
	return h, nil
}

// Risk returns one risk by ref, with its controls, assets and actions.
func (o *OrgStore) Risk(ctx context.Context, ref string) (domain.Risk, error) {
	r, err := o.risk(ctx, o.s.db, ref)
	if err != nil {
		return r, err
	}
	m, err := o.RiskMethod(ctx)
	if err != nil {
		return r, err
	}
	r.Derive(m, o.today())
	return r, nil
}

func (o *OrgStore) risk(ctx context.Context, db queryer, ref string) (domain.Risk, error) {
	r, err := scanRisk(db.QueryRowContext(ctx, `SELECT `+riskColumns+` FROM risks r WHERE r.org_id = $1 AND r.ref = $2`,
		o.org.ID, strings.ToUpper(strings.TrimSpace(ref))))
	if notFound(err) {
		return r, domain.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	list := []domain.Risk{r}
	err = o.loadRiskLinks(ctx, db, list)
	return list[0], err
}

// loadRiskLinks fills the control refs, asset refs and actions of every
// risk of list: three queries, whatever its length.
func (o *OrgStore) loadRiskLinks(ctx context.Context, db queryer, list []domain.Risk) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*domain.Risk, len(list))
	ids := make([]any, len(list))
	for i := range list {
		list[i].Controls, list[i].Actions = []string{}, []domain.Action{}
		byID[list[i].ID] = &list[i]
		ids[i] = list[i].ID
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	for _, link := range []struct {
		sql string
		add func(r *domain.Risk, ref string)
	}{
		{`SELECT l.risk_id, c.ref FROM risk_controls l JOIN controls c ON c.id = l.control_id AND c.org_id = l.org_id
			WHERE l.org_id = ? AND l.risk_id IN (` + in + `) ORDER BY c.seq`,
			func(r *domain.Risk, ref string) { r.Controls = append(r.Controls, ref) }},
		{`SELECT l.risk_id, a.ref FROM risk_assets l JOIN assets a ON a.id = l.asset_id AND a.org_id = l.org_id
			WHERE l.org_id = ? AND l.risk_id IN (` + in + `) ORDER BY a.seq`,
			func(r *domain.Risk, ref string) { r.Assets = append(r.Assets, ref) }},
		{`SELECT l.risk_id, s.ref FROM risk_ai_systems l JOIN ai_systems s ON s.id = l.ai_system_id AND s.org_id = l.org_id
			WHERE l.org_id = ? AND l.risk_id IN (` + in + `) ORDER BY s.seq`,
			func(r *domain.Risk, ref string) { r.AISystemRefs = append(r.AISystemRefs, ref) }},
		// The impacts a risk was raised from: assessment ref, impact number and system, packed in one column.
		{`SELECT i.risk_id, a.ref || ' ' || CAST(i.number AS TEXT) || ' ' || s.ref FROM assessment_impacts i
			JOIN impact_assessments a ON a.id = i.assessment_id JOIN ai_systems s ON s.id = a.ai_system_id
			WHERE i.org_id = ? AND a.status <> 'superseded' AND i.risk_id IN (` + in + `) ORDER BY a.seq, i.number`,
			func(r *domain.Risk, ref string) {
				var l domain.ImpactLink
				if _, err := fmt.Sscanf(ref, "%s %d %s", &l.Assessment, &l.Impact, &l.System); err == nil {
					r.RaisedFrom = append(r.RaisedFrom, l)
				}
			}},
	} {
		q := newQuery("")
		q.add(link.sql, append([]any{o.org.ID}, ids...)...)
		rows, err := db.QueryContext(ctx, q.sql(), q.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var ref string
			if err := rows.Scan(&id, &ref); err != nil {
				rows.Close()
				return err
			}
			link.add(byID[id], ref)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	q := newQuery(`SELECT `+actionColumns+` FROM actions a JOIN risks r ON r.id = a.risk_id AND r.org_id = a.org_id WHERE a.org_id = $1`, o.org.ID)
	q.where("a.risk_id IN ("+in+")", ids...)
	q.add(" ORDER BY a.due, a.seq")
	actions, err := o.queryActions(ctx, db, q)
	if err != nil {
		return err
	}
	for _, a := range actions {
		r := byID[a.RiskID]
		r.Actions = append(r.Actions, a)
	}
	return nil
}

// CreateRisk raises a risk with the next RSK ref.
func (o *OrgStore) CreateRisk(ctx context.Context, actor domain.Actor, in domain.RiskInput) (domain.Risk, error) {
	var r domain.Risk
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = o.createRisk(ctx, tx, actor, in, "risk.create", nil)
		return err
	})
	if err != nil {
		return domain.Risk{}, err
	}
	return o.Risk(ctx, r.Ref)
}

// createRisk is one risk's insert with its links and trail entry; detail
// (may be nil) goes to the trail entry.
func (o *OrgStore) createRisk(ctx context.Context, tx *sql.Tx, actor domain.Actor, in domain.RiskInput, action string, detail any) (domain.Risk, error) {
	v := &domain.ValidationError{}
	if in.Status == nil {
		in.Status = ptrTo("open")
	}
	r := in.Apply(domain.Risk{}, v)
	links, err := o.checkRisk(ctx, tx, nil, nil, &r, v)
	if err != nil {
		return r, err
	}
	seq, err := o.nextSeq(ctx, tx, "RSK")
	if err != nil {
		return r, err
	}
	now := o.s.now()
	r.Seq, r.Ref, r.Version, r.CreatedAt, r.UpdatedAt = seq, fmt.Sprintf("RSK-%03d", seq), 1, now, now
	details, acceptance, err := riskJSON(r)
	if err != nil {
		return r, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO risks (org_id, seq, ref, register, title, description, owner, owner_fold,
		inherent_likelihood, inherent_impact, inherent_level, inherent_method,
		residual_likelihood, residual_impact, residual_level, residual_method,
		treatment, status, next_review, details, acceptance, acceptance_level, acceptance_expires, search_fold,
		version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
		1, $25, $25) RETURNING id`, o.org.ID, r.Seq, r.Ref, r.Register, r.Title, r.Description, r.Owner, fold(r.Owner),
		r.Inherent.Likelihood, r.Inherent.Impact, r.Inherent.Level, r.Inherent.MethodVersion,
		r.Residual.Likelihood, r.Residual.Impact, r.Residual.Level, r.Residual.MethodVersion,
		r.Treatment, r.Status, r.NextReview, details, acceptance, acceptedLevel(r), acceptanceExpires(r), riskSearchFold(r), now).Scan(&r.ID)
	if err != nil {
		return r, err
	}
	if err := o.setRiskLinks(ctx, tx, r.ID, links); err != nil {
		return r, err
	}
	return r, o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: action,
		resourceType: "risk", resourceRef: r.Ref, after: r, detail: detail})
}

// UpdateRisk changes a risk; version is the one the caller read (required).
// Scores that were not touched keep the method version they were given
// under; a changed score is rescored under the method in force.
func (o *OrgStore) UpdateRisk(ctx context.Context, actor domain.Actor, ref string, version *int64, in domain.RiskInput) (domain.Risk, error) {
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
		keep := &before
		if in.Rescore {
			keep = nil // every score is given anew under the method in force
		}
		links, err := o.checkRisk(ctx, tx, &before, keep, &r, v)
		if err != nil {
			return err
		}
		return o.writeRisk(ctx, tx, actor, "risk.update", before, r, links)
	})
	if err != nil {
		return domain.Risk{}, err
	}
	return o.Risk(ctx, r.Ref)
}

// writeRisk stores r over before (same id and version) with its links and
// one trail entry.
func (o *OrgStore) writeRisk(ctx context.Context, tx *sql.Tx, actor domain.Actor, action string, before, r domain.Risk, links *riskLinks) error {
	now := o.s.now()
	r.Version, r.UpdatedAt = before.Version+1, now
	details, acceptance, err := riskJSON(r)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE risks SET title = $1, description = $2, owner = $3, owner_fold = $4,
		inherent_likelihood = $5, inherent_impact = $6, inherent_level = $7, inherent_method = $8,
		residual_likelihood = $9, residual_impact = $10, residual_level = $11, residual_method = $12,
		treatment = $13, status = $14, next_review = $15, details = $16, acceptance = $17, search_fold = $18,
		version = $19, updated_at = $20, acceptance_level = $24, acceptance_expires = $25
		WHERE org_id = $21 AND id = $22 AND version = $23`,
		r.Title, r.Description, r.Owner, fold(r.Owner),
		r.Inherent.Likelihood, r.Inherent.Impact, r.Inherent.Level, r.Inherent.MethodVersion,
		r.Residual.Likelihood, r.Residual.Impact, r.Residual.Level, r.Residual.MethodVersion,
		r.Treatment, r.Status, r.NextReview, details, acceptance, riskSearchFold(r), r.Version, now, o.org.ID, r.ID, before.Version,
		acceptedLevel(r), acceptanceExpires(r))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrConflict
	}
	if links != nil {
		for _, table := range []string{"risk_controls", "risk_assets", "risk_ai_systems"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE org_id = $1 AND risk_id = $2`, o.org.ID, r.ID); err != nil {
				return err
			}
		}
		if err := o.setRiskLinks(ctx, tx, r.ID, links); err != nil {
			return err
		}
	}
	// The trail records the risk itself; its actions have entries of their own.
	before.Actions, r.Actions = nil, nil
	return o.s.appendTrail(ctx, tx, o.org.ID, now, change{actor: actor, action: action,
		resourceType: "risk", resourceRef: r.Ref, before: before, after: r})
}

// AcceptRisk records the acceptance of a risk's residual level by the
// principal (actor, with role) and sets the risk accepted. The method's
// authority table decides whether role may accept that level; the
// acceptance expires at the next review date, which it needs.
func (o *OrgStore) AcceptRisk(ctx context.Context, actor domain.Actor, by, role, ref string, version int64, in domain.AcceptInput) (domain.Risk, error) {
	var r domain.Risk
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := o.risk(ctx, tx, ref)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict
		}
		m, err := o.riskMethod(ctx, tx, -1)
		if err != nil {
			return err
		}
		today := o.today()
		r = before
		v := &domain.ValidationError{}
		rationale := strings.TrimSpace(in.Rationale)
		switch n := len([]rune(rationale)); {
		case n == 0:
			v.Add("rationale", "error.required", nil)
		case n > 2000:
			v.Add("rationale", "error.too_long", nil, 2000)
		}
		if next := strings.TrimSpace(in.NextReview); next != "" {
			r.NextReview = next
		}
		switch _, perr := time.Parse(time.DateOnly, r.NextReview); {
		case r.NextReview == "":
			v.Add("next_review", "error.risk_acceptance_review", nil)
		case perr != nil:
			v.Add("next_review", "error.date", r.NextReview)
		case r.NextReview <= today:
			v.Add("next_review", "error.risk_review_future", r.NextReview)
		}
		// The level accepted, and who may accept it, must be the method in
		// force's: a score given under an earlier version is re-scored first.
		if r.Residual.MethodVersion != m.Version {
			v.Add("residual_level", "error.risk_rescore_first", r.Residual.Level, r.Residual.MethodVersion, m.Version)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if !m.MayAccept(role, r.Residual.Level) {
			return ErrForbiddenAcceptance
		}
		r.Acceptance = &domain.RiskAcceptance{By: by, Role: role, Level: r.Residual.Level, Date: today,
			Rationale: rationale, Expires: r.NextReview}
		r.Status = "accepted"
		return o.writeRisk(ctx, tx, actor, "risk.accept", before, r, nil)
	})
	if err != nil {
		return domain.Risk{}, err
	}
	return o.Risk(ctx, r.Ref)
}

// DeleteRisk removes a risk, with its treatment actions, at the version
// the caller read.
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

// riskLinks are a risk's control and asset links resolved to ids.
type riskLinks struct {
	controls, assets, aiSystems []int64
}

// checkRisk validates r (before is nil for a new risk) against the method
// in force, read in tx; resolves its controls and assets; and refuses to
// let it end accepted or closed above appetite without an acceptance that
// covers its residual level. Scores that did not change from keep (nil:
// none) keep the method version they were given under.
func (o *OrgStore) checkRisk(ctx context.Context, tx *sql.Tx, before, keep, r *domain.Risk, v *domain.ValidationError) (*riskLinks, error) {
	m, err := o.riskMethod(ctx, tx, -1)
	if err != nil {
		return nil, err
	}
	r.Validate(m, v)
	if keep != nil {
		if r.Inherent.Likelihood == keep.Inherent.Likelihood && r.Inherent.Impact == keep.Inherent.Impact {
			r.Inherent = keep.Inherent
		}
		if r.Residual.Likelihood == keep.Residual.Likelihood && r.Residual.Impact == keep.Residual.Impact {
			r.Residual = keep.Residual
		}
	}
	links := &riskLinks{}
	for _, l := range []struct {
		field, table string
		refs         []string
		into         *[]int64
	}{{"controls", "controls", r.Controls, &links.controls}, {"assets", "assets", r.Assets, &links.assets},
		{"ai_system_refs", "ai_systems", r.AISystemRefs, &links.aiSystems}} {
		if len(l.refs) == 0 || len(l.refs) > 100 {
			continue
		}
		for i := range l.refs {
			l.refs[i] = strings.ToUpper(l.refs[i])
		}
		ids, err := o.idsByRef(ctx, tx, l.table, l.refs)
		if err != nil {
			return nil, err
		}
		for _, ref := range l.refs {
			if id, ok := ids[ref]; ok {
				*l.into = append(*l.into, id)
			} else {
				v.Add(l.field, "error.unknown_"+strings.TrimSuffix(l.table, "s"), ref, ref)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Ending treatment above appetite needs a covering acceptance; only a
	// change that ends it (a new status, or a new residual score) is held
	// to that, so that an acceptance that has since expired does not
	// block unrelated edits (it shows as lapsed instead).
	ending := before == nil || !before.Closing() || before.Residual != r.Residual
	if ending && r.NeedsAcceptance(m) && !r.Acceptance.Covers(m, r.Residual.Level, o.today()) {
		v.Add("status", "error.risk_acceptance_required", r.Status, r.Status, r.Residual.Level)
		return nil, v
	}
	return links, nil
}

func (o *OrgStore) setRiskLinks(ctx context.Context, tx *sql.Tx, riskID int64, l *riskLinks) error {
	for _, c := range l.controls {
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_controls (risk_id, org_id, control_id) VALUES ($1, $2, $3)`,
			riskID, o.org.ID, c); err != nil {
			return err
		}
	}
	for _, a := range l.assets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_assets (risk_id, org_id, asset_id) VALUES ($1, $2, $3)`,
			riskID, o.org.ID, a); err != nil {
			return err
		}
	}
	for _, a := range l.aiSystems {
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_ai_systems (risk_id, org_id, ai_system_id) VALUES ($1, $2, $3)`,
			riskID, o.org.ID, a); err != nil {
			return err
		}
	}
	return nil
}

func riskJSON(r domain.Risk) (details, acceptance string, err error) {
	d, err := json.Marshal(riskDetails{r.Threat, r.Vulnerability, r.CIA, r.AISystems, r.Sources, r.Parties})
	if err != nil {
		return
	}
	if r.Acceptance != nil {
		a, err := json.Marshal(r.Acceptance)
		if err != nil {
			return "", "", err
		}
		acceptance = string(a)
	}
	return string(d), acceptance, nil
}

// acceptedLevel and acceptanceExpires are the acceptance's columns ("" for
// none), so that whether it covers the residual level is decided in SQL.
func acceptedLevel(r domain.Risk) string {
	if r.Acceptance == nil {
		return ""
	}
	return r.Acceptance.Level
}

func acceptanceExpires(r domain.Risk) string {
	if r.Acceptance == nil {
		return ""
	}
	return r.Acceptance.Expires
}

func riskSearchFold(r domain.Risk) string {
	return fold(r.Ref + " " + r.Title + " " + r.Description)
}

func ptrTo[T any](v T) *T { return &v }
