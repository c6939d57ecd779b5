package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/catalog"
	"tandem/internal/domain"
)

// StandardSummary is a standard with its requirement counts.
type StandardSummary struct {
	ID            string          `json:"id" example:"iso27001-2022"`
	Title         string          `json:"title" example:"ISO/IEC 27001:2022"`
	Name          string          `json:"name"`
	Version       string          `json:"version"`
	Requirements  int             `json:"requirements" doc:"Number of requirements (clauses and annex controls)"`
	Clauses       int             `json:"clauses"`
	AnnexControls int             `json:"annex_controls"`
	Groups        []catalog.Group `json:"groups" doc:"Annex A themes or objective groups"`
}

type standardsOutput struct {
	Body struct {
		Items []StandardSummary `json:"items"`
	}
}

type requirementsInput struct {
	ID    string `path:"id" example:"iso27001-2022"`
	Kind  string `query:"kind" enum:"clause,annex" doc:"Only clauses or only annex controls"`
	Group string `query:"group" doc:"Only annex controls of this theme or objective group (e.g. organizational, A.6)"`
}

type requirementsOutput struct {
	Body struct {
		Items []*catalog.Requirement `json:"items"`
	}
}

type crosswalkInput struct {
	Requirement string `query:"requirement" doc:"Only links touching this requirement key, e.g. iso27001-2022/A.5.1"`
	Kind        string `query:"kind" enum:"clause,annex" doc:"Only links between clauses or only links between annex controls"`
}

type crosswalkOutput struct {
	Body struct {
		Items []catalog.Link `json:"items"`
	}
}

func summarize(s *catalog.Standard) StandardSummary {
	groups := s.Groups
	if groups == nil {
		groups = []catalog.Group{}
	}
	return StandardSummary{ID: s.ID, Title: s.Title, Name: s.Name, Version: s.Version,
		Requirements: s.Count(""), Clauses: s.Count(catalog.KindClause), AnnexControls: s.Count(catalog.KindAnnex), Groups: groups}
}

func (a *API) registerCatalog(h huma.API) {
	register(h, access.SignedIn(), huma.Operation{OperationID: "list-standards", Method: http.MethodGet, Path: "/api/v1/standards",
		Summary: "List the standards and their requirement counts", Tags: []string{"Catalog"}},
		func(ctx context.Context, _ *struct{}) (*standardsOutput, error) {
			out := &standardsOutput{}
			out.Body.Items = []StandardSummary{}
			for _, s := range a.catalog.Standards {
				out.Body.Items = append(out.Body.Items, summarize(s))
			}
			return out, nil
		})

	register(h, access.SignedIn(), huma.Operation{OperationID: "list-requirements", Method: http.MethodGet, Path: "/api/v1/standards/{id}/requirements",
		Summary: "The whole catalog of one standard (small, not paginated)", Tags: []string{"Catalog"}},
		func(ctx context.Context, in *requirementsInput) (*requirementsOutput, error) {
			s := a.catalog.Standard(in.ID)
			if s == nil {
				return nil, a.problem(ctx, domain.ErrNotFound, "path")
			}
			if in.Group != "" && s.Group(in.Group).ID == "" {
				return nil, a.fieldError(ctx, "query", "group", "error.unknown_group", in.Group, s.ID)
			}
			out := &requirementsOutput{}
			out.Body.Items = []*catalog.Requirement{}
			for _, r := range s.Requirements {
				if (in.Kind == "" || r.Kind == in.Kind) && (in.Group == "" || r.Group == in.Group) {
					out.Body.Items = append(out.Body.Items, r)
				}
			}
			return out, nil
		})

	register(h, access.SignedIn(), huma.Operation{OperationID: "list-crosswalk", Method: http.MethodGet, Path: "/api/v1/crosswalk",
		Summary: "Crosswalk links between requirements of different standards", Tags: []string{"Catalog"}},
		func(ctx context.Context, in *crosswalkInput) (*crosswalkOutput, error) {
			if in.Requirement != "" && !a.catalog.HasRequirement(in.Requirement) {
				return nil, a.fieldError(ctx, "query", "requirement", "error.unknown_requirement", in.Requirement, in.Requirement)
			}
			links := a.catalog.Links
			if in.Requirement != "" {
				links = a.catalog.LinksOf(in.Requirement)
			}
			out := &crosswalkOutput{}
			out.Body.Items = []catalog.Link{}
			for _, l := range links {
				if in.Kind == "" || a.catalog.Requirement(l.From).Kind == in.Kind {
					out.Body.Items = append(out.Body.Items, l)
				}
			}
			return out, nil
		})
}
