package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func assetIn(name, typ, owner, class string, c, i, a int, controls ...string) domain.AssetInput {
	return domain.AssetInput{Name: &name, Type: &typ, Owner: &owner, Classification: &class,
		Confidentiality: &c, Integrity: &i, Availability: &a, Controls: &controls}
}

func TestAssets(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")
		ctl, err := o.CreateControl(ctx, tester, domain.ControlInput{Title: ptr("Access control")})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := other.CreateControl(ctx, tester, domain.ControlInput{Title: ptr("Theirs")})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = foreign, ctl

		// Bad input: every field error together, nothing written.
		_, err = o.CreateAsset(ctx, tester, assetIn("", "car", "", "secret", 0, 4, 2, "CTL-999"))
		v, ok := domain.AsValidation(err)
		if !ok {
			t.Fatalf("want field errors, got %v", err)
		}
		for _, f := range []string{"name", "type", "classification", "confidentiality", "integrity", "controls[0]"} {
			if v.For(f) == "" {
				t.Errorf("no error on %s: %v", f, err)
			}
		}

		a1, err := o.CreateAsset(ctx, tester, assetIn("Customer database", "information", "Dana Owner", "confidential", 3, 3, 2, ctl.Ref))
		if err != nil {
			t.Fatal(err)
		}
		if a1.Ref != "AST-001" || a1.Version != 1 || len(a1.Controls) != 1 || a1.Controls[0] != ctl.Ref {
			t.Fatalf("created: %+v", a1)
		}
		a2, err := o.CreateAsset(ctx, tester, assetIn("Fraud model", "ai_model", "Eve", "internal", 2, 3, 1))
		if err != nil {
			t.Fatal(err)
		}
		if a2.Ref != "AST-002" {
			t.Fatalf("second ref %s", a2.Ref)
		}
		// Refs are per organization; a control of another org cannot be linked.
		b1, err := other.CreateAsset(ctx, tester, assetIn("Laptop", "hardware", "", "internal", 1, 1, 1))
		if err != nil || b1.Ref != "AST-001" {
			t.Fatalf("other org: %+v %v", b1, err)
		}
		if _, err := o.CreateAsset(ctx, tester, assetIn("X", "other", "", "public", 1, 1, 1, foreign.Ref+"x")); err == nil {
			t.Fatal("unknown control linked")
		}
		if _, err := other.Asset(ctx, a2.Ref); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("other org reads AST-002: %v", err)
		}

		for _, tc := range []struct {
			name string
			f    domain.AssetFilter
			want string
		}{
			{"all", domain.AssetFilter{}, "AST-001 AST-002"},
			{"type", domain.AssetFilter{Type: "ai_model"}, "AST-002"},
			{"classification", domain.AssetFilter{Classification: "confidential"}, "AST-001"},
			{"owner", domain.AssetFilter{Owner: "dana owner"}, "AST-001"},
			{"text", domain.AssetFilter{Text: "FRAUD"}, "AST-002"},
			{"control", domain.AssetFilter{Control: ctl.Ref}, "AST-001"},
			{"page", domain.AssetFilter{Limit: 1}, "AST-001"},
		} {
			page, total, err := o.ListAssets(ctx, tc.f)
			if err != nil {
				t.Fatal(tc.name, err)
			}
			var refs []string
			for _, a := range page.Items {
				refs = append(refs, a.Ref)
			}
			if got := strings.Join(refs, " "); got != tc.want {
				t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
			}
			if tc.name == "page" {
				if total != 2 || page.Next == nil {
					t.Fatalf("page: total %d next %v", total, page.Next)
				}
				next, _, err := o.ListAssets(ctx, domain.AssetFilter{Limit: 1, Cursor: *page.Next})
				if err != nil || len(next.Items) != 1 || next.Items[0].Ref != "AST-002" || next.Next != nil {
					t.Fatalf("second page: %+v %v", next, err)
				}
			}
		}
		if _, _, err := o.ListAssets(ctx, domain.AssetFilter{Type: "car"}); err == nil {
			t.Fatal("bad type filter accepted")
		}

		// Update with the version read; a stale version is a conflict.
		up, err := o.UpdateAsset(ctx, tester, a1.Ref, 1, domain.AssetInput{Availability: ptr(3), Controls: &[]string{}})
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 || up.Availability != 3 || len(up.Controls) != 0 || up.Name != a1.Name {
			t.Fatalf("updated: %+v", up)
		}
		if _, err := o.UpdateAsset(ctx, tester, a1.Ref, 1, domain.AssetInput{Name: ptr("Stale")}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		if _, err := o.UpdateAsset(ctx, tester, a1.Ref, 2, domain.AssetInput{Integrity: ptr(9)}); err == nil {
			t.Fatal("bad update accepted")
		}
		if got, _ := o.Asset(ctx, a1.Ref); got.Version != 2 || got.Integrity != 3 {
			t.Fatalf("after failed writes: %+v", got)
		}

		// Delete needs the current version; the ref is never reused.
		if err := o.DeleteAsset(ctx, tester, a2.Ref, 7); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale delete: %v", err)
		}
		if err := o.DeleteAsset(ctx, tester, a2.Ref, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Asset(ctx, a2.Ref); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("deleted asset: %v", err)
		}
		a3, err := o.CreateAsset(ctx, tester, assetIn("Office", "site", "", "internal", 1, 1, 2))
		if err != nil || a3.Ref != "AST-003" {
			t.Fatalf("ref after delete: %+v %v", a3, err)
		}

		trail, err := o.Trail(ctx, domain.TrailFilter{ResourceType: "asset", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range trail.Items {
			actions = append(actions, e.Action+" "+e.ResourceRef)
		}
		want := []string{"asset.create AST-001", "asset.create AST-002", "asset.update AST-001", "asset.delete AST-002", "asset.create AST-003"}
		if len(actions) != len(want) {
			t.Fatalf("trail: %v", actions)
		}
		for _, w := range want {
			if !strings.Contains(strings.Join(actions, "|"), w) {
				t.Errorf("trail lacks %q: %v", w, actions)
			}
		}
	})
}
