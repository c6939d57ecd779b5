package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/report"
	"tandem/internal/store"
)

// AI governance documents: the model card, the impact assessment PDF, and
// the AI inventory and supplier register as files.

// maxRegisterExport bounds the registers exported whole.
const maxRegisterExport = 5000

// AllAISystems pages through the inventory matching f (at most max).
func AllAISystems(ctx context.Context, o *store.OrgStore, f domain.AISystemFilter) ([]domain.AISystem, error) {
	var out []domain.AISystem
	f.Limit = store.MaxLimit
	for len(out) < maxRegisterExport {
		page, _, err := o.ListAISystems(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			break
		}
		f.Cursor = *page.Next
	}
	return out, nil
}

// AllSuppliers pages through the supplier register matching f.
func AllSuppliers(ctx context.Context, o *store.OrgStore, f domain.SupplierFilter) ([]domain.Supplier, error) {
	var out []domain.Supplier
	f.Limit = store.MaxLimit
	for len(out) < maxRegisterExport {
		page, _, err := o.ListSuppliers(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			break
		}
		f.Cursor = *page.Next
	}
	return out, nil
}

func fileName(org, what, ext string) string {
	return org + "-" + what + "-" + time.Now().UTC().Format(time.DateOnly) + "." + ext
}

func (a *API) registerAIExports(h huma.API) {
	tags := []string{"AI systems"}
	org := "/api/v1/orgs/{org}"
	fileResponse := func(what string, types ...string) map[string]*huma.Response {
		content := map[string]*huma.MediaType{}
		for _, t := range types {
			content[t] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
		}
		return map[string]*huma.Response{"200": {Description: what, Content: content}}
	}
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "get-model-card", Method: http.MethodGet,
		Path: org + "/ai-systems/{ref}/model-card", Tags: tags,
		Summary:   "The model card of an AI system, generated from its live records: JSON, Markdown (format=md) or PDF (format=pdf)",
		Responses: fileResponse("The model card", jsonType, markdownType, pdfType)},
		func(ctx context.Context, in *struct {
			RefPath
			Format string `query:"format" enum:"json,md,pdf" default:"json"`
		}) (*fileOutput, error) {
			sc := scope(ctx)
			card, err := sc.Org.ModelCard(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			var buf bytes.Buffer
			name := fileName(in.Org, strings.ToLower(card.System.Ref)+"-model-card", in.Format)
			switch in.Format {
			case "md":
				err = report.ModelCardMarkdown(&buf, card)
				return bufferedFile(markdownType+"; charset=utf-8", name, &buf), err
			case "pdf":
				b, err := report.ModelCardPDF(card)
				return bufferedFile(pdfType, name, bytes.NewBuffer(b)), err
			}
			if err := json.NewEncoder(&buf).Encode(card); err != nil {
				return nil, err
			}
			return &fileOutput{Body: func(hc huma.Context) {
				hc.SetHeader("Content-Type", jsonType)
				hc.SetStatus(http.StatusOK)
				_, _ = hc.BodyWriter().Write(buf.Bytes())
			}}, nil
		})
	register(h, access.Org(auth.ResImpactAssessment, auth.Read), huma.Operation{OperationID: "get-impact-assessment-pdf", Method: http.MethodGet,
		Path: org + "/impact-assessments/{ref}/pdf", Tags: []string{"Impact assessments"}, Summary: "An impact assessment version as PDF",
		Responses: fileResponse("The assessment", pdfType)},
		func(ctx context.Context, in *RefPath) (*fileOutput, error) {
			sc := scope(ctx)
			x, err := sc.Org.ImpactAssessment(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			sys, err := sc.Org.AISystem(ctx, x.System)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			b, err := report.ImpactAssessmentPDF(x, sys, sc.Org.Org().Name)
			if err != nil {
				return nil, err
			}
			return bufferedFile(pdfType, fileName(in.Org, strings.ToLower(x.Ref), "pdf"), bytes.NewBuffer(b)), nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "export-ai-inventory", Method: http.MethodGet,
		Path: org + "/ai-inventory", Tags: tags, Summary: "The whole AI system inventory (up to 5,000 systems) as XLSX or CSV, with the list's filters",
		Responses: fileResponse("The inventory", xlsxType, csvType)},
		func(ctx context.Context, in *struct {
			AISystemListInput
			Format string `query:"format" enum:"xlsx,csv" default:"xlsx"`
		}) (*fileOutput, error) {
			sc := scope(ctx)
			items, err := AllAISystems(ctx, sc.Org, domain.AISystemFilter{Stage: in.Stage, Class: in.Class, Role: in.Role, Owner: in.Owner,
				Supplier: in.Supplier, Dataset: in.Dataset, Stale: in.Stale, NoAssessment: in.NoAssessment, Overdue: in.Overdue, Text: in.Q})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			var buf bytes.Buffer
			name := fileName(in.Org, "ai-inventory", in.Format)
			if in.Format == "csv" {
				err = report.AIInventoryCSV(&buf, items, sc.Org.Org().Name)
				return bufferedFile(csvType+"; charset=utf-8", name, &buf), err
			}
			err = report.AIInventoryXLSX(&buf, items, sc.Org.Org().Name)
			return bufferedFile(xlsxType, name, &buf), err
		})
	register(h, access.Org(auth.ResSupplier, auth.Read), huma.Operation{OperationID: "export-supplier-register", Method: http.MethodGet,
		Path: org + "/supplier-register", Tags: []string{"Suppliers"}, Summary: "The whole supplier register as XLSX or CSV, with the list's filters",
		Responses: fileResponse("The register", xlsxType, csvType)},
		func(ctx context.Context, in *struct {
			SupplierListInput
			Format string `query:"format" enum:"xlsx,csv" default:"xlsx"`
		}) (*fileOutput, error) {
			sc := scope(ctx)
			items, err := AllSuppliers(ctx, sc.Org, domain.SupplierFilter{Criticality: in.Criticality, Status: in.Status,
				ProvidesAI: boolFilter(in.ProvidesAI), ReviewDue: in.ReviewDue, Text: in.Q})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			var buf bytes.Buffer
			name := fileName(in.Org, "suppliers", in.Format)
			if in.Format == "csv" {
				err = report.SupplierRegisterCSV(&buf, items, sc.Org.Org().Name)
				return bufferedFile(csvType+"; charset=utf-8", name, &buf), err
			}
			err = report.SupplierRegisterXLSX(&buf, items, sc.Org.Org().Name)
			return bufferedFile(xlsxType, name, &buf), err
		})
}
