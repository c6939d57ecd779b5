package api

import (
	"context"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/negotiation"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
)

type controlListInput struct {
	Org         string `path:"org"`
	Standard    string `query:"standard" doc:"Linked to any requirement of this standard" example:"iso42001-2023"`
	Requirement string `query:"requirement" doc:"Linked to this requirement key" example:"iso27001-2022/A.5.15"`
	Status      string `query:"status" enum:"planned,in_progress,implemented,not_implemented"`
	Scope       string `query:"scope" enum:"shared,27001-only,42001-only,unlinked" doc:"Derived from the links"`
	Owner       string `query:"owner" doc:"Exact owner, case-insensitive"`
	Theme       string `query:"theme" doc:"Linked to an Annex A control of this theme or group" example:"iso27001-2022/organizational"`
	Risk        string `query:"risk" doc:"In the treatment plan of this risk" example:"RSK-001"`
	Q           string `query:"q" doc:"Text in ref, title, description or owner"`
	Format      string `query:"format" enum:"json,xlsx,csv" doc:"xlsx or csv: every control matching the filters as a download (limit and cursor do not apply). Also chosen by Accept. Default json"`
	Accept      string `header:"Accept" doc:"text/csv or the XLSX media type select the download, like format="`
	PageInput
}

type controlPage struct {
	Items []domain.Control `json:"items"`
	Next  *string          `json:"next"`
	Total int              `json:"total" doc:"Number of controls matching the filters"`
}

// controlListOutput streams its answer: the JSON page, or the register as
// a file read page by page from the store while it is written. Both are
// documented on the operation (see controlListOperation).
type controlListOutput struct {
	Body func(huma.Context)
}

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportPage is how many controls an export reads from the store at a time.
const exportPage = store.MaxLimit

// controlListOperation documents the list: a JSON page, or the whole
// filtered register as XLSX or CSV.
func controlListOperation(h huma.API) huma.Operation {
	pageSchema := h.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[controlPage](), true, "")
	return huma.Operation{OperationID: "list-controls", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/controls",
		Summary: "List controls, filtered and paginated; or all of them as XLSX or CSV",
		Description: "With format=xlsx or format=csv (or the matching Accept header) the answer is every control matching the filters, " +
			"as a file: " + strings.Join(report.ControlColumns(), ", ") + ". Status and scope are in words, requirements are refs per standard " +
			"(A.5.1, 6.1.2), times are in the organization's time zone. In the CSV a cell starting with = + - @, a tab or a carriage return " +
			"is prefixed with a single quote so that spreadsheets show it as text.",
		Tags: []string{"Controls"},
		Responses: map[string]*huma.Response{"200": {
			Description: "A page of controls (JSON), or every matching control (XLSX, CSV)",
			Headers: map[string]*huma.Param{"Content-Disposition": {
				Description: `With XLSX or CSV: attachment; filename="<org>-controls.xlsx" (or .csv)`, Schema: &huma.Schema{Type: "string"},
			}},
			Content: map[string]*huma.MediaType{
				jsonType: {Schema: pageSchema},
				xlsxType: {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "A workbook with one sheet, the register"}},
				csvType:  {Schema: &huma.Schema{Type: "string", Description: "CSV (RFC 4180) with a header row"}},
			},
		}},
	}
}

// controlBody is what a client sends for a control. On PATCH omitted fields
// keep their value; on PUT they are cleared. requirements replaces the set.
type controlBody struct {
	Title        *string   `json:"title,omitempty" maxLength:"200" example:"Supplier security and AI assurance reviews"`
	Description  *string   `json:"description,omitempty" maxLength:"10000"`
	Owner        *string   `json:"owner,omitempty" maxLength:"200"`
	Status       *string   `json:"status,omitempty" enum:"planned,in_progress,implemented,not_implemented"`
	Requirements *[]string `json:"requirements,omitempty" maxItems:"500" doc:"Requirement keys, e.g. iso27001-2022/A.5.19"`
	Version      *int64    `json:"version,omitempty" doc:"The version you read; alternative to If-Match"`
}

func (b controlBody) input() domain.ControlInput {
	return domain.ControlInput{Title: b.Title, Description: b.Description, Owner: b.Owner, Status: b.Status, Requirements: b.Requirements}
}

// ControlPath addresses one control (exported: huma skips unexported embedded structs).
type ControlPath struct {
	Org string `path:"org"`
	Ref string `path:"ref" example:"CTL-001"`
}

type createControlInput struct {
	Org  string `path:"org"`
	Body controlBody
}

