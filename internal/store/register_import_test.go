package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func riskRow(row int, title string, l, i int, status string, controls ...string) store.RiskImportRow {
	owner, treatment := "Risk owner", "modify"
	return store.RiskImportRow{Row: row, Risk: domain.RiskInput{Title: &title, Owner: &owner, InherentL: &l, InherentI: &i,
		ResidualL: &l, ResidualI: &i, Treatment: &treatment, Status: &status, Controls: &controls}}
}

func assetRow(row int, name string, controls ...string) store.AssetImportRow {
	typ, class, one := "information", "internal", 1
	return store.AssetImportRow{Row: row, Asset: domain.AssetInput{Name: &name, Type: &typ, Classification: &class,
		Confidentiality: &one, Integrity: &one, Availability: &one, Controls: &controls}}
}

func TestImportRisks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		globex := newOrg(t, s, "globex")
		create(t, o, "Backups", "implemented")          // acme CTL-001
		create(t, globex, "Globex only", "planned")     // globex CTL-001
		create(t, globex, "Globex only too", "planned") // globex CTL-002: unknown in acme
		before := trailLen(t, o)

		// Every bad row is named, nothing is written.
		rows := []store.RiskImportRow{
			riskRow(2, "Ransomware", 4, 4, "treating", "CTL-001"),
			riskRow(3, "Lost laptop", 2, 9, "open"),
			riskRow(4, "", 2, 2, "open", "CTL-002"),
			riskRow(5, "Closed above appetite", 5, 5, "closed"),
		}
		_, err := o.ImportRisks(ctx, tester, store.ImportSource{File: "risks.csv"}, domain.RegisterSecurity, rows)
		v, ok := domain.AsValidation(err)
		if !ok {
			t.Fatalf("want field errors, got %v", err)
		}
		for _, f := range []string{"rows[3].inherent_impact", "rows[4].title", "rows[4].controls", "rows[5].status"} {
			if v.For(f) == "" {
				t.Errorf("no error for %s in %v", f, v)
			}
		}
		if v.For("rows[2]") != "" || len(v.Fields) != 5 { // row 3 has a bad residual impact too
			t.Errorf("errors %v", v)
		}
		if n := countRows(t, s, "risks"); n != 0 {
			t.Fatalf("%d risks after a refused import", n)
		}
		if n := trailLen(t, o) - before; n != 0 {
			t.Fatalf("%d trail entries after a refused import", n)
		}

		// The valid rows are imported whole, each with its trail entry.
		good := []store.RiskImportRow{rows[0], riskRow(3, "Lost laptop", 2, 3, "open"), riskRow(4, "Closed low", 1, 1, "closed")}
		created, err := o.ImportRisks(ctx, tester, store.ImportSource{File: "risks.csv"}, domain.RegisterAI, good[1:2])
		if err != nil {
			t.Fatal(err)
		}
		if created[0].Register != domain.RegisterAI || created[0].Ref != "RSK-001" {
			t.Errorf("ai import %+v", created[0])
		}
		created, err = o.ImportRisks(ctx, tester, store.ImportSource{File: "risks.csv"}, domain.RegisterSecurity, good)
		if err != nil {
			t.Fatal(err)
		}
		if len(created) != 3 || created[0].Ref != "RSK-002" || created[2].Ref != "RSK-004" || created[0].Register != "security" ||
			created[0].Residual.Level != "critical" || !created[0].AboveAppetite || created[2].Acceptance != nil {
			t.Errorf("created %+v", created)
		}
		r, err := o.Risk(ctx, "RSK-002")
		if err != nil || len(r.Controls) != 1 || r.Controls[0] != "CTL-001" {
			t.Errorf("RSK-002 %+v %v", r, err)
		}
		page, err := o.Trail(ctx, domain.TrailFilter{Action: "risk.import", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 4 {
			t.Fatalf("%d risk.import entries, want 4", len(page.Items))
		}
		var detail struct {
			Imported bool
			File     string
			Row      int
		}
		if err := json.Unmarshal(page.Items[0].Detail, &detail); err != nil || !detail.Imported || detail.File != "risks.csv" || detail.Row != 4 ||
			page.Items[0].ResourceRef != "RSK-004" {
			t.Errorf("last entry %s %s %+v %v", page.Items[0].ResourceRef, page.Items[0].Detail, detail, err)
		}

		// Bounds and the register.
		if _, err := o.ImportRisks(ctx, tester, store.ImportSource{}, "finance", good); err == nil {
			t.Error("an unknown register was accepted")
		}
		if _, err := o.ImportRisks(ctx, tester, store.ImportSource{}, domain.RegisterAI, nil); err == nil {
			t.Error("an empty import was accepted")
		}
	})
}

