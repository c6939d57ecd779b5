package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Action statuses.
const (
	ActionOpen = "open"
	ActionDone = "done"
)

// ActionStatuses lists them in the order forms show them.
var ActionStatuses = []string{ActionOpen, ActionDone}

// Action is a task with an owner and a due date (ref ACT-001). Today an
// action belongs to the treatment plan of a risk; findings and management
// reviews will raise them too.
type Action struct {
	ID        int64     `json:"-"`
	Seq       int64     `json:"-"`
	RiskID    int64     `json:"-"`
	Ref       string    `json:"ref"`
	Risk      string    `json:"risk,omitempty" doc:"Ref of the risk whose treatment plan holds it"`
	Title     string    `json:"title"`
	Owner     string    `json:"owner"`
	Due       string    `json:"due" doc:"YYYY-MM-DD"`
	Status    string    `json:"status" enum:"open,done"`
	Notes     string    `json:"notes"`
	Overdue   bool      `json:"overdue" doc:"Open and past its due date (derived)"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ActionInput is what a person supplies for an action; on update nil
// fields keep their value.
type ActionInput struct {
	Title  *string `json:"title,omitempty"`
	Owner  *string `json:"owner,omitempty"`
	Due    *string `json:"due,omitempty" doc:"YYYY-MM-DD"`
	Status *string `json:"status,omitempty" doc:"open or done"`
	Notes  *string `json:"notes,omitempty"`
}

// Apply returns a with the input applied and trimmed.
func (in ActionInput) Apply(a Action) Action {
	for _, f := range []struct {
		p   *string
		dst *string
	}{{in.Title, &a.Title}, {in.Owner, &a.Owner}, {in.Due, &a.Due}, {in.Status, &a.Status}, {in.Notes, &a.Notes}} {
		if f.p != nil {
			*f.dst = strings.TrimSpace(*f.p)
		}
	}
	if a.Status == "" {
		a.Status = ActionOpen
	}
	return a
}

// Validate reports every problem of the action as field errors.
func (a Action) Validate() error {
	v := &ValidationError{}
	for _, f := range []struct {
		field, value string
		max          int
	}{{"title", a.Title, 300}, {"owner", a.Owner, 200}} {
		switch {
		case f.value == "":
			v.Add(f.field, "error.required", nil)
		case utf8.RuneCountInString(f.value) > f.max:
			v.Add(f.field, "error.too_long", nil, f.max)
		}
	}
	if utf8.RuneCountInString(a.Notes) > 4000 {
		v.Add("notes", "error.too_long", nil, 4000)
	}
	if a.Due == "" {
		v.Add("due", "error.required", nil)
	} else if _, err := time.Parse(time.DateOnly, a.Due); err != nil {
		v.Add("due", "error.date", a.Due)
	}
	if !slices.Contains(ActionStatuses, a.Status) {
		v.Add("status", "error.one_of", a.Status, strings.Join(ActionStatuses, ", "))
	}
	return v.Err()
}

// Derive fills the derived fields for day today (YYYY-MM-DD).
func (a *Action) Derive(today string) {
	a.Overdue = a.Status == ActionOpen && a.Due != "" && a.Due < today
}
