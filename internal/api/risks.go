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
	"tandem/internal/store"
)

// RiskPath addresses one risk (exported: huma reads exported embedded
// structs only).
type RiskPath struct {
	Org string `path:"org"`
	Ref string `path:"ref" example:"RSK-001"`
}

type riskOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.Risk
}

type listRisksInput struct {
	Org        string `path:"org"`
	Register   string `query:"register" enum:"security,ai," doc:"One register: security or ai"`
	Status     string `query:"status" doc:"open, treating, accepted or closed"`
	Owner      string `query:"owner" doc:"Exact owner (case-insensitive)"`
	Level      string `query:"level" doc:"A level id of the method (of the score chosen by score)"`
	Likelihood int    `query:"likelihood" minimum:"0" maximum:"5" doc:"One heat-map cell: likelihood step"`
	Impact     int    `query:"impact" minimum:"0" maximum:"5" doc:"One heat-map cell: impact step"`
	Score      string `query:"score" enum:"residual,inherent," doc:"Which score level/likelihood/impact filter: residual (default) or inherent"`
	Current    bool   `query:"current" doc:"Leave closed risks out (what the heat maps count)"`
	Control    string `query:"control" doc:"Risks whose treatment plan uses this control (CTL-001)"`
	Rescore    bool   `query:"rescore" doc:"Risks with a score given under an older version of the method"`
	ReviewDue  bool   `query:"review_due" doc:"Risks whose next review date is today or past"`
	Acceptance string `query:"acceptance" enum:"accepted,needed,lapsed,uncovered," doc:"accepted: an acceptance covers the residual level today; needed: above appetite, not covered, in treatment; lapsed: above appetite, not covered, yet accepted or closed; uncovered: needed or lapsed"`
	Q          string `query:"q" doc:"Text in ref, title or description"`
	Format     string `query:"format" enum:"json,xlsx,csv,pdf" doc:"json (default), or the whole filtered register as a file: xlsx, csv or pdf (register required; limit and cursor do not apply)"`
	PageInput
}

func (in *listRisksInput) filter() domain.RiskFilter {
	return domain.RiskFilter{Register: in.Register, Status: in.Status, Owner: in.Owner,
		Level: in.Level, Likelihood: in.Likelihood, Impact: in.Impact, Inherent: in.Score == "inherent",
		Current: in.Current, Control: in.Control, Rescore: in.Rescore, ReviewDue: in.ReviewDue, Acceptance: in.Acceptance, Text: in.Q,
		Limit: in.Limit, Cursor: in.Cursor}
}

type createRiskInput struct {
	Org  string `path:"org"`
	Body domain.RiskInput
}

type patchRiskInput struct {
	RiskPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required"`
	Body    domain.RiskInput
}

type acceptRiskInput struct {
	RiskPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required"`
	Body    domain.AcceptInput
}

type heatInput struct {
	Org      string `path:"org"`
	Register string `path:"register" enum:"security,ai"`
}

type heatOutput struct {
	Body domain.RiskHeat
}

type deleteRiskInput struct {
	RiskPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required"`
}

