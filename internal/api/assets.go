package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
)

type assetListInput struct {
	Org            string `path:"org"`
	Type           string `query:"type" enum:"information,software,hardware,service,people,site,ai_model,dataset,other"`
	Classification string `query:"classification" enum:"public,internal,confidential,restricted"`
	Owner          string `query:"owner" doc:"Exact owner, case-insensitive"`
	Control        string `query:"control" doc:"Linked to this control" example:"CTL-001"`
	Q              string `query:"q" doc:"Text in ref, name, description, owner or location"`
	PageInput
}

type assetPage struct {
	Items []domain.Asset `json:"items"`
	Next  *string        `json:"next"`
	Total int            `json:"total" doc:"Number of assets matching the filters"`
}

// assetBody is what a client sends for an asset. On PATCH omitted fields
// keep their value; on PUT they are cleared. controls replaces the set.
type assetBody struct {
	Name            *string   `json:"name,omitempty" maxLength:"200" example:"Customer database"`
	Type            *string   `json:"type,omitempty" enum:"information,software,hardware,service,people,site,ai_model,dataset,other"`
	Owner           *string   `json:"owner,omitempty" maxLength:"200"`
	Location        *string   `json:"location,omitempty" maxLength:"200" doc:"Location or system"`
	Classification  *string   `json:"classification,omitempty" enum:"public,internal,confidential,restricted"`
	Confidentiality *int      `json:"confidentiality,omitempty" minimum:"1" maximum:"3" doc:"1 low, 2 medium, 3 high"`
	Integrity       *int      `json:"integrity,omitempty" minimum:"1" maximum:"3" doc:"1 low, 2 medium, 3 high"`
	Availability    *int      `json:"availability,omitempty" minimum:"1" maximum:"3" doc:"1 low, 2 medium, 3 high"`
	Description     *string   `json:"description,omitempty" maxLength:"10000"`
	Controls        *[]string `json:"controls,omitempty" maxItems:"200" doc:"Refs of the organization's controls, e.g. CTL-001"`
	Version         *int64    `json:"version,omitempty" doc:"The version you read; alternative to If-Match"`
}

func (b assetBody) input(replace bool) domain.AssetInput {
	in := domain.AssetInput{Name: b.Name, Type: b.Type, Owner: b.Owner, Location: b.Location, Classification: b.Classification,
		Confidentiality: b.Confidentiality, Integrity: b.Integrity, Availability: b.Availability, Description: b.Description, Controls: b.Controls}
	if replace {
		empty, zero := "", 0
		for _, f := range []**string{&in.Name, &in.Type, &in.Owner, &in.Location, &in.Classification, &in.Description} {
			if *f == nil {
				*f = &empty
			}
		}
		for _, f := range []**int{&in.Confidentiality, &in.Integrity, &in.Availability} {
			if *f == nil {
				*f = &zero
			}
		}
		if in.Controls == nil {
			in.Controls = &[]string{}
		}
	}
	return in
}

// AssetPath addresses one asset (exported: huma skips unexported embedded structs).
type AssetPath struct {
	Org string `path:"org"`
	Ref string `path:"ref" example:"AST-001"`
}

type createAssetInput struct {
	Org  string `path:"org"`
	Body assetBody
}

type updateAssetInput struct {
	AssetPath
	IfMatch string `header:"If-Match" doc:"The ETag you read; required unless the body carries version"`
	Body    assetBody
}

type deleteAssetInput struct {
	AssetPath
	IfMatch string `header:"If-Match" doc:"The ETag you read: the asset is deleted only if still at this version"`
}

type assetOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.Asset
}

func assetResponse(org string, a domain.Asset) *assetOutput {
	return &assetOutput{ETag: etag(a.Version), Location: "/api/v1/orgs/" + org + "/assets/" + a.Ref, Body: a}
}

// assetWritable completes the check of a write when the role allows it
// only on owned records: the asset must be the principal's, at version.
func assetWritable(ctx context.Context, sc *access.Scope, ref string, version int64) error {
	if !sc.OwnOnly {
		return nil
	}
	a, err := sc.Org.Asset(ctx, ref)
	if err != nil {
		return err
	}
	if !sc.Owns(a.Owner) {
		return access.ErrForbidden
	}
	if a.Version != version {
		return domain.ErrConflict
	}
	return nil
}

func (a *API) registerAssets(h huma.API) {
	tags := []string{"Assets"}
	register(h, access.Org(auth.ResAsset, auth.Read), huma.Operation{OperationID: "list-assets", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/assets",
		Summary: "List information assets, filtered and paginated", Tags: tags},
		func(ctx context.Context, in *assetListInput) (*struct{ Body assetPage }, error) {
			sc := scope(ctx)
			page, total, err := sc.Org.ListAssets(ctx, domain.AssetFilter{Type: in.Type, Classification: in.Classification,
				Owner: in.Owner, Control: in.Control, Text: in.Q, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &struct{ Body assetPage }{Body: assetPage{Items: page.Items, Next: page.Next, Total: total}}, nil
		})

	register(h, access.Org(auth.ResAsset, auth.Create), huma.Operation{OperationID: "create-asset", Method: http.MethodPost, Path: "/api/v1/orgs/{org}/assets",
		Summary: "Register an information asset", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createAssetInput) (*assetOutput, error) {
			sc := scope(ctx)
			as, err := sc.Org.CreateAsset(ctx, sc.Actor(), in.Body.input(false))
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return assetResponse(in.Org, as), nil
		})

	register(h, access.Org(auth.ResAsset, auth.Read), huma.Operation{OperationID: "get-asset", Method: http.MethodGet, Path: "/api/v1/orgs/{org}/assets/{ref}",
		Summary: "Read an information asset", Tags: tags},
		func(ctx context.Context, in *AssetPath) (*assetOutput, error) {
			as, err := scope(ctx).Org.Asset(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return assetResponse(in.Org, as), nil
		})

	update := func(replace bool) func(context.Context, *updateAssetInput) (*assetOutput, error) {
		return func(ctx context.Context, in *updateAssetInput) (*assetOutput, error) {
			sc := scope(ctx)
			version, err := a.requiredVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			if err := assetWritable(ctx, sc, in.Ref, version); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			as, err := sc.Org.UpdateAsset(ctx, sc.Actor(), in.Ref, version, in.Body.input(replace))
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return assetResponse(in.Org, as), nil
		}
	}
	register(h, access.Org(auth.ResAsset, auth.Update), huma.Operation{OperationID: "patch-asset", Method: http.MethodPatch, Path: "/api/v1/orgs/{org}/assets/{ref}",
		Summary: "Change some fields of an information asset", Tags: tags}, update(false))
	register(h, access.Org(auth.ResAsset, auth.Update), huma.Operation{OperationID: "put-asset", Method: http.MethodPut, Path: "/api/v1/orgs/{org}/assets/{ref}",
		Summary: "Replace an information asset", Tags: tags}, update(true))

	register(h, access.Org(auth.ResAsset, auth.Delete), huma.Operation{OperationID: "delete-asset", Method: http.MethodDelete, Path: "/api/v1/orgs/{org}/assets/{ref}",
		Summary: "Delete an information asset (its ref is never reused)", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *deleteAssetInput) (*struct{}, error) {
			sc := scope(ctx)
			version, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteAsset(ctx, sc.Actor(), in.Ref, version); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})
}
