package demo_test

import (
	"context"
	"testing"

	"tandem/internal/demo"
	"tandem/internal/domain"
	"tandem/internal/storetest"
)

func TestSeed(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	created, err := demo.Seed(ctx, st)
	if err != nil || !created {
		t.Fatalf("seed: %v %v", created, err)
	}
	if again, err := demo.Seed(ctx, st); err != nil || again {
		t.Fatalf("second seed must do nothing: %v %v", again, err)
	}
	o, err := st.Org(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	// The demo must show every scope, so that each filter has something to show.
	for _, scope := range domain.Scopes {
		_, n, err := o.ListControls(ctx, domain.ControlFilter{Scope: scope})
		if err != nil || n == 0 {
			t.Errorf("scope %s: %d controls, %v", scope, n, err)
		}
	}
	for _, status := range domain.Statuses {
		if _, n, _ := o.ListControls(ctx, domain.ControlFilter{Status: status}); n == 0 {
			t.Errorf("no demo control is %s", status)
		}
	}
	_, total, _ := o.ListControls(ctx, domain.ControlFilter{})
	if total < 30 {
		t.Errorf("demo has %d controls", total)
	}
}