type updateControlInput struct {
	ControlPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required unless the body carries version"`
	Body    controlBody
}

type deleteControlInput struct {
	ControlPath
	IfMatch string `header:"If-Match" doc:"The ETag you read: the control is deleted only if still at this version"`
}

type linkInput struct {
	ControlPath
	IfMatch string `header:"If-Match" doc:"Optional: only if the control is still at this version"`
	Body    struct {
		Key string `json:"key" example:"iso42001-2023/A.10.3"`
	}
}

type unlinkInput struct {
	ControlPath
	Standard       string `path:"standard" example:"iso27001-2022"`
	RequirementRef string `path:"requirement" example:"A.5.19"`
	IfMatch        string `header:"If-Match" doc:"Optional: only if the control is still at this version"`
}

type controlOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.Control
}

func controlResponse(org string, c domain.Control) *controlOutput {
	return &controlOutput{ETag: etag(c.Version), Location: "/api/v1/orgs/" + org + "/controls/" + c.Ref, Body: c}
}

func (a *API) registerControls(h huma.API) {
	tags := []string{"Controls"}
	register(h, access.Org(auth.ResControl, auth.Read), controlListOperation(h),
		func(ctx context.Context, in *controlListInput) (*controlListOutput, error) {
			sc := scope(ctx)
			f := domain.ControlFilter{
				Standard: in.Standard, Requirement: in.Requirement, Status: in.Status, Scope: in.Scope,
				Owner: in.Owner, Theme: in.Theme, Risk: in.Risk, Text: in.Q, Limit: in.Limit, Cursor: in.Cursor,
			}
			format := in.Format
			if format == "" {
				switch negotiation.SelectQValueFast(in.Accept, []string{jsonType, csvType, xlsxType}) {
				case csvType:
					format = "csv"
				case xlsxType:
					format = "xlsx"
				}
			}
			export := format == "csv" || format == "xlsx"
			if export {
				f.Limit, f.Cursor = exportPage, ""
			}
			// The first page is read before anything is written, so a bad
			// filter (or cursor) is still a clean 422.
			page, total, err := sc.Org.ListControls(ctx, f)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			if !export {
				return &controlListOutput{Body: func(hc huma.Context) {
					hc.SetHeader("Content-Type", jsonType)
					hc.SetStatus(http.StatusOK)
					if err := h.Marshal(hc.BodyWriter(), jsonType, controlPage{Items: page.Items, Next: page.Next, Total: total}); err != nil {
						a.log.ErrorContext(ctx, "control list answer failed", "err", err)
					}
				}}, nil
			}
			org := sc.Org.Org()
			write, contentType := report.ControlsCSV, csvType+"; charset=utf-8"
			if format == "xlsx" {
				write, contentType = report.ControlsXLSX, xlsxType
			}
			return &controlListOutput{Body: func(hc huma.Context) {
				hc.SetHeader("Content-Type", contentType)
				hc.SetHeader("Content-Disposition", `attachment; filename="`+org.Slug+`-controls.`+format+`"`)
				hc.SetHeader("Cache-Control", "no-store")
				hc.SetStatus(http.StatusOK)
				next := report.Paged(hc.Context(), page, func(ctx context.Context, cursor string) (domain.Page[domain.Control], error) {
					f.Cursor = cursor
					p, _, err := sc.Org.ListControls(ctx, f)
					return p, err
				})
				if err := write(hc.BodyWriter(), org, next); err != nil {
					// The status is sent: break the connection, so the client
					// sees a failed download instead of a file cut short.
					a.log.ErrorContext(ctx, "control export failed", "org", org.Slug, "format", format, "err", err)
					panic(http.ErrAbortHandler)
				}
			}}, nil
		})

	register(h, access.Org(auth.ResControl, auth.Create), huma.Operation{OperationID: "create-control", Method: http.MethodPost, Path: "/api/v1/orgs/{org}/controls",
		Summary: "Register a control", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createControlInput) (*controlOutput, error) {
			sc := scope(ctx)
			c, err := sc.Org.CreateControl(ctx, sc.Actor(), in.Body.input())
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return controlResponse(in.Org, c), nil
		})

	register(h, access.Org(auth.ResControl, auth.Read), huma.Operation{OperationID: "get-control", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/controls/{ref}",
		Summary: "Read a control", Tags: tags},
		func(ctx context.Context, in *ControlPath) (*controlOutput, error) {
			sc := scope(ctx)
			c, err := sc.Org.Control(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return controlResponse(in.Org, c), nil
		})

	update := func(replace bool) func(context.Context, *updateControlInput) (*controlOutput, error) {
		return func(ctx context.Context, in *updateControlInput) (*controlOutput, error) {
			sc := scope(ctx)
			version, err := a.requiredVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			if _, err := sc.ControlWritable(ctx, in.Ref, &version); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			body := in.Body.input()
			if replace {
				body = replaceAll(body)
			}
			c, err := sc.Org.UpdateControl(ctx, sc.Actor(), in.Ref, version, body)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return controlResponse(in.Org, c), nil
		}
	}
	register(h, access.Org(auth.ResControl, auth.Update), huma.Operation{OperationID: "patch-control", Method: http.MethodPatch, Path: "/api/v1/orgs/{org}/controls/{ref}",
		Summary: "Change some fields of a control", Tags: tags}, update(false))
	register(h, access.Org(auth.ResControl, auth.Update), huma.Operation{OperationID: "put-control", Method: http.MethodPut, Path: "/api/v1/orgs/{org}/controls/{ref}",
		Summary: "Replace a control", Tags: tags},
		update(true))

	register(h, access.Org(auth.ResControl, auth.Delete), huma.Operation{OperationID: "delete-control", Method: http.MethodDelete, Path: "/api/v1/orgs/{org}/controls/{ref}",
		Summary: "Delete a control (its ref is never reused)", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *deleteControlInput) (*struct{}, error) {
			sc := scope(ctx)
			version, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteControl(ctx, sc.Actor(), in.Ref, &version); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})

	register(h, access.Org(auth.ResControl, auth.Update), huma.Operation{OperationID: "link-requirement", Method: http.MethodPost, Path: "/api/v1/orgs/{org}/controls/{ref}/requirements",
		Summary: "Link a control to a requirement of any standard", Tags: tags},
		func(ctx context.Context, in *linkInput) (*controlOutput, error) {
			sc := scope(ctx)
			version, err := sc.ControlWritable(ctx, in.Ref, optionalVersion(in.IfMatch))
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			c, err := sc.Org.LinkRequirement(ctx, sc.Actor(), in.Ref, in.Body.Key, version)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return controlResponse(in.Org, c), nil
		})

	register(h, access.Org(auth.ResControl, auth.Update), huma.Operation{OperationID: "unlink-requirement", Method: http.MethodDelete,
		Path:    "/api/v1/orgs/{org}/controls/{ref}/requirements/{standard}/{requirement}",
		Summary: "Unlink a control from a requirement", Tags: tags},
		func(ctx context.Context, in *unlinkInput) (*controlOutput, error) {
			sc := scope(ctx)
			version, err := sc.ControlWritable(ctx, in.Ref, optionalVersion(in.IfMatch))
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			c, err := sc.Org.UnlinkRequirement(ctx, sc.Actor(), in.Ref, in.Standard+"/"+in.RequirementRef, version)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return controlResponse(in.Org, c), nil
		})
}

// requiredVersion reads the version a write is based on, from If-Match or
// the body: 428 when there is none, 422 when it is not a version.
func (a *API) requiredVersion(ctx context.Context, ifMatch string, body *int64) (int64, error) {
	if ifMatch != "" {
		if v, ok := parseIfMatch(ifMatch); ok {
			return v, nil
		}
		return 0, a.fieldError(ctx, "header", "If-Match", "error.version", ifMatch)
	}
	if body != nil {
		if *body > 0 {
			return *body, nil
		}
		return 0, a.fieldError(ctx, "body", "version", "error.version", *body)
	}
	return 0, huma.NewError(http.StatusPreconditionRequired, i18n.T("error.version_required"))
}

// optionalVersion reads an If-Match header that may be absent (nil).
func (a *API) optionalVersion(ctx context.Context, ifMatch string) (*int64, error) {
	if ifMatch == "" {
		return nil, nil
	}
	v, err := a.requiredVersion(ctx, ifMatch, nil)
	return &v, err
}

// replaceAll makes a PUT body a full replacement: what is omitted is cleared.
func replaceAll(in domain.ControlInput) domain.ControlInput {
	empty := ""
	for _, f := range []**string{&in.Title, &in.Description, &in.Owner, &in.Status} {
		if *f == nil {
			*f = &empty
		}
	}
	if in.Requirements == nil {
		in.Requirements = &[]string{}
	}
	return in
}

func optionalVersion(ifMatch string) *int64 {
	if v, ok := parseIfMatch(ifMatch); ok {
		return &v
	}
	return nil
}
