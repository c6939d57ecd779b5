package demo

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/goccy/go-yaml"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
)

// The demo's information asset inventory and its two risk registers
// (risks.yaml): assets valued for C/I/A and linked to the controls that
// protect them; security and AI risks scored before and after treatment,
// with the controls of their treatment plans (which the SoA traces), the
// plans' actions, reviews that are due and one acceptance.

//go:embed risks.yaml
var risksYAML []byte

type seedAsset struct {
	Name           string   `yaml:"name"`
	Type           string   `yaml:"type"`
	Owner          string   `yaml:"owner"`
	Location       string   `yaml:"location"`
	Classification string   `yaml:"classification"`
	CIA            []int    `yaml:"cia"`
	Description    string   `yaml:"description"`
	Controls       []string `yaml:"controls"` // titles of demo controls
}

type seedAction struct {
	Title  string `yaml:"title"`
	Owner  string `yaml:"owner"`
	DueIn  int    `yaml:"due_in"` // days from the seed day
	Status string `yaml:"status"`
	Notes  string `yaml:"notes"`
}

type seedRisk struct {
	Title         string       `yaml:"title"`
	Register      string       `yaml:"register"`
	Owner         string       `yaml:"owner"`
	Description   string       `yaml:"description"`
	Threat        string       `yaml:"threat"`
	Vulnerability string       `yaml:"vulnerability"`
	CIA           []string     `yaml:"cia"`
	Assets        []string     `yaml:"assets"` // names of demo assets
	AISystems     string       `yaml:"ai_systems"`
	Sources       []string     `yaml:"sources"`
	Parties       []string     `yaml:"parties"`
	Inherent      []int        `yaml:"inherent"` // likelihood, impact
	Residual      []int        `yaml:"residual"`
	Treatment     string       `yaml:"treatment"`
	Status        string       `yaml:"status"`
	ReviewIn      int          `yaml:"review_in"` // days from the seed day
	Controls      []string     `yaml:"controls"`  // titles of demo controls
	Actions       []seedAction `yaml:"actions"`
	// Accept, when set, has the demo administrator accept the residual risk.
	Accept *struct {
		Rationale string `yaml:"rationale"`
	} `yaml:"accept"`
}

type riskFile struct {
	Assets []seedAsset `yaml:"assets"`
	Risks  []seedRisk  `yaml:"risks"`
}

func loadRisks() (riskFile, error) {
	var f riskFile
	if err := yaml.UnmarshalWithOptions(risksYAML, &f, yaml.Strict()); err != nil {
		return f, fmt.Errorf("demo risks.yaml: %w", err)
	}
	for _, a := range f.Assets {
		if len(a.CIA) != 3 {
			return f, fmt.Errorf("demo risks.yaml: asset %q: cia needs three values", a.Name)
		}
	}
	for _, r := range f.Risks {
		if len(r.Inherent) != 2 || len(r.Residual) != 2 {
			return f, fmt.Errorf("demo risks.yaml: risk %q: a score is [likelihood, impact]", r.Title)
		}
	}
	return f, nil
}

// admin is the demo person who accepts risks above appetite.
func admin() Person {
	for _, p := range People {
		if p.Role == auth.RoleAdmin {
			return p
		}
	}
	return People[0]
}

// seedRisks records the assets and risks of risks.yaml, each write through
// the store (so the trail has every one); review and due dates are counted
// from today in the organization's time zone.
func seedRisks(ctx context.Context, o *store.OrgStore, actor domain.Actor) error {
	f, err := loadRisks()
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(o.Org().TimeZone)
	if err != nil {
		loc = time.UTC
	}
	today := time.Now().In(loc)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }

	page, _, err := o.ListControls(ctx, domain.ControlFilter{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	controls := map[string]string{}
	for _, c := range page.Items {
		controls[c.Title] = c.Ref
	}
	// refs resolves the titles of controls (or names of assets) that an
	// entry of the file links to.
	refs := func(entry string, titles []string, kind string, known map[string]string) ([]string, error) {
		out := make([]string, len(titles))
		for i, t := range titles {
			ref, ok := known[t]
			if !ok {
				return nil, fmt.Errorf("demo risks.yaml: %s: no demo %s named %q", entry, kind, t)
			}
			out[i] = ref
		}
		return out, nil
	}

	assets := map[string]string{}
	for _, a := range f.Assets {
		links, err := refs("asset "+a.Name, a.Controls, "control", controls)
		if err != nil {
			return err
		}
		created, err := o.CreateAsset(ctx, actor, domain.AssetInput{Name: &a.Name, Type: &a.Type, Owner: &a.Owner,
			Location: &a.Location, Classification: &a.Classification, Confidentiality: &a.CIA[0], Integrity: &a.CIA[1],
			Availability: &a.CIA[2], Description: &a.Description, Controls: &links})
		if err != nil {
			return fmt.Errorf("asset %q: %w", a.Name, err)
		}
		assets[a.Name] = created.Ref
	}

	by := admin()
	for _, r := range f.Risks {
		ctls, err := refs("risk "+r.Title, r.Controls, "control", controls)
		if err != nil {
			return err
		}
		in := domain.RiskInput{Title: &r.Title, Register: &r.Register, Owner: &r.Owner, Description: &r.Description,
			InherentL: &r.Inherent[0], InherentI: &r.Inherent[1], ResidualL: &r.Residual[0], ResidualI: &r.Residual[1],
			Treatment: &r.Treatment, Status: &r.Status, NextReview: ptr(day(r.ReviewIn)), Controls: &ctls}
		if r.Register == domain.RegisterSecurity {
			linked, err := refs("risk "+r.Title, r.Assets, "asset", assets)
			if err != nil {
				return err
			}
			in.Threat, in.Vulnerability, in.CIA, in.Assets = &r.Threat, &r.Vulnerability, &r.CIA, &linked
		} else {
			in.AISystems, in.Sources, in.Parties = &r.AISystems, &r.Sources, &r.Parties
		}
		created, err := o.CreateRisk(ctx, actor, in)
		if err != nil {
			return fmt.Errorf("risk %q: %w", r.Title, err)
		}
		if r.Accept != nil {
			if _, err := o.AcceptRisk(ctx, actor, by.Name, string(by.Role), created.Ref, created.Version,
				domain.AcceptInput{Rationale: r.Accept.Rationale}); err != nil {
				return fmt.Errorf("risk %q: acceptance: %w", r.Title, err)
			}
		}
		for _, a := range r.Actions {
			status := a.Status
			if status == "" {
				status = domain.ActionOpen
			}
			if _, err := o.AddRiskAction(ctx, actor, created.Ref, domain.ActionInput{Title: &a.Title, Owner: &a.Owner,
				Due: ptr(day(a.DueIn)), Status: &status, Notes: &a.Notes}); err != nil {
				return fmt.Errorf("risk %q: action %q: %w", r.Title, a.Title, err)
			}
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
