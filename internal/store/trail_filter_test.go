package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

var (
	alice = domain.Actor{Kind: "user", Name: "alice@example.com"}
	bob   = domain.Actor{Kind: "token", Name: "bob@example.com/tdm_abc123"}
	demo  = domain.Actor{Kind: "system", Name: "demo"}
)

// trailBase is when the test trail's first entry was written; entry n is
// n-1 days later, and even entries carry a fraction of a second, so that
// comparisons mix whole and fractional times (SQLite keeps them as text).
var trailBase = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func trailAt(seq int64) time.Time {
	t := trailBase.AddDate(0, 0, int(seq-1))
	if seq%2 == 0 {
		t = t.Add(250 * time.Millisecond)
	}
	return t
}

// trailFixture writes eight entries to acme (and a few to another
// organization, which no filter may reach), then moves each entry of acme
// to its test time by SQL.
//
//	1 org.create     org     acme     tester
//	2 control.create CTL-001 alice    5 control.link   CTL-001 alice
//	3 control.create CTL-002 bob      6 control.update CTL-002 alice
//	4 control.update CTL-001 bob      7 control.delete CTL-002 demo
//	                                  8 control.create CTL-003 alice
func trailFixture(t *testing.T, s *store.Store) *store.OrgStore {
	t.Helper()
	ctx := context.Background()
	o := newOrg(t, s, "acme")
	other := newOrg(t, s, "other")
	title := func(s string) domain.ControlInput {
		return domain.ControlInput{Title: &s, Status: ptr(domain.StatusPlanned)}
	}
	steps := []func() error{
		func() error { _, err := o.CreateControl(ctx, alice, title("One")); return err },
		func() error { _, err := o.CreateControl(ctx, bob, title("Two")); return err },
		func() error {
			_, err := o.UpdateControl(ctx, bob, "CTL-001", 1, domain.ControlInput{Status: ptr(domain.StatusImplemented)})
			return err
		},
		func() error {
			_, err := o.LinkRequirement(ctx, alice, "CTL-001", "iso27001-2022/A.5.1", nil)
			return err
		},
		func() error {
			_, err := o.UpdateControl(ctx, alice, "CTL-002", 1, domain.ControlInput{Owner: ptr("Dana")})
			return err
		},
		func() error { return o.DeleteControl(ctx, demo, "CTL-002", nil) },
		func() error { _, err := o.CreateControl(ctx, alice, title("Three")); return err },
		// Another organization: the same actor, and one seen only there.
		func() error { _, err := other.CreateControl(ctx, alice, title("Elsewhere")); return err },
		func() error {
			_, err := other.CreateControl(ctx, domain.Actor{Kind: "user", Name: "mallory@example.com"}, title("Hers"))
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
	for seq := int64(1); seq <= 8; seq++ {
		if _, err := s.DB().Exec(`UPDATE trail_entries SET at = $1 WHERE org_id = $2 AND seq = $3`,
			trailAt(seq), o.Org().ID, seq); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

func seqs(items []domain.TrailEntry) []int64 {
	out := []int64{}
	for _, e := range items {
		out = append(out, e.Seq)
	}
	return out
}

func TestTrailFilters(t *testing.T) {
	at := func(seq int64) *time.Time { v := trailAt(seq); return &v }
	tests := []struct {
		name string
		f    domain.TrailFilter
		want []int64
	}{
		{"everything, newest first", domain.TrailFilter{}, []int64{8, 7, 6, 5, 4, 3, 2, 1}},
		{"actor", domain.TrailFilter{Actor: "user:alice@example.com"}, []int64{8, 6, 5, 2}},
		{"actor is a token", domain.TrailFilter{Actor: "token:bob@example.com/tdm_abc123"}, []int64{4, 3}},
		{"actor of the program", domain.TrailFilter{Actor: "system:demo"}, []int64{7}},
		{"actor matches exactly, not as a prefix", domain.TrailFilter{Actor: "user:alice"}, []int64{}},
		{"actor seen only in another organization", domain.TrailFilter{Actor: "user:mallory@example.com"}, []int64{}},
		{"action", domain.TrailFilter{Action: "control.update"}, []int64{6, 4}},
		{"resource type", domain.TrailFilter{ResourceType: "control"}, []int64{8, 7, 6, 5, 4, 3, 2}},
		{"resource type org", domain.TrailFilter{ResourceType: "org"}, []int64{1}},
		{"one record", domain.TrailFilter{ResourceType: "control", ResourceRef: "CTL-001"}, []int64{5, 4, 2}},
		{"ref alone", domain.TrailFilter{ResourceRef: "CTL-002"}, []int64{7, 6, 3}},
		{"from is inclusive (whole second)", domain.TrailFilter{From: at(5)}, []int64{8, 7, 6, 5}},
		{"from is inclusive (fraction)", domain.TrailFilter{From: at(4)}, []int64{8, 7, 6, 5, 4}},
		{"to is exclusive (whole second)", domain.TrailFilter{To: at(5)}, []int64{4, 3, 2, 1}},
		{"to is exclusive (fraction)", domain.TrailFilter{To: at(6)}, []int64{5, 4, 3, 2, 1}},
		{"period", domain.TrailFilter{From: at(3), To: at(6)}, []int64{5, 4, 3}},
		{"period in another zone", domain.TrailFilter{From: ptr(trailAt(3).In(time.FixedZone("UTC+5", 5*3600))), To: at(6)}, []int64{5, 4, 3}},
		{"a microsecond before", domain.TrailFilter{From: ptr(trailAt(4).Add(-time.Microsecond)), To: ptr(trailAt(4).Add(time.Microsecond))}, []int64{4}},
		{"actor and period", domain.TrailFilter{Actor: "user:alice@example.com", From: at(3)}, []int64{8, 6, 5}},
		{"actor and action", domain.TrailFilter{Actor: "user:alice@example.com", Action: "control.create"}, []int64{8, 2}},
		{"all filters", domain.TrailFilter{Actor: "token:bob@example.com/tdm_abc123", Action: "control.update",
			ResourceType: "control", ResourceRef: "CTL-001", From: at(1), To: at(8)}, []int64{4}},
		{"nothing in the period", domain.TrailFilter{From: ptr(trailBase.AddDate(1, 0, 0))}, []int64{}},
	}
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := trailFixture(t, s)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := o.Trail(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := seqs(page.Items); !slices.Equal(got, tt.want) || page.Next != nil {
					t.Fatalf("got %v (next %v), want %v", got, page.Next, tt.want)
				}
				// Pages of one entry give the same list, in the same order.
				f, all := tt.f, []int64{}
				f.Limit = 1
				for range 20 {
					page, err := o.Trail(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, seqs(page.Items)...)
					if page.Next == nil {
						break
					}
					f.Cursor = *page.Next
				}
				if !slices.Equal(all, tt.want) {
					t.Fatalf("paged one at a time: %v, want %v", all, tt.want)
				}
			})
		}
		// Entries come back whole: the time as written, in UTC, and the states.
		page, err := o.Trail(ctx, domain.TrailFilter{Action: "control.update", ResourceRef: "CTL-001"})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%v %v", page.Items, err)
		}
		e := page.Items[0]
		if !e.At.Equal(trailAt(4)) || e.At.Location() != time.UTC || e.Actor != bob.String() ||
			!strings.Contains(string(e.Before), `"planned"`) || !strings.Contains(string(e.After), `"implemented"`) || e.PrevHash == "" {
			t.Errorf("entry %+v", e)
		}
	})
}

