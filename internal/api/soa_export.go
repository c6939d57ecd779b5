package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/report"
)

// SoA exports: each is rendered whole before anything is sent (an SoA is at
// most 93 rows), so a failure is still a clean problem answer.
const (
	pdfType      = "application/pdf"
	markdownType = "text/markdown"
)

// soaExports are the formats of an SoA and their media types.
var soaExports = map[string]string{"xlsx": xlsxType, "pdf": pdfType, "csv": csvType, "md": markdownType}

// SoAFormat selects JSON (the default) or an export (exported: huma reads
// exported embedded structs only).
type SoAFormat struct {
	Format string `query:"format" enum:"json,xlsx,pdf,csv,md" doc:"json (default), or the SoA as a file to hand to an auditor: xlsx, pdf, csv or md (Markdown)"`
}

type soaDraftInput struct {
	SoAPath
	SoAFormat
}

type soaVersionExportInput struct {
	SoAPath
	Number int `path:"number" minimum:"1" example:"1"`
	SoAFormat
}

type soaWorkbookInput struct {
	Org    string `path:"org"`
	Format string `query:"format" enum:"xlsx" default:"xlsx" doc:"xlsx: one workbook with a sheet per standard"`
}

// fileOutput is JSON or a file, decided by the handler.
type fileOutput struct {
	Body func(huma.Context)
}

// soaResponses documents an SoA operation that answers JSON or a file.
func soaResponses(h huma.API, jsonBody any, what string) map[string]*huma.Response {
	schema := h.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(jsonBody), true, "")
	return map[string]*huma.Response{"200": {
		Description: what + " as JSON, or with format= as a file",
		Headers: map[string]*huma.Param{"Content-Disposition": {
			Description: `With a file format: attachment; filename="<org>-soa-<standard>[-v<n>].<format>"`, Schema: &huma.Schema{Type: "string"},
		}},
		Content: map[string]*huma.MediaType{
			jsonType:     {Schema: schema},
			xlsxType:     {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "Workbook: frozen header, filters, one row per Annex A control"}},
			pdfType:      {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "Title page with version, approver and date; page numbers"}},
			csvType:      {Schema: &huma.Schema{Type: "string", Description: "CSV with a header row; formula-like cells quoted"}},
			markdownType: {Schema: &huma.Schema{Type: "string", Description: "Markdown: metadata, summary, one table per theme or group"}},
		},
	}}
}

// soaJSON is the JSON body of the draft (the contract of get-soa).
type soaJSON struct {
	Items   []domain.SoARow   `json:"items" doc:"Every Annex A control of the standard, in the standard's order"`
	Summary domain.SoASummary `json:"summary"`
}

func (a *API) registerSoAExports(h huma.API, tags []string) {
	read := access.Org(auth.ResSoA, auth.Read)
	base := "/api/v1/orgs/{org}/soa/{standard}"

	register(h, read, huma.Operation{OperationID: "get-soa", Method: http.MethodGet, Path: base,
		Summary: "The Statement of Applicability of a standard as it stands now (the draft); or exported", Tags: tags,
		Description: "One row per Annex A control: the decision (applicable null until decided), its justification and reasons, " +
			"the organization's controls linked to it and the implementation state derived from them.",
		Responses: soaResponses(h, soaJSON{}, "The draft")},
		func(ctx context.Context, in *soaDraftInput) (*fileOutput, error) {
			sc := scope(ctx)
			rows, err := sc.Org.SoA(ctx, in.Standard)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if in.Format == "" || in.Format == "json" {
				return a.jsonFile(h, soaJSON{Items: rows, Summary: domain.Summarize(rows)}), nil
			}
			doc := report.SoADocument{Org: sc.Org.Org(), Standard: a.catalog.Standard(in.Standard), GeneratedAt: time.Now(), Rows: rows}
			return a.soaFile(ctx, in.Format, soaFilename(doc, in.Format), doc)
		})

	register(h, read, huma.Operation{OperationID: "get-soa-version", Method: http.MethodGet, Path: base + "/versions/{number}",
		Summary: "One issued version with its frozen rows; or exported", Tags: tags,
		Responses: soaResponses(h, domain.SoAVersion{}, "The issued version")},
		func(ctx context.Context, in *soaVersionExportInput) (*fileOutput, error) {
			sc := scope(ctx)
			v, err := sc.Org.SoAVersion(ctx, in.Standard, in.Number)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if in.Format == "" || in.Format == "json" {
				return a.jsonFile(h, v), nil
			}
			doc := report.SoADocument{Org: sc.Org.Org(), Standard: a.catalog.Standard(in.Standard), Version: &v, GeneratedAt: time.Now(), Rows: v.Rows}
			return a.soaFile(ctx, in.Format, soaFilename(doc, in.Format), doc)
		})

	register(h, read, huma.Operation{OperationID: "export-soa", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/soa",
		Summary: "Both Statements of Applicability (drafts) in one workbook, a sheet per standard", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "The workbook", Content: map[string]*huma.MediaType{
			xlsxType: {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}},
		func(ctx context.Context, in *soaWorkbookInput) (*fileOutput, error) {
			sc := scope(ctx)
			var docs []report.SoADocument
			for _, std := range a.catalog.Standards {
				rows, err := sc.Org.SoA(ctx, std.ID)
				if errors.Is(err, domain.ErrNotFound) {
					continue // a standard without Annex A has no SoA
				}
				if err != nil {
					return nil, a.problem(ctx, err, "path")
				}
				docs = append(docs, report.SoADocument{Org: sc.Org.Org(), Standard: std, GeneratedAt: time.Now(), Rows: rows})
			}
			return a.soaFile(ctx, "xlsx", sc.Org.Org().Slug+"-soa.xlsx", docs...)
		})
}

// jsonFile answers v as JSON through a streaming output.
func (a *API) jsonFile(h huma.API, v any) *fileOutput {
	return &fileOutput{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", jsonType)
		hc.SetStatus(http.StatusOK)
		if err := h.Marshal(hc.BodyWriter(), jsonType, v); err != nil {
			a.log.Error("answer failed", "err", err)
		}
	}}
}

// soaFile renders an SoA export in memory and answers it as a download.
func (a *API) soaFile(ctx context.Context, format, filename string, docs ...report.SoADocument) (*fileOutput, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "xlsx":
		err = report.SoAXLSX(&buf, docs...)
	case "pdf":
		err = report.SoAPDF(&buf, docs[0])
	case "csv":
		err = report.SoACSV(&buf, docs[0])
	case "md":
		err = report.SoAMarkdown(&buf, docs[0])
	}
	if err != nil {
		return nil, a.problem(ctx, err, "query")
	}
	contentType := soaExports[format]
	if format == "csv" || format == "md" {
		contentType += "; charset=utf-8"
	}
	return &fileOutput{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", contentType)
		hc.SetHeader("Content-Disposition", `attachment; filename="`+filename+`"`)
		hc.SetHeader("Cache-Control", "no-store")
		hc.SetStatus(http.StatusOK)
		io.Copy(hc.BodyWriter(), &buf)
	}}, nil
}

// soaFilename names an export: acme-soa-iso27001-2022-v3.pdf, or without
// the version for the draft.
func soaFilename(doc report.SoADocument, format string) string {
	name := doc.Org.Slug + "-soa-" + doc.Standard.ID
	if doc.Version != nil {
		name += "-v" + strconv.Itoa(doc.Version.Number)
	}
	return name + "." + format
}
