package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/readiness"
)

type readinessInput struct {
	Org      string `path:"org"`
	Standard string `query:"standard" enum:"iso27001-2022,iso42001-2023" doc:"Only this standard"`
}

type readinessOutput struct {
	Body struct {
		Items []readiness.Standard `json:"items"`
	}
}

type transferInput struct {
	Org  string `path:"org"`
	From string `query:"from" enum:"iso27001-2022,iso42001-2023" default:"iso27001-2022" doc:"The standard whose controls are in place"`
	To   string `query:"to" enum:"iso27001-2022,iso42001-2023" default:"iso42001-2023" doc:"The standard to carry them over to"`
}

type transferOutput struct {
	Body readiness.Transfer
}

type impactInput struct {
	ControlPath
	Body controlBody
}

type impactOutput struct {
	Body readiness.Impact
}

func (a *API) registerReadiness(h huma.API) {
	tags := []string{"Readiness"}
	read := access.Org(auth.ResControl, auth.Read)
	register(h, read, huma.Operation{OperationID: "get-readiness", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/readiness",
		Summary: "Readiness per standard, clause and Annex A theme or group, with the gaps", Tags: tags,
		Description: "Requirements counted are the Annex A controls not excluded in the SoA and the clauses without subclauses."},
		func(ctx context.Context, in *readinessInput) (*readinessOutput, error) {
			cov, excluded, err := a.coverage(ctx)
			if err != nil {
				return nil, err
			}
			out := &readinessOutput{}
			out.Body.Items = []readiness.Standard{}
			for _, std := range a.catalog.Standards {
				if in.Standard == "" || in.Standard == std.ID {
					out.Body.Items = append(out.Body.Items, readiness.Compute(a.catalog, std.ID, cov, excluded))
				}
			}
			return out, nil
		})

	register(h, read, huma.Operation{OperationID: "get-transfer", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/transfer",
		Summary: "What the controls of one standard carry over to the other through the crosswalk", Tags: tags},
		func(ctx context.Context, in *transferInput) (*transferOutput, error) {
			if in.From == in.To {
				return nil, a.fieldError(ctx, "query", "to", "error.same_standard", in.To)
			}
			cov, excluded, err := a.coverage(ctx)
			if err != nil {
				return nil, err
			}
			return &transferOutput{Body: readiness.TransferOf(a.catalog, in.From, in.To, cov, excluded)}, nil
		})

	register(h, read, huma.Operation{OperationID: "preview-control-impact", Method: http.MethodPost,
		Path:    "/api/v1/orgs/{org}/controls/{ref}/impact",
		Summary: "What a proposed change to a control would change in each standard (nothing is saved)", Tags: tags},
		func(ctx context.Context, in *impactInput) (*impactOutput, error) {
			sc := scope(ctx)
			before, err := sc.Org.Control(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			after := in.Body.input().Apply(before)
			after.Scope = domain.ScopeOf(after.Requirements)
			if err := after.Validate(a.catalog); err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			cov, excluded, err := a.coverage(ctx)
			if err != nil {
				return nil, err
			}
			return &impactOutput{Body: readiness.ImpactOf(a.catalog, cov, excluded, before, after)}, nil
		})
}

// coverage reads what readiness is computed from.
func (a *API) coverage(ctx context.Context) (readiness.Coverage, readiness.Excluded, error) {
	o := scope(ctx).Org
	cov, err := o.Coverage(ctx)
	if err != nil {
		return nil, nil, a.problem(ctx, err, "path")
	}
	excluded, err := o.Exclusions(ctx)
	if err != nil {
		return nil, nil, a.problem(ctx, err, "path")
	}
	return cov, excluded, nil
}
