package importer

import (
	"slices"
	"strings"
	"unicode"

	"tandem/internal/catalog"
	"tandem/internal/domain"
)

// The fields of a control a column can be mapped to, in the order the
// mapping step shows them. standard is not a control field: it names the
// standard of the references in the same row.
const (
	FieldTitle        = "title"
	FieldDescription  = "description"
	FieldOwner        = "owner"
	FieldStatus       = "status"
	FieldRequirements = "requirements"
	FieldStandard     = "standard"
)

// Fields lists the mappable fields.
var Fields = []string{FieldTitle, FieldDescription, FieldOwner, FieldStatus, FieldRequirements, FieldStandard}

// Kind is a kind of register a file can be imported into: the fields a
// column can be mapped to (in the order the mapping step shows them),
// those that must be mapped, and the header words that guess them.
type Kind struct {
	ID       string
	Fields   []string
	Required []string
	// unmapped is the message of a required field left without a column.
	unmapped string
	words    []headerWord
}

// Controls is the control register.
var Controls = &Kind{ID: "controls", Fields: Fields, Required: []string{FieldTitle},
	unmapped: "error.import_title_unmapped", words: headerWords}

// Mapping says which column (by index; -1 for none) holds each field of
// a kind of register, and (for controls) which standard a reference
// belongs to when neither the cell nor a standard column says.
type Mapping struct {
	Columns map[string]int
	// DefaultStandard is a standard id, or "" to accept only references
	// that exist in exactly one standard.
	DefaultStandard string
	kind            *Kind
}

// NewMapping is a control register mapping with no column chosen.
func NewMapping() Mapping { return Controls.NewMapping() }

// NewMapping is a mapping of this kind with no column chosen.
func (k *Kind) NewMapping() Mapping {
	m := Mapping{Columns: map[string]int{}, kind: k}
	for _, f := range k.Fields {
		m.Columns[f] = -1
	}
	return m
}

// Kind is the kind of register the mapping is for.
func (m Mapping) Kind() *Kind {
	if m.kind == nil {
		return Controls
	}
	return m.kind
}

// Column returns the column of field, or -1.
func (m Mapping) Column(field string) int {
	if i, ok := m.Columns[field]; ok {
		return i
	}
	return -1
}

// headerWord names the headers that say a column holds field, after
// normalization (lower case, punctuation as spaces): exact headers, and
// parts a header contains; a part "a+b" needs both a and b.
type headerWord struct {
	field    string
	exact    []string
	contains []string
}

// headerWords are the headers of a control register. exact is tried on
// every header before contains, and the fields in this order, so that
// "Control owner" becomes the owner and only a plain "Control" the title.
var headerWords = []headerWord{
	{FieldOwner, []string{"owner", "owners", "responsible", "control owner", "accountable", "assignee", "responsibility", "owned by", "responsible person", "responsible party"},
		[]string{"owner", "responsib", "accountab"}},
	{FieldStatus, []string{"status", "state", "implementation status", "progress", "stage", "implementation state"},
		[]string{"status"}},
	{FieldRequirements, []string{"annex a", "iso 27001", "iso 42001", "iso27001", "iso42001", "iso iec 27001", "iso iec 42001",
		"reference", "references", "ref", "refs", "clause", "clauses", "requirement", "requirements", "iso reference",
		"iso ref", "mapping", "mappings", "annex a control", "annex a reference", "controls mapped", "mapped to"},
		[]string{"annex", "clause", "requirement", "27001", "42001", "iso ref", "mapped"}},
	{FieldStandard, []string{"standard", "standards", "framework", "frameworks", "norm"}, nil},
	{FieldDescription, []string{"description", "details", "control description", "summary", "implementation",
		"implementation guidance", "notes", "note", "comments", "comment", "explanation"},
		[]string{"description", "detail"}},
	{FieldTitle, []string{"title", "control", "control title", "control name", "name", "measure", "safeguard", "control measure", "control activity"},
		[]string{"title", "name"}},
}

// normalizeHeader lowercases and turns punctuation into single spaces.
func normalizeHeader(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return b.String()
}

// Guess maps the columns of a control register from their headers (see
// headerWords); the default standard is the one the references column
// names, if it names one.
func Guess(headers []string, cat *catalog.Catalog) Mapping {
	m := Controls.Guess(headers)
	if i := m.Columns[FieldRequirements]; i >= 0 {
		m.DefaultStandard = standardNamed(headers[i], cat)
	}
	return m
}

