package store_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// withThirdStandard is the embedded catalog plus a small third framework,
// so that the "other" scope can be exercised.
func withThirdStandard(t *testing.T) *catalog.Catalog {
	t.Helper()
	files := fstest.MapFS{"standards/zz-extra.yaml": &fstest.MapFile{Data: []byte(
		"id: extra-1\ntitle: Extra\ngroups: []\nrequirements:\n  - {ref: \"1\", kind: clause, title: One}\n")}}
	err := fs.WalkDir(catalog.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(catalog.Files(), path)
		files[path] = &fstest.MapFile{Data: raw}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.LoadFS(files)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestScopeRuleAgrees checks that the three places deriving a control's
// scope — domain.ScopeOf, the list filter in SQL and the dashboard
// aggregate in SQL — give the same answer for every combination of links.
func TestScopeRuleAgrees(t *testing.T) {
	combos := []struct {
		keys []string
		want string
	}{
		{nil, domain.ScopeUnlinked},
		{[]string{"iso27001-2022/A.5.1"}, domain.Scope27001},
		{[]string{"iso42001-2023/A.2.2"}, domain.Scope42001},
		{[]string{"iso27001-2022/5.2", "iso42001-2023/5.2"}, domain.ScopeShared},
		{[]string{"extra-1/1"}, domain.ScopeOther},
		{[]string{"iso27001-2022/A.5.1", "extra-1/1"}, domain.ScopeOther},
		{[]string{"iso27001-2022/A.5.1", "iso42001-2023/A.2.2", "extra-1/1"}, domain.ScopeShared},
	}
	storetest.EnginesWith(t, withThirdStandard(t), func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		want := map[string][]string{}
		for _, c := range combos {
			if got := domain.ScopeOf(c.keys); got != c.want {
				t.Errorf("ScopeOf(%v) = %s, want %s", c.keys, got, c.want)
			}
			ctl := create(t, o, "Control", domain.StatusPlanned, c.keys...)
			if ctl.Scope != c.want {
				t.Errorf("stored control %v has scope %s, want %s", c.keys, ctl.Scope, c.want)
			}
			want[c.want] = append(want[c.want], ctl.Ref)
		}
		stats, err := o.ControlStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for scope, refs := range want {
			if stats.ByScope[scope] != len(refs) {
				t.Errorf("ControlStats %s = %d, want %d", scope, stats.ByScope[scope], len(refs))
			}
			if !domain.ValidScope(scope) {
				continue // "other" is derived but not a filter choice
			}
			page, _, err := o.ListControls(ctx, domain.ControlFilter{Scope: scope})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range page.Items {
				got = append(got, c.Ref)
			}
			if len(got) != len(refs) {
				t.Errorf("filter %s = %v, want %v", scope, got, refs)
			}
		}
	})
}
