package demo_test

import (
	"context"
	"testing"

	"tandem/internal/demo"
	"tandem/internal/domain"
	"tandem/internal/store"
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

// Two nodes starting with --demo at once: one seeds, the other sees it done.
func TestSeedConcurrently(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		results := make(chan error, 2)
		created := make(chan bool, 2)
		for range 2 {
			go func() {
				ok, err := demo.Seed(context.Background(), st)
				created <- ok
				results <- err
			}()
		}
		n := 0
		for range 2 {
			if err := <-results; err != nil {
				t.Fatal(err)
			}
			if <-created {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d seeds created the demo, want 1", n)
		}
		o, _ := st.Org(context.Background(), demo.Slug)
		if _, total, _ := o.ListControls(context.Background(), domain.ControlFilter{}); total != 50 {
			t.Errorf("demo has %d controls, want 50", total)
		}
	})
}
