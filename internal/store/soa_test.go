package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// decision builds a decision input: applicable or not, a justification and
// reasons.
func decision(applicable bool, justification string, reasons ...string) domain.DecisionInput {
	return domain.DecisionInput{Applicable: &applicable, Justification: justification, Reasons: reasons}
}

func rowOf(t *testing.T, rows []domain.SoARow, ref string) domain.SoARow {
	t.Helper()
	for _, r := range rows {
		if r.Ref == ref {
			return r
		}
	}
	t.Fatalf("no row %s", ref)
	return domain.SoARow{}
}

func soa(t *testing.T, o *store.OrgStore, standard string) []domain.SoARow {
	t.Helper()
	rows, err := o.SoA(context.Background(), standard)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestSoARows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")
		ctx := context.Background()
		shared := create(t, o, "Supplier assurance", "in_progress", "iso27001-2022/A.5.19", "iso42001-2023/A.10.3", "iso27001-2022/5.1")
		only := create(t, o, "Backups", "implemented", "iso27001-2022/A.8.13")
		create(t, other, "Other's backups", "implemented", "iso27001-2022/A.8.13")

		for _, tt := range []struct {
			standard    string
			rows        int
			first, last string
		}{
			{domain.ISO27001, 93, "A.5.1", "A.8.34"},
			{domain.ISO42001, 38, "A.2.2", "A.10.4"},
		} {
			rows := soa(t, o, tt.standard)
			if len(rows) != tt.rows || rows[0].Ref != tt.first || rows[len(rows)-1].Ref != tt.last {
				t.Fatalf("%s: %d rows, %s … %s", tt.standard, len(rows), rows[0].Ref, rows[len(rows)-1].Ref)
			}
			for _, r := range rows {
				if r.Applicable != nil || r.Version != 0 || r.Reasons == nil || r.Controls == nil || r.Key != tt.standard+"/"+r.Ref {
					t.Fatalf("%s %s: undecided row %+v", tt.standard, r.Ref, r)
				}
			}
		}
		// The shared control serves both statements, as shared.
		for _, k := range []struct{ std, ref string }{{domain.ISO27001, "A.5.19"}, {domain.ISO42001, "A.10.3"}} {
			r := rowOf(t, soa(t, o, k.std), k.ref)
			if len(r.Controls) != 1 || r.Controls[0].Ref != shared.Ref || r.Controls[0].Scope != domain.ScopeShared ||
				r.Controls[0].Owner != "Alex Owner" || r.State != domain.StatePartial {
				t.Errorf("%s %s: %+v", k.std, k.ref, r)
			}
		}
		rows := soa(t, o, domain.ISO27001)
		if r := rowOf(t, rows, "A.8.13"); len(r.Controls) != 1 || r.Controls[0].Ref != only.Ref ||
			r.Controls[0].Scope != domain.Scope27001 || r.State != domain.StateImplemented {
			t.Errorf("A.8.13: %+v (another organization's control must not show)", r)
		}
		if r := rowOf(t, rows, "A.5.1"); r.State != domain.StateNoControl || len(r.Controls) != 0 {
			t.Errorf("A.5.1: %+v", r)
		}

		// Only standards with an Annex A have a statement.
		if _, err := o.SoA(ctx, "iso9001-2015"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("unknown standard: %v", err)
		}
	})
}

