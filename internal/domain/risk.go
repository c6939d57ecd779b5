package domain

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Roles that may be named as the acceptance authority of a risk level.
var AcceptorRoles = []string{"manager", "admin"}

// ScaleStep is one step of a likelihood or impact scale (1 is the lowest).
type ScaleStep struct {
	Label     string `json:"label"`
	Criterion string `json:"criterion"`
}

// RiskLevel is one level of the matrix, ordered from lowest to highest.
// Acceptor is the lowest role that may accept a residual risk of this level.
type RiskLevel struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Colour   string `json:"colour"`
	Acceptor string `json:"acceptor"`
}

// RiskMethod is an organization's risk method. Every change makes a new
// version; version 0 is the default method, in force until the first change.
type RiskMethod struct {
	Version    int64       `json:"version"`
	Likelihood []ScaleStep `json:"likelihood"`
	Impact     []ScaleStep `json:"impact"`
	Levels     []RiskLevel `json:"levels"`
	// Matrix[l-1][i-1] is the level id of likelihood l and impact i.
	Matrix    [][]string `json:"matrix"`
	Appetite  string     `json:"appetite"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
}

// DefaultRiskMethod is the 5×5 method every organization starts with.
func DefaultRiskMethod() RiskMethod {
	m := RiskMethod{
		Likelihood: []ScaleStep{
			{"Rare", "Not expected in the next five years; no known occurrence here or at peers."},
			{"Unlikely", "Could happen within five years; has happened at peers."},
			{"Possible", "Could happen within two years; has happened here before."},
			{"Likely", "Expected within a year."},
			{"Almost certain", "Expected within a quarter, or is happening now."},
		},
		Impact: []ScaleStep{
			{"Negligible", "No noticeable effect on people, customers or operations."},
			{"Minor", "Limited, quickly corrected effect; no harm to individuals."},
			{"Moderate", "Noticeable disruption, a reportable event or limited harm to individuals."},
			{"Major", "Serious harm to individuals or customers, regulatory action or a long outage."},
			{"Severe", "Lasting harm to individuals, groups or society, or a threat to the organization."},
		},
		Levels: []RiskLevel{
			{"low", "Low", "#2e7d32", "manager"},
			{"medium", "Medium", "#f9a825", "manager"},
			{"high", "High", "#ef6c00", "admin"},
			{"critical", "Critical", "#c62828", "admin"},
		},
		Appetite: "medium",
	}
	m.Matrix = make([][]string, 5)
	for l := 1; l <= 5; l++ {
		m.Matrix[l-1] = make([]string, 5)
		for i := 1; i <= 5; i++ {
			switch s := l * i; {
			case s >= 15:
				m.Matrix[l-1][i-1] = "critical"
			case s >= 8:
				m.Matrix[l-1][i-1] = "high"
			case s >= 4:
				m.Matrix[l-1][i-1] = "medium"
			default:
				m.Matrix[l-1][i-1] = "low"
			}
		}
	}
	return m
}

// Level returns the level id of a likelihood and impact (1-based), or "".
func (m RiskMethod) Level(likelihood, impact int) string {
	if likelihood < 1 || likelihood > len(m.Matrix) || impact < 1 || impact > len(m.Matrix[likelihood-1]) {
		return ""
	}
	return m.Matrix[likelihood-1][impact-1]
}

// LevelRank is the position of a level (0 lowest), or -1 when unknown.
func (m RiskMethod) LevelRank(id string) int {
	for i, l := range m.Levels {
		if l.ID == id {
			return i
		}
	}
	return -1
}

// MayAccept reports whether role may accept a residual risk of level id:
// the level's acceptor, or a role above it (admin accepts everything).
func (m RiskMethod) MayAccept(role, id string) bool {
	r := m.LevelRank(id)
	if r < 0 {
		return false
	}
	switch role {
	case "admin":
		return true
	case "manager":
		return m.Levels[r].Acceptor == "manager"
	}
	return false
}

var (
	levelID = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)
	colour  = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// Normalize trims every text of the method.
func (m RiskMethod) Normalize() RiskMethod {
	trim := func(steps []ScaleStep) []ScaleStep {
		out := make([]ScaleStep, len(steps))
		for i, s := range steps {
			out[i] = ScaleStep{strings.TrimSpace(s.Label), strings.TrimSpace(s.Criterion)}
		}
		return out
	}
	m.Likelihood, m.Impact = trim(m.Likelihood), trim(m.Impact)
	levels := make([]RiskLevel, len(m.Levels))
	for i, l := range m.Levels {
		levels[i] = RiskLevel{strings.TrimSpace(l.ID), strings.TrimSpace(l.Label), strings.ToLower(strings.TrimSpace(l.Colour)), strings.TrimSpace(l.Acceptor)}
	}
	m.Levels = levels
	m.Appetite = strings.TrimSpace(m.Appetite)
	return m
}

// Validate reports every problem of the method as field errors.
func (m RiskMethod) Validate() error {
	v := &ValidationError{}
	scale := func(name string, steps []ScaleStep) {
		if len(steps) < 3 || len(steps) > 5 {
			v.Add(name, "error.risk_scale_size", len(steps), len(steps), 3, 5)
			return
		}
		for i, s := range steps {
			f := name + "[" + itoa(i) + "]"
			if s.Label == "" {
				v.Add(f+".label", "error.required", nil)
			} else if utf8.RuneCountInString(s.Label) > 60 {
				v.Add(f+".label", "error.too_long", s.Label, 60)
			}
			if utf8.RuneCountInString(s.Criterion) > 1000 {
				v.Add(f+".criterion", "error.too_long", nil, 1000)
			}
		}
	}
	scale("likelihood", m.Likelihood)
	scale("impact", m.Impact)
	if len(m.Levels) < 2 || len(m.Levels) > 6 {
		v.Add("levels", "error.risk_levels_size", len(m.Levels), len(m.Levels), 2, 6)
	}
	seen := map[string]bool{}
	for i, l := range m.Levels {
		f := "levels[" + itoa(i) + "]"
		switch {
		case !levelID.MatchString(l.ID):
			v.Add(f+".id", "error.risk_level_id", l.ID)
		case seen[l.ID]:
			v.Add(f+".id", "error.risk_level_duplicate", l.ID)
		}
		seen[l.ID] = true
		if l.Label == "" {
			v.Add(f+".label", "error.required", nil)
		}
		if !colour.MatchString(l.Colour) {
			v.Add(f+".colour", "error.risk_colour", l.Colour)
		}
		if l.Acceptor != "manager" && l.Acceptor != "admin" {
			v.Add(f+".acceptor", "error.one_of", l.Acceptor, strings.Join(AcceptorRoles, ", "))
		}
	}
	if len(m.Matrix) != len(m.Likelihood) {
		v.Add("matrix", "error.risk_matrix_rows", len(m.Matrix), len(m.Matrix), len(m.Likelihood))
	} else {
		for l, row := range m.Matrix {
			if len(row) != len(m.Impact) {
				v.Add("matrix["+itoa(l)+"]", "error.risk_matrix_cols", len(row), len(row), len(m.Impact))
				continue
			}
			for i, c := range row {
				if !seen[c] || c == "" {
					v.Add("matrix["+itoa(l)+"]["+itoa(i)+"]", "error.risk_unknown_level", c, c)
				}
			}
		}
	}
	if !seen[m.Appetite] || m.Appetite == "" {
		v.Add("appetite", "error.risk_unknown_level", m.Appetite, m.Appetite)
	}
	return v.Err()
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
