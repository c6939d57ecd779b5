package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// Actions of risk treatment plans. They are part of the risk register, so
// the risk resource's rules decide; a contributor changes the actions of
// the risks they own and the actions they own (access.Scope.ActionWritable).

type actionOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.Action
}

type listActionsInput struct {
	Org      string `path:"org"`
	Risk     string `query:"risk" doc:"Actions of this risk's treatment plan (RSK-001)"`
	Register string `query:"register" enum:"security,ai," doc:"Actions of the treatment plans of one register"`
	Owner    string `query:"owner" doc:"Exact owner (case-insensitive)"`
	Status   string `query:"status" enum:"open,done," doc:"open or done"`
	Overdue  bool   `query:"overdue" doc:"Open actions past their due date"`
	PageInput
}

type actionsOutput struct {
	Body domain.Page[domain.Action]
}

type createActionInput struct {
	RiskPath
	Body domain.ActionInput
}

// ActionPath addresses one action (exported: huma reads exported embedded
// structs only).
type ActionPath struct {
	Org string `path:"org"`
	Ref string `path:"ref" example:"ACT-001"`
}

type patchActionInput struct {
	ActionPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required"`
	Body    domain.ActionInput
}

type deleteActionInput struct {
	ActionPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required"`
}

func (a *API) registerActions(h huma.API) {
	tags := []string{"Risk"}
	rule := func(act auth.Action) access.Rule { return access.Org(auth.ResRisk, act) }
	register(h, rule(auth.Read), huma.Operation{OperationID: "list-actions", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/actions",
		Summary: "One page of actions, soonest due first, filtered by risk, owner, status or overdue", Tags: tags},
		func(ctx context.Context, in *listActionsInput) (*actionsOutput, error) {
			page, err := scope(ctx).Org.ListActions(ctx, store.ActionFilter{Risk: in.Risk, Register: in.Register, Owner: in.Owner, Status: in.Status,
				Overdue: in.Overdue, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &actionsOutput{Body: page}, nil
		})

	register(h, rule(auth.Update), huma.Operation{OperationID: "create-risk-action", Method: http.MethodPost,
		Path: "/api/v1/orgs/{org}/risks/{ref}/actions", DefaultStatus: http.StatusCreated,
		Summary: "Add an action (owner, due date) to a risk's treatment plan", Tags: tags},
		func(ctx context.Context, in *createActionInput) (*actionOutput, error) {
			sc := scope(ctx)
			// Adding to a plan is changing the risk: a contributor's own.
			if _, err := sc.RiskWritable(ctx, in.Ref, nil, nil); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			act, err := sc.Org.AddRiskAction(ctx, sc.Actor(), in.Ref, in.Body)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &actionOutput{ETag: etag(act.Version), Location: "/api/v1/orgs/" + in.Org + "/actions/" + act.Ref, Body: act}, nil
		})

	register(h, rule(auth.Read), huma.Operation{OperationID: "get-action", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/actions/{ref}",
		Summary: "One action, with the ETag to change it", Tags: tags},
		func(ctx context.Context, in *ActionPath) (*actionOutput, error) {
			act, err := scope(ctx).Org.Action(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return &actionOutput{ETag: etag(act.Version), Body: act}, nil
		})

	register(h, rule(auth.Update), huma.Operation{OperationID: "patch-action", Method: http.MethodPatch, Path: "/api/v1/orgs/{org}/actions/{ref}",
		Summary: "Change part of an action (omitted fields keep their value), e.g. mark it done", Tags: tags},
		func(ctx context.Context, in *patchActionInput) (*actionOutput, error) {
			sc := scope(ctx)
			given, err := a.optionalVersion(ctx, in.IfMatch)
			if err != nil {
				return nil, err
			}
			version, err := sc.ActionWritable(ctx, in.Ref, given, in.Body.Owner)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if version == nil {
				return nil, huma.NewError(http.StatusPreconditionRequired, i18n.T("error.version_required"))
			}
			act, err := sc.Org.UpdateAction(ctx, sc.Actor(), in.Ref, *version, in.Body)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &actionOutput{ETag: etag(act.Version), Body: act}, nil
		})

	register(h, rule(auth.Delete), huma.Operation{OperationID: "delete-action", Method: http.MethodDelete, Path: "/api/v1/orgs/{org}/actions/{ref}",
		Summary: "Delete an action (its ref is never reused)", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *deleteActionInput) (*struct{}, error) {
			sc := scope(ctx)
			version, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteAction(ctx, sc.Actor(), in.Ref, version); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})
}
