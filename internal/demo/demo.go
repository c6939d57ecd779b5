// Package demo seeds the demonstration organization that `tandem serve
// --demo` shows a newcomer: a mid-size company running an ISMS and building
// an AI management system, with a control set linked to both standards,
// an asset inventory, both risk registers and its Statements of
// Applicability.
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"

	"tandem/internal/domain"
	"tandem/internal/store"
)

// Slug is the demo organization's slug.
const Slug = "northwind"

//go:embed controls.yaml
var controlsYAML []byte

type seedControl struct {
	Title        string   `yaml:"title"`
	Description  string   `yaml:"description"`
	Owner        string   `yaml:"owner"`
	Status       string   `yaml:"status"`
	Requirements []string `yaml:"requirements"`
}

// Controls returns the demo control set as inputs.
func Controls() ([]domain.ControlInput, error) {
	var f struct {
		Controls []seedControl `yaml:"controls"`
	}
	if err := yaml.UnmarshalWithOptions(controlsYAML, &f, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("demo controls.yaml: %w", err)
	}
	out := make([]domain.ControlInput, len(f.Controls))
	for i, c := range f.Controls {
		c := c
		reqs := append([]string{}, c.Requirements...)
		out[i] = domain.ControlInput{Title: &c.Title, Description: &c.Description, Owner: &c.Owner, Status: &c.Status, Requirements: &reqs}
	}
	return out, nil
}

// Seed creates the demo organization and its controls, in one transaction,
// unless it exists already; then its assets and risks, and its
// applicability decisions. It reports whether it created anything.
func Seed(ctx context.Context, st *store.Store) (bool, error) {
	if _, err := st.Org(ctx, Slug); err == nil {
		return false, nil
	} else if !errors.Is(err, domain.ErrNotFound) {
		return false, err
	}
	controls, err := Controls()
	if err != nil {
		return false, err
	}
	actor := domain.Actor{Kind: "system", Name: "demo"}
	_, err = st.CreateOrg(ctx, actor, domain.OrgInput{Slug: Slug, Name: "Northwind Analytics", TimeZone: "Europe/Amsterdam"}, controls...)
	if v, ok := domain.AsValidation(err); ok && v.For("slug") != "" {
		return false, nil // another node seeded it a moment ago
	}
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	o, err := st.Org(ctx, Slug)
	if err != nil {
		return false, err
	}
	if err := seedRisks(ctx, o, actor); err != nil {
		return false, fmt.Errorf("demo risks: %w", err)
	}
	if err := seedAI(ctx, o, actor); err != nil {
		return false, fmt.Errorf("demo AI governance: %w", err)
	}
	if err := seedSoA(ctx, o, actor); err != nil {
		return false, fmt.Errorf("demo SoA: %w", err)
	}
	return true, nil
}
