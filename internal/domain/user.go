package domain

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// User is a person (or service account) who signs in. Users belong to the
// instance; their access to an organization comes from a Membership.
type User struct {
	ID            int64     `json:"-"`
	Email         string    `json:"email"`
	Name          string    `json:"name"`
	InstanceAdmin bool      `json:"instance_admin"`
	Active        bool      `json:"active"`
	Version       int64     `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Label is how a person is named in the UI and the trail.
func (u User) Label() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// UserInput is what an administrator supplies to add a user.
type UserInput struct {
	Email         string
	Name          string
	Password      string // empty: the user signs in through single sign-on only
	InstanceAdmin bool
}

// Password limits: long passphrases are welcome; the upper bound only keeps
// hashing cost bounded.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 1024
)

// Normalize trims the input and lowercases the email.
func (in *UserInput) Normalize() {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Name = strings.TrimSpace(in.Name)
}

// Validate checks every field and reports all problems together.
func (in UserInput) Validate() error {
	v := &ValidationError{}
	if in.Email == "" {
		v.Add("email", "error.required", in.Email)
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		v.Add("email", "error.email", in.Email)
	}
	if utf8.RuneCountInString(in.Name) > 200 {
		v.Add("name", "error.too_long", nil, 200)
	}
	ValidatePassword(v, "password", in.Password, true)
	return v.Err()
}

// ValidatePassword adds a problem with a new password to v. An empty one is
// accepted only where emptyOK (an account for single sign-on).
func ValidatePassword(v *ValidationError, field, password string, emptyOK bool) {
	switch {
	case password == "" && emptyOK:
	case utf8.RuneCountInString(password) < MinPasswordLength:
		v.Add(field, "error.password_short", nil, MinPasswordLength)
	case len(password) > MaxPasswordBytes:
		v.Add(field, "error.password_long", nil, MaxPasswordBytes)
	}
}

// Membership is one user's role in one organization.
type Membership struct {
	OrgID     int64      `json:"-"`
	OrgSlug   string     `json:"org"`
	OrgName   string     `json:"org_name"`
	Role      string     `json:"role"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Token is an API token's record; its secret is shown once and never stored.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"-"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}
