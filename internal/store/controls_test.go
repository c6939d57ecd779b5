package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

var tester = domain.Actor{Kind: "user", Name: "tester@example.com"}

func ptr[T any](v T) *T { return &v }

func newOrg(t *testing.T, s *store.Store, slug string) *store.OrgStore {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateOrg(ctx, tester, domain.OrgInput{Slug: slug, Name: "Org " + slug}); err != nil {
		t.Fatal(err)
	}
	o, err := s.Org(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func create(t *testing.T, o *store.OrgStore, title, status string, keys ...string) domain.Control {
	t.Helper()
	c, err := o.CreateControl(context.Background(), tester, domain.ControlInput{
		Title: &title, Status: &status, Owner: ptr("Alex Owner"), Requirements: &keys,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countRows(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOrgs(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tests := []struct {
			name      string
			in        domain.OrgInput
			wantField string
		}{
			{"valid", domain.OrgInput{Slug: "acme", Name: "Acme"}, ""},
			{"duplicate slug", domain.OrgInput{Slug: "acme", Name: "Acme again"}, "slug"},
			{"bad slug", domain.OrgInput{Slug: "Acme Corp", Name: "Acme"}, "slug"},
			{"no name", domain.OrgInput{Slug: "beta"}, "name"},
			{"bad zone", domain.OrgInput{Slug: "gamma", Name: "G", TimeZone: "Mars/Olympus"}, "time_zone"},
		}
		for _, tt := range tests {
			_, err := s.CreateOrg(ctx, tester, tt.in)
			if tt.wantField == "" {
				if err != nil {
					t.Errorf("%s: %v", tt.name, err)
				}
				continue
			}
			v, ok := domain.AsValidation(err)
			if !ok || v.For(tt.wantField) == "" {
				t.Errorf("%s: want a field error on %s, got %v", tt.name, tt.wantField, err)
			}
		}
		if n := countRows(t, s, "orgs"); n != 1 {
			t.Errorf("orgs = %d, want 1 (rejected input must write nothing)", n)
		}
		if _, err := s.Org(ctx, "nope"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("unknown org: %v", err)
		}
		for i := 0; i < 3; i++ {
			if _, err := s.CreateOrg(ctx, tester, domain.OrgInput{Slug: fmt.Sprintf("org-%d", i), Name: "X"}); err != nil {
				t.Fatal(err)
			}
		}
		p1, err := s.Orgs(ctx, 2, "")
		if err != nil || len(p1.Items) != 2 || p1.Next == nil {
			t.Fatalf("page 1: %+v %v", p1, err)
		}
		p2, err := s.Orgs(ctx, 2, *p1.Next)
		if err != nil || len(p2.Items) != 2 || p2.Next != nil || p2.Items[0].Slug != "org-1" {
			t.Fatalf("page 2: %+v %v", p2, err)
		}
	})
}

func TestControlLifecycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		a := create(t, o, "Access reviews", domain.StatusPlanned, "iso27001-2022/A.5.18")
		b := create(t, o, "AI policy", domain.StatusImplemented, "iso42001-2023/A.2.2", "iso27001-2022/A.5.1")
		if a.Ref != "CTL-001" || b.Ref != "CTL-002" {
			t.Fatalf("refs %s, %s", a.Ref, b.Ref)
		}
		if a.Scope != domain.Scope27001 || b.Scope != domain.ScopeShared {
			t.Fatalf("scopes %s, %s", a.Scope, b.Scope)
		}
		// Keys come back in catalog order, whatever order they were given in.
		got, err := o.Control(ctx, "CTL-002")
		if err != nil || got.Requirements[0] != "iso27001-2022/A.5.1" || got.Version != 1 {
			t.Fatalf("read: %+v %v", got, err)
		}

		upd, err := o.UpdateControl(ctx, tester, "CTL-001", 1, domain.ControlInput{Status: ptr(domain.StatusImplemented)})
		if err != nil || upd.Version != 2 || upd.Status != domain.StatusImplemented || upd.Title != "Access reviews" {
			t.Fatalf("update: %+v %v", upd, err)
		}
		// A stale version is refused and changes nothing.
		if _, err := o.UpdateControl(ctx, tester, "CTL-001", 1, domain.ControlInput{Title: ptr("Lost")}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		if c, _ := o.Control(ctx, "CTL-001"); c.Title != "Access reviews" || c.Version != 2 {
			t.Fatalf("after stale update: %+v", c)
		}

		linked, err := o.LinkRequirement(ctx, tester, "CTL-001", "iso42001-2023/A.3.2", nil)
		if err != nil || linked.Scope != domain.ScopeShared || linked.Version != 3 {
			t.Fatalf("link: %+v %v", linked, err)
		}
		unlinked, err := o.UnlinkRequirement(ctx, tester, "CTL-001", "iso27001-2022/A.5.18", ptr(int64(3)))
		if err != nil || unlinked.Scope != domain.Scope42001 || len(unlinked.Requirements) != 1 {
			t.Fatalf("unlink: %+v %v", unlinked, err)
		}
		for _, key := range []string{"iso27001-2022/A.99", "", "  "} {
			_, err := o.LinkRequirement(ctx, tester, "CTL-001", key, nil)
			if v, ok := domain.AsValidation(err); !ok || v.For("key") == "" {
				t.Errorf("link %q: want an error on key, got %v", key, err)
			}
			_, err = o.UnlinkRequirement(ctx, tester, "CTL-001", key, nil)
			if v, ok := domain.AsValidation(err); !ok || v.For("key") == "" {
				t.Errorf("unlink %q: want an error on key, got %v", key, err)
			}
		}

		if err := o.DeleteControl(ctx, tester, "CTL-002", ptr(int64(7))); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale delete: %v", err)
		}
		if err := o.DeleteControl(ctx, tester, "CTL-002", ptr(int64(1))); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Control(ctx, "CTL-002"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("deleted control: %v", err)
		}
		// Refs are never reused.
		if c := create(t, o, "Next", domain.StatusPlanned); c.Ref != "CTL-003" {
			t.Fatalf("ref after delete = %s", c.Ref)
		}

		// Every write appended one trail entry: org, 2 creates, update, link, unlink, delete, create.
		page, err := o.Trail(ctx, domain.TrailFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		wantActions := []string{"control.create", "control.delete", "control.unlink", "control.link", "control.update", "control.create", "control.create", "org.create"}
		if len(page.Items) != len(wantActions) {
			t.Fatalf("trail has %d entries, want %d", len(page.Items), len(wantActions))
		}
		for i, e := range page.Items {
			if e.Action != wantActions[i] || e.Actor != "user:tester@example.com" {
				t.Errorf("entry %d = %s by %s, want %s", e.Seq, e.Action, e.Actor, wantActions[i])
			}
		}
		upd1 := page.Items[4]
		if string(upd1.Before) == "null" || string(upd1.After) == "null" {
			t.Errorf("update entry lacks before/after: %s / %s", upd1.Before, upd1.After)
		}
		if n, brk, err := o.VerifyTrail(ctx); err != nil || brk != nil || n != 8 {
			t.Fatalf("verify: %d %v %v", n, brk, err)
		}
	})
}

func TestControlValidationWritesNothing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		create(t, o, "Existing", domain.StatusPlanned)
		long := make([]byte, domain.MaxTitle+1)
		for i := range long {
			long[i] = 'x'
		}
		tests := []struct {
			name   string
			in     domain.ControlInput
			fields []string
		}{
			{"empty title", domain.ControlInput{Title: ptr("  ")}, []string{"title"}},
			{"long title", domain.ControlInput{Title: ptr(string(long))}, []string{"title"}},
			{"bad status", domain.ControlInput{Title: ptr("T"), Status: ptr("done")}, []string{"status"}},
			{"unknown requirement", domain.ControlInput{Title: ptr("T"), Requirements: &[]string{"iso27001-2022/A.5.1", "iso27001-2022/5.99"}}, []string{"requirements[1]"}},
			{"all at once", domain.ControlInput{Title: ptr(""), Status: ptr("x"), Requirements: &[]string{"nope"}}, []string{"title", "status", "requirements[0]"}},
		}
		before := countRows(t, s, "trail_entries")
		for _, tt := range tests {
			_, err := o.CreateControl(ctx, tester, tt.in)
			v, ok := domain.AsValidation(err)
			if !ok {
				t.Errorf("%s create: want validation error, got %v", tt.name, err)
				continue
			}
			if len(v.Fields) != len(tt.fields) {
				t.Errorf("%s: fields %+v, want %v", tt.name, v.Fields, tt.fields)
			}
			for _, f := range tt.fields {
				if v.For(f) == "" {
					t.Errorf("%s: no error on %s: %+v", tt.name, f, v.Fields)
				}
			}
			if _, err := o.UpdateControl(ctx, tester, "CTL-001", 1, tt.in); !errors.As(err, &v) {
				t.Errorf("%s update: want validation error, got %v", tt.name, err)
			}
		}
		if n := countRows(t, s, "controls"); n != 1 {
			t.Errorf("controls = %d, want 1", n)
		}
		if n := countRows(t, s, "trail_entries"); n != before {
			t.Errorf("trail grew from %d to %d on rejected input", before, n)
		}
		if c, _ := o.Control(ctx, "CTL-001"); c.Version != 1 || c.Title != "Existing" {
			t.Errorf("control changed: %+v", c)
		}
		// A create that failed does not burn a ref.
		if c := create(t, o, "Second", domain.StatusPlanned); c.Ref != "CTL-002" {
			t.Errorf("ref = %s, want CTL-002", c.Ref)
		}
	})
}

