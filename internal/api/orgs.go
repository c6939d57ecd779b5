package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
)

// PageInput is embedded by list inputs; huma only reads exported embedded structs.
type PageInput struct {
	Limit  int    `query:"limit" minimum:"0" maximum:"500" doc:"Page size (default 50, at most 500)"`
	Cursor string `query:"cursor" doc:"The next value of the previous page"`
}

type orgsOutput struct {
	Body domain.Page[domain.Org]
}

type orgBody struct {
	Slug     string `json:"slug" example:"northwind" doc:"Lowercase letters, digits and hyphens; used in URLs"`
	Name     string `json:"name" example:"Northwind Analytics"`
	TimeZone string `json:"time_zone,omitempty" example:"Europe/Amsterdam" doc:"IANA time zone; UTC when omitted"`
}

type createOrgInput struct {
	Body orgBody
}

type orgOutput struct {
	Location string `header:"Location"`
	Body     domain.Org
}

type orgPath struct {
	Org string `path:"org" example:"northwind"`
}

func (a *API) registerOrgs(h huma.API) {
	register(h, access.SignedIn(), huma.Operation{OperationID: "list-orgs", Method: http.MethodGet, Path: "/api/v1/orgs",
		Summary: "List the organizations you belong to (all of them for instance administrators)", Tags: []string{"Organizations"}},
		func(ctx context.Context, in *PageInput) (*orgsOutput, error) {
			page, err := a.gate.Orgs(ctx, scope(ctx).Principal, in.Limit, in.Cursor)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &orgsOutput{Body: page}, nil
		})

	register(h, access.InstanceAdmin(), huma.Operation{OperationID: "create-org", Method: http.MethodPost, Path: "/api/v1/orgs",
		Summary: "Create an organization", Tags: []string{"Organizations"}, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createOrgInput) (*orgOutput, error) {
			org, err := a.store.CreateOrg(ctx, scope(ctx).Actor(), domain.OrgInput(in.Body))
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &orgOutput{Location: "/api/v1/orgs/" + org.Slug, Body: org}, nil
		})

	register(h, access.Org(auth.ResOrg, auth.Read), huma.Operation{OperationID: "get-org", Method: http.MethodGet, Path: "/api/v1/orgs/{org}",
		Summary: "Read an organization", Tags: []string{"Organizations"}},
		func(ctx context.Context, in *orgPath) (*orgOutput, error) {
			return &orgOutput{Body: scope(ctx).Org.Org()}, nil
		})
}
