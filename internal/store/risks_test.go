package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func securityRisk(title string, rl, ri int) domain.RiskInput {
	return domain.RiskInput{Title: ptr(title), Register: ptr("security"), Owner: ptr("Alex Owner"),
		InherentL: ptr(5), InherentI: ptr(5), ResidualL: ptr(rl), ResidualI: ptr(ri), Treatment: ptr("modify"),
		Threat: ptr("Ransomware"), Vulnerability: ptr("Flat network"), CIA: ptr([]string{"availability", "integrity"}),
		NextReview: ptr(inAMonth)}
}

// inAMonth is a review date ahead of any test run.
var inAMonth = time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)

func hasField(err error, field string) bool {
	v, ok := domain.AsValidation(err)
	return ok && v.For(field) != ""
}

func TestRiskRegisters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")
		ctl := create(t, o, "Backups", "implemented", "iso27001-2022/A.8.13")
		create(t, other, "Other's control", "implemented")

		asset, err := o.CreateAsset(ctx, tester, domain.AssetInput{Name: ptr("File servers"), Type: ptr("hardware"),
			Classification: ptr("internal"), Confidentiality: ptr(2), Integrity: ptr(2), Availability: ptr(3)})
		if err != nil {
			t.Fatal(err)
		}
		in := securityRisk("Ransomware on file servers", 2, 3)
		in.Controls = ptr([]string{strings.ToLower(ctl.Ref)})
		in.Assets = ptr([]string{asset.Ref})
		sec, err := o.CreateRisk(ctx, tester, in)
		if err != nil {
			t.Fatal(err)
		}
		if sec.Ref != "RSK-001" || sec.Inherent.Level != "critical" || sec.Residual.Level != "medium" || sec.Status != "open" ||
			len(sec.Controls) != 1 || sec.Controls[0] != ctl.Ref || len(sec.Assets) != 1 || sec.Assets[0] != asset.Ref || sec.AboveAppetite {
			t.Fatalf("security risk: %+v", sec)
		}
		ai, err := o.CreateRisk(ctx, tester, domain.RiskInput{Title: ptr("Biased screening"), Register: ptr("ai"),
			Owner: ptr("Connie Contributor"), InherentL: ptr(4), InherentI: ptr(4), ResidualL: ptr(1), ResidualI: ptr(2),
			Treatment: ptr("modify"), AISystems: ptr("CV screening model"), Sources: ptr([]string{"bias_fairness"}),
			Parties: ptr([]string{"individuals", "groups"}), NextReview: ptr("2026-01-15")})
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
			{"unknown asset", func() domain.RiskInput { i := securityRisk("x", 1, 1); i.Assets = ptr([]string{"AST-099"}); return i }(), "assets"},
			{"assets on ai", domain.RiskInput{Title: ptr("x"), Register: ptr("ai"), Owner: ptr("a"), InherentL: ptr(1), InherentI: ptr(1),
				ResidualL: ptr(1), ResidualI: ptr(1), Treatment: ptr("retain"), Assets: ptr([]string{"AST-001"})}, "assets"},
			{"bad cia", func() domain.RiskInput { i := securityRisk("x", 1, 1); i.CIA = ptr([]string{"secrecy"}); return i }(), "cia"},
			{"no register", domain.RiskInput{Title: ptr("x"), Owner: ptr("a")}, "register"},
			{"accepted above appetite without acceptance", func() domain.RiskInput {
				i := securityRisk("x", 4, 4)
				i.Status = ptr("accepted")
				return i
			}(), "status"},
		} {
			_, err := o.CreateRisk(ctx, tester, tt.in)
			v, ok := domain.AsValidation(err)
			if !ok || v.For(tt.field) == "" {
				t.Errorf("%s: %v", tt.name, err)
			}
		}

		// Acceptance authority: high is accepted by an admin, not a manager,
		// and never by naming someone in the input.
		high, err := o.CreateRisk(ctx, tester, securityRisk("Data centre flood", 3, 3))
		if err != nil || high.Residual.Level != "high" || !high.AboveAppetite || high.Accepted {
			t.Fatalf("high risk: %+v %v", high, err)
		}
		if _, err := o.UpdateRisk(ctx, tester, high.Ref, ptr(int64(1)), domain.RiskInput{Status: ptr("closed")}); !hasField(err, "status") {
			t.Fatalf("closing above appetite without acceptance: %v", err)
		}
		if _, err := o.AcceptRisk(ctx, tester, "Maria Manager", "manager", high.Ref, 1, domain.AcceptInput{Rationale: "Relocation planned"}); !errors.Is(err, store.ErrForbiddenAcceptance) {
			t.Fatalf("manager accepting high: %v", err)
		}
		if _, err := o.AcceptRisk(ctx, tester, "Ada Admin", "admin", high.Ref, 1, domain.AcceptInput{}); !hasField(err, "rationale") {
			t.Fatalf("acceptance without rationale: %v", err)
		}
		if _, err := o.AcceptRisk(ctx, tester, "Ada Admin", "admin", high.Ref, 1, domain.AcceptInput{Rationale: "x", NextReview: "2020-01-01"}); !hasField(err, "next_review") {
			t.Fatalf("acceptance expiring in the past: %v", err)
		}
		acc, err := o.AcceptRisk(ctx, tester, "Ada Admin", "admin", high.Ref, 1, domain.AcceptInput{Rationale: "Relocation planned"})
		if err != nil || acc.Acceptance == nil || acc.Acceptance.Expires != inAMonth || acc.Acceptance.By != "Ada Admin" ||
			acc.Acceptance.Level != "high" || acc.Status != "accepted" || !acc.Accepted || acc.Version != 2 {
			t.Fatalf("admin accepting high: %+v %v", acc, err)
		}
		// A higher residual score is no longer covered: it cannot stay accepted.
		if _, err := o.UpdateRisk(ctx, tester, high.Ref, ptr(int64(2)), domain.RiskInput{ResidualL: ptr(5)}); !hasField(err, "status") {
			t.Fatalf("raising an accepted residual level: %v", err)
		}
		if r, err := o.UpdateRisk(ctx, tester, high.Ref, ptr(int64(2)), domain.RiskInput{Status: ptr("closed")}); err != nil || r.Status != "closed" {
			t.Fatalf("closing a covered risk: %+v %v", r, err)
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
			{domain.RiskFilter{Status: "closed"}, []string{"RSK-003"}},
			{domain.RiskFilter{Register: "security", Current: true}, []string{"RSK-001"}},
			{domain.RiskFilter{Control: ctl.Ref}, []string{"RSK-001"}},
			{domain.RiskFilter{Text: "FLOOD"}, []string{"RSK-003"}},
			{domain.RiskFilter{ReviewDue: true}, []string{"RSK-002"}},
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
		// From a risk to its treatment: the controls and assets it names.
		if cs, _, err := o.ListControls(ctx, domain.ControlFilter{Risk: "rsk-001"}); err != nil || len(cs.Items) != 1 || cs.Items[0].Ref != ctl.Ref {
			t.Fatalf("controls of RSK-001: %+v %v", cs.Items, err)
		}
		if as, _, err := o.ListAssets(ctx, domain.AssetFilter{Risk: "RSK-001"}); err != nil || len(as.Items) != 1 || as.Items[0].Ref != asset.Ref {
			t.Fatalf("assets of RSK-001: %+v %v", as.Items, err)
		}
		if cs, _, err := other.ListControls(ctx, domain.ControlFilter{Risk: "RSK-001"}); err != nil || len(cs.Items) != 0 {
			t.Fatalf("another organization's controls of RSK-001: %+v %v", cs.Items, err)
		}
		if page, err := other.ListRisks(ctx, domain.RiskFilter{}); err != nil || len(page.Items) != 0 {
			t.Fatalf("other org sees %d risks (%v)", len(page.Items), err)
		}
		if _, err := other.Risk(ctx, "RSK-001"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("other org reads RSK-001: %v", err)
		}

		// Versions: stale → conflict; register is fixed; a method change marks rescore.
		if _, err := o.UpdateRisk(ctx, tester, "RSK-001", ptr(int64(9)), domain.RiskInput{Title: ptr("y")}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		if _, err := o.UpdateRisk(ctx, tester, "RSK-001", ptr(int64(1)), domain.RiskInput{Register: ptr("ai")}); err == nil {
			t.Fatal("register changed")
		}
		if _, err := o.SetRiskMethod(ctx, tester, ptr(int64(0)), domain.DefaultRiskMethod()); err != nil {
			t.Fatal(err)
		}
		r, err := o.Risk(ctx, "RSK-001")
		if err != nil || !r.Residual.Rescore || r.Residual.MethodVersion != 0 {
			t.Fatalf("after method change: %+v %v", r.Residual, err)
		}
		if page, err := o.ListRisks(ctx, domain.RiskFilter{Rescore: true}); err != nil || len(page.Items) != 3 {
			t.Fatalf("to re-score after the method change: %d %v", len(page.Items), err)
		}
		r, err = o.UpdateRisk(ctx, tester, "RSK-001", ptr(int64(1)), domain.RiskInput{ResidualL: ptr(1), ResidualI: ptr(1)})
		if err != nil || r.Residual.Rescore || r.Residual.Level != "low" || r.Version != 2 || r.Threat != "Ransomware" {
			t.Fatalf("rescored: %+v %v", r, err)
		}
		if err := o.DeleteRisk(ctx, tester, "RSK-002", 1); err != nil {
			t.Fatal(err)
		}
		trail, err := o.Trail(ctx, domain.TrailFilter{ResourceType: "risk"})
		if err != nil || len(trail.Items) != 7 {
			t.Fatalf("trail: %d entries %v", len(trail.Items), err)
		}
	})
}