func TestSoADecisions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		o := newOrg(t, s, "acme")
		ctx := context.Background()
		trailLen := func() int { return countRows(t, s, "trail_entries") }
		start := trailLen()

		// Refused input: a field error for each problem, nothing written.
		refused := []struct {
			name   string
			std    string
			ref    string
			in     domain.DecisionInput
			fields []string
		}{
			{"no justification", domain.ISO27001, "A.5.1", decision(false, "  "), []string{"justification"}},
			{"applicable without reason", domain.ISO27001, "A.5.1", decision(true, "We process personal data"), []string{"reasons"}},
			{"unknown reason", domain.ISO27001, "A.5.1", decision(true, "Why", "whim"), []string{"reasons"}},
			{"no decision", domain.ISO27001, "A.5.1", domain.DecisionInput{Justification: "x"}, []string{"applicable"}},
			{"a clause", domain.ISO27001, "5.1", decision(false, ""), []string{"ref", "justification"}},
		}
		for _, tt := range refused {
			_, err := o.Decide(ctx, tester, tt.std, tt.ref, nil, tt.in)
			v, ok := domain.AsValidation(err)
			if !ok {
				t.Errorf("%s: %v, want field errors", tt.name, err)
				continue
			}
			for _, f := range tt.fields {
				if v.For(f) == "" {
					t.Errorf("%s: no error on %s: %v", tt.name, f, v)
				}
			}
		}
		for _, tt := range []struct{ std, ref string }{{domain.ISO27001, "A.99.1"}, {"iso9001-2015", "A.5.1"}} {
			if _, err := o.Decide(ctx, tester, tt.std, tt.ref, nil, decision(false, "x")); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("%s %s: %v, want not found", tt.std, tt.ref, err)
			}
		}
		if n := countRows(t, s, "soa_decisions"); n != 0 || trailLen() != start {
			t.Fatalf("refused decisions wrote %d rows, %d trail entries", n, trailLen()-start)
		}

		// The first decision needs no version (or 0); later ones need it.
		row, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.1", nil,
			decision(true, " Policies are the base of the ISMS ", domain.ReasonBusiness, domain.ReasonRiskTreatment, domain.ReasonBusiness))
		if err != nil {
			t.Fatal(err)
		}
		if row.Applicable == nil || !*row.Applicable || row.Version != 1 || row.Justification != "Policies are the base of the ISMS" ||
			!slices.Equal(row.Reasons, []string{domain.ReasonRiskTreatment, domain.ReasonBusiness}) ||
			row.DecidedBy != tester.String() || row.DecidedAt == nil || row.Key != "iso27001-2022/A.5.1" {
			t.Fatalf("decided: %+v", row)
		}
		if _, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.1", nil, decision(false, "Changed my mind")); !errors.Is(err, domain.ErrVersionRequired) {
			t.Errorf("update without version: %v", err)
		}
		if _, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.2", ptr(int64(3)), decision(false, "Not needed")); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("first decision with a version: %v", err)
		}
		if _, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.1", ptr(int64(0)), decision(false, "Decided meanwhile")); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("version 0 on a decided row: %v", err)
		}
		excluded, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.1", ptr(int64(1)), decision(false, "Covered by the group policy", domain.ReasonLegal))
		if err != nil {
			t.Fatal(err)
		}
		if excluded.Version != 2 || *excluded.Applicable || len(excluded.Reasons) != 0 {
			t.Fatalf("excluded: %+v (an exclusion keeps no reason)", excluded)
		}
		if _, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.1", ptr(int64(1)), decision(true, "Stale", domain.ReasonLegal)); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("stale version: %v", err)
		}
		// The same decision again writes nothing.
		before := trailLen()
		same, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.1", ptr(int64(2)), decision(false, "Covered by the group policy"))
		if err != nil || same.Version != 2 || trailLen() != before {
			t.Errorf("unchanged decision: %+v, %v, %d trail entries", same, err, trailLen()-before)
		}
		if r := rowOf(t, soa(t, o, domain.ISO27001), "A.5.1"); r.Version != 2 || r.Justification != "Covered by the group policy" {
			t.Errorf("stale write landed: %+v", r)
		}
		// A 42001 decision lives in its own statement.
		if _, err := o.Decide(ctx, tester, domain.ISO42001, "A.5.2", ptr(int64(0)), decision(true, "We assess impacts", domain.ReasonLegal)); err != nil {
			t.Fatal(err)
		}
		if r := rowOf(t, soa(t, o, domain.ISO42001), "A.5.2"); r.Applicable == nil || !*r.Applicable {
			t.Errorf("42001 A.5.2: %+v", r)
		}
		if r := rowOf(t, soa(t, o, domain.ISO27001), "A.5.2"); r.Applicable != nil {
			t.Errorf("27001 A.5.2 decided by a 42001 decision: %+v", r)
		}
		other := newOrg(t, s, "other")
		if r := rowOf(t, soa(t, other, domain.ISO27001), "A.5.1"); r.Applicable != nil {
			t.Errorf("another organization sees acme's decision: %+v", r)
		}

		// Trail: one entry per write, with before and after.
		page, err := o.Trail(ctx, domain.TrailFilter{ResourceType: "soa", ResourceRef: "iso27001-2022/A.5.1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Items[0].Action != "soa.decide" || page.Items[1].Action != "soa.decide" {
			t.Fatalf("trail: %+v", page.Items)
		}
		var was, now map[string]any
		json.Unmarshal(page.Items[0].Before, &was)
		json.Unmarshal(page.Items[0].After, &now)
		if was["applicable"] != true || now["applicable"] != false || now["justification"] != "Covered by the group policy" || now["version"] != 2.0 {
			t.Errorf("trail before %v after %v", was, now)
		}
		if string(page.Items[1].Before) != "null" {
			t.Errorf("first decision has a before: %s", page.Items[1].Before)
		}
		if _, brk, err := o.VerifyTrail(ctx); err != nil || brk != nil {
			t.Errorf("trail: %v %v", brk, err)
		}
	})
}