func TestImportAssets(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		globex := newOrg(t, s, "globex")
		create(t, o, "Backups", "implemented")
		create(t, globex, "Globex only", "planned")
		create(t, globex, "Globex only too", "planned")

		_, err := o.ImportAssets(ctx, tester, store.ImportSource{}, []store.AssetImportRow{
			assetRow(2, "Customer data", "CTL-001"), assetRow(3, "", "CTL-002"), assetRow(7, "Laptops"),
		})
		v, ok := domain.AsValidation(err)
		if !ok || v.For("rows[3].name") == "" || v.For("rows[3].controls") == "" || len(v.Fields) != 2 {
			t.Fatalf("want errors on row 3, got %v", err)
		}
		if n := countRows(t, s, "assets"); n != 0 {
			t.Fatalf("%d assets after a refused import", n)
		}
		created, err := o.ImportAssets(ctx, tester, store.ImportSource{File: "assets.xlsx"},
			[]store.AssetImportRow{assetRow(2, "Customer data", "CTL-001"), assetRow(3, "Laptops")})
		if err != nil {
			t.Fatal(err)
		}
		if len(created) != 2 || created[0].Ref != "AST-001" || created[1].Ref != "AST-002" || created[0].Controls[0] != "CTL-001" {
			t.Errorf("created %+v", created)
		}
		if e := lastTrail(t, o); e.Action != "asset.import" || e.ResourceRef != "AST-002" || string(e.Detail) != `{"imported":true,"file":"assets.xlsx","row":3}` {
			t.Errorf("trail %s %s %s", e.Action, e.ResourceRef, e.Detail)
		}
	})
}

func TestRegisterStash(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		security := store.ImportRisksKind(domain.RegisterSecurity)
		id, err := o.StashRegister(ctx, tester, security, "risks.csv", []byte(`{"headers":["Risk"]}`))
		if err != nil {
			t.Fatal(err)
		}
		// Only the kind it was uploaded as finds it.
		if name, _, err := o.StashedRegister(ctx, tester, security, id); err != nil || name != "risks.csv" {
			t.Errorf("stashed: %q %v", name, err)
		}
		for _, kind := range []string{store.ImportRisksKind(domain.RegisterAI), store.ImportAssetsKind, store.ImportControlsKind} {
			if _, _, err := o.StashedRegister(ctx, tester, kind, id); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("as %s: %v", kind, err)
			}
		}
		if _, _, err := o.StashedImport(ctx, tester, id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("as a control register: %v", err)
		}
		if _, err := o.ImportControls(ctx, tester, id, []domain.ImportRow{importRow(2, "X", "planned")}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("control commit of a risk upload: %v", err)
		}
		rows := []store.RiskImportRow{riskRow(2, "Fire", 1, 2, "open")}
		if _, err := o.ImportRisks(ctx, tester, store.ImportSource{Stash: id}, domain.RegisterAI, rows); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("commit into the other register: %v", err)
		}
		if _, err := o.ImportRisks(ctx, tester, store.ImportSource{Stash: id, File: "risks.csv"}, domain.RegisterSecurity, rows); err != nil {
			t.Fatal(err)
		}
		if _, err := o.ImportRisks(ctx, tester, store.ImportSource{Stash: id}, domain.RegisterSecurity, rows); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("second commit: %v", err)
		}
		if n := countRows(t, s, "risks"); n != 1 {
			t.Errorf("%d risks, want 1", n)
		}
		// A refused commit keeps the upload (the person corrects the mapping).
		assets, err := o.StashRegister(ctx, tester, store.ImportAssetsKind, "assets.csv", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.ImportAssets(ctx, tester, store.ImportSource{Stash: assets}, []store.AssetImportRow{assetRow(2, "")}); err == nil {
			t.Fatal("a bad asset was imported")
		}
		if _, _, err := o.StashedRegister(ctx, tester, store.ImportAssetsKind, assets); err != nil {
			t.Errorf("the upload is gone after a refused commit: %v", err)
		}
	})
}

func TestKnownRefs(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg(t, s, "acme")
		globex := newOrg(t, s, "globex")
		create(t, o, "One", "planned")
		create(t, globex, "Globex one", "planned")
		create(t, globex, "Globex two", "planned")
		// More refs than one query takes: they are looked up in batches.
		var refs []string
		for i := 1; i <= 1200; i++ {
			refs = append(refs, fmt.Sprintf("CTL-%03d", i))
		}
		known, err := o.KnownRefs(ctx, "controls", append(refs, "ctl-001", " CTL-001 "))
		if err != nil {
			t.Fatal(err)
		}
		if len(known) != 1 || !known["CTL-001"] {
			t.Errorf("known %v", known)
		}
		if known, err := o.KnownRefs(ctx, "assets", []string{"AST-001"}); err != nil || len(known) != 0 {
			t.Errorf("assets %v %v", known, err)
		}
		if _, err := o.KnownRefs(ctx, "users", []string{"x"}); err == nil {
			t.Error("a table outside the organization's records was looked up")
		}
	})
}
