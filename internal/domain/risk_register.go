package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Risk registers: information security risks (27001 6.1.2) and AI risks
// (42001 6.1.2), assessed with the same method.
const (
	RegisterSecurity = "security"
	RegisterAI       = "ai"
)

// Registers, treatment options, risk statuses and the register-specific
// value lists.
var (
	Registers       = []string{RegisterSecurity, RegisterAI}
	Treatments      = []string{"modify", "retain", "avoid", "share"}
	RiskStatuses    = []string{"open", "treating", "accepted", "closed"}
	CIAProperties   = []string{"confidentiality", "integrity", "availability"}
	AIRiskSources   = []string{"bias_fairness", "transparency_explainability", "robustness_accuracy", "privacy", "safety", "ai_security", "accountability", "societal_environmental"}
	AffectedParties = []string{"individuals", "groups", "society"}
)

// RiskScore is a likelihood and impact (1-based steps of the method's
// scales) with the method version they were given under; Level is derived
// from that version, Rescore set when the method changed since.
type RiskScore struct {
	Likelihood    int    `json:"likelihood"`
	Impact        int    `json:"impact"`
	Level         string `json:"level"`
	MethodVersion int64  `json:"method_version"`
	Rescore       bool   `json:"rescore"`
}

// RiskAcceptance records who accepted a residual risk, at which level and
// why; it expires at the review date in force when it was given. The
// program fills By, Role, Level and Date from the acceptance itself, so an
// acceptance cannot name someone else.
type RiskAcceptance struct {
	By        string `json:"by"`
	Role      string `json:"role"`
	Level     string `json:"level" doc:"The residual level that was accepted"`
	Date      string `json:"date" doc:"YYYY-MM-DD, in the organization's time zone"`
	Rationale string `json:"rationale"`
	Expires   string `json:"expires" doc:"YYYY-MM-DD: the next review date when it was given"`
}

// Covers reports whether the acceptance still holds for residual level
// (method m) on day today (YYYY-MM-DD): it accepted that level or a higher
// one and has not expired.
func (a *RiskAcceptance) Covers(m RiskMethod, level, today string) bool {
	if a == nil {
		return false
	}
	accepted, current := m.LevelRank(a.Level), m.LevelRank(level)
	return accepted >= 0 && current >= 0 && accepted >= current && a.Expires >= today
}

// AcceptInput is an acceptance as a person gives it: why, and (when the
// risk has none yet, or to move it) the next review date, at which the
// acceptance expires.
type AcceptInput struct {
	Rationale  string `json:"rationale" doc:"Why the residual risk is accepted"`
	NextReview string `json:"next_review,omitempty" doc:"YYYY-MM-DD; the acceptance expires then. Defaults to the risk's next review date"`
}