func TestRiskTreatmentActionsHeatAndTop(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")
		for _, sc := range []struct{ l, i, rl, ri int }{{5, 5, 4, 4}, {5, 5, 2, 2}, {3, 3, 1, 1}} {
			in := securityRisk("risk", sc.rl, sc.ri)
			in.InherentL, in.InherentI = ptr(sc.l), ptr(sc.i)
			if _, err := o.CreateRisk(ctx, tester, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := o.CreateRisk(ctx, tester, domain.RiskInput{Title: ptr("Drift"), Register: ptr("ai"), Owner: ptr("a"),
			InherentL: ptr(4), InherentI: ptr(5), ResidualL: ptr(3), ResidualI: ptr(5), Treatment: ptr("modify")}); err != nil {
			t.Fatal(err)
		}

		heat, err := o.RiskHeat(ctx, "security")
		if err != nil || heat.Total != 3 || heat.Inherent[4][4] != 2 || heat.Inherent[2][2] != 1 || heat.Residual[3][3] != 1 ||
			heat.Residual[1][1] != 1 || heat.Residual[0][0] != 1 || heat.Residual[4][4] != 0 {
			t.Fatalf("security heat: %+v %v", heat, err)
		}
		if ai, err := o.RiskHeat(ctx, "ai"); err != nil || ai.Total != 1 || ai.Residual[2][4] != 1 {
			t.Fatalf("ai heat: %+v %v", ai, err)
		}
		top, err := o.TopRisks(ctx, domain.RiskFilter{Register: "security", Current: true}, 2)
		if err != nil || len(top) != 2 || top[0].Ref != "RSK-001" || top[1].Ref != "RSK-002" {
			t.Fatalf("top: %+v %v", top, err)
		}

		// Actions belong to a risk's treatment plan; overdue is derived.
		for _, tt := range []struct {
			in    domain.ActionInput
			field string
		}{
			{domain.ActionInput{Owner: ptr("a"), Due: ptr("2027-01-01")}, "title"},
			{domain.ActionInput{Title: ptr("x"), Owner: ptr("a"), Due: ptr("soon")}, "due"},
			{domain.ActionInput{Title: ptr("x"), Owner: ptr("a"), Due: ptr("2027-01-01"), Status: ptr("maybe")}, "status"},
		} {
			if _, err := o.AddRiskAction(ctx, tester, "RSK-001", tt.in); !hasField(err, tt.field) {
				t.Errorf("%+v: %v", tt.in, err)
			}
		}
		late, err := o.AddRiskAction(ctx, tester, "RSK-001", domain.ActionInput{Title: ptr("Segment the network"), Owner: ptr("Ops"), Due: ptr("2026-01-10")})
		if err != nil || late.Ref != "ACT-001" || late.Risk != "RSK-001" || !late.Overdue || late.Status != "open" {
			t.Fatalf("late action: %+v %v", late, err)
		}
		if _, err := o.AddRiskAction(ctx, tester, "RSK-001", domain.ActionInput{Title: ptr("Immutable backups"), Owner: ptr("Ops"), Due: ptr(inAMonth)}); err != nil {
			t.Fatal(err)
		}
		if _, err := other.AddRiskAction(ctx, tester, "RSK-001", domain.ActionInput{Title: ptr("x"), Owner: ptr("a"), Due: ptr(inAMonth)}); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("other org adds to RSK-001: %v", err)
		}
		r, err := o.Risk(ctx, "RSK-001")
		if err != nil || len(r.Actions) != 2 || r.Actions[0].Ref != "ACT-001" {
			t.Fatalf("risk actions: %+v %v", r.Actions, err)
		}
		if n, err := o.CountOverdueActions(ctx); err != nil || n != 1 {
			t.Fatalf("overdue: %d %v", n, err)
		}
		if _, err := o.UpdateAction(ctx, tester, "ACT-001", 9, domain.ActionInput{Status: ptr("done")}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale action update: %v", err)
		}
		done, err := o.UpdateAction(ctx, tester, "ACT-001", 1, domain.ActionInput{Status: ptr("done")})
		if err != nil || done.Overdue || done.Version != 2 {
			t.Fatalf("done: %+v %v", done, err)
		}
		for _, tt := range []struct {
			f    store.ActionFilter
			want int
		}{{store.ActionFilter{}, 2}, {store.ActionFilter{Overdue: true}, 0}, {store.ActionFilter{Status: "open"}, 1},
			{store.ActionFilter{Risk: "RSK-002"}, 0}, {store.ActionFilter{Owner: "ops", Limit: 1}, 1}} {
			page, err := o.ListActions(ctx, tt.f)
			if err != nil || len(page.Items) != tt.want {
				t.Errorf("%+v: %d %v", tt.f, len(page.Items), err)
			}
		}
		first, err := o.ListActions(ctx, store.ActionFilter{Limit: 1})
		if err != nil || first.Next == nil {
			t.Fatalf("first page: %+v %v", first, err)
		}
		// The page after the first stays put when the action it ends on
		// moves or goes.
		if err := o.DeleteAction(ctx, tester, first.Items[0].Ref, first.Items[0].Version); err != nil {
			t.Fatal(err)
		}
		second, err := o.ListActions(ctx, store.ActionFilter{Limit: 1, Cursor: *first.Next})
		if err != nil || len(second.Items) != 1 || second.Items[0].Ref == first.Items[0].Ref {
			t.Fatalf("second page: %+v %v", second, err)
		}
		if _, err := o.ListActions(ctx, store.ActionFilter{Cursor: "bm90LWEtZGF0ZS8x"}); !hasField(err, "cursor") {
			t.Fatalf("bad cursor: %v", err)
		}
		if err := o.DeleteRisk(ctx, tester, "RSK-001", 1); err != nil {
			t.Fatal(err)
		}
		if page, err := o.ListActions(ctx, store.ActionFilter{}); err != nil || len(page.Items) != 0 {
			t.Fatalf("actions outlive their risk: %d %v", len(page.Items), err)
		}
	})
}