func (a *API) registerRisks(h huma.API) {
	tags := []string{"Risk"}
	base := "/api/v1/orgs/{org}/risks"
	rule := func(act auth.Action) access.Rule { return access.Org(auth.ResRisk, act) }
	problem := func(ctx context.Context, err error, where string) error {
		switch {
		case errors.Is(err, store.ErrForbiddenAcceptance):
			return huma.Error403Forbidden(i18n.T("error.risk_acceptance_forbidden"))
		case errors.Is(err, domain.ErrVersionRequired):
			return huma.NewError(http.StatusPreconditionRequired, i18n.T("error.version_required"))
		}
		return a.problem(ctx, err, where)
	}

	register(h, rule(auth.Read), riskListOperation(h),
		func(ctx context.Context, in *listRisksInput) (*fileOutput, error) {
			if in.Format != "" && in.Format != "json" {
				return a.riskRegisterFile(ctx, in.Format, in.filter())
			}
			page, err := scope(ctx).Org.ListRisks(ctx, in.filter())
			if err != nil {
				return nil, problem(ctx, err, "query")
			}
			return a.jsonFile(h, page), nil
		})

	register(h, rule(auth.Create), huma.Operation{OperationID: "create-risk", Method: http.MethodPost, Path: base,
		Summary: "Raise a risk in the security or AI register", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createRiskInput) (*riskOutput, error) {
			sc := scope(ctx)
			r, err := sc.Org.CreateRisk(ctx, sc.Actor(), in.Body)
			if err != nil {
				return nil, problem(ctx, err, "body")
			}
			return &riskOutput{ETag: etag(r.Version), Location: "/api/v1/orgs/" + in.Org + "/risks/" + r.Ref, Body: r}, nil
		})

	register(h, rule(auth.Read), huma.Operation{OperationID: "get-risk", Method: http.MethodGet, Path: base + "/{ref}",
		Summary: "One risk, with the ETag to change it", Tags: tags},
		func(ctx context.Context, in *RiskPath) (*riskOutput, error) {
			r, err := scope(ctx).Org.Risk(ctx, in.Ref)
			if err != nil {
				return nil, problem(ctx, err, "path")
			}
			return &riskOutput{ETag: etag(r.Version), Body: r}, nil
		})

	register(h, rule(auth.Update), huma.Operation{OperationID: "patch-risk", Method: http.MethodPatch, Path: base + "/{ref}",
		Summary: "Change part of a risk (omitted fields keep their value); contributors change the risks they own", Tags: tags},
		func(ctx context.Context, in *patchRiskInput) (*riskOutput, error) {
			sc := scope(ctx)
			given, err := a.optionalVersion(ctx, in.IfMatch)
			if err != nil {
				return nil, err
			}
			// A contributor's write is pinned to the version their ownership
			// was checked at.
			version, err := sc.RiskWritable(ctx, in.Ref, given, in.Body.Owner)
			if err != nil {
				return nil, problem(ctx, err, "path")
			}
			if version == nil {
				return nil, huma.NewError(http.StatusPreconditionRequired, i18n.T("error.version_required"))
			}
			r, err := sc.Org.UpdateRisk(ctx, sc.Actor(), in.Ref, version, in.Body)
			if err != nil {
				return nil, problem(ctx, err, "body")
			}
			return &riskOutput{ETag: etag(r.Version), Body: r}, nil
		})

	register(h, access.Org(auth.ResRiskAcceptance, auth.Create), huma.Operation{OperationID: "accept-risk", Method: http.MethodPost, Path: base + "/{ref}/acceptance",
		Summary: "Accept the risk's residual level as it stands, signed by you; the method decides whether your role may. " +
			"The acceptance expires at the next review date and the risk becomes accepted", Tags: tags},
		func(ctx context.Context, in *acceptRiskInput) (*riskOutput, error) {
			sc := scope(ctx)
			version, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			r, err := sc.Org.AcceptRisk(ctx, sc.Actor(), sc.Who(), string(sc.Role), in.Ref, version, in.Body)
			if err != nil {
				return nil, problem(ctx, err, "body")
			}
			return &riskOutput{ETag: etag(r.Version), Body: r}, nil
		})

	register(h, rule(auth.Read), huma.Operation{OperationID: "risk-heat-map", Method: http.MethodGet,
		Path:    "/api/v1/orgs/{org}/risk-heat/{register}",
		Summary: "Current risks of one register counted per matrix cell, inherent and residual", Tags: tags},
		func(ctx context.Context, in *heatInput) (*heatOutput, error) {
			heat, err := scope(ctx).Org.RiskHeat(ctx, in.Register)
			if err != nil {
				return nil, problem(ctx, err, "path")
			}
			return &heatOutput{Body: heat}, nil
		})

	register(h, rule(auth.Delete), huma.Operation{OperationID: "delete-risk", Method: http.MethodDelete, Path: base + "/{ref}",
		Summary: "Delete a risk (its ref is never reused)", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *deleteRiskInput) (*struct{}, error) {
			sc := scope(ctx)
			version, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteRisk(ctx, sc.Actor(), in.Ref, version); err != nil {
				return nil, problem(ctx, err, "path")
			}
			return nil, nil
		})
}