func TestSoAVersionsAndDiff(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		o := newOrg(t, s, "acme")
		ctx := context.Background()
		c := create(t, o, "Supplier assurance", "implemented", "iso27001-2022/A.5.19", "iso42001-2023/A.10.3")
		if _, err := o.Decide(ctx, tester, domain.ISO27001, "A.5.19", nil, decision(true, "Suppliers hold our data", domain.ReasonContractual)); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Decide(ctx, tester, domain.ISO27001, "A.7.1", nil, decision(false, "No premises of our own")); err != nil {
			t.Fatal(err)
		}
		if _, err := o.IssueSoA(ctx, tester, domain.ISO27001, "", "x"); err == nil {
			t.Error("issued without an approver")
		}
		if _, err := o.IssueSoA(ctx, tester, "iso9001-2015", "ceo@example.com", ""); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("unknown standard: %v", err)
		}
		v1, err := o.IssueSoA(ctx, tester, domain.ISO27001, "ceo@example.com", " First statement ")
		if err != nil {
			t.Fatal(err)
		}
		if v1.Number != 1 || v1.Note != "First statement" || len(v1.Rows) != 93 ||
			v1.Summary.Total != 93 || v1.Summary.Applicable != 1 || v1.Summary.Excluded != 1 || v1.Summary.Undecided != 91 ||
			v1.Summary.States[domain.StateImplemented] != 1 {
			t.Fatalf("v1: %+v", v1.Summary)
		}

		// The draft moves on; the issued version does not.
		if _, err := o.Decide(ctx, tester, domain.ISO27001, "A.7.1", ptr(int64(1)), decision(true, "We opened an office", domain.ReasonBusiness)); err != nil {
			t.Fatal(err)
		}
		if _, err := o.UpdateControl(ctx, tester, c.Ref, 1, domain.ControlInput{Status: ptr(domain.StatusNotImplemented)}); err != nil {
			t.Fatal(err)
		}
		got, err := o.SoAVersion(ctx, domain.ISO27001, 1)
		if err != nil {
			t.Fatal(err)
		}
		if r := rowOf(t, got.Rows, "A.7.1"); *r.Applicable || r.Justification != "No premises of our own" {
			t.Errorf("issued row changed with the draft: %+v", r)
		}
		if r := rowOf(t, got.Rows, "A.5.19"); r.State != domain.StateImplemented || r.Controls[0].Status != domain.StatusImplemented {
			t.Errorf("issued controls changed with the draft: %+v", r)
		}

		// The shared control went not implemented: the applicable row is flagged.
		draft := soa(t, o, domain.ISO27001)
		if r := rowOf(t, draft, "A.5.19"); !r.Flagged || r.State != domain.StateNotImplemented {
			t.Errorf("A.5.19 not flagged: %+v", r)
		}
		if r := rowOf(t, soa(t, o, domain.ISO42001), "A.10.3"); r.Flagged {
			t.Errorf("undecided 42001 A.10.3 flagged: %+v", r)
		}
		if _, err := o.Decide(ctx, tester, domain.ISO42001, "A.10.3", nil, decision(true, "AI suppliers", domain.ReasonRiskTreatment)); err != nil {
			t.Fatal(err)
		}
		if r := rowOf(t, soa(t, o, domain.ISO42001), "A.10.3"); !r.Flagged {
			t.Errorf("applicable 42001 A.10.3 not flagged: %+v", r)
		}

		d, err := o.SoADiff(ctx, domain.ISO27001, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if d.To != nil || d.From.Number != 1 || d.From.Rows != nil || len(d.Items) != 2 {
			t.Fatalf("diff v1 → draft: %+v", d)
		}
		for _, tt := range []struct {
			ref    string
			fields []string
		}{
			{"A.5.19", []string{domain.DiffState, domain.DiffControls}},
			{"A.7.1", []string{domain.DiffDecision, domain.DiffJustification, domain.DiffReasons}},
		} {
			i := slices.IndexFunc(d.Items, func(c domain.SoAChange) bool { return c.Ref == tt.ref })
			if i < 0 || !slices.Equal(d.Items[i].Fields, tt.fields) || d.Items[i].Before == nil || d.Items[i].After == nil {
				t.Errorf("diff of %s: %+v", tt.ref, d.Items)
			}
		}

		v2, err := o.IssueSoA(ctx, tester, domain.ISO27001, "ceo@example.com", "")
		if err != nil || v2.Number != 2 || v2.Summary.Flagged != 1 {
			t.Fatalf("v2: %+v %v", v2.Summary, err)
		}
		if d, err := o.SoADiff(ctx, domain.ISO27001, 1, 2); err != nil || d.To == nil || d.To.Number != 2 || len(d.Items) != 2 {
			t.Errorf("diff v1 → v2: %+v %v", d, err)
		}
		if d, err := o.SoADiff(ctx, domain.ISO27001, 2, 0); err != nil || len(d.Items) != 0 {
			t.Errorf("diff v2 → draft: %+v %v", d.Items, err)
		}
		if _, err := o.SoADiff(ctx, domain.ISO27001, 1, 9); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("diff to a missing version: %v", err)
		}
		// 42001 numbers its own versions.
		if v, err := o.IssueSoA(ctx, tester, domain.ISO42001, "ceo@example.com", ""); err != nil || v.Number != 1 {
			t.Errorf("42001 v1: %d %v", v.Number, err)
		}

		page, err := o.SoAVersions(ctx, domain.ISO27001, 1, "")
		if err != nil || len(page.Items) != 1 || page.Items[0].Number != 2 || page.Items[0].Rows != nil || page.Next == nil {
			t.Fatalf("versions page 1: %+v %v", page, err)
		}
		page, err = o.SoAVersions(ctx, domain.ISO27001, 1, *page.Next)
		if err != nil || len(page.Items) != 1 || page.Items[0].Number != 1 || page.Items[0].Note != "First statement" ||
			page.Items[0].Approver != "ceo@example.com" || page.Items[0].Summary.Excluded != 1 || page.Next != nil {
			t.Fatalf("versions page 2: %+v %v", page, err)
		}
		other := newOrg(t, s, "other")
		if _, err := other.SoAVersion(ctx, domain.ISO27001, 1); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("another organization reads acme's version: %v", err)
		}

		issues, err := o.Trail(ctx, domain.TrailFilter{Action: "soa.issue"})
		if err != nil || len(issues.Items) != 3 || issues.Items[2].ResourceRef != "iso27001-2022/v1" {
			t.Fatalf("issue trail: %+v %v", issues.Items, err)
		}
		var issued map[string]any
		json.Unmarshal(issues.Items[2].After, &issued)
		if issued["approver"] != "ceo@example.com" || len(issued["rows_sha256"].(string)) != 64 {
			t.Errorf("issue entry: %v", issued)
		}
		if _, brk, err := o.VerifyTrail(ctx); err != nil || brk != nil {
			t.Errorf("trail: %v %v", brk, err)
		}
	})
}

