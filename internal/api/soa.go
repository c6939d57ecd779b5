package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// SoAPath addresses the Statement of Applicability of one standard
// (exported: huma reads exported embedded structs only).
type SoAPath struct {
	Org      string `path:"org"`
	Standard string `path:"standard" example:"iso27001-2022"`
}

// SoARowPath addresses one Annex A control in a standard's SoA.
type SoARowPath struct {
	SoAPath
	Ref string `path:"ref" example:"A.5.1" doc:"The Annex A control as the standard numbers it"`
}

type soaRowOutput struct {
	ETag string `header:"ETag" doc:"The version of the decision (\"0\" while undecided)"`
	Body domain.SoARow
}

// decisionBody is a decision as a client sends it. On PATCH omitted fields
// keep the recorded value; on PUT they are empty.
type decisionBody struct {
	Applicable    *bool     `json:"applicable,omitempty" doc:"true: applicable; false: excluded"`
	Justification *string   `json:"justification,omitempty" maxLength:"4000" doc:"Why the control is included or excluded; required for both"`
	Reasons       *[]string `json:"reasons,omitempty" maxItems:"4" doc:"Inclusion reasons (risk_treatment, legal, contractual, business); at least one when applicable"`
	Version       *int64    `json:"version,omitempty" minimum:"0" doc:"The version you read (0 while undecided); alternative to If-Match"`
}

