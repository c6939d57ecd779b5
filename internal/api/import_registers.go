package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/importer"
	"tandem/internal/store"
)

type riskImportInput struct {
	Org         string `path:"org"`
	Register    string `query:"register" doc:"The register every risk of the file goes to: security or ai" example:"security"`
	DryRun      bool   `query:"dry_run" doc:"true: check every row and write nothing"`
	Mapping     string `query:"mapping" doc:"JSON object of field (title, description, owner, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact, treatment, status, next_review, controls; security: assets, threat, vulnerability, cia; ai: ai_systems, sources, parties) to column header; fields left out are guessed from the headers" example:"{\"title\":\"Risk\",\"inherent_likelihood\":\"Probability\"}"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"text/csv"`
}

// RiskImportReport is the answer to a risk register import that passed
// every check.
type RiskImportReport struct {
	DryRun   bool              `json:"dry_run"`
	Register string            `json:"register"`
	Rows     int               `json:"rows" doc:"Rows read from the file (the header not counted)"`
	Mapping  map[string]string `json:"mapping" doc:"The mapping used: field to column header"`
	Items    []domain.Risk     `json:"items" doc:"The risks created, or on a dry run the risks that would be (without refs)"`
}

type riskImportOutput struct {
	Status int
	Body   RiskImportReport
}

type assetImportInput struct {
	Org         string `path:"org"`
	DryRun      bool   `query:"dry_run" doc:"true: check every row and write nothing"`
	Mapping     string `query:"mapping" doc:"JSON object of field (name, type, owner, location, classification, confidentiality, integrity, availability, description, controls) to column header; fields left out are guessed from the headers" example:"{\"name\":\"Asset\",\"classification\":\"Label\"}"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"text/csv"`
}

// AssetImportReport is the answer to an asset inventory import that
// passed every check.
type AssetImportReport struct {
	DryRun  bool              `json:"dry_run"`
	Rows    int               `json:"rows" doc:"Rows read from the file (the header not counted)"`
	Mapping map[string]string `json:"mapping" doc:"The mapping used: field to column header"`
	Items   []domain.Asset    `json:"items" doc:"The assets created, or on a dry run the assets that would be (without refs)"`
}

type assetImportOutput struct {
	Status int
	Body   AssetImportReport
}

// importDescription is what both register imports say about the upload.
const importDescription = "Send the file as the body (Content-Type text/csv, or " + xlsxMediaType + ") or as multipart/form-data " +
	"with a `file` part and an optional `mapping` part (the same JSON object as the mapping parameter). " +
	"CSV may be separated by commas, semicolons or tabs; of a workbook the first sheet is read. The first row that holds " +
	"anything is the header. Every row is checked first, exactly as creating the record one by one would check it; any " +
	"problem answers 422 naming each one as `body.rows[N].field`, N being the row number as a spreadsheet shows it (the " +
	"header is row 1), and nothing is written. Otherwise a dry run answers 200 with the records that would be created, and " +
	"a real run creates them all in one transaction, each with its trail entry, and answers 201."

