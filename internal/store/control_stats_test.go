package store_test

import (
	"context"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestControlStats(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")
		create(t, other, "Not counted", domain.StatusImplemented, "iso27001-2022/A.5.1")
		create(t, o, "ISMS policy", domain.StatusImplemented, "iso27001-2022/A.5.1")
		create(t, o, "Policy framework", domain.StatusInProgress, "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
		create(t, o, "AI policy", domain.StatusImplemented, "iso42001-2023/A.2.2")
		create(t, o, "Clean desk", domain.StatusPlanned)
		st, err := o.ControlStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Total != 4 {
			t.Errorf("total %d", st.Total)
		}
		wantStatus := map[string]int{domain.StatusImplemented: 2, domain.StatusInProgress: 1, domain.StatusPlanned: 1}
		for k, v := range wantStatus {
			if st.ByStatus[k] != v {
				t.Errorf("status %s = %d, want %d", k, st.ByStatus[k], v)
			}
		}
		wantScope := map[string]int{domain.ScopeShared: 1, domain.Scope27001: 1, domain.Scope42001: 1, domain.ScopeUnlinked: 1}
		for k, v := range wantScope {
			if st.ByScope[k] != v {
				t.Errorf("scope %s = %d, want %d", k, st.ByScope[k], v)
			}
		}
		if got := st.Requirements["iso27001-2022/A.5.1"]; got != (domain.RequirementCoverage{Controls: 2, Implemented: 1}) {
			t.Errorf("A.5.1 = %+v", got)
		}
		if got := st.Requirements["iso42001-2023/A.2.2"]; got != (domain.RequirementCoverage{Controls: 2, Implemented: 1}) {
			t.Errorf("A.2.2 = %+v", got)
		}
		if len(st.Requirements) != 2 {
			t.Errorf("requirements %v", st.Requirements)
		}
	})
}
