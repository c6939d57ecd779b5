package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestAdoptReference(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "globex")
		create(t, o, "Existing control", "implemented") // CTL-001

		// Invalid input: every problem named, nothing written.
		_, err := o.AdoptReference(ctx, tester, []string{"REF-GOV-01", "REF-NOPE-99", ""})
		v, ok := domain.AsValidation(err)
		if !ok || v.For("ids[1]") == "" || v.For("ids[2]") == "" || v.For("ids[0]") != "" {
			t.Fatalf("unknown ids: %v", err)
		}
		if _, err := o.AdoptReference(ctx, tester, nil); err == nil {
			t.Fatal("no ids accepted")
		}
		if n := countRows(t, s, "controls"); n != 1 {
			t.Fatalf("controls = %d after refused adoptions, want 1", n)
		}

		trailBefore := trailLen(t, o)
		// Out of order and with a duplicate: created once, in the set's order.
		res, err := o.AdoptReference(ctx, tester, []string{"REF-ACCESS-01", "REF-GOV-01", "REF-ACCESS-01"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Created) != 2 || len(res.Skipped) != 0 {
			t.Fatalf("created %d skipped %d, want 2 and 0", len(res.Created), len(res.Skipped))
		}
		gov, acc := res.Created[0], res.Created[1]
		if gov.Reference != "REF-GOV-01" || gov.Ref != "CTL-002" || acc.Reference != "REF-ACCESS-01" || acc.Ref != "CTL-003" {
			t.Errorf("created %s (%s) and %s (%s)", gov.Ref, gov.Reference, acc.Ref, acc.Reference)
		}
		rc := storetest.Catalog.ReferenceControl("REF-GOV-01")
		got, err := o.Control(ctx, gov.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != rc.Title || got.Description != rc.Purpose || got.Status != domain.StatusPlanned || got.Owner != "" ||
			got.Reference != "REF-GOV-01" || strings.Join(got.Requirements, " ") != strings.Join(rc.Requirements, " ") ||
			got.Scope != domain.ScopeShared {
			t.Errorf("adopted control = %+v", got)
		}
		if n := trailLen(t, o) - trailBefore; n != 2 {
			t.Errorf("%d trail entries for 2 adopted controls", n)
		}
		entry := lastTrail(t, o)
		if entry.Action != "control.adopt" || entry.ResourceRef != "CTL-003" || !strings.Contains(string(entry.After), `"reference":"REF-ACCESS-01"`) {
			t.Errorf("trail entry = %s %s %s", entry.Action, entry.ResourceRef, entry.After)
		}

		// Idempotent: adopting again skips what is there and adds the rest.
		res, err = o.AdoptReference(ctx, tester, []string{"REF-GOV-01", "REF-ACCESS-01", "REF-DATA-04"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Created) != 1 || res.Created[0].Reference != "REF-DATA-04" || strings.Join(res.Skipped, " ") != "REF-GOV-01 REF-ACCESS-01" {
			t.Errorf("second adoption: created %v skipped %v", res.Created, res.Skipped)
		}
		res, err = o.AdoptReference(ctx, tester, []string{"REF-GOV-01"})
		if err != nil || len(res.Created) != 0 || len(res.Skipped) != 1 {
			t.Errorf("third adoption: %+v %v", res, err)
		}

		adopted, err := o.AdoptedReferences(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(adopted) != 3 || adopted["REF-GOV-01"] != "CTL-002" || adopted["REF-DATA-04"] != "CTL-004" {
			t.Errorf("adopted = %v", adopted)
		}
		// Another organization sees none of it and adopts on its own.
		if theirs, _ := other.AdoptedReferences(ctx); len(theirs) != 0 {
			t.Errorf("globex sees %v", theirs)
		}
		if res, err := other.AdoptReference(ctx, tester, []string{"REF-GOV-01"}); err != nil || len(res.Created) != 1 || res.Created[0].Ref != "CTL-001" {
			t.Errorf("globex adoption: %+v %v", res, err)
		}

		// The reference id is searchable and survives edits; a deleted
		// adopted control can be adopted again.
		page, _, err := o.ListControls(ctx, domain.ControlFilter{Text: "ref-data-04"})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("search by reference id: %v %v", page.Items, err)
		}
		edited, err := o.UpdateControl(ctx, tester, "CTL-004", 1, domain.ControlInput{Owner: ptr("Data lead")})
		if err != nil || edited.Reference != "REF-DATA-04" {
			t.Errorf("after edit: %+v %v", edited, err)
		}
		if err := o.DeleteControl(ctx, tester, "CTL-004", nil); err != nil {
			t.Fatal(err)
		}
		res, err = o.AdoptReference(ctx, tester, []string{"REF-DATA-04"})
		if err != nil || len(res.Created) != 1 || res.Created[0].Ref != "CTL-005" {
			t.Errorf("adopt again after delete: %+v %v", res, err)
		}

		// Adopting the whole set links every Annex A control of both standards.
		var all []string
		for _, rc := range storetest.Catalog.Reference {
			all = append(all, rc.ID)
		}
		fresh := newOrg(t, s, "fresh")
		res, err = fresh.AdoptReference(ctx, tester, all)
		if err != nil || len(res.Created) != len(all) {
			t.Fatalf("adopt all: %d created, %v", len(res.Created), err)
		}
		stats, err := fresh.ControlStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, std := range storetest.Catalog.Standards {
			for _, req := range std.Requirements {
				if req.Kind == "annex" && stats.Requirements[req.Key].Controls == 0 {
					t.Errorf("%s has no control after adopting the whole set", req.Key)
				}
			}
		}
	})
}

