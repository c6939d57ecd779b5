package store_test

import (
	"context"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestRiskMethodVersionList(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")

		// The default method is no row: nothing is listed.
		page, err := o.RiskMethodVersions(ctx, 10, "")
		if err != nil || len(page.Items) != 0 || page.Next != nil {
			t.Fatalf("before any change: %+v %v", page, err)
		}
		m := domain.DefaultRiskMethod()
		for v := int64(0); v < 3; v++ {
			m.Appetite = []string{"low", "medium", "high"}[v]
			if _, err := o.SetRiskMethod(ctx, tester, ptr(v), m); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := other.SetRiskMethod(ctx, tester, ptr(int64(0)), m); err != nil {
			t.Fatal(err)
		}

		// Newest first, two to a page, and the cursor reaches the rest.
		page, err = o.RiskMethodVersions(ctx, 2, "")
		if err != nil || len(page.Items) != 2 || page.Next == nil {
			t.Fatalf("first page: %+v %v", page, err)
		}
		if page.Items[0].Version != 3 || page.Items[1].Version != 2 || page.Items[0].Appetite != "high" ||
			page.Items[0].UpdatedBy != tester.String() || page.Items[0].UpdatedAt == nil || len(page.Items[0].Matrix) != 5 {
			t.Fatalf("first page items: %+v", page.Items)
		}
		rest, err := o.RiskMethodVersions(ctx, 2, *page.Next)
		if err != nil || len(rest.Items) != 1 || rest.Items[0].Version != 1 || rest.Items[0].Appetite != "low" || rest.Next != nil {
			t.Fatalf("second page: %+v %v", rest, err)
		}
		// Each organization lists its own versions only.
		if theirs, err := other.RiskMethodVersions(ctx, 10, ""); err != nil || len(theirs.Items) != 1 {
			t.Fatalf("other org: %+v %v", theirs, err)
		}
		if _, err := o.RiskMethodVersions(ctx, 2, "not-a-cursor"); err == nil {
			t.Fatal("a cursor this server did not issue was accepted")
		}
	})
}
