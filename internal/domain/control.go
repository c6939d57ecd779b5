package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Control statuses, in the order a control usually passes through them.
const (
	StatusPlanned        = "planned"
	StatusInProgress     = "in_progress"
	StatusImplemented    = "implemented"
	StatusNotImplemented = "not_implemented"
)

// Statuses lists the valid control statuses.
var Statuses = []string{StatusPlanned, StatusInProgress, StatusImplemented, StatusNotImplemented}

// The two standards of the integrated management system.
const (
	ISO27001 = "iso27001-2022"
	ISO42001 = "iso42001-2023"
)

// Scopes, derived from a control's requirement links and never stored.
const (
	ScopeShared   = "shared"
	Scope27001    = "27001-only"
	Scope42001    = "42001-only"
	ScopeOther    = "other"
	ScopeUnlinked = "unlinked"
)

// Scopes lists the scopes a filter may ask for.
var Scopes = []string{ScopeShared, Scope27001, Scope42001, ScopeUnlinked}

// Control is an organization's own measure, registered once and linked to
// the requirements of any standard it helps satisfy.
type Control struct {
	ID           int64    `json:"-"`
	Ref          string   `json:"ref"`
	Title        string   `json:"title"`
	Description  string   `json:"description"`
	Owner        string   `json:"owner"`
	Status       string   `json:"status"`
	Requirements []string `json:"requirements"`
	Scope        string   `json:"scope"`
	// Reference is the id of the reference control this one was adopted
	// from (REF-ACCESS-01); empty otherwise. It is set at adoption only.
	Reference string    `json:"reference,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ScopeOf derives the scope from the standards a control is linked to.
func ScopeOf(requirementKeys []string) string {
	var has27001, has42001, other bool
	for _, k := range requirementKeys {
		switch std, _, _ := strings.Cut(k, "/"); std {
		case ISO27001:
			has27001 = true
		case ISO42001:
			has42001 = true
		default:
			other = true
		}
	}
	return ScopeFrom(has27001, has42001, other)
}

// ScopeFrom names the scope of a control linked to 27001, to 42001 and to
// other standards as the flags say.
func ScopeFrom(has27001, has42001, other bool) string {
	switch {
	case has27001 && has42001:
		return ScopeShared
	case other:
		return ScopeOther
	case has27001:
		return Scope27001
	case has42001:
		return Scope42001
	default:
		return ScopeUnlinked
	}
}

// ControlInput is what a person supplies for a control. On update, nil
// fields keep their current value (PATCH); Requirements, when given,
// replaces the whole set of links.
type ControlInput struct {
	Title        *string   `json:"title,omitempty"`
	Description  *string   `json:"description,omitempty"`
	Owner        *string   `json:"owner,omitempty"`
	Status       *string   `json:"status,omitempty"`
	Requirements *[]string `json:"requirements,omitempty"`
}

// RequirementChecker tells whether a requirement key exists (the catalog).
type RequirementChecker interface {
	HasRequirement(key string) bool
}

// Apply returns c with the input's fields applied, trimmed and de-duplicated.
func (in ControlInput) Apply(c Control) Control {
	if in.Title != nil {
		c.Title = strings.TrimSpace(*in.Title)
	}
	if in.Description != nil {
		c.Description = strings.TrimSpace(*in.Description)
	}
	if in.Owner != nil {
		c.Owner = strings.TrimSpace(*in.Owner)
	}
	if in.Status != nil {
		c.Status = strings.TrimSpace(*in.Status)
	}
	if in.Requirements != nil {
		c.Requirements = normalizeKeys(*in.Requirements)
	}
	if c.Status == "" {
		c.Status = StatusPlanned
	}
	if c.Requirements == nil {
		c.Requirements = []string{}
	}
	c.Scope = ScopeOf(c.Requirements)
	return c
}

func normalizeKeys(keys []string) []string {
	out := make([]string, 0, len(keys))
	seen := map[string]bool{}
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	return out
}

// Limits on control fields.
const (
	MaxTitle        = 200
	MaxOwner        = 200
	MaxDescription  = 10000
	MaxRequirements = 500
)

// Validate checks every field of a control and reports all problems together.
func (c Control) Validate(reqs RequirementChecker) error {
	v := &ValidationError{}
	switch n := utf8.RuneCountInString(c.Title); {
	case n == 0:
		v.Add("title", "error.required", c.Title)
	case n > MaxTitle:
		v.Add("title", "error.too_long", nil, MaxTitle)
	}
	if utf8.RuneCountInString(c.Description) > MaxDescription {
		v.Add("description", "error.too_long", nil, MaxDescription)
	}
	if utf8.RuneCountInString(c.Owner) > MaxOwner {
		v.Add("owner", "error.too_long", nil, MaxOwner)
	}
	if !ValidStatus(c.Status) {
		v.Add("status", "error.one_of", c.Status, strings.Join(Statuses, ", "))
	}
	if len(c.Requirements) > MaxRequirements {
		v.Add("requirements", "error.too_many", len(c.Requirements), MaxRequirements)
	}
	for i, k := range c.Requirements {
		if !reqs.HasRequirement(k) {
			v.Add(fmt.Sprintf("requirements[%d]", i), "error.unknown_requirement", k, k)
		}
	}
	return v.Err()
}

// ValidStatus reports whether s is a control status.
func ValidStatus(s string) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// ValidScope reports whether s is a scope a filter may ask for.
func ValidScope(s string) bool {
	for _, v := range Scopes {
		if v == s {
			return true
		}
	}
	return false
}

// ControlFilter narrows a control list. Zero values do not filter.
type ControlFilter struct {
	Standard    string // linked to any requirement of this standard
	Requirement string // linked to this requirement key
	Status      string
	Scope       string
	Owner       string
	Theme       string // linked to any Annex A control of this theme or group: "iso27001-2022/organizational", "iso42001-2023/A.6"
	Risk        string // in the treatment plan of this risk (RSK-001)
	Text        string // in ref, title, description or owner (case-insensitive)
	Limit       int
	Cursor      string
}

// Page is one page of a list and the cursor of the next, if any.
type Page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// ControlStats summarizes an organization's controls for dashboards.
type ControlStats struct {
	Total    int
	ByStatus map[string]int
	ByScope  map[string]int
	// Requirements maps a requirement key to how many controls are linked
	// to it and how many of those are implemented.
	Requirements map[string]RequirementCoverage
}

// RequirementCoverage counts the controls linked to one requirement.
type RequirementCoverage struct {
	Controls    int
	Implemented int
}
