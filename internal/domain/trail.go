package domain

import (
	"encoding/json"
	"time"
)

// Actor is who performs a write: a person, a token or the program itself.
type Actor struct {
	Kind string // "user", "token", "system", "anonymous"
	Name string
}

func (a Actor) String() string {
	if a.Name == "" {
		return a.Kind
	}
	return a.Kind + ":" + a.Name
}

// TrailEntry records one write: who did what to which record, with the
// record before and after, chained to the previous entry of the same
// organization by a SHA-256 hash so that tampering shows.
type TrailEntry struct {
	Seq          int64           `json:"seq"`
	At           time.Time       `json:"at"`
	Actor        string          `json:"actor"`
	Action       string          `json:"action"`
	ResourceType string          `json:"resource_type"`
	ResourceRef  string          `json:"resource_ref"`
	Before       json.RawMessage `json:"before"`
	After        json.RawMessage `json:"after"`
	Detail       json.RawMessage `json:"detail,omitempty" doc:"What the write did beyond the record, e.g. a control change's impact on each standard"`
	PrevHash     string          `json:"prev_hash"`
	Hash         string          `json:"hash"`
}

// TrailFilter narrows the trail. Zero values do not filter; text fields
// match exactly (an actor is the whole recorded string, such as
// "user:ada@example.com" or "token:ada@example.com/tdm_abc123"). The period
// is half-open: From inclusive, To exclusive.
type TrailFilter struct {
	Actor        string
	Action       string
	ResourceType string
	ResourceRef  string
	From, To     *time.Time
	Limit        int
	Cursor       string
}

// trailFieldMax bounds the text filters: nothing recorded is longer.
const trailFieldMax = 500

// Validate checks the filter's own fields (the cursor is the store's to
// read) and reports every problem together.
func (f TrailFilter) Validate() error {
	v := &ValidationError{}
	for _, fld := range []struct{ name, value string }{
		{"actor", f.Actor}, {"action", f.Action}, {"resource_type", f.ResourceType}, {"resource_ref", f.ResourceRef},
	} {
		if len(fld.value) > trailFieldMax {
			v.Add(fld.name, "error.too_long", fld.value, trailFieldMax)
		}
	}
	if f.From != nil && f.To != nil && !f.To.After(*f.From) {
		v.Add("to", "error.period_order", f.To.UTC().Format(time.RFC3339))
	}
	return v.Err()
}

// ParseTrailPeriod reads the two ends of a trail period as people and
// clients write them: an RFC 3339 time (2026-03-01T09:30:00Z), or a date
// YYYY-MM-DD taken as a day in loc (the organization's time zone). A date
// as from is the start of that day; a date as to includes that whole day
// (the period ends at the start of the next). Empty means open-ended.
// Unreadable values are field errors named "from" and "to".
func ParseTrailPeriod(from, to string, loc *time.Location) (*time.Time, *time.Time, error) {
	v := &ValidationError{}
	if loc == nil {
		loc = time.UTC
	}
	read := func(field, s string, end bool) *time.Time {
		if s == "" {
			return nil
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			t = t.UTC()
			return &t
		}
		if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
			if end {
				d = d.AddDate(0, 0, 1)
			}
			d = d.UTC()
			return &d
		}
		v.Add(field, "error.moment", s)
		return nil
	}
	f, t := read("from", from, false), read("to", to, true)
	return f, t, v.Err()
}