// Risk is one entry of a risk register.
type Risk struct {
	ID          int64     `json:"-"`
	Seq         int64     `json:"-"`
	Ref         string    `json:"ref"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Register    string    `json:"register"`
	Owner       string    `json:"owner"`
	Inherent    RiskScore `json:"inherent"`
	Residual    RiskScore `json:"residual"`
	Treatment   string    `json:"treatment"`
	Controls    []string  `json:"controls"`
	// Actions are the treatment plan's tasks, each with owner and due date.
	Actions    []Action `json:"actions"`
	Status     string   `json:"status"`
	NextReview string   `json:"next_review,omitempty"`
	// Security register only.
	Assets        []string `json:"assets,omitempty" doc:"Refs of the information assets concerned (AST-001)"`
	Threat        string   `json:"threat,omitempty"`
	Vulnerability string   `json:"vulnerability,omitempty"`
	CIA           []string `json:"cia,omitempty"`
	// AI register only.
	AISystems string `json:"ai_systems,omitempty" doc:"AI systems in words (those not in the inventory)"`
	// AISystemRefs links the risk to systems of the AI inventory (AIS-001).
	AISystemRefs []string `json:"ai_system_refs,omitempty"`
	// RaisedFrom names the impact assessment impacts the risk was raised
	// from (derived from the impacts' links).
	RaisedFrom []ImpactLink    `json:"raised_from,omitempty"`
	Sources    []string        `json:"sources,omitempty"`
	Parties    []string        `json:"parties,omitempty"`
	Acceptance *RiskAcceptance `json:"acceptance,omitempty"`
	// Derived on every read, never stored.
	AboveAppetite bool      `json:"above_appetite" doc:"The residual level is above the method's appetite"`
	Accepted      bool      `json:"accepted" doc:"An acceptance covers the residual level today"`
	ReviewDue     bool      `json:"review_due" doc:"The next review date has passed (or is today)"`
	Version       int64     `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ImpactLink names one impact of an impact assessment: AIA-001, impact 2.
type ImpactLink struct {
	Assessment string `json:"assessment"`
	Impact     int    `json:"impact"`
	System     string `json:"ai_system"`
}

// Derive fills the derived fields for method m on day today (YYYY-MM-DD).
func (r *Risk) Derive(m RiskMethod, today string) {
	r.Inherent.Rescore = r.Inherent.MethodVersion != m.Version
	r.Residual.Rescore = r.Residual.MethodVersion != m.Version
	r.AboveAppetite = m.LevelRank(r.Residual.Level) > m.LevelRank(m.Appetite)
	r.Accepted = r.Acceptance.Covers(m, r.Residual.Level, today)
	r.ReviewDue = r.NextReview != "" && r.NextReview <= today
}

// Closing reports whether the risk's status is one that ends treatment:
// accepted or closed.
func (r Risk) Closing() bool { return r.Status == "accepted" || r.Status == "closed" }

// RiskInput is what a person supplies for a risk; on update nil fields
// keep their value. Register is set at creation only.
type RiskInput struct {
	Title         *string   `json:"title,omitempty"`
	Description   *string   `json:"description,omitempty"`
	Register      *string   `json:"register,omitempty"`
	Owner         *string   `json:"owner,omitempty"`
	InherentL     *int      `json:"inherent_likelihood,omitempty"`
	InherentI     *int      `json:"inherent_impact,omitempty"`
	ResidualL     *int      `json:"residual_likelihood,omitempty"`
	ResidualI     *int      `json:"residual_impact,omitempty"`
	Treatment     *string   `json:"treatment,omitempty"`
	Controls      *[]string `json:"controls,omitempty"`
	Status        *string   `json:"status,omitempty"`
	NextReview    *string   `json:"next_review,omitempty"`
	Assets        *[]string `json:"assets,omitempty"`
	Threat        *string   `json:"threat,omitempty"`
	Vulnerability *string   `json:"vulnerability,omitempty"`
	CIA           *[]string `json:"cia,omitempty"`
	AISystems     *string   `json:"ai_systems,omitempty"`
	AISystemRefs  *[]string `json:"ai_system_refs,omitempty"`
	Sources       *[]string `json:"sources,omitempty"`
	Parties       *[]string `json:"parties,omitempty"`
	// Rescore confirms both scores under the method in force even where
	// likelihood and impact stay as they were (an unchanged score otherwise
	// keeps the method version it was given under).
	Rescore bool `json:"rescore,omitempty" doc:"Confirm both scores under the method in force, even unchanged ones"`
}

func trimmed(p *string) string { return strings.TrimSpace(*p) }

func setOf(values []string) []string {
	out := []string{}
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Apply returns r with the input applied; v collects refusals of fields
// that belong to the other register.
func (in RiskInput) Apply(r Risk, v *ValidationError) Risk {
	if in.Register != nil {
		if r.Register == "" {
			r.Register = trimmed(in.Register)
		} else if trimmed(in.Register) != r.Register {
			v.Add("register", "error.risk_register_fixed", *in.Register)
		}
	}
	for _, f := range []struct {
		p   *string
		dst *string
	}{{in.Title, &r.Title}, {in.Description, &r.Description}, {in.Owner, &r.Owner}, {in.Treatment, &r.Treatment},
		{in.Status, &r.Status}, {in.NextReview, &r.NextReview}} {
		if f.p != nil {
			*f.dst = trimmed(f.p)
		}
	}
	for _, f := range []struct {
		p   *int
		dst *int
	}{{in.InherentL, &r.Inherent.Likelihood}, {in.InherentI, &r.Inherent.Impact}, {in.ResidualL, &r.Residual.Likelihood}, {in.ResidualI, &r.Residual.Impact}} {
		if f.p != nil {
			*f.dst = *f.p
		}
	}
	if in.Controls != nil {
		r.Controls = setOf(*in.Controls)
	}
	other := func(field string, given bool) {
		if given {
			v.Add(field, "error.risk_other_register", nil, r.Register)
		}
	}
	switch r.Register {
	case RegisterSecurity:
		other("ai_systems", in.AISystems != nil && trimmed(in.AISystems) != "")
		other("sources", in.Sources != nil && len(*in.Sources) > 0)
		other("parties", in.Parties != nil && len(*in.Parties) > 0)
		other("ai_system_refs", in.AISystemRefs != nil && len(*in.AISystemRefs) > 0)
		if in.Assets != nil {
			r.Assets = setOf(*in.Assets)
		}
		if in.Threat != nil {
			r.Threat = trimmed(in.Threat)
		}
		if in.Vulnerability != nil {
			r.Vulnerability = trimmed(in.Vulnerability)
		}
		if in.CIA != nil {
			r.CIA = setOf(*in.CIA)
		}
	case RegisterAI:
		other("threat", in.Threat != nil && trimmed(in.Threat) != "")
		other("vulnerability", in.Vulnerability != nil && trimmed(in.Vulnerability) != "")
		other("cia", in.CIA != nil && len(*in.CIA) > 0)
		other("assets", in.Assets != nil && len(*in.Assets) > 0)
		if in.AISystems != nil {
			r.AISystems = trimmed(in.AISystems)
		}
		if in.Sources != nil {
			r.Sources = setOf(*in.Sources)
		}
		if in.AISystemRefs != nil {
			r.AISystemRefs = normalizeRefs(*in.AISystemRefs)
		}
		if in.Parties != nil {
			r.Parties = setOf(*in.Parties)
		}
	}
	if r.Controls == nil {
		r.Controls = []string{}
	}
	if r.Actions == nil {
		r.Actions = []Action{}
	}
	return r
}

// Validate checks r against method m (the method in force) and fills the
// levels of its scores; it adds to v.
func (r *Risk) Validate(m RiskMethod, v *ValidationError) {
	text := func(field, value string, max int, required bool) {
		switch {
		case required && value == "":
			v.Add(field, "error.required", nil)
		case utf8.RuneCountInString(value) > max:
			v.Add(field, "error.too_long", nil, max)
		}
	}
	text("title", r.Title, 200, true)
	text("description", r.Description, 4000, false)
	text("owner", r.Owner, 200, true)
	text("threat", r.Threat, 1000, false)
	text("vulnerability", r.Vulnerability, 1000, false)
	text("ai_systems", r.AISystems, 1000, false)
	oneOf := func(field, value string, values []string) {
		if !slices.Contains(values, value) {
			v.Add(field, "error.one_of", value, strings.Join(values, ", "))
		}
	}
	oneOf("register", r.Register, Registers)
	oneOf("treatment", r.Treatment, Treatments)
	oneOf("status", r.Status, RiskStatuses)
	subset := func(field string, values, allowed []string) {
		for _, x := range values {
			if !slices.Contains(allowed, x) {
				v.Add(field, "error.one_of", x, strings.Join(allowed, ", "))
				return
			}
		}
	}
	subset("cia", r.CIA, CIAProperties)
	subset("sources", r.Sources, AIRiskSources)
	subset("parties", r.Parties, AffectedParties)
	if len(r.Controls) > 100 {
		v.Add("controls", "error.too_many", nil, 100)
	}
	if len(r.Assets) > 100 {
		v.Add("assets", "error.too_many", nil, 100)
	}
	if r.NextReview != "" {
		if _, err := time.Parse(time.DateOnly, r.NextReview); err != nil {
			v.Add("next_review", "error.date", r.NextReview)
		}
	}
	score := func(prefix string, s *RiskScore) {
		if s.Likelihood < 1 || s.Likelihood > len(m.Likelihood) {
			v.Add(prefix+"_likelihood", "error.risk_step", s.Likelihood, len(m.Likelihood))
		}
		if s.Impact < 1 || s.Impact > len(m.Impact) {
			v.Add(prefix+"_impact", "error.risk_step", s.Impact, len(m.Impact))
		}
		s.Level, s.MethodVersion = m.Level(s.Likelihood, s.Impact), m.Version
	}
	score("inherent", &r.Inherent)
	score("residual", &r.Residual)
}

// NeedsAcceptance reports whether the risk's status requires an
// acceptance: accepted or closed with a residual level above appetite.
func (r Risk) NeedsAcceptance(m RiskMethod) bool {
	return r.Closing() && m.LevelRank(r.Residual.Level) > m.LevelRank(m.Appetite)
}

// RiskFilter narrows a risk list.
type RiskFilter struct {
	Register, Status, Owner, Level string
	Likelihood, Impact             int // residual cell, 0: any
	Inherent                       bool
	// Current leaves closed risks out (what the heat maps count).
	Current bool
	// Control keeps the risks whose treatment plan uses this control.
	Control string
	// Rescore keeps risks with a score given under an older method version.
	Rescore bool
	// ReviewDue keeps risks whose next review date is today or past.
	ReviewDue bool
	// Acceptance keeps one acceptance state: accepted (an acceptance covers
	// the residual level today), needed (above appetite, not covered, still
	// in treatment), lapsed (above appetite, not covered, yet accepted or
	// closed) or uncovered (needed or lapsed).
	Acceptance string
	// AISystem keeps the risks linked to this AI system (AIS-001).
	AISystem string
	// Text searches ref, title and description.
	Text   string
	Limit  int
	Cursor string
}

// Acceptance states a register filters on (RiskFilter.Acceptance).
const (
	AcceptanceAccepted  = "accepted"
	AcceptanceNeeded    = "needed"
	AcceptanceLapsed    = "lapsed"
	AcceptanceUncovered = "uncovered"
)

// AcceptanceStates lists them.
var AcceptanceStates = []string{AcceptanceAccepted, AcceptanceNeeded, AcceptanceLapsed, AcceptanceUncovered}

// RiskHeat counts the risks of a register per cell of the matrix, for the
// inherent and the residual score: Inherent[l-1][i-1] is the number of
// current risks at likelihood l and impact i. OffMatrix counts scores
// whose steps lie outside the method in force (they need re-scoring).
type RiskHeat struct {
	Register  string  `json:"register"`
	Inherent  [][]int `json:"inherent"`
	Residual  [][]int `json:"residual"`
	OffMatrix int     `json:"off_matrix"`
	Total     int     `json:"total"`
}

// SoARisk is a risk behind an SoA row: its treatment plan uses a control
// that implements the row's Annex A control.
type SoARisk struct {
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Register string `json:"register"`
	Level    string `json:"level" doc:"Residual level"`
	Control  string `json:"control" doc:"The control through which the risk reaches the row"`
}
