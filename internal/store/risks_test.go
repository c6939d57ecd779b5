package store_test

import (
	"context"
	"errors"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func securityRisk(title string, rl, ri int) domain.RiskInput {
	return domain.RiskInput{Title: ptr(title), Register: ptr("security"), Owner: ptr("Alex Owner"),
		InherentL: ptr(5), InherentI: ptr(5), ResidualL: ptr(rl), ResidualI: ptr(ri), Treatment: ptr("modify"),
		Threat: ptr("Ransomware"), Vulnerability: ptr("Flat network"), CIA: ptr([]string{"availability", "integrity"}),
		NextReview: ptr("2027-01-31")}
}

func TestRiskRegisters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")
		ctl := create(t, o, "Backups", "implemented", "iso27001-2022/A.8.13")
		create(t, other, "Other's control", "implemented")

		in := securityRisk("Ransomware on file servers", 2, 3)
		in.Controls = ptr([]string{ctl.Ref})
		sec, err := o.CreateRisk(ctx, tester, "manager", in)
		if err != nil {
			t.Fatal(err)
		}
		if sec.Ref != "RSK-001" || sec.Inherent.Level != "critical" || sec.Residual.Level != "medium" || sec.Status != "open" {
			t.Fatalf("security risk: %+v", sec)
		}
		ai, err := o.CreateRisk(ctx, tester, "manager", domain.RiskInput{Title: ptr("Biased screening"), Register: ptr("ai"),
			Owner: ptr("Connie Contributor"), InherentL: ptr(4), InherentI: ptr(4), ResidualL: ptr(1), ResidualI: ptr(2),
			Treatment: ptr("modify"), AISystems: ptr("CV screening model"), Sources: ptr([]string{"bias_fairness"}),
			Parties: ptr([]string{"individuals", "groups"})})
		if err != nil {
			t.Fatal(err)
		}
		if ai.Ref != "RSK-002" || ai.Residual.Level != "low" {
			t.Fatalf("ai risk: %+v", ai)
		}

		// Refusals name their fields.
		for _, tt := range []struct {
			name  string
			in    domain.RiskInput
			field string
		}{
			{"ai field on security", func() domain.RiskInput { i := securityRisk("x", 1, 1); i.Sources = ptr([]string{"privacy"}); return i }(), "sources"},
			{"security field on ai", domain.RiskInput{Title: ptr("x"), Register: ptr("ai"), Owner: ptr("a"), InherentL: ptr(1), InherentI: ptr(1),
				ResidualL: ptr(1), ResidualI: ptr(1), Treatment: ptr("retain"), Threat: ptr("t")}, "threat"},
			{"step outside scale", securityRisk("x", 6, 1), "residual_likelihood"},
			{"unknown control", func() domain.RiskInput { i := securityRisk("x", 1, 1); i.Controls = ptr([]string{"CTL-099"}); return i }(), "controls"},
			{"bad cia", func() domain.RiskInput { i := securityRisk("x", 1, 1); i.CIA = ptr([]string{"secrecy"}); return i }(), "cia"},
			{"no register", domain.RiskInput{Title: ptr("x"), Owner: ptr("a")}, "register"},
			{"accepted above appetite without acceptance", func() domain.RiskInput {
				i := securityRisk("x", 4, 4)
				i.Status = ptr("accepted")
				return i
			}(), "acceptance"},
		} {
			_, err := o.CreateRisk(ctx, tester, "admin", tt.in)
			v, ok := domain.AsValidation(err)
			if !ok || v.For(tt.field) == "" {
				t.Errorf("%s: %v", tt.name, err)
			}
		}

		// Acceptance authority: high is accepted by an admin, not a manager.
		high := securityRisk("Data centre flood", 3, 3)
		high.Status = ptr("accepted")
		high.Acceptance = &domain.RiskAcceptance{By: "Dana Director", Date: "2026-11-01", Rationale: "Relocation planned"}
		if _, err := o.CreateRisk(ctx, tester, "manager", high); !errors.Is(err, store.ErrForbiddenAcceptance) {
			t.Fatalf("manager accepting high: %v", err)
		}
		acc, err := o.CreateRisk(ctx, tester, "admin", high)
		if err != nil || acc.Acceptance == nil || acc.Acceptance.Expires != "2027-01-31" {
			t.Fatalf("admin accepting high: %+v %v", acc, err)
		}

		// Lists: filtered per register and cell, never mixed, and scoped.
		for _, tt := range []struct {
			f    domain.RiskFilter
			want []string
		}{
			{domain.RiskFilter{Register: "security"}, []string{"RSK-001", "RSK-003"}},
			{domain.RiskFilter{Register: "ai"}, []string{"RSK-002"}},
			{domain.RiskFilter{Register: "security", Likelihood: 2, Impact: 3}, []string{"RSK-001"}},
			{domain.RiskFilter{Register: "security", Inherent: true, Likelihood: 5, Impact: 5}, []string{"RSK-001", "RSK-003"}},
			{domain.RiskFilter{Level: "high"}, []string{"RSK-003"}},
			{domain.RiskFilter{Owner: "connie contributor"}, []string{"RSK-002"}},
			{domain.RiskFilter{Status: "accepted"}, []string{"RSK-003"}},
			{domain.RiskFilter{Limit: 2}, []string{"RSK-001", "RSK-002"}},
		} {
			page, err := o.ListRisks(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range page.Items {
				got = append(got, r.Ref)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || got[len(got)-1] != tt.want[len(tt.want)-1] {
				t.Errorf("%+v: %v, want %v", tt.f, got, tt.want)
			}
		}
		if page, err := other.ListRisks(ctx, domain.RiskFilter{}); err != nil || len(page.Items) != 0 {
			t.Fatalf("other org sees %d risks (%v)", len(page.Items), err)
		}
		if _, err := other.Risk(ctx, "RSK-001"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("other org reads RSK-001: %v", err)
		}

		// Versions: stale → conflict; register is fixed; a method change marks rescore.
		if _, err := o.UpdateRisk(ctx, tester, "manager", "RSK-001", ptr(int64(9)), domain.RiskInput{Title: ptr("y")}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		if _, err := o.UpdateRisk(ctx, tester, "manager", "RSK-001", ptr(int64(1)), domain.RiskInput{Register: ptr("ai")}); err == nil {
			t.Fatal("register changed")
		}
		if _, err := o.SetRiskMethod(ctx, tester, ptr(int64(0)), domain.DefaultRiskMethod()); err != nil {
			t.Fatal(err)
		}
		r, err := o.Risk(ctx, "RSK-001")
		if err != nil || !r.Residual.Rescore || r.Residual.MethodVersion != 0 {
			t.Fatalf("after method change: %+v %v", r.Residual, err)
		}
		r, err = o.UpdateRisk(ctx, tester, "manager", "RSK-001", ptr(int64(1)), domain.RiskInput{ResidualL: ptr(1), ResidualI: ptr(1)})
		if err != nil || r.Residual.Rescore || r.Residual.Level != "low" || r.Version != 2 || r.Threat != "Ransomware" {
			t.Fatalf("rescored: %+v %v", r, err)
		}
		if err := o.DeleteRisk(ctx, tester, "RSK-002", 1); err != nil {
			t.Fatal(err)
		}
		trail, err := o.Trail(ctx, domain.TrailFilter{ResourceType: "risk"})
		if err != nil || len(trail.Items) != 5 {
			t.Fatalf("trail: %d entries %v", len(trail.Items), err)
		}
	})
}