func (a *API) registerRegisterImports(h huma.API) {
	risks := huma.Operation{OperationID: "import-risks", Method: http.MethodPost, Path: "/api/v1/orgs/{org}/risks/import",
		Summary: "Import a risk register (CSV or XLSX) into one register, all rows or none", Tags: []string{"Risk"},
		MaxBodyBytes: maxImportBody,
		Description: importDescription + " Likelihood and impact may be steps or the labels of the method's scales; an empty " +
			"residual score is the inherent one; dates are YYYY-MM-DD or a workbook's date cells (03/04/2026 is refused as " +
			"ambiguous). Imported risks carry no acceptance, so a risk above appetite cannot be imported as accepted or closed.",
		RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{
			xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
		}}}
	register(h, access.Org(auth.ResRisk, auth.Create), risks,
		func(ctx context.Context, in *riskImportInput) (*riskImportOutput, error) {
			sc := scope(ctx)
			kind := importer.RiskKind(in.Register)
			if kind == nil {
				return nil, a.fieldError(ctx, "query", "register", "error.import_register", in.Register, in.Register)
			}
			name, table, m, err := a.readRegister(ctx, kind, in.ContentType, in.RawBody, in.Mapping)
			if err != nil {
				return nil, err
			}
			method, err := sc.Org.RiskMethod(ctx)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			res, err := importer.CheckRisks(table, m, importer.RiskCheck{Register: in.Register, Method: method, Known: known(ctx, sc.Org)})
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			if !res.OK() {
				return nil, a.problem(ctx, res.Validation(), "body")
			}
			report := RiskImportReport{DryRun: in.DryRun, Register: in.Register, Rows: len(table.Rows), Mapping: m.Names(table), Items: res.Risks}
			if in.DryRun {
				return &riskImportOutput{Status: http.StatusOK, Body: report}, nil
			}
			rows := make([]store.RiskImportRow, len(res.Rows))
			for i, r := range res.Rows {
				rows[i] = store.RiskImportRow(r)
			}
			created, err := sc.Org.ImportRisks(ctx, sc.Actor(), store.ImportSource{File: name}, in.Register, rows)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			report.Items = created
			return &riskImportOutput{Status: http.StatusCreated, Body: report}, nil
		})
	documentMultipart(h, risks.Path)

	assets := huma.Operation{OperationID: "import-assets", Method: http.MethodPost, Path: "/api/v1/orgs/{org}/assets/import",
		Summary: "Import an asset inventory (CSV or XLSX), all rows or none", Tags: []string{"Assets"}, MaxBodyBytes: maxImportBody,
		Description: importDescription + " Confidentiality, integrity and availability may be 1 to 3 or Low, Medium, High.",
		RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{
			xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
		}}}
	register(h, access.Org(auth.ResAsset, auth.Create), assets,
		func(ctx context.Context, in *assetImportInput) (*assetImportOutput, error) {
			sc := scope(ctx)
			name, table, m, err := a.readRegister(ctx, importer.Assets, in.ContentType, in.RawBody, in.Mapping)
			if err != nil {
				return nil, err
			}
			res, err := importer.CheckAssets(table, m, known(ctx, sc.Org))
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			if !res.OK() {
				return nil, a.problem(ctx, res.Validation(), "body")
			}
			report := AssetImportReport{DryRun: in.DryRun, Rows: len(table.Rows), Mapping: m.Names(table), Items: res.Assets}
			if in.DryRun {
				return &assetImportOutput{Status: http.StatusOK, Body: report}, nil
			}
			rows := make([]store.AssetImportRow, len(res.Rows))
			for i, r := range res.Rows {
				rows[i] = store.AssetImportRow(r)
			}
			created, err := sc.Org.ImportAssets(ctx, sc.Actor(), store.ImportSource{File: name}, rows)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			report.Items = created
			return &assetImportOutput{Status: http.StatusCreated, Body: report}, nil
		})
	documentMultipart(h, assets.Path)
}

// readRegister reads the uploaded file of an import request and its
// mapping (the query's, else the multipart form's), guessing the columns
// it does not name. Its errors are answers.
func (a *API) readRegister(ctx context.Context, kind *importer.Kind, contentType string, body []byte, mappingQuery string) (string, *importer.Table, importer.Mapping, error) {
	var m importer.Mapping
	name, data, mappingJSON, err := uploadedRegister(contentType, body)
	if _, ok := err.(huma.StatusError); ok {
		return "", nil, m, err
	}
	if err != nil {
		return "", nil, m, a.problem(ctx, err, "body")
	}
	if mappingQuery != "" {
		mappingJSON = mappingQuery
	}
	names := map[string]string{}
	if mappingJSON != "" {
		if err := json.Unmarshal([]byte(mappingJSON), &names); err != nil {
			return "", nil, m, a.fieldError(ctx, "query", "mapping", "error.import_mapping", mappingJSON)
		}
	}
	table, err := importer.Read(name, data)
	if err != nil {
		return "", nil, m, a.problem(ctx, err, "body")
	}
	if m, err = kind.ByName(table, names, true); err != nil {
		return "", nil, m, a.problem(ctx, err, "query")
	}
	return name, table, m, nil
}

// known looks refs up in the organization (see store KnownRefs).
func known(ctx context.Context, o *store.OrgStore) importer.Known {
	return func(table string, refs []string) (map[string]bool, error) { return o.KnownRefs(ctx, table, refs) }
}

// documentMultipart adds the multipart form to an import operation's
// documented request body. It is added after registration: declared
// before, its object schema would make huma parse every body as that
// object.
func documentMultipart(h huma.API, path string) {
	item := h.OpenAPI().Paths[path]
	if item == nil || item.Post == nil || item.Post.RequestBody == nil {
		return
	}
	item.Post.RequestBody.Content["multipart/form-data"] = &huma.MediaType{Schema: &huma.Schema{Type: "object",
		Properties: map[string]*huma.Schema{"file": {Type: "string", Format: "binary"}, "mapping": {Type: "string"}}}}
}
