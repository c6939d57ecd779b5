package domain

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// AssetTypes lists the kinds of information asset.
var AssetTypes = []string{"information", "software", "hardware", "service", "people", "site", "ai_model", "dataset", "other"}

// Classifications lists the information classification levels, lowest first.
var Classifications = []string{"public", "internal", "confidential", "restricted"}

// Asset is an information asset of the organization, with the value of its
// confidentiality, integrity and availability (1 low, 2 medium, 3 high).
type Asset struct {
	ID              int64     `json:"-"`
	Ref             string    `json:"ref"`
	Name            string    `json:"name"`
	Type            string    `json:"type"`
	Owner           string    `json:"owner"`
	Location        string    `json:"location"`
	Classification  string    `json:"classification"`
	Confidentiality int       `json:"confidentiality"`
	Integrity       int       `json:"integrity"`
	Availability    int       `json:"availability"`
	Description     string    `json:"description"`
	Controls        []string  `json:"controls"`
	Version         int64     `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// AssetInput is what a person supplies for an asset. On update, nil fields
// keep their value; Controls, when given, replaces the set of links.
type AssetInput struct {
	Name            *string   `json:"name,omitempty"`
	Type            *string   `json:"type,omitempty"`
	Owner           *string   `json:"owner,omitempty"`
	Location        *string   `json:"location,omitempty"`
	Classification  *string   `json:"classification,omitempty"`
	Confidentiality *int      `json:"confidentiality,omitempty"`
	Integrity       *int      `json:"integrity,omitempty"`
	Availability    *int      `json:"availability,omitempty"`
	Description     *string   `json:"description,omitempty"`
	Controls        *[]string `json:"controls,omitempty"`
}

// Apply returns a with the input's fields applied and trimmed.
func (in AssetInput) Apply(a Asset) Asset {
	for _, f := range []struct {
		src *string
		dst *string
	}{{in.Name, &a.Name}, {in.Type, &a.Type}, {in.Owner, &a.Owner}, {in.Location, &a.Location},
		{in.Classification, &a.Classification}, {in.Description, &a.Description}} {
		if f.src != nil {
			*f.dst = strings.TrimSpace(*f.src)
		}
	}
	for _, f := range []struct {
		src *int
		dst *int
	}{{in.Confidentiality, &a.Confidentiality}, {in.Integrity, &a.Integrity}, {in.Availability, &a.Availability}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if in.Controls != nil {
		a.Controls = normalizeKeys(*in.Controls)
		sort.Strings(a.Controls)
	}
	if a.Controls == nil {
		a.Controls = []string{}
	}
	return a
}

// Limits on asset fields.
const (
	MaxAssetName     = 200
	MaxAssetLocation = 200
	MaxAssetControls = 200
)

// Validate checks every field of an asset and reports all problems
// together. known tells whether a control ref exists in the organization.
func (a Asset) Validate(known func(ref string) bool) error {
	v := &ValidationError{}
	switch n := utf8.RuneCountInString(a.Name); {
	case n == 0:
		v.Add("name", "error.required", a.Name)
	case n > MaxAssetName:
		v.Add("name", "error.too_long", nil, MaxAssetName)
	}
	if !oneOf(a.Type, AssetTypes) {
		v.Add("type", "error.one_of", a.Type, strings.Join(AssetTypes, ", "))
	}
	if !oneOf(a.Classification, Classifications) {
		v.Add("classification", "error.one_of", a.Classification, strings.Join(Classifications, ", "))
	}
	if utf8.RuneCountInString(a.Owner) > MaxOwner {
		v.Add("owner", "error.too_long", nil, MaxOwner)
	}
	if utf8.RuneCountInString(a.Location) > MaxAssetLocation {
		v.Add("location", "error.too_long", nil, MaxAssetLocation)
	}
	if utf8.RuneCountInString(a.Description) > MaxDescription {
		v.Add("description", "error.too_long", nil, MaxDescription)
	}
	for _, f := range []struct {
		name string
		val  int
	}{{"confidentiality", a.Confidentiality}, {"integrity", a.Integrity}, {"availability", a.Availability}} {
		if f.val < 1 || f.val > 3 {
			v.Add(f.name, "error.one_of", f.val, "1, 2, 3")
		}
	}
	if len(a.Controls) > MaxAssetControls {
		v.Add("controls", "error.too_many", len(a.Controls), MaxAssetControls)
	}
	for i, ref := range a.Controls {
		if !known(ref) {
			v.Add(fmt.Sprintf("controls[%d]", i), "error.unknown_control", ref, ref)
		}
	}
	return v.Err()
}

func oneOf(s string, list []string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ValidAssetType reports whether s is an asset type.
func ValidAssetType(s string) bool { return oneOf(s, AssetTypes) }

// ValidClassification reports whether s is a classification level.
func ValidClassification(s string) bool { return oneOf(s, Classifications) }

// AssetFilter narrows an asset list. Zero values do not filter.
type AssetFilter struct {
	Type           string
	Classification string
	Owner          string
	Control        string // linked to this control ref
	Risk           string // concerned by this risk (RSK-001)
	Text           string // in ref, name, description, owner or location
	Limit          int
	Cursor         string
}
