package domain

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Org is an organization (tenant). Everything a user records belongs to one.
type Org struct {
	ID        int64     `json:"-"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	TimeZone  string    `json:"time_zone"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// OrgInput is what a person supplies to create an organization.
type OrgInput struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone,omitempty"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// Normalize trims the input and fills defaults.
func (in *OrgInput) Normalize() {
	in.Slug = strings.TrimSpace(in.Slug)
	in.Name = strings.TrimSpace(in.Name)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if in.TimeZone == "" {
		in.TimeZone = "UTC"
	}
}

// Validate checks every field and reports all problems together.
func (in OrgInput) Validate() error {
	v := &ValidationError{}
	switch {
	case in.Slug == "":
		v.Add("slug", "error.required", in.Slug)
	case !slugPattern.MatchString(in.Slug):
		v.Add("slug", "error.slug", in.Slug)
	}
	switch {
	case in.Name == "":
		v.Add("name", "error.required", in.Name)
	case utf8.RuneCountInString(in.Name) > 200:
		v.Add("name", "error.too_long", in.Name, 200)
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil {
		v.Add("time_zone", "error.time_zone", in.TimeZone)
	}
	return v.Err()
}