// The SoA names the risks behind each row: risk → control → Annex A
// control, in both standards, for risks of both registers.
func TestSoARisksBehindRows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		other := newOrg(t, s, "other")
		shared := create(t, o, "Logging", "implemented", "iso27001-2022/A.8.15", "iso42001-2023/A.6.2.8")
		backups := create(t, o, "Backups", "implemented", "iso27001-2022/A.8.13", "iso27001-2022/A.8.15")
		in := securityRisk("Undetected intrusion", 2, 2)
		in.Controls = ptr([]string{shared.Ref, backups.Ref})
		if _, err := o.CreateRisk(ctx, tester, in); err != nil {
			t.Fatal(err)
		}
		if _, err := o.CreateRisk(ctx, tester, domain.RiskInput{Title: ptr("Unexplained model decisions"), Register: ptr("ai"),
			Owner: ptr("a"), InherentL: ptr(3), InherentI: ptr(3), ResidualL: ptr(2), ResidualI: ptr(2), Treatment: ptr("modify"),
			Controls: ptr([]string{shared.Ref})}); err != nil {
			t.Fatal(err)
		}
		// Another organization's risk on its own control reaches nothing here.
		oc := create(t, other, "Logging", "implemented", "iso27001-2022/A.8.15")
		oin := securityRisk("Other's risk", 1, 1)
		oin.Controls = ptr([]string{oc.Ref})
		if _, err := other.CreateRisk(ctx, tester, oin); err != nil {
			t.Fatal(err)
		}

		row := func(std, ref string) domain.SoARow {
			r, err := o.SoARow(ctx, std, ref)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for _, tt := range []struct {
			std, ref string
			want     []string
			via      string
		}{
			{"iso27001-2022", "A.8.15", []string{"RSK-001", "RSK-002"}, shared.Ref},
			{"iso27001-2022", "A.8.13", []string{"RSK-001"}, backups.Ref},
			{"iso42001-2023", "A.6.2.8", []string{"RSK-001", "RSK-002"}, shared.Ref},
			{"iso27001-2022", "A.5.1", nil, ""},
		} {
			r := row(tt.std, tt.ref)
			var got []string
			for _, x := range r.Risks {
				got = append(got, x.Ref)
				if x.Control != tt.via {
					t.Errorf("%s %s: %s via %s, want %s", tt.std, tt.ref, x.Ref, x.Control, tt.via)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("%s %s: risks %v, want %v", tt.std, tt.ref, got, tt.want)
			}
		}
		all, err := o.SoA(ctx, "iso27001-2022")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range all {
			n += len(r.Risks)
		}
		if n != 3 {
			t.Fatalf("the whole SoA traces %d risk rows, want 3", n)
		}
	})
}

