package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/domain"
)

type trailInput struct {
	Org          string `path:"org"`
	ResourceType string `query:"resource_type" example:"control"`
	ResourceRef  string `query:"resource_ref" example:"CTL-001"`
	PageInput
}

type trailOutput struct {
	Body domain.Page[domain.TrailEntry]
}

func (a *API) registerTrail(h huma.API) {
	huma.Register(h, huma.Operation{OperationID: "list-trail", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/trail",
		Summary: "The organization's trail of writes, newest first", Tags: []string{"Trail"}},
		func(ctx context.Context, in *trailInput) (*trailOutput, error) {
			o, err := a.org(ctx, in.Org)
			if err != nil {
				return nil, err
			}
			page, err := o.Trail(ctx, in.ResourceType, in.ResourceRef, in.Limit, in.Cursor)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &trailOutput{Body: page}, nil
		})
}
