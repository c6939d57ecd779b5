package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// RiskMethodPath addresses the risk method of one organization (exported:
// huma reads exported embedded structs only).
type RiskMethodPath struct {
	Org string `path:"org"`
}

type riskMethodOutput struct {
	ETag string `header:"ETag" doc:"The version of the method (\"0\": the default, never changed)"`
	Body domain.RiskMethod
}

// riskMethodBody is a whole method as a client sends it.
type riskMethodBody struct {
	Likelihood []domain.ScaleStep `json:"likelihood" maxItems:"5" doc:"Likelihood scale, lowest first (3 to 5 steps)"`
	Impact     []domain.ScaleStep `json:"impact" maxItems:"5" doc:"Impact scale, lowest first (3 to 5 steps)"`
	Levels     []domain.RiskLevel `json:"levels" maxItems:"6" doc:"Risk levels, lowest first, each with its colour (#rrggbb) and the role that may accept it (manager or admin)"`
	Matrix     [][]string         `json:"matrix" maxItems:"5" doc:"matrix[l-1][i-1] is the level id of likelihood l and impact i; every cell is mapped"`
	Appetite   string             `json:"appetite" doc:"The highest level acceptable without treatment"`
	Version    *int64             `json:"version,omitempty" minimum:"0" doc:"The version you read; alternative to If-Match"`
}

type putRiskMethodInput struct {
	RiskMethodPath
	IfMatch string `header:"If-Match" doc:"The ETag you read (\"0\" for the default method); required, or the body's version"`
	Body    riskMethodBody
}

func (a *API) registerRiskMethod(h huma.API) {
	tags := []string{"Risk"}
	path := "/api/v1/orgs/{org}/risk-method"
	rule := func(act auth.Action) access.Rule { return access.Org(auth.ResRiskMethod, act) }

	register(h, rule(auth.Read), huma.Operation{OperationID: "get-risk-method", Method: http.MethodGet, Path: path,
		Summary: "The risk method in force: scales, matrix, levels, appetite and acceptance authorities", Tags: tags},
		func(ctx context.Context, in *RiskMethodPath) (*riskMethodOutput, error) {
			m, err := scope(ctx).Org.RiskMethod(ctx)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return &riskMethodOutput{ETag: etag(m.Version), Body: m}, nil
		})

	register(h, rule(auth.Update), huma.Operation{OperationID: "put-risk-method", Method: http.MethodPut, Path: path,
		Summary: "Replace the risk method; the change becomes its next version", Tags: tags},
		func(ctx context.Context, in *putRiskMethodInput) (*riskMethodOutput, error) {
			sc := scope(ctx)
			version, err := a.decisionVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			if version == nil {
				return nil, huma.NewError(http.StatusPreconditionRequired, i18n.T("error.version_required"))
			}
			b := in.Body
			m, err := sc.Org.SetRiskMethod(ctx, sc.Actor(), version, domain.RiskMethod{Likelihood: b.Likelihood,
				Impact: b.Impact, Levels: b.Levels, Matrix: b.Matrix, Appetite: b.Appetite})
			if errors.Is(err, domain.ErrVersionRequired) {
				return nil, huma.NewError(http.StatusPreconditionRequired, i18n.T("error.version_required"))
			}
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &riskMethodOutput{ETag: etag(m.Version), Body: m}, nil
		})
}
