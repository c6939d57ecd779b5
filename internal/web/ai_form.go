package web

import (
	"net/http"
	"strconv"
	"strings"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The AI governance forms are lists of fields described here and drawn by
// one partial ("ai_fields"), so that each form is its field list and its
// handlers.

type fieldOption struct{ Value, Label string }

type formField struct {
	Name, Label, Hint string
	Kind              string // text, textarea, select, date, number, checks, check
	Value             string
	Values            []string // chosen options of checks
	Options           []fieldOption
	Required          bool
	Error             string
}

// Checked reports whether option v is chosen (checks) or the box is ticked.
func (f formField) Checked(v string) bool {
	for _, x := range f.Values {
		if x == v {
			return true
		}
	}
	return false
}

func options(prefix string, values []string) []fieldOption {
	out := make([]fieldOption, len(values))
	for i, v := range values {
		out[i] = fieldOption{v, i18n.T(prefix + v)}
	}
	return out
}

// fieldSet builds fields with their errors from v.
type fieldSet struct {
	fields []formField
	errs   *domain.ValidationError
}

func newFieldSet(v *domain.ValidationError) *fieldSet {
	if v == nil {
		v = &domain.ValidationError{}
	}
	return &fieldSet{errs: v}
}

func (s *fieldSet) add(kind, name, label, value string, required bool, opts ...fieldOption) *fieldSet {
	s.fields = append(s.fields, formField{Name: name, Label: i18n.T(label), Kind: kind, Value: value, Options: opts,
		Required: required, Error: s.errs.For(name)})
	return s
}

func (s *fieldSet) text(name, label, value string, required bool) *fieldSet {
	return s.add("text", name, label, value, required)
}

func (s *fieldSet) area(name, label, value string) *fieldSet {
	return s.add("textarea", name, label, value, false)
}

func (s *fieldSet) hint(h string) *fieldSet {
	s.fields[len(s.fields)-1].Hint = i18n.T(h)
	return s
}

func (s *fieldSet) checks(name, label string, values []string, opts []fieldOption) *fieldSet {
	s.add("checks", name, label, "", false, opts...)
	s.fields[len(s.fields)-1].Values = values
	return s
}

func (s *fieldSet) check(name, label string, on bool) *fieldSet {
	s.add("check", name, label, "", false)
	if on {
		s.fields[len(s.fields)-1].Values = []string{"on"}
	}
	return s
}

// formPage is a page with one form of fields.
type formPage struct {
	*Shell
	Heading, Action, Submit, Cancel string
	Crumbs                          []fieldOption // Value: href, Label: text
	Version                         int64
	Fields                          []formField
	Errors                          *domain.ValidationError
}

func formText(r *http.Request, name string) *string { v := r.PostForm.Get(name); return &v }

func formList(r *http.Request, name string) *[]string {
	var out []string
	for _, v := range r.PostForm[name] {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
			out = append(out, strings.ToUpper(part))
		}
	}
	if out == nil {
		out = []string{}
	}
	return &out
}

func formBool(r *http.Request, name string) *bool { b := r.PostForm.Get(name) != ""; return &b }

func formInt(r *http.Request, name string) *int {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get(name)))
	if err != nil {
		n = -1
		if strings.TrimSpace(r.PostForm.Get(name)) == "" {
			n = 0
		}
	}
	return &n
}

// mayChange tells whether the person may change a record of res with this
// owner: any record, or (contributors) only their own. Pages read with a
// read rule, so the scope's own-only flag does not say it; the role does.
func (s *Shell) mayChange(res auth.Resource, owner string) bool {
	if s.scope == nil || s.scope.Org == nil {
		return false
	}
	switch auth.Decide(s.scope.Role, auth.Update, res) {
	case auth.Allow:
		return true
	case auth.AllowOwn:
		return s.scope.Owns(owner)
	}
	return false
}
