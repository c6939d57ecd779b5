package api

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/negotiation"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/report"
	"tandem/internal/store"
)

type trailInput struct {
	Org          string `path:"org"`
	Actor        string `query:"actor" maxLength:"500" example:"user:ada@example.com" doc:"Exact actor as recorded: user:EMAIL, token:EMAIL/PREFIX or system:NAME"`
	Action       string `query:"action" maxLength:"500" example:"control.update" doc:"Exact action"`
	ResourceType string `query:"resource_type" maxLength:"500" example:"control" doc:"Exact kind of record"`
	ResourceRef  string `query:"resource_ref" maxLength:"500" example:"CTL-001" doc:"Exact reference of the record"`
	From         string `query:"from" example:"2026-03-01" doc:"Entries at or after this moment: an RFC 3339 time (2026-03-01T09:30:00Z), or a date YYYY-MM-DD meaning the start of that day in the organization's time zone"`
	To           string `query:"to" example:"2026-03-31" doc:"Entries before this moment (exclusive): an RFC 3339 time, or a date YYYY-MM-DD that includes that whole day in the organization's time zone (the period ends at the start of the next day). Must be later than from"`
	Format       string `query:"format" enum:"json,csv" doc:"csv: the whole filtered trail as a CSV download (limit and cursor do not apply). Also chosen by Accept: text/csv. Default json"`
	Accept       string `header:"Accept" doc:"text/csv selects the CSV download, like format=csv"`
	PageInput
}

// trailOutput streams its answer: the JSON page, or the CSV export read
// page by page from the store while it is written, so a long trail is never
// held in memory. Both are documented on the operation (see registerTrail).
type trailOutput struct {
	Body func(huma.Context)
}

const (
	jsonType = "application/json"
	csvType  = "text/csv"
)

func (a *API) registerTrail(h huma.API) {
	registry := h.OpenAPI().Components.Schemas
	pageSchema := registry.Schema(reflect.TypeFor[domain.Page[domain.TrailEntry]](), true, "")
	op := huma.Operation{OperationID: "list-trail", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/trail",
		Summary: "The organization's trail of writes, newest first, filtered; or all of it as CSV",
		Description: "Every write to the organization's records, with who, when, the record before and after, " +
			"and the SHA-256 chain (prev_hash, hash). Filters combine; the period is half-open [from, to).\n\n" +
			"With format=csv (or Accept: text/csv) the answer is the whole filtered trail as a CSV file with a header row " +
			"(" + strings.Join(report.TrailColumns, ", ") + "), times in UTC; a cell starting with = + - @, a tab or a carriage return is prefixed " +
			"with a single quote so that spreadsheets show it as text.",
		Tags: []string{"Trail"},
		Responses: map[string]*huma.Response{"200": {
			Description: "A page of entries (JSON), or the whole filtered trail (CSV)",
			Headers: map[string]*huma.Param{"Content-Disposition": {
				Description: `With CSV: attachment; filename="<org>-trail.csv"`, Schema: &huma.Schema{Type: "string"},
			}},
			Content: map[string]*huma.MediaType{
				jsonType: {Schema: pageSchema},
				csvType:  {Schema: &huma.Schema{Type: "string", Description: "CSV (RFC 4180) with a header row"}},
			},
		}},
	}
	register(h, access.Org(auth.ResTrail, auth.Read), op, func(ctx context.Context, in *trailInput) (*trailOutput, error) {
		sc := scope(ctx)
		org := sc.Org.Org()
		f, err := trailFilter(org, in)
		if err != nil {
			return nil, a.problem(ctx, err, "query")
		}
		asCSV := in.Format == "csv" ||
			in.Format == "" && negotiation.SelectQValueFast(in.Accept, []string{jsonType, csvType}) == csvType
		if asCSV {
			f.Limit, f.Cursor = store.MaxLimit, ""
		}
		// The first page is read before anything is written, so a bad
		// filter (or cursor) is still a clean 422.
		page, err := sc.Org.Trail(ctx, f)
		if err != nil {
			return nil, a.problem(ctx, err, "query")
		}
		if !asCSV {
			return &trailOutput{Body: func(hc huma.Context) {
				hc.SetHeader("Content-Type", jsonType)
				hc.SetStatus(http.StatusOK)
				if err := h.Marshal(hc.BodyWriter(), jsonType, page); err != nil {
					a.log.ErrorContext(ctx, "trail answer failed", "err", err)
				}
			}}, nil
		}
		return &trailOutput{Body: func(hc huma.Context) {
			hc.SetHeader("Content-Type", csvType+"; charset=utf-8")
			hc.SetHeader("Content-Disposition", `attachment; filename="`+org.Slug+`-trail.csv"`)
			hc.SetHeader("Cache-Control", "no-store")
			hc.SetStatus(http.StatusOK)
			next := func(ctx context.Context, cursor string) (domain.Page[domain.TrailEntry], error) {
				f.Cursor = cursor
				return sc.Org.Trail(ctx, f)
			}
			if err := report.WriteTrailCSV(hc.Context(), hc.BodyWriter(), page, next); err != nil {
				// The status is sent: break the connection, so the client
				// sees a failed download instead of a file cut short.
				a.log.ErrorContext(ctx, "trail export failed", "org", org.Slug, "err", err)
				panic(http.ErrAbortHandler)
			}
		}}, nil
	})
}

// trailFilter reads the query into a store filter; dates are days in the
// organization's time zone.
func trailFilter(org domain.Org, in *trailInput) (domain.TrailFilter, error) {
	loc, err := time.LoadLocation(org.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	from, to, err := domain.ParseTrailPeriod(in.From, in.To, loc)
	return domain.TrailFilter{Actor: in.Actor, Action: in.Action, ResourceType: in.ResourceType, ResourceRef: in.ResourceRef,
		From: from, To: to, Limit: in.Limit, Cursor: in.Cursor}, err
}
