package importer

import (
	"fmt"
	"strconv"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// Problem is what is wrong with one field of one row.
type Problem struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Value   string `json:"value,omitempty"`
}

// Outcome is what checking every row of a table found: every problem, in
// row order. Nothing may be imported while Problems is not empty.
type Outcome struct {
	Problems []Problem
	BadRows  int // how many rows have at least one problem
}

// OK reports whether every row can be imported.
func (r *Outcome) OK() bool { return len(r.Problems) == 0 }

// Result is a control register read through a mapping: every row as the
// control it would become, and every problem.
type Result struct {
	Rows     []domain.ImportRow
	Controls []domain.Control // Rows as controls (for a preview), same order
	Outcome
}

// Check converts every row of t with mapping m and validates it as a
// control, collecting all problems of all rows.
func Check(t *Table, m Mapping, cat *catalog.Catalog) *Result {
	res := &Result{}
	refs := refResolver{cat: cat, defaultStd: m.DefaultStandard, clauseColumn: m.ClauseColumn(t.Headers)}
	for _, row := range t.Rows {
		before := len(res.Problems)
		add := func(field, code, value string, args ...any) {
			res.Problems = append(res.Problems, Problem{Row: row.Number, Field: field, Code: code,
				Message: i18n.T(code, args...), Value: value})
		}
		title := row.Cell(m.Column(FieldTitle))
		desc := row.Cell(m.Column(FieldDescription))
		owner := row.Cell(m.Column(FieldOwner))
		in := domain.ControlInput{Title: &title, Description: &desc, Owner: &owner}

		rawStatus := row.Cell(m.Column(FieldStatus))
		status, ok := ParseStatus(rawStatus)
		if !ok {
			add(FieldStatus, "error.import_status", rawStatus, rawStatus)
			status = domain.StatusPlanned // so that validation reports nothing twice
		}
		in.Status = &status

		rawStd := row.Cell(m.Column(FieldStandard))
		rowStd, ok := ParseStandard(rawStd, cat)
		if !ok {
			add(FieldStandard, "error.import_standard", rawStd, rawStd)
		}
		keys, problems := refs.resolve(row.Cell(m.Column(FieldRequirements)), rowStd)
		for _, p := range problems {
			add(FieldRequirements, p.Code, p.Token, p.Args...)
		}
		if keys == nil {
			keys = []string{}
		}
		in.Requirements = &keys

		c := in.Apply(domain.Control{})
		cat.SortKeys(c.Requirements)
		if bad, ok := domain.AsValidation(c.Validate(cat)); ok {
			for _, f := range bad.Fields {
				field, _, _ := strings.Cut(f.Field, "[")
				value := ""
				if s, ok := f.Value.(string); ok {
					value = s
				}
				res.Problems = append(res.Problems, Problem{Row: row.Number, Field: field, Code: f.Code, Message: f.Message, Value: value})
			}
		}
		if len(res.Problems) > before {
			res.BadRows++
		}
		res.Rows = append(res.Rows, domain.ImportRow{Row: row.Number, Control: in})
		res.Controls = append(res.Controls, c)
	}
	return res
}

// Validation is the problems as one field error per problem, named
// rows[N].field (N the row number), for the API.
func (r *Outcome) Validation() error {
	v := &domain.ValidationError{}
	for _, p := range r.Problems {
		v.Fields = append(v.Fields, domain.FieldError{Field: rowField(p.Row, p.Field), Code: p.Code, Message: p.Message, Value: p.Value})
	}
	return v.Err()
}

func rowField(row int, field string) string {
	return "rows[" + strconv.Itoa(row) + "]." + field
}

// rowCheck collects the problems of one row into an outcome.
type rowCheck struct {
	out    *Outcome
	row    int
	before int
}

func (o *Outcome) check(row int) *rowCheck {
	return &rowCheck{out: o, row: row, before: len(o.Problems)}
}

// add records a problem of field; code is a message id, args its values.
func (c *rowCheck) add(field, code, value string, args ...any) {
	c.out.Problems = append(c.out.Problems, Problem{Row: c.row, Field: field, Code: code, Message: i18n.T(code, args...), Value: value})
}

// validation records the field errors a domain validation found, each
// under its field (controls[2] is a problem of controls).
func (c *rowCheck) validation(err error) {
	bad, ok := domain.AsValidation(err)
	if !ok {
		return
	}
	for _, f := range bad.Fields {
		field, _, _ := strings.Cut(f.Field, "[")
		value := ""
		if f.Value != nil {
			value = fmt.Sprint(f.Value)
		}
		c.out.Problems = append(c.out.Problems, Problem{Row: c.row, Field: field, Code: f.Code, Message: f.Message, Value: value})
	}
}

// done counts the row as bad if it had a problem.
func (c *rowCheck) done() {
	if len(c.out.Problems) > c.before {
		c.out.BadRows++
	}
}

// Known tells which of refs exist in the organization, for table
// "controls" or "assets" (the store's KnownRefs).
type Known func(table string, refs []string) (map[string]bool, error)

// lookupRefs collects the refs one column of every row names and looks
// them up at once.
func lookupRefs(t *Table, col int, table string, known Known) (map[string]bool, error) {
	if col < 0 {
		return map[string]bool{}, nil
	}
	var all []string
	for _, row := range t.Rows {
		found, _ := refs(row.Cell(col))
		all = append(all, found...)
	}
	if len(all) == 0 {
		return map[string]bool{}, nil
	}
	return known(table, all)
}
