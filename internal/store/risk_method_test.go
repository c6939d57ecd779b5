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

func TestRiskMethodVersions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")

		m, err := o.RiskMethod(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.Version != 0 || len(m.Likelihood) != 5 || m.Appetite != "medium" || m.Level(5, 5) != "critical" || m.Level(1, 1) != "low" {
			t.Fatalf("default method: %+v", m)
		}

		// A 3×3 method replaces the default as version 1.
		three := domain.DefaultRiskMethod()
		three.Likelihood, three.Impact = three.Likelihood[:3], three.Impact[:3]
		three.Matrix = [][]string{{"low", "low", "medium"}, {"low", "medium", "high"}, {"medium", "high", "critical"}}
		three.Appetite = "low"
		v1, err := o.SetRiskMethod(ctx, tester, ptr(int64(0)), three)
		if err != nil {
			t.Fatal(err)
		}
		if v1.Version != 1 || v1.UpdatedBy == "" {
			t.Fatalf("v1: %+v", v1)
		}
		got, err := o.RiskMethod(ctx)
		if err != nil || got.Version != 1 || got.Level(3, 3) != "critical" || got.Appetite != "low" || len(got.Impact) != 3 {
			t.Fatalf("read v1: %+v %v", got, err)
		}
		if old, err := o.RiskMethodVersion(ctx, 0); err != nil || len(old.Likelihood) != 5 {
			t.Fatalf("version 0: %+v %v", old, err)
		}
		// The other organization still has the default.
		if m, err := other.RiskMethod(ctx); err != nil || m.Version != 0 {
			t.Fatalf("other org: %+v %v", m, err)
		}
		if _, err := other.RiskMethodVersion(ctx, 1); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("other org's version 1: %v", err)
		}

		for _, tt := range []struct {
			name    string
			version *int64
			want    error
		}{
			{"stale", ptr(int64(0)), domain.ErrConflict},
			{"missing", nil, domain.ErrVersionRequired},
		} {
			if _, err := o.SetRiskMethod(ctx, tester, tt.version, three); !errors.Is(err, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
			}
		}

		trail, err := o.Trail(ctx, domain.TrailFilter{Action: "risk_method.update"})
		if err != nil || len(trail.Items) != 1 {
			t.Fatalf("trail: %+v %v", trail, err)
		}
	})
}

func TestRiskMethodValidation(t *testing.T) {
	base := domain.DefaultRiskMethod
	for _, tt := range []struct {
		name   string
		change func(m *domain.RiskMethod)
		field  string
	}{
		{"scale too small", func(m *domain.RiskMethod) { m.Likelihood = m.Likelihood[:2]; m.Matrix = m.Matrix[:2] }, "likelihood"},
		{"scale too large", func(m *domain.RiskMethod) {
			m.Impact = append(m.Impact, domain.ScaleStep{Label: "x"})
		}, "impact"},
		{"label missing", func(m *domain.RiskMethod) { m.Likelihood[1].Label = " " }, "likelihood[1].label"},
		{"cell unmapped", func(m *domain.RiskMethod) { m.Matrix[2][3] = "" }, "matrix[2][3]"},
		{"cell unknown", func(m *domain.RiskMethod) { m.Matrix[0][0] = "tiny" }, "matrix[0][0]"},
		{"row short", func(m *domain.RiskMethod) { m.Matrix[4] = m.Matrix[4][:4] }, "matrix[4]"},
		{"rows missing", func(m *domain.RiskMethod) { m.Matrix = m.Matrix[:4] }, "matrix"},
		{"appetite unknown", func(m *domain.RiskMethod) { m.Appetite = "huge" }, "appetite"},
		{"colour", func(m *domain.RiskMethod) { m.Levels[0].Colour = "green" }, "levels[0].colour"},
		{"acceptor", func(m *domain.RiskMethod) { m.Levels[0].Acceptor = "viewer" }, "levels[0].acceptor"},
		{"duplicate level", func(m *domain.RiskMethod) { m.Levels[1].ID = "low" }, "levels[1].id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.change(&m)
			v, ok := domain.AsValidation(m.Normalize().Validate())
			if !ok {
				t.Fatal("accepted")
			}
			found := false
			for _, f := range v.Fields {
				found = found || f.Field == tt.field
				if strings.Contains(f.Message, "%!") {
					t.Errorf("%s: badly formatted message %q", f.Field, f.Message)
				}
			}
			if !found {
				t.Errorf("no error on %s: %v", tt.field, v)
			}
		})
	}
	if err := base().Validate(); err != nil {
		t.Fatalf("default method invalid: %v", err)
	}
	m := base()
	for _, tt := range []struct {
		role, level string
		want        bool
	}{
		{"manager", "medium", true}, {"manager", "high", false}, {"admin", "critical", true}, {"contributor", "low", false},
	} {
		if got := m.MayAccept(tt.role, tt.level); got != tt.want {
			t.Errorf("MayAccept(%s, %s) = %v", tt.role, tt.level, got)
		}
	}
}