func TestTrailPagesAcrossFilters(t *testing.T) {
	tests := []struct {
		name  string
		f     domain.TrailFilter
		pages [][]int64
	}{
		{"actor", domain.TrailFilter{Actor: "user:alice@example.com", Limit: 2}, [][]int64{{8, 6}, {5, 2}}},
		{"resource type", domain.TrailFilter{ResourceType: "control", Limit: 3}, [][]int64{{8, 7, 6}, {5, 4, 3}, {2}}},
		{"period", domain.TrailFilter{From: ptr(trailAt(2)), To: ptr(trailAt(8)), Limit: 4}, [][]int64{{7, 6, 5, 4}, {3, 2}}},
		{"exactly one page", domain.TrailFilter{Action: "control.create", Limit: 3}, [][]int64{{8, 3, 2}}},
	}
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := trailFixture(t, s)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.f
				for i, want := range tt.pages {
					page, err := o.Trail(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if got := seqs(page.Items); !slices.Equal(got, want) {
						t.Fatalf("page %d = %v, want %v", i+1, got, want)
					}
					last := i == len(tt.pages)-1
					if (page.Next == nil) != last {
						t.Fatalf("page %d: next = %v, last page: %v", i+1, page.Next, last)
					}
					if !last {
						f.Cursor = *page.Next
					}
				}
			})
		}
	})
}