// Guess maps columns from their headers: every field's exact headers are
// tried before any field's parts, each column is used once, and a field
// takes the leftmost column that matches.
func (k *Kind) Guess(headers []string) Mapping {
	m := k.NewMapping()
	norm := make([]string, len(headers))
	for i, h := range headers {
		norm[i] = normalizeHeader(h)
	}
	used := map[int]bool{}
	pick := func(field string, match func(string) bool) {
		if m.Columns[field] >= 0 {
			return
		}
		for i, h := range norm {
			if !used[i] && match(h) {
				m.Columns[field], used[i] = i, true
				return
			}
		}
	}
	for _, w := range k.words {
		pick(w.field, func(h string) bool { return contains(w.exact, h) })
	}
	for _, w := range k.words {
		pick(w.field, func(h string) bool {
			for _, part := range w.contains {
				if hasParts(h, part) {
					return true
				}
			}
			return false
		})
	}
	return m
}

// hasParts reports whether h contains every "+"-separated part of part.
func hasParts(h, part string) bool {
	for _, p := range strings.Split(part, "+") {
		if !strings.Contains(h, p) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ClauseColumn reports whether the references column holds clauses: its
// header speaks of clauses and not of Annex A or controls. A bare "5.1" in
// it is then clause 5.1, elsewhere the Annex A control A.5.1.
func (m Mapping) ClauseColumn(headers []string) bool {
	i := m.Column(FieldRequirements)
	if i < 0 || i >= len(headers) {
		return false
	}
	h := normalizeHeader(headers[i])
	return strings.Contains(h, "clause") && !strings.Contains(h, "annex") && !strings.Contains(h, "control")
}

// Validate checks a mapping against the table's columns: the required
// fields must be mapped, every column must exist, and (controls) the
// default standard must be known; cat may be nil for the other kinds.
// Problems are field errors named mapping.<field>.
func (m Mapping) Validate(t *Table, cat *catalog.Catalog) error {
	k := m.Kind()
	v := &domain.ValidationError{}
	for _, f := range k.Required {
		if m.Column(f) < 0 {
			v.Add("mapping."+f, k.unmapped, nil)
		}
	}
	for _, f := range k.Fields {
		if i := m.Column(f); i >= len(t.Headers) || i < -1 {
			v.Add("mapping."+f, "error.import_no_column", i)
		}
	}
	if m.DefaultStandard != "" && (cat == nil || cat.Standard(m.DefaultStandard) == nil) {
		v.Add("mapping.default_standard", "error.unknown_standard", m.DefaultStandard, m.DefaultStandard)
	}
	return v.Err()
}

// ByName builds a control register mapping from field → column header (as
// an API client names columns), matched case-insensitively; fields not
// named are guessed from the headers unless guess is false. An unknown
// field or header is a field error named mapping.<field>.
func ByName(t *Table, names map[string]string, defaultStandard string, guess bool, cat *catalog.Catalog) (Mapping, error) {
	m := NewMapping()
	if guess {
		m = Guess(t.Headers, cat)
	}
	if defaultStandard != "" {
		m.DefaultStandard = defaultStandard
	}
	if err := m.name(t, names); err != nil {
		return m, err
	}
	return m, m.Validate(t, cat)
}

// ByName is ByName for a kind of register without references to
// standards.
func (k *Kind) ByName(t *Table, names map[string]string, guess bool) (Mapping, error) {
	m := k.NewMapping()
	if guess {
		m = k.Guess(t.Headers)
	}
	if err := m.name(t, names); err != nil {
		return m, err
	}
	return m, m.Validate(t, nil)
}

// name applies field → header names to m.
func (m Mapping) name(t *Table, names map[string]string) error {
	fields := m.Kind().Fields
	v := &domain.ValidationError{}
	for field, header := range names {
		if _, ok := m.Columns[field]; !ok {
			v.Add("mapping."+field, "error.import_unknown_field", field, field, strings.Join(fields, ", "))
			continue
		}
		if strings.TrimSpace(header) == "" {
			m.Columns[field] = -1
			continue
		}
		col := -1
		for i, h := range t.Headers {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(header)) {
				col = i
				break
			}
		}
		if col < 0 {
			v.Add("mapping."+field, "error.import_unknown_header", header, header, strings.Join(t.Headers, ", "))
			continue
		}
		m.Columns[field] = col
	}
	// The API names problems in a stable order, whatever the map's.
	slices.SortFunc(v.Fields, func(a, b domain.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return v.Err()
}

// Names is the mapping as field → header, for showing it back to a client.
func (m Mapping) Names(t *Table) map[string]string {
	out := map[string]string{}
	for _, f := range m.Kind().Fields {
		if i := m.Column(f); i >= 0 && i < len(t.Headers) {
			out[f] = t.Headers[i]
		}
	}
	return out
}