// The acceptance states are decided in SQL exactly as Risk.Derive decides
// them on read: needed, accepted, and lapsed once the acceptance expires
// or the method raises the level; actions filter by register.
func TestRiskAcceptanceStates(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		mk := func(title string, rl, ri int, review string) domain.Risk {
			in := securityRisk(title, rl, ri)
			in.NextReview = ptr(review)
			r, err := o.CreateRisk(ctx, tester, in)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		soon := time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
		later := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
		needed := mk("Needs acceptance", 3, 3, later)
		expiring := mk("Acceptance expires soon", 3, 3, soon)
		lasting := mk("Acceptance lasts", 4, 4, later)
		within := mk("Within appetite", 1, 1, later)
		for _, r := range []domain.Risk{expiring, lasting} {
			if _, err := o.AcceptRisk(ctx, tester, "Ada Admin", "admin", r.Ref, 1, domain.AcceptInput{Rationale: "Known"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := o.AddRiskAction(ctx, tester, within.Ref, domain.ActionInput{Title: ptr("Late"), Owner: ptr("Ops"), Due: ptr("2026-01-01")}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.CreateRisk(ctx, tester, domain.RiskInput{Title: ptr("AI"), Register: ptr("ai"), Owner: ptr("a"), InherentL: ptr(1),
			InherentI: ptr(1), ResidualL: ptr(1), ResidualI: ptr(1), Treatment: ptr("retain")}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.AddRiskAction(ctx, tester, "RSK-005", domain.ActionInput{Title: ptr("Late"), Owner: ptr("Ops"), Due: ptr("2026-01-02")}); err != nil {
			t.Fatal(err)
		}

		refs := func(state string) string {
			t.Helper()
			page, err := o.ListRisks(ctx, domain.RiskFilter{Acceptance: state})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range page.Items {
				got = append(got, r.Ref)
				// The SQL judgement and the derived one agree.
				if covered := state == domain.AcceptanceAccepted; r.Accepted != covered {
					t.Errorf("%s %s: accepted %v", state, r.Ref, r.Accepted)
				}
			}
			n, err := o.CountRisks(ctx, domain.RiskFilter{Acceptance: state})
			if err != nil || n != len(got) {
				t.Errorf("%s: counted %d, listed %d (%v)", state, n, len(got), err)
			}
			return strings.Join(got, ",")
		}
		for _, tt := range []struct{ state, want string }{
			{domain.AcceptanceNeeded, needed.Ref},
			{domain.AcceptanceAccepted, expiring.Ref + "," + lasting.Ref},
			{domain.AcceptanceLapsed, ""},
			{domain.AcceptanceUncovered, needed.Ref},
		} {
			if got := refs(tt.state); got != tt.want {
				t.Errorf("today, %s: %s, want %s", tt.state, got, tt.want)
			}
		}
		if _, err := o.ListRisks(ctx, domain.RiskFilter{Acceptance: "maybe"}); !hasField(err, "acceptance") {
			t.Fatalf("unknown acceptance state: %v", err)
		}

		// A month on, the first acceptance has expired.
		s.SetClock(func() time.Time { return time.Now().UTC().AddDate(0, 1, 0) })
		for _, tt := range []struct{ state, want string }{
			{domain.AcceptanceNeeded, needed.Ref},
			{domain.AcceptanceAccepted, lasting.Ref},
			{domain.AcceptanceLapsed, expiring.Ref},
			{domain.AcceptanceUncovered, needed.Ref + "," + expiring.Ref},
		} {
			if got := refs(tt.state); got != tt.want {
				t.Errorf("a month on, %s: %s, want %s", tt.state, got, tt.want)
			}
		}
		s.SetClock(func() time.Time { return time.Now().UTC() })

		// A method whose matrix puts the accepted cell a level higher.
		m := domain.DefaultRiskMethod()
		m.Matrix[2][2] = "critical"
		if _, err := o.SetRiskMethod(ctx, tester, ptr(int64(0)), m); err != nil {
			t.Fatal(err)
		}
		if got := refs(domain.AcceptanceAccepted); got != expiring.Ref+","+lasting.Ref {
			t.Errorf("levels as scored stay accepted until re-scored: %s", got)
		}
		// Accepting needs the score re-scored under the method in force: its
		// level, and who may accept it, may have changed.
		if _, err := o.AcceptRisk(ctx, tester, "Ada Admin", "admin", needed.Ref, 1, domain.AcceptInput{Rationale: "Known"}); !hasField(err, "residual_level") {
			t.Fatalf("accepting a score of an earlier method: %v", err)
		}
		// Confirming unchanged scores under the new method re-scores them;
		// for the accepted risk that raises the level above what was accepted.
		r, err := o.UpdateRisk(ctx, tester, within.Ref, ptr(int64(1)), domain.RiskInput{Rescore: true})
		if err != nil || r.Inherent.MethodVersion != 1 || r.Residual.MethodVersion != 1 || r.Residual.Rescore || r.Version != 2 {
			t.Fatalf("confirmed scores: %+v %v", r, err)
		}
		if _, err := o.UpdateRisk(ctx, tester, expiring.Ref, ptr(int64(2)), domain.RiskInput{Rescore: true}); !hasField(err, "status") {
			t.Fatalf("re-scoring an accepted risk above what was accepted: %v", err)
		}
		r, err = o.UpdateRisk(ctx, tester, expiring.Ref, ptr(int64(2)), domain.RiskInput{Rescore: true, Status: ptr("treating")})
		if err != nil || r.Residual.Level != "critical" || r.Accepted || !r.AboveAppetite {
			t.Fatalf("re-scored to critical: %+v %v", r, err)
		}
		if got := refs(domain.AcceptanceNeeded); got != needed.Ref+","+expiring.Ref {
			t.Errorf("after re-scoring, needed: %s", got)
		}

		for _, tt := range []struct {
			f    store.ActionFilter
			want int
		}{{store.ActionFilter{Overdue: true}, 2}, {store.ActionFilter{Overdue: true, Register: "ai"}, 1},
			{store.ActionFilter{Register: "security"}, 1}} {
			n, err := o.CountActions(ctx, tt.f)
			page, err2 := o.ListActions(ctx, tt.f)
			if err != nil || err2 != nil || n != tt.want || len(page.Items) != tt.want {
				t.Errorf("%+v: counted %d, listed %d, want %d (%v %v)", tt.f, n, len(page.Items), tt.want, err, err2)
			}
		}
		if _, err := o.ListActions(ctx, store.ActionFilter{Register: "both"}); !hasField(err, "register") {
			t.Fatalf("unknown register: %v", err)
		}
	})
}
