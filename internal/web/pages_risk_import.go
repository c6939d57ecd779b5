package web

import (
	"context"
	"net/http"
	"net/url"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/importer"
	"tandem/internal/store"
)

// registerImports registers the routes of: Import of risk registers and asset inventories.
//
// A risk register file goes to the one register the page was opened from
// (?register=security|ai), so a file never mixes registers; the register
// is kept with the upload, and the later steps carry it in their path
// only to find that upload again. The asset inventory's import works the
// same way. Both are the control import's three steps (pages_import.go).
func (h *handler) registerImports(mux *http.ServeMux) {
	risk := access.Org(auth.ResRisk, auth.Create)
	h.handle(mux, "GET /orgs/{org}/risks/import", risk, h.riskFlow(h.uploadPage))
	h.handle(mux, "POST /orgs/{org}/risks/import", risk, h.riskFlow(h.upload))
	h.handle(mux, "POST /orgs/{org}/risks/import/preview", risk, h.riskFlow(h.preview))
	h.handle(mux, "POST /orgs/{org}/risks/import/commit", risk, h.riskFlow(h.commit))

	asset := access.Org(auth.ResAsset, auth.Create)
	h.handle(mux, "GET /orgs/{org}/assets/import", asset, h.assetFlow(h.uploadPage))
	h.handle(mux, "POST /orgs/{org}/assets/import", asset, h.assetFlow(h.upload))
	h.handle(mux, "POST /orgs/{org}/assets/import/preview", asset, h.assetFlow(h.preview))
	h.handle(mux, "POST /orgs/{org}/assets/import/commit", asset, h.assetFlow(h.commit))
}

type flowStep func(w http.ResponseWriter, r *http.Request, f *importFlow)

// riskFlow runs a step of the risk import for the register the request
// names (the security register when it names none); an unknown register
// is not a page.
func (h *handler) riskFlow(step flowStep) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		register := r.URL.Query().Get("register")
		if register == "" {
			register = domain.RegisterSecurity
		}
		kind := importer.RiskKind(register)
		if kind == nil {
			h.notFound(w, r)
			return
		}
		q := "?" + url.Values{"register": {register}}.Encode()
		step(w, r, &importFlow{kind: kind, stash: store.ImportRisksKind(register), register: register, section: "risks",
			base: []string{"risks", "import"}, query: q, title: "web.regimport.risks.title." + register,
			intro: "web.regimport.risks.intro", fileHint: "web.regimport.risks.file_hint", mapHint: "web.regimport.risks.map_hint",
			commit: "web.regimport.risks.commit", fieldLabels: "web.regimport.field.", back: []string{"risks"}, backQuery: q,
			backLabel: "web.regimport.risks.back", guess: kind.Guess, check: h.checkRisks(register)})
	}
}

func (h *handler) checkRisks(register string) func(context.Context, *store.OrgStore, *importer.Table, importer.Mapping) (*checkedFile, error) {
	return func(ctx context.Context, o *store.OrgStore, t *importer.Table, m importer.Mapping) (*checkedFile, error) {
		method, err := o.RiskMethod(ctx)
		if err != nil {
			return nil, err
		}
		res, err := importer.CheckRisks(t, m, importer.RiskCheck{Register: register, Method: method, Known: knownIn(ctx, o)})
		if err != nil {
			return nil, err
		}
		return &checkedFile{outcome: &res.Outcome, done: "risks?register=" + url.QueryEscape(register) + "&notice=imported",
			preview: func(d *importData, bad map[int]bool) {
				for i, r := range res.Risks {
					if i == previewShown {
						d.MorePreview = len(res.Risks) - previewShown
						break
					}
					row := res.Rows[i].Row
					d.RiskPreview = append(d.RiskPreview, riskPreviewRow{Row: row, Risk: r, Bad: bad[row],
						Inherent: previewScore{levelOf(method, r.Inherent.Level), r.Inherent},
						Residual: previewScore{levelOf(method, r.Residual.Level), r.Residual}})
				}
			},
			commit: func(ctx context.Context, o *store.OrgStore, a domain.Actor, src store.ImportSource) error {
				rows := make([]store.RiskImportRow, len(res.Rows))
				for i, r := range res.Rows {
					rows[i] = store.RiskImportRow(r)
				}
				_, err := o.ImportRisks(ctx, a, src, register, rows)
				return err
			}}, nil
	}
}

// assetFlow runs a step of the asset inventory's import.
func (h *handler) assetFlow(step flowStep) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		step(w, r, &importFlow{kind: importer.Assets, stash: store.ImportAssetsKind, section: "assets",
			base: []string{"assets", "import"}, title: "web.regimport.assets.title", intro: "web.regimport.assets.intro",
			fileHint: "web.regimport.assets.file_hint", mapHint: "web.regimport.assets.map_hint",
			commit: "web.regimport.assets.commit", fieldLabels: "web.regimport.field.", back: []string{"assets"},
			backLabel: "web.regimport.assets.back", guess: importer.Assets.Guess, check: checkAssets})
	}
}

func checkAssets(ctx context.Context, o *store.OrgStore, t *importer.Table, m importer.Mapping) (*checkedFile, error) {
	res, err := importer.CheckAssets(t, m, knownIn(ctx, o))
	if err != nil {
		return nil, err
	}
	return &checkedFile{outcome: &res.Outcome, done: "assets?notice=imported",
		preview: func(d *importData, bad map[int]bool) {
			for i, a := range res.Assets {
				if i == previewShown {
					d.MorePreview = len(res.Assets) - previewShown
					break
				}
				row := res.Rows[i].Row
				d.AssetPreview = append(d.AssetPreview, assetPreviewRow{Row: row, Asset: a, Bad: bad[row]})
			}
		},
		commit: func(ctx context.Context, o *store.OrgStore, a domain.Actor, src store.ImportSource) error {
			rows := make([]store.AssetImportRow, len(res.Rows))
			for i, r := range res.Rows {
				rows[i] = store.AssetImportRow(r)
			}
			_, err := o.ImportAssets(ctx, a, src, rows)
			return err
		}}, nil
}

// knownIn looks refs up in the organization (see store KnownRefs).
func knownIn(ctx context.Context, o *store.OrgStore) importer.Known {
	return func(table string, refs []string) (map[string]bool, error) { return o.KnownRefs(ctx, table, refs) }
}

// riskPreviewRow is one row of the file as the risk it would become.
type riskPreviewRow struct {
	Row                int
	Risk               domain.Risk
	Inherent, Residual previewScore
	Bad                bool
}

// previewScore is a score with the method's level it falls in.
type previewScore struct {
	Level domain.RiskLevel
	Score domain.RiskScore
}

// assetPreviewRow is one row of the file as the asset it would become.
type assetPreviewRow struct {
	Row   int
	Asset domain.Asset
	Bad   bool
}

// levelOf is the method's level of an id (the id alone for an unknown one).
func levelOf(m domain.RiskMethod, id string) domain.RiskLevel {
	for _, l := range m.Levels {
		if l.ID == id {
			return l
		}
	}
	return domain.RiskLevel{ID: id, Label: id}
}
