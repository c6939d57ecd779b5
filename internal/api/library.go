package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/importer"
)

// ReferenceItem is a control of the reference set as one organization sees
// it: whether it adopted it, and as which control.
type ReferenceItem struct {
	*catalog.ReferenceControl
	Scope   string `json:"scope" doc:"Derived from the links, like a control's"`
	Adopted bool   `json:"adopted"`
	Control string `json:"control,omitempty" doc:"Ref of the control that adopted it" example:"CTL-012"`
}

type referenceListInput struct {
	Org      string `path:"org"`
	Standard string `query:"standard" doc:"Only controls linked to this standard" example:"iso42001-2023"`
	Theme    string `query:"theme" doc:"Only controls of this theme" example:"access"`
	Q        string `query:"q" doc:"Text in id, title or purpose"`
}

type referenceListOutput struct {
	Body struct {
		Items  []ReferenceItem          `json:"items"`
		Themes []catalog.ReferenceTheme `json:"themes"`
	}
}

type adoptInput struct {
	Org  string `path:"org"`
	Body struct {
		IDs []string `json:"ids" minItems:"1" maxItems:"500" doc:"Reference control ids" example:"[\"REF-GOV-01\",\"REF-ACCESS-01\"]"`
	}
}

type adoptOutput struct {
	Body domain.AdoptResult
}

type importInput struct {
	Org         string `path:"org"`
	DryRun      bool   `query:"dry_run" doc:"true: check every row and write nothing"`
	Mapping     string `query:"mapping" doc:"JSON object of field (title, description, owner, status, requirements, standard) to column header; fields left out are guessed from the headers" example:"{\"title\":\"Control\",\"requirements\":\"Annex A\"}"`
	Standard    string `query:"standard" doc:"Default standard of references that name none" example:"iso27001-2022"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"text/csv"`
}

// ImportReport is the answer to an import that passed every check.
type ImportReport struct {
	DryRun   bool              `json:"dry_run"`
	Rows     int               `json:"rows" doc:"Rows read from the file (the header not counted)"`
	Mapping  map[string]string `json:"mapping" doc:"The mapping used: field to column header"`
	Standard string            `json:"standard,omitempty" doc:"The default standard used"`
	Items    []domain.Control  `json:"items" doc:"The controls created, or on a dry run the controls that would be (without refs)"`
}

type importOutput struct {
	Status int
	Body   ImportReport
}

// maxImportBody is the server's request limit, which bounds an upload.
const maxImportBody = 4 << 20