func TestControlFilters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		create(t, o, "Information security policy", domain.StatusImplemented, "iso27001-2022/A.5.1")         // 001 27001-only
		create(t, o, "AI policy", domain.StatusInProgress, "iso42001-2023/A.2.2")                            // 002 42001-only
		create(t, o, "Policy framework", domain.StatusImplemented, "iso27001-2022/5.2", "iso42001-2023/5.2") // 003 shared
		create(t, o, "Clean desk 100%_checks", domain.StatusPlanned)                                         // 004 unlinked
		c5 := create(t, o, "Supplier reviews", domain.StatusNotImplemented, "iso27001-2022/A.5.22", "iso42001-2023/A.10.3")
		if _, err := o.UpdateControl(ctx, tester, c5.Ref, 1, domain.ControlInput{Owner: ptr("Dana Legal")}); err != nil {
			t.Fatal(err)
		}
		c6 := create(t, o, "Équipe de gestion des ŒUVRES", domain.StatusPlanned)
		if _, err := o.UpdateControl(ctx, tester, c6.Ref, 1, domain.ControlInput{Owner: ptr("Åsa Öberg")}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			f    domain.ControlFilter
			want []string
		}{
			{"all", domain.ControlFilter{}, []string{"CTL-001", "CTL-002", "CTL-003", "CTL-004", "CTL-005", "CTL-006"}},
			{"standard 27001", domain.ControlFilter{Standard: "iso27001-2022"}, []string{"CTL-001", "CTL-003", "CTL-005"}},
			{"standard 42001", domain.ControlFilter{Standard: "iso42001-2023"}, []string{"CTL-002", "CTL-003", "CTL-005"}},
			{"requirement", domain.ControlFilter{Requirement: "iso42001-2023/5.2"}, []string{"CTL-003"}},
			{"clause vs control", domain.ControlFilter{Requirement: "iso27001-2022/5.1"}, nil},
			{"status", domain.ControlFilter{Status: domain.StatusImplemented}, []string{"CTL-001", "CTL-003"}},
			{"scope shared", domain.ControlFilter{Scope: domain.ScopeShared}, []string{"CTL-003", "CTL-005"}},
			{"scope 27001", domain.ControlFilter{Scope: domain.Scope27001}, []string{"CTL-001"}},
			{"scope 42001", domain.ControlFilter{Scope: domain.Scope42001}, []string{"CTL-002"}},
			{"scope unlinked", domain.ControlFilter{Scope: domain.ScopeUnlinked}, []string{"CTL-004", "CTL-006"}},
			{"text beyond ASCII", domain.ControlFilter{Text: "équipe de gestion des œuvres"}, []string{"CTL-006"}},
			{"owner beyond ASCII", domain.ControlFilter{Owner: "ÅSA ÖBERG"}, []string{"CTL-006"}},
			{"text any case", domain.ControlFilter{Text: "POLICY"}, []string{"CTL-001", "CTL-002", "CTL-003"}},
			{"text wildcard is literal", domain.ControlFilter{Text: "100%_"}, []string{"CTL-004"}},
			{"text percent only", domain.ControlFilter{Text: "%"}, []string{"CTL-004"}},
			{"text ref", domain.ControlFilter{Text: "ctl-005"}, []string{"CTL-005"}},
			{"owner", domain.ControlFilter{Owner: "dana legal"}, []string{"CTL-005"}},
			{"combined", domain.ControlFilter{Standard: "iso27001-2022", Status: domain.StatusImplemented, Text: "framework"}, []string{"CTL-003"}},
			{"theme organizational", domain.ControlFilter{Theme: "iso27001-2022/organizational"}, []string{"CTL-001", "CTL-005"}},
			{"group A.10", domain.ControlFilter{Theme: "iso42001-2023/A.10"}, []string{"CTL-005"}},
			{"group A.2 and shared", domain.ControlFilter{Theme: "iso42001-2023/A.2", Scope: domain.ScopeShared}, nil},
			{"theme without controls", domain.ControlFilter{Theme: "iso27001-2022/physical"}, nil},
		}
		for _, tt := range tests {
			page, total, err := o.ListControls(ctx, tt.f)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			var got []string
			for _, c := range page.Items {
				got = append(got, c.Ref)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || total != len(tt.want) {
				t.Errorf("%s: got %v (total %d), want %v", tt.name, got, total, tt.want)
			}
		}
		for _, bad := range []domain.ControlFilter{{Status: "done"}, {Scope: "both"}, {Standard: "iso9001"}, {Requirement: "x"}, {Cursor: "!!"}, {Theme: "iso27001-2022/A.5"}, {Theme: "organizational"}} {
			if _, _, err := o.ListControls(ctx, bad); err == nil {
				t.Errorf("filter %+v: want a validation error", bad)
			}
		}
		// Pagination walks every control once, in order.
		var seen []string
		cursor := ""
		for pages := 0; ; pages++ {
			page, total, err := o.ListControls(ctx, domain.ControlFilter{Limit: 2, Cursor: cursor})
			if err != nil || total != 6 || pages > 3 {
				t.Fatalf("page %d: %v total %d", pages, err, total)
			}
			for _, c := range page.Items {
				seen = append(seen, c.Ref)
			}
			if page.Next == nil {
				break
			}
			cursor = *page.Next
		}
		if fmt.Sprint(seen) != "[CTL-001 CTL-002 CTL-003 CTL-004 CTL-005 CTL-006]" {
			t.Errorf("paged: %v", seen)
		}
	})
}

