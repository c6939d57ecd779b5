package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
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
	register(h, access.Org(auth.ResTrail, auth.Read), huma.Operation{OperationID: "list-trail", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/trail",
		Summary: "The organization's trail of writes, newest first", Tags: []string{"Trail"}},
		func(ctx context.Context, in *trailInput) (*trailOutput, error) {
			sc := scope(ctx)
			page, err := sc.Org.Trail(ctx, in.ResourceType, in.ResourceRef, in.Limit, in.Cursor)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &trailOutput{Body: page}, nil
		})
}