// Concurrent decisions on one row, all based on the same version: exactly
// one wins, the others get a conflict, never a silent overwrite; concurrent
// issues get distinct numbers.
func TestSoAConcurrency(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		o := newOrg(t, s, "acme")
		ctx := context.Background()
		const writers = 6
		for _, base := range []int64{0, 1} { // the first decision, then a change of it
			var wg sync.WaitGroup
			errs := make([]error, writers)
			for i := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = o.Decide(ctx, tester, domain.ISO27001, "A.5.1", ptr(base), decision(false, fmt.Sprintf("writer %d on %d", i, base)))
				}()
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
				t.Errorf("base %d: %d writers won, want 1", base, won)
			}
		}
		if r := rowOf(t, soa(t, o, domain.ISO27001), "A.5.1"); r.Version != 2 {
			t.Errorf("version %d after two rounds", r.Version)
		}

		var wg sync.WaitGroup
		numbers := make([]int, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := o.IssueSoA(ctx, tester, domain.ISO27001, "ceo@example.com", "")
				if err != nil {
					t.Error(err)
				}
				numbers[i] = v.Number
			}()
		}
		wg.Wait()
		slices.Sort(numbers)
		if !slices.Equal(numbers, []int{1, 2, 3, 4, 5, 6}) {
			t.Errorf("issued numbers %v", numbers)
		}
		if _, brk, err := o.VerifyTrail(ctx); err != nil || brk != nil {
			t.Errorf("trail: %v %v", brk, err)
		}
	})
}