func TestOrgIsolation(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newOrg(t, s, "org-a")
		b := newOrg(t, s, "org-b")
		create(t, a, "Secret of A", domain.StatusPlanned, "iso27001-2022/A.5.1")
		if _, err := b.Control(ctx, "CTL-001"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("B reads A's control: %v", err)
		}
		if _, err := b.UpdateControl(ctx, tester, "CTL-001", 1, domain.ControlInput{Title: ptr("x")}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("B updates A's control: %v", err)
		}
		if err := b.DeleteControl(ctx, tester, "CTL-001", nil); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("B deletes A's control: %v", err)
		}
		if page, total, _ := b.ListControls(ctx, domain.ControlFilter{}); len(page.Items) != 0 || total != 0 {
			t.Errorf("B lists %d controls", total)
		}
		// Refs are per organization: B's first control is CTL-001 too.
		if c := create(t, b, "B's own", domain.StatusPlanned); c.Ref != "CTL-001" {
			t.Errorf("B's first ref = %s", c.Ref)
		}
		if c, _ := a.Control(ctx, "CTL-001"); c.Title != "Secret of A" {
			t.Errorf("A's control = %+v", c)
		}
		if page, _ := b.Trail(ctx, domain.TrailFilter{Limit: 10}); len(page.Items) != 2 {
			t.Errorf("B's trail has %d entries, want 2", len(page.Items))
		}
	})
}