type decideInput struct {
	SoARowPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required (or the body's version) once a decision exists"`
	Body    decisionBody
}

type issueInput struct {
	SoAPath
	Body struct {
		Note string `json:"note,omitempty" maxLength:"2000" doc:"Why this version is issued (e.g. annual review, scope change)"`
	}
}

type soaVersionOutput struct {
	Location string `header:"Location"`
	Body     domain.SoAVersion
}

type soaVersionsInput struct {
	SoAPath
	PageInput
}

type soaVersionsOutput struct {
	Body domain.Page[domain.SoAVersion]
}

type soaDiffInput struct {
	SoAPath
	From int `query:"from" required:"true" minimum:"1" doc:"The older issued version"`
	To   int `query:"to" minimum:"0" doc:"The newer issued version; omitted (or 0): the current draft"`
}

type soaDiffOutput struct {
	Body domain.SoADiff
}

func (a *API) registerSoA(h huma.API) {
	tags := []string{"Statement of Applicability"}
	base := "/api/v1/orgs/{org}/soa/{standard}"
	rule := func(act auth.Action) access.Rule { return access.Org(auth.ResSoA, act) }

	a.registerSoAExports(h, tags)

	register(h, rule(auth.Read), huma.Operation{OperationID: "get-soa-row", Method: http.MethodGet, Path: base + "/{ref}",
		Summary: "One Annex A control of the SoA, with the ETag to change its decision", Tags: tags},
		func(ctx context.Context, in *SoARowPath) (*soaRowOutput, error) {
			row, err := scope(ctx).Org.SoARow(ctx, in.Standard, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return &soaRowOutput{ETag: etag(row.Version), Body: row}, nil
		})

	decide := func(merge bool) func(context.Context, *decideInput) (*soaRowOutput, error) {
		return func(ctx context.Context, in *decideInput) (*soaRowOutput, error) {
			sc := scope(ctx)
			version, err := a.decisionVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			var d domain.DecisionInput
			if merge {
				cur, err := sc.Org.SoARow(ctx, in.Standard, in.Ref)
				if err != nil {
					return nil, a.decisionProblem(ctx, err)
				}
				d = domain.DecisionInput{Applicable: cur.Applicable, Justification: cur.Justification, Reasons: cur.Reasons}
			}
			// PUT starts from nothing, PATCH from the recorded decision.
			if b := in.Body; b.Applicable != nil {
				d.Applicable = b.Applicable
			}
			if b := in.Body; b.Justification != nil {
				d.Justification = *b.Justification
			}
			if b := in.Body; b.Reasons != nil {
				d.Reasons = *b.Reasons
			}
			row, err := sc.Org.Decide(ctx, sc.Actor(), in.Standard, in.Ref, version, d)
			if err != nil {
				return nil, a.decisionProblem(ctx, err)
			}
			return &soaRowOutput{ETag: etag(row.Version), Body: row}, nil
		}
	}
	register(h, rule(auth.Update), huma.Operation{OperationID: "put-soa-decision", Method: http.MethodPut, Path: base + "/{ref}",
		Summary: "Record the decision on an Annex A control (omitted fields are empty)", Tags: tags},
		decide(false))
	register(h, rule(auth.Update), huma.Operation{OperationID: "patch-soa-decision", Method: http.MethodPatch, Path: base + "/{ref}",
		Summary: "Change part of the decision on an Annex A control (omitted fields keep their value)", Tags: tags},
		decide(true))

	register(h, rule(auth.Create), huma.Operation{OperationID: "issue-soa-version", Method: http.MethodPost, Path: base + "/versions",
		Summary: "Issue the current SoA as the next numbered version, approved by you", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *issueInput) (*soaVersionOutput, error) {
			sc := scope(ctx)
			v, err := sc.Org.IssueSoA(ctx, sc.Actor(), in.Standard, sc.Principal.User.Email, in.Body.Note)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &soaVersionOutput{Location: versionPath(in.Org, in.Standard, v.Number), Body: v}, nil
		})

	register(h, rule(auth.Read), huma.Operation{OperationID: "list-soa-versions", Method: http.MethodGet, Path: base + "/versions",
		Summary: "Issued versions of the SoA, newest first (without their rows)", Tags: tags},
		func(ctx context.Context, in *soaVersionsInput) (*soaVersionsOutput, error) {
			page, err := scope(ctx).Org.SoAVersions(ctx, in.Standard, in.Limit, in.Cursor)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &soaVersionsOutput{Body: page}, nil
		})

	register(h, rule(auth.Read), huma.Operation{OperationID: "diff-soa", Method: http.MethodGet, Path: base + "/diff",
		Summary: "What changed between two issued versions, or from one to the current draft", Tags: tags,
		Description: "Only the rows that changed, each with the fields that changed (decision, justification, reasons, state, controls) " +
			"and the row before and after."},
		func(ctx context.Context, in *soaDiffInput) (*soaDiffOutput, error) {
			d, err := scope(ctx).Org.SoADiff(ctx, in.Standard, in.From, in.To)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &soaDiffOutput{Body: d}, nil
		})
}

func versionPath(org, standard string, number int) string {
	return "/api/v1/orgs/" + org + "/soa/" + standard + "/versions/" + strconv.Itoa(number)
}

// decisionVersion reads the version a decision is based on, from If-Match
// or the body; 0 means "undecided when I read it". None at all is nil: the
// store answers whether one was needed.
func (a *API) decisionVersion(ctx context.Context, ifMatch string, body *int64) (*int64, error) {
	if ifMatch != "" {
		v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(strings.TrimSpace(ifMatch), "W/"), `"`), 10, 64)
		if err != nil || v < 0 {
			return nil, a.fieldError(ctx, "header", "If-Match", "error.version", ifMatch)
		}
		return &v, nil
	}
	return body, nil
}

// decisionProblem answers a refused decision: 428 when a version was
// needed, and field errors located where they came from (the ref in the
// path, the rest in the body).
func (a *API) decisionProblem(ctx context.Context, err error) error {
	if errors.Is(err, domain.ErrVersionRequired) {
		return huma.NewError(http.StatusPreconditionRequired, i18n.T("error.version_required"))
	}
	if v, ok := domain.AsValidation(err); ok {
		details := make([]error, len(v.Fields))
		for i, f := range v.Fields {
			where := "body."
			if f.Field == "ref" {
				where = "path."
			}
			details[i] = &huma.ErrorDetail{Location: where + f.Field, Message: f.Message, Value: f.Value}
		}
		return huma.Error422UnprocessableEntity(i18n.T("error.validation"), details...)
	}
	return a.problem(ctx, err, "body")
}