// Two people adopting the same controls at once: each is created once.
func TestAdoptReferenceConcurrently(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		ids := []string{"REF-GOV-01", "REF-GOV-02", "REF-RISK-01", "REF-OPS-07"}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = o.AdoptReference(ctx, tester, ids)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Errorf("concurrent adoption: %v", err)
			}
		}
		if n := countRows(t, s, "controls"); n != len(ids) {
			t.Errorf("controls = %d, want %d", n, len(ids))
		}
	})
}

func importRow(row int, title, status string, reqs ...string) domain.ImportRow {
	return domain.ImportRow{Row: row, Control: domain.ControlInput{Title: &title, Status: &status, Requirements: &reqs}}
}

func TestImportControls(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		create(t, o, "Existing", "planned") // CTL-001

		// One bad row refuses the whole import; every problem is named by row.
		rows := []domain.ImportRow{
			importRow(2, "Access reviews", "implemented", "iso27001-2022/A.5.18"),
			importRow(3, "", "planned"),
			importRow(4, "Logging", "sometimes", "iso27001-2022/A.8.15"),
			importRow(5, "Bad link", "planned", "iso27001-2022/A.99"),
		}
		_, err := o.ImportControls(ctx, tester, "", rows)
		v, ok := domain.AsValidation(err)
		if !ok {
			t.Fatalf("want field errors, got %v", err)
		}
		for _, f := range []string{"rows[3].title", "rows[4].status", "rows[5].requirements[0]"} {
			if v.For(f) == "" {
				t.Errorf("no error for %s in %v", f, v)
			}
		}
		if v.For("rows[2].title") != "" {
			t.Errorf("row 2 is fine: %v", v)
		}
		if n := countRows(t, s, "controls"); n != 1 {
			t.Fatalf("controls = %d after a refused import, want 1", n)
		}

		// The valid file is imported whole, in order, each with a trail entry.
		before := trailLen(t, o)
		good := []domain.ImportRow{rows[0], importRow(3, "Backups", "in_progress", "iso27001-2022/A.8.13", "iso42001-2023/A.4.5")}
		created, err := o.ImportControls(ctx, tester, "", good)
		if err != nil {
			t.Fatal(err)
		}
		if len(created) != 2 || created[0].Ref != "CTL-002" || created[1].Ref != "CTL-003" || created[1].Scope != domain.ScopeShared {
			t.Errorf("created %+v", created)
		}
		if n := trailLen(t, o) - before; n != 2 {
			t.Errorf("%d trail entries for 2 imported controls", n)
		}
		if e := lastTrail(t, o); e.Action != "control.import" || e.ResourceRef != "CTL-003" {
			t.Errorf("trail entry %s %s", e.Action, e.ResourceRef)
		}
		if _, err := o.ImportControls(ctx, tester, "", nil); err == nil {
			t.Error("an empty import was accepted")
		}
	})
}

func TestImportStash(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "globex")
		someone := domain.Actor{Kind: "user", Name: "someone@example.com"}

		id, err := o.StashImport(ctx, tester, "register.csv", []byte(`{"headers":["Title"]}`))
		if err != nil || len(id) != 32 {
			t.Fatalf("stash: %q %v", id, err)
		}
		name, table, err := o.StashedImport(ctx, tester, id)
		if err != nil || name != "register.csv" || string(table) != `{"headers":["Title"]}` {
			t.Fatalf("stashed: %q %s %v", name, table, err)
		}
		// Another organization or another person cannot reach it.
		if _, _, err := other.StashedImport(ctx, tester, id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("other organization: %v", err)
		}
		if _, _, err := o.StashedImport(ctx, someone, id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("other person: %v", err)
		}
		if _, err := other.ImportControls(ctx, tester, id, []domain.ImportRow{importRow(2, "X", "planned")}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("commit from another organization: %v", err)
		}
		// A commit deletes it in the same transaction: a second commit finds nothing.
		if _, err := o.ImportControls(ctx, tester, id, []domain.ImportRow{importRow(2, "X", "planned")}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.StashedImport(ctx, tester, id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("after commit: %v", err)
		}
		if _, err := o.ImportControls(ctx, tester, id, []domain.ImportRow{importRow(2, "X", "planned")}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("second commit: %v", err)
		}
		if n := countRows(t, s, "controls"); n != 1 {
			t.Errorf("controls = %d, want 1", n)
		}
		// An expired stash is gone, and the next upload purges it.
		old, err := o.StashImport(ctx, tester, "old.csv", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`UPDATE control_imports SET expires_at = created_at WHERE id = $1`, old); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.StashedImport(ctx, tester, old); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("expired stash: %v", err)
		}
		if _, err := o.StashImport(ctx, tester, "new.csv", []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "control_imports"); n != 1 {
			t.Errorf("control_imports = %d after the purge, want 1", n)
		}
	})
}

func trailLen(t *testing.T, o *store.OrgStore) int {
	t.Helper()
	page, err := o.Trail(context.Background(), domain.TrailFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		return 0
	}
	return int(page.Items[0].Seq)
}

func lastTrail(t *testing.T, o *store.OrgStore) domain.TrailEntry {
	t.Helper()
	page, err := o.Trail(context.Background(), domain.TrailFilter{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatal(fmt.Sprint("no trail: ", err))
	}
	return page.Items[0]
}