func TestConcurrentWrites(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		create(t, o, "Contended", domain.StatusPlanned)
		const writers = 8
		var wg sync.WaitGroup
		errs := make([]error, writers)
		refs := make([]string, writers)
		for i := 0; i < writers; i++ {
			wg.Add(2)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = o.UpdateControl(ctx, tester, "CTL-001", 1, domain.ControlInput{Title: ptr(fmt.Sprintf("writer %d", i))})
			}(i)
			go func(i int) {
				defer wg.Done()
				c, err := o.CreateControl(ctx, tester, domain.ControlInput{Title: ptr(fmt.Sprintf("new %d", i))})
				if err != nil {
					t.Error(err)
				}
				refs[i] = c.Ref
			}(i)
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, domain.ErrConflict):
				t.Errorf("unexpected error: %v", err)
			}
		}
		if won != 1 {
			t.Errorf("%d writers won the same version, want exactly 1", won)
		}
		seen := map[string]bool{}
		for _, r := range refs {
			if seen[r] {
				t.Errorf("ref %s handed out twice", r)
			}
			seen[r] = true
		}
		if c, _ := o.Control(ctx, "CTL-001"); c.Version != 2 {
			t.Errorf("version = %d, want 2", c.Version)
		}
		// Links without a version never conflict: each waits its turn.
		keys := []string{"iso27001-2022/A.5.1", "iso27001-2022/A.5.2", "iso27001-2022/A.5.3", "iso27001-2022/A.5.4",
			"iso42001-2023/A.2.2", "iso42001-2023/A.2.3", "iso42001-2023/A.2.4", "iso42001-2023/A.3.2"}
		linkErrs := make([]error, len(keys))
		for i, k := range keys {
			wg.Add(1)
			go func(i int, k string) {
				defer wg.Done()
				_, linkErrs[i] = o.LinkRequirement(ctx, tester, "CTL-001", k, nil)
			}(i, k)
		}
		wg.Wait()
		for i, err := range linkErrs {
			if err != nil {
				t.Errorf("link %s without version: %v", keys[i], err)
			}
		}
		if c, _ := o.Control(ctx, "CTL-001"); len(c.Requirements) != len(keys) || c.Version != int64(2+len(keys)) {
			t.Errorf("after concurrent links: %d links, version %d", len(c.Requirements), c.Version)
		}
		if _, brk, err := o.VerifyTrail(ctx); err != nil || brk != nil {
			t.Errorf("trail after concurrent writes: %v %v", brk, err)
		}
	})
}
