package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/report"
	"tandem/internal/store"
)

// Risk exports: the register of one register as a file (format= on the
// list) and the risk treatment plan.

// riskExportTypes are the media types of the register's formats.
var riskExportTypes = map[string]string{"xlsx": xlsxType, "csv": csvType + "; charset=utf-8", "pdf": pdfType}

// riskListOperation documents the list: a JSON page, or the whole filtered
// register as XLSX, CSV or PDF.
func riskListOperation(h huma.API) huma.Operation {
	pageSchema := h.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[domain.Page[domain.Risk]](), true, "")
	return huma.Operation{OperationID: "list-risks", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/risks",
		Summary: "One page of risks, in ref order, filtered by register, status, owner, level or heat-map cell; or the register as a file",
		Description: "With format=xlsx, csv or pdf the answer is every risk of one register (register is then required) matching the " +
			"filters, as a download (limit and cursor do not apply): " + strings.Join(report.RiskColumns(domain.RegisterSecurity), ", ") +
			" for the security register; the AI register has AI systems, risk sources and affected parties in place of assets, threat, " +
			"vulnerability and C/I/A. Levels come from the method in force and are coloured as it says; dates are in the organization's " +
			"time zone. In the CSV a cell starting with = + - @, a tab or a carriage return is prefixed with a single quote.",
		Tags: []string{"Risk"},
		Responses: map[string]*huma.Response{"200": {
			Description: "A page of risks (JSON), or every matching risk of the register (XLSX, CSV, PDF)",
			Headers: map[string]*huma.Param{"Content-Disposition": {
				Description: `With a file format: attachment; filename="<org>-<register>-risks-<YYYY-MM-DD>.<format>"`, Schema: &huma.Schema{Type: "string"},
			}},
			Content: map[string]*huma.MediaType{
				jsonType: {Schema: pageSchema},
				xlsxType: {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "Workbook: title block, frozen header, filters, levels in their colours"}},
				csvType:  {Schema: &huma.Schema{Type: "string", Description: "CSV (RFC 4180) with a header row"}},
				pdfType:  {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "A4 landscape: title block, level legend, one row per risk"}},
			},
		}},
	}
}

// riskRegisterFile answers a register export. The first page is read
// before anything is written, so that a bad filter is still a clean 422;
// XLSX and CSV then stream page by page from the store, the PDF is laid
// out whole first (its pages are numbered "X of Y").
func (a *API) riskRegisterFile(ctx context.Context, format string, f domain.RiskFilter) (*fileOutput, error) {
	sc := scope(ctx)
	if f.Register == "" {
		return nil, a.fieldError(ctx, "query", "register", "error.risk_export_register", nil)
	}
	method, err := sc.Org.RiskMethod(ctx)
	if err != nil {
		return nil, a.problem(ctx, err, "query")
	}
	f.Limit, f.Cursor = store.MaxLimit, ""
	first, err := sc.Org.ListRisks(ctx, f)
	if err != nil {
		return nil, a.problem(ctx, err, "query")
	}
	org, now := sc.Org.Org(), time.Now()
	doc := report.RiskRegister{Org: org, Register: f.Register, Method: method, Filter: f, GeneratedAt: now}
	filename := report.RiskFilename(org, f.Register, format, now)
	pages := func(ctx context.Context) report.RiskPages {
		return report.Paged(ctx, first, func(ctx context.Context, cursor string) (domain.Page[domain.Risk], error) {
			f.Cursor = cursor
			return sc.Org.ListRisks(ctx, f)
		})
	}
	if format == "pdf" {
		var buf bytes.Buffer
		if err := report.RisksPDF(&buf, doc, pages(ctx)); err != nil {
			return nil, a.problem(ctx, err, "query")
		}
		return bufferedFile(pdfType, filename, &buf), nil
	}
	write := report.RisksCSV
	if format == "xlsx" {
		write = report.RisksXLSX
	}
	return &fileOutput{Body: func(hc huma.Context) {
		attachmentHeaders(hc, riskExportTypes[format], filename)
		if err := write(hc.BodyWriter(), doc, pages(hc.Context())); err != nil {
			// The status is sent: break the connection, so the client sees
			// a failed download instead of a file cut short.
			a.log.ErrorContext(ctx, "risk export failed", "org", org.Slug, "format", format, "err", err)
			panic(http.ErrAbortHandler)
		}
	}}, nil
}

func attachmentHeaders(hc huma.Context, contentType, filename string) {
	hc.SetHeader("Content-Type", contentType)
	hc.SetHeader("Content-Disposition", `attachment; filename="`+filename+`"`)
	hc.SetHeader("Cache-Control", "no-store")
	hc.SetStatus(http.StatusOK)
}

// bufferedFile answers a file rendered in memory.
func bufferedFile(contentType, filename string, buf *bytes.Buffer) *fileOutput {
	return &fileOutput{Body: func(hc huma.Context) {
		attachmentHeaders(hc, contentType, filename)
		io.Copy(hc.BodyWriter(), buf)
	}}
}

type treatmentPlanInput struct {
	Org      string `path:"org"`
	Register string `query:"register" required:"true" enum:"security,ai" doc:"The register whose plan to export"`
	Format   string `query:"format" enum:"pdf,xlsx" default:"pdf" doc:"pdf (default) or xlsx"`
}

func (a *API) registerRiskExport(h huma.API) {
	register(h, access.Org(auth.ResRisk, auth.Read), huma.Operation{OperationID: "risk-treatment-plan", Method: http.MethodGet,
		Path:    "/api/v1/orgs/{org}/risk-treatment-plan",
		Summary: "The risk treatment plan of one register, as a PDF or a workbook to hand to an auditor",
		Description: "For every risk of the register: owner, inherent and residual level, the treatment option, the controls with their " +
			"status, the actions with owner, due date and status (overdue marked), and the acceptance, or that one is needed when the " +
			"residual level is above appetite and no acceptance covers it. Risks in treatment (open, treating) come first, accepted and " +
			"closed ones in their own section; a summary counts risks per option, open and overdue actions, and residual risks above " +
			"appetite without a valid acceptance.",
		Tags: []string{"Risk"},
		Responses: map[string]*huma.Response{"200": {
			Description: "The plan",
			Headers: map[string]*huma.Param{"Content-Disposition": {
				Description: `attachment; filename="<org>-<register>-risk-treatment-plan-<YYYY-MM-DD>.<format>"`, Schema: &huma.Schema{Type: "string"},
			}},
			Content: map[string]*huma.MediaType{
				pdfType:  {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "A4 landscape: summary, then one block per risk"}},
				xlsxType: {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "Sheets: summary, treatment plan (a row per risk), actions"}},
			},
		}}},
		func(ctx context.Context, in *treatmentPlanInput) (*fileOutput, error) {
			sc := scope(ctx)
			now := time.Now()
			plan, err := report.LoadTreatmentPlan(ctx, sc.Org, in.Register, now)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			format := in.Format
			if format == "" {
				format = "pdf"
			}
			var buf bytes.Buffer
			contentType := pdfType
			if format == "xlsx" {
				contentType = xlsxType
				err = report.TreatmentPlanXLSX(&buf, plan)
			} else {
				err = report.TreatmentPlanPDF(&buf, plan)
			}
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return bufferedFile(contentType, report.PlanFilename(plan.Org, in.Register, format, now), &buf), nil
		})
}