func (a *API) registerLibrary(h huma.API) {
	tags := []string{"Controls"}
	register(h, access.Org(auth.ResControl, auth.Read), huma.Operation{OperationID: "list-reference-controls", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org}/reference-controls", Summary: "The reference control set, with what this organization adopted", Tags: tags,
		Description: "Suggested controls written by the Tandem team, each linked to requirements of one or both standards. The set is small and fixed, so it is not paginated."},
		func(ctx context.Context, in *referenceListInput) (*referenceListOutput, error) {
			sc := scope(ctx)
			v := &domain.ValidationError{}
			if in.Standard != "" && a.catalog.Standard(in.Standard) == nil {
				v.Add("standard", "error.unknown_standard", in.Standard, in.Standard)
			}
			if in.Theme != "" && a.catalog.ThemeTitle(in.Theme) == "" {
				v.Add("theme", "error.unknown_reference_theme", in.Theme)
			}
			if err := v.Err(); err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			adopted, err := sc.Org.AdoptedReferences(ctx)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			out := &referenceListOutput{}
			out.Body.Items = []ReferenceItem{}
			out.Body.Themes = a.catalog.ReferenceThemes
			for _, rc := range a.catalog.FilterReference(catalog.ReferenceFilter{Standard: in.Standard, Theme: in.Theme, Text: in.Q}) {
				ref := adopted[rc.ID]
				out.Body.Items = append(out.Body.Items, ReferenceItem{ReferenceControl: rc, Scope: domain.ScopeOf(rc.Requirements),
					Adopted: ref != "", Control: ref})
			}
			return out, nil
		})

	register(h, access.Org(auth.ResControl, auth.Create), huma.Operation{OperationID: "adopt-reference-controls", Method: http.MethodPost,
		Path: "/api/v1/orgs/{org}/reference-controls/adopt", Summary: "Adopt reference controls as the organization's own", Tags: tags,
		Description: "Creates one control per id, in one transaction: status planned, no owner, the purpose as description, the reference's links. Ids adopted before are skipped (listed in skipped), so repeating a request is harmless."},
		func(ctx context.Context, in *adoptInput) (*adoptOutput, error) {
			sc := scope(ctx)
			res, err := sc.Org.AdoptReference(ctx, sc.Actor(), in.Body.IDs)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &adoptOutput{Body: res}, nil
		})

	op := huma.Operation{OperationID: "import-controls", Method: http.MethodPost, Path: "/api/v1/orgs/{org}/controls/import",
		Summary: "Import a control register (CSV or XLSX), all rows or none", Tags: tags, MaxBodyBytes: maxImportBody,
		Description: "Send the register as the body (Content-Type text/csv, or " + xlsxMediaType + ") or as multipart/form-data " +
			"with a `file` part and an optional `mapping` part (the same JSON object as the mapping parameter). " +
			"CSV may be separated by commas, semicolons or tabs; of a workbook the first sheet is read. The first row that holds " +
			"anything is the header. Every row is checked first; any problem answers 422 naming each one as `body.rows[N].field`, " +
			"N being the row number as a spreadsheet shows it (the header is row 1), and nothing is written. " +
			"Otherwise a dry run answers 200 with the controls that would be created, and a real run creates them all in one " +
			"transaction and answers 201.",
		RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{
			xlsxMediaType: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
		}}}
	register(h, access.Org(auth.ResControl, auth.Create), op,
		func(ctx context.Context, in *importInput) (*importOutput, error) {
			sc := scope(ctx)
			name, data, mappingJSON, err := uploadedRegister(in.ContentType, in.RawBody)
			if _, ok := err.(huma.StatusError); ok {
				return nil, err
			}
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			if in.Mapping != "" {
				mappingJSON = in.Mapping
			}
			names := map[string]string{}
			if mappingJSON != "" {
				if err := json.Unmarshal([]byte(mappingJSON), &names); err != nil {
					return nil, a.fieldError(ctx, "query", "mapping", "error.import_mapping", mappingJSON)
				}
			}
			table, err := importer.Read(name, data)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			m, err := importer.ByName(table, names, in.Standard, true, a.catalog)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			res := importer.Check(table, m, a.catalog)
			if !res.OK() {
				return nil, a.problem(ctx, res.Validation(), "body")
			}
			report := ImportReport{DryRun: in.DryRun, Rows: len(table.Rows), Mapping: m.Names(table), Standard: m.DefaultStandard, Items: res.Controls}
			if in.DryRun {
				return &importOutput{Status: http.StatusOK, Body: report}, nil
			}
			created, err := sc.Org.ImportControls(ctx, sc.Actor(), "", res.Rows)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			report.Items = created
			return &importOutput{Status: http.StatusCreated, Body: report}, nil
		})
	// The multipart form is documented after registration: declared before,
	// its object schema would make huma parse every body as that object.
	if item := h.OpenAPI().Paths[op.Path]; item != nil && item.Post != nil && item.Post.RequestBody != nil {
		item.Post.RequestBody.Content["multipart/form-data"] = &huma.MediaType{Schema: &huma.Schema{Type: "object",
			Properties: map[string]*huma.Schema{"file": {Type: "string", Format: "binary"}, "mapping": {Type: "string"}}}}
	}
}

// xlsxMediaType is the media type of an XLSX workbook.
const xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// uploadedRegister finds the file in an import request: the body itself
// (CSV or XLSX, told apart by content), or the file part of a multipart
// form, whose mapping part (if any) is returned too. A JSON body is not a
// register: 415.
func uploadedRegister(contentType string, body []byte) (name string, data []byte, mapping string, err error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "multipart/form-data":
		r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, perr := r.NextPart()
			if perr == io.EOF {
				break
			}
			if perr != nil {
				return "", nil, "", fileProblem("error.import_unreadable", perr.Error())
			}
			b, rerr := io.ReadAll(p)
			if rerr != nil {
				return "", nil, "", fileProblem("error.import_unreadable", rerr.Error())
			}
			switch p.FormName() {
			case "file":
				name, data = p.FileName(), b
			case "mapping":
				mapping = strings.TrimSpace(string(b))
			}
		}
		if data == nil {
			return "", nil, "", fileProblem("error.import_no_file")
		}
		return name, data, mapping, nil
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return "", nil, "", huma.NewError(http.StatusUnsupportedMediaType, i18n.T("error.import_content_type", xlsxMediaType))
	}
	name = "register.csv"
	if importer.Sniff(body) == importer.FormatXLSX {
		name = "register.xlsx"
	}
	return name, body, "", nil
}

func fileProblem(code string, args ...any) error {
	v := &domain.ValidationError{}
	v.Add("file", code, nil, args...)
	return v
}
