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

// RiskAcceptance records who accepted a residual risk above appetite; it
// expires at the risk's next review date.
type RiskAcceptance struct {
	By        string `json:"by"`
	Date      string `json:"date"`
	Rationale string `json:"rationale"`
	Expires   string `json:"expires,omitempty"`
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
	Status      string    `json:"status"`
	NextReview  string    `json:"next_review,omitempty"`
	// Security register only.
	Threat        string   `json:"threat,omitempty"`
	Vulnerability string   `json:"vulnerability,omitempty"`
	CIA           []string `json:"cia,omitempty"`
	// AI register only.
	AISystems  string          `json:"ai_systems,omitempty"`
	Sources    []string        `json:"sources,omitempty"`
	Parties    []string        `json:"parties,omitempty"`
	Acceptance *RiskAcceptance `json:"acceptance,omitempty"`
	Version    int64           `json:"version"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// RiskInput is what a person supplies for a risk; on update nil fields
// keep their value. Register is set at creation only.
type RiskInput struct {
	Title         *string         `json:"title,omitempty"`
	Description   *string         `json:"description,omitempty"`
	Register      *string         `json:"register,omitempty"`
	Owner         *string         `json:"owner,omitempty"`
	InherentL     *int            `json:"inherent_likelihood,omitempty"`
	InherentI     *int            `json:"inherent_impact,omitempty"`
	ResidualL     *int            `json:"residual_likelihood,omitempty"`
	ResidualI     *int            `json:"residual_impact,omitempty"`
	Treatment     *string         `json:"treatment,omitempty"`
	Controls      *[]string       `json:"controls,omitempty"`
	Status        *string         `json:"status,omitempty"`
	NextReview    *string         `json:"next_review,omitempty"`
	Threat        *string         `json:"threat,omitempty"`
	Vulnerability *string         `json:"vulnerability,omitempty"`
	CIA           *[]string       `json:"cia,omitempty"`
	AISystems     *string         `json:"ai_systems,omitempty"`
	Sources       *[]string       `json:"sources,omitempty"`
	Parties       *[]string       `json:"parties,omitempty"`
	Acceptance    *RiskAcceptance `json:"acceptance,omitempty"`
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
		if in.AISystems != nil {
			r.AISystems = trimmed(in.AISystems)
		}
		if in.Sources != nil {
			r.Sources = setOf(*in.Sources)
		}
		if in.Parties != nil {
			r.Parties = setOf(*in.Parties)
		}
	}
	if in.Acceptance != nil {
		a := RiskAcceptance{By: strings.TrimSpace(in.Acceptance.By), Date: strings.TrimSpace(in.Acceptance.Date),
			Rationale: strings.TrimSpace(in.Acceptance.Rationale)}
		r.Acceptance = &a
		if a == (RiskAcceptance{}) {
			r.Acceptance = nil
		}
	}
	if r.Controls == nil {
		r.Controls = []string{}
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
	if a := r.Acceptance; a != nil {
		text("acceptance.by", a.By, 200, true)
		text("acceptance.rationale", a.Rationale, 2000, true)
		if _, err := time.Parse(time.DateOnly, a.Date); err != nil {
			v.Add("acceptance.date", "error.date", a.Date)
		}
		a.Expires = r.NextReview
	}
}

// NeedsAcceptance reports whether the risk's status requires an
// acceptance: accepted or closed with a residual level above appetite.
func (r Risk) NeedsAcceptance(m RiskMethod) bool {
	if r.Status != "accepted" && r.Status != "closed" {
		return false
	}
	return m.LevelRank(r.Residual.Level) > m.LevelRank(m.Appetite)
}

// RiskFilter narrows a risk list.
type RiskFilter struct {
	Register, Status, Owner, Level string
	Likelihood, Impact             int // residual cell, 0: any
	Inherent                       bool
	Limit                          int
	Cursor                         string
}