func TestTrailFilterValidation(t *testing.T) {
	early, late := trailBase, trailBase.Add(time.Hour)
	tests := []struct {
		name   string
		f      domain.TrailFilter
		fields []string
	}{
		{"cursor not issued by the server", domain.TrailFilter{Cursor: "not a cursor"}, []string{"cursor"}},
		{"cursor of position zero", domain.TrailFilter{Cursor: "MA"}, []string{"cursor"}},
		{"from after to", domain.TrailFilter{From: &late, To: &early}, []string{"to"}},
		{"empty period", domain.TrailFilter{From: &early, To: &early}, []string{"to"}},
		{"actor too long", domain.TrailFilter{Actor: strings.Repeat("x", 501)}, []string{"actor"}},
		{"every problem at once", domain.TrailFilter{Action: strings.Repeat("x", 501), ResourceRef: strings.Repeat("y", 501),
			From: &late, To: &early, Cursor: "!"}, []string{"action", "resource_ref", "to", "cursor"}},
	}
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		o := newOrg(t, s, "acme")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := o.Trail(context.Background(), tt.f)
				v, ok := domain.AsValidation(err)
				if !ok {
					t.Fatalf("err = %v, want a validation error", err)
				}
				var got []string
				for _, f := range v.Fields {
					got = append(got, f.Field)
				}
				if !slices.Equal(got, tt.fields) || len(page.Items) != 0 {
					t.Fatalf("fields %v (items %d), want %v", got, len(page.Items), tt.fields)
				}
			})
		}
	})
}

func TestTrailChoices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := trailFixture(t, s)
		actors, err := o.TrailActors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(actors) // the order is the database's collation
		want := []string{"system:demo", "token:bob@example.com/tdm_abc123", "user:alice@example.com", "user:tester@example.com"}
		if !slices.Equal(actors, want) {
			t.Errorf("actors %v, want %v", actors, want)
		}
		actions, err := o.TrailActions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(actions)
		if want := []string{"control.create", "control.delete", "control.link", "control.update", "org.create"}; !slices.Equal(actions, want) {
			t.Errorf("actions %v, want %v", actions, want)
		}
		if empty, err := newOrg(t, s, "empty").TrailActions(ctx); err != nil || len(empty) != 1 {
			t.Errorf("a new organization's actions: %v %v", empty, err)
		}

		// The choices are bounded, however many actors the trail has.
		for i := range store.TrailChoices + 5 {
			if _, err := s.DB().Exec(`INSERT INTO trail_entries (org_id, seq, at, actor, action, resource_type, resource_ref, before_json, after_json, prev_hash, hash)
				VALUES ($1, $2, $3, $4, 'control.update', 'control', 'CTL-001', 'null', 'null', '', '')`,
				o.Org().ID, 100+i, trailBase, fmt.Sprintf("user:u%03d@example.com", i)); err != nil {
				t.Fatal(err)
			}
		}
		actors, err = o.TrailActors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(actors) != store.TrailChoices || !slices.IsSorted(actors[4:]) || slices.Contains(actors, "user:mallory@example.com") {
			t.Errorf("%d actors: %v", len(actors), actors)
		}
	})
}

func TestParseTrailPeriod(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to string
		loc            *time.Location
		wantFrom       string // RFC 3339 in UTC, "" for none
		wantTo         string
		fields         []string
	}{
		{"open", "", "", time.UTC, "", "", nil},
		{"dates in UTC: to includes its day", "2026-03-01", "2026-03-31", time.UTC, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", nil},
		{"dates in the organization's zone", "2026-03-01", "2026-03-01", ams, "2026-02-28T23:00:00Z", "2026-03-01T23:00:00Z", nil},
		{"summer time", "2026-07-01", "", ams, "2026-06-30T22:00:00Z", "", nil},
		{"RFC 3339 as given", "2026-03-01T09:30:00+02:00", "2026-03-01T10:00:00.5Z", ams, "2026-03-01T07:30:00Z", "2026-03-01T10:00:00.5Z", nil},
		{"unreadable", "yesterday", "2026-13-01", time.UTC, "", "", []string{"from", "to"}},
		{"one unreadable", "2026-03-01", "03/04/2026", time.UTC, "2026-03-01T00:00:00Z", "", []string{"to"}},
	}
	show := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, err := domain.ParseTrailPeriod(tt.from, tt.to, tt.loc)
			var fields []string
			if v, ok := domain.AsValidation(err); ok {
				for _, f := range v.Fields {
					fields = append(fields, f.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if show(from) != tt.wantFrom || show(to) != tt.wantTo || !slices.Equal(fields, tt.fields) {
				t.Errorf("got %q %q %v, want %q %q %v", show(from), show(to), fields, tt.wantFrom, tt.wantTo, tt.fields)
			}
		})
	}
}
