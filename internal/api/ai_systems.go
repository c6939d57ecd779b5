package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
)

// The AI system inventory, datasets and the supplier register.

// AISystemListInput filters the AI inventory.
type AISystemListInput struct {
	Org          string `path:"org"`
	Stage        string `query:"stage" enum:"idea,design,development,verification_validation,deployment,operation,retired"`
	Class        string `query:"eu_ai_act_class" enum:"unclassified,prohibited,high,limited,minimal,not_in_scope"`
	Role         string `query:"role" enum:"developer,provider,deployer,user,importer,distributor"`
	Owner        string `query:"owner" doc:"Exact owner, case-insensitive"`
	Supplier     string `query:"supplier" doc:"Supplied by this supplier" example:"SUP-001"`
	Dataset      string `query:"dataset" doc:"Uses this dataset" example:"DS-001"`
	Stale        bool   `query:"stale" doc:"Its approved impact assessment is stale"`
	NoAssessment bool   `query:"no_assessment" doc:"Not retired and without an approved impact assessment"`
	Overdue      bool   `query:"monitoring_overdue" doc:"Live and its monitoring check is past due"`
	Q            string `query:"q" doc:"Text in ref, name, purpose, owner, model type or business unit"`
	PageInput
}

type aiSystemPage struct {
	Items []domain.AISystem `json:"items"`
	Next  *string           `json:"next"`
	Total int               `json:"total"`
}

type aiSystemBody struct {
	domain.AISystemInput
	Version *int64 `json:"version,omitempty" doc:"The version you read; alternative to If-Match"`
}

// RefPath addresses one record of an organization by its ref.
type RefPath struct {
	Org string `path:"org"`
	Ref string `path:"ref"`
}

// VersionedRef addresses one record with the version the change is based on.
type VersionedRef struct {
	Org     string `path:"org"`
	Ref     string `path:"ref"`
	IfMatch string `header:"If-Match" doc:"The ETag you read; required unless the body carries version"`
}

type aiSystemOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.AISystem
}

func aiSystemResponse(org string, s domain.AISystem) *aiSystemOutput {
	return &aiSystemOutput{ETag: etag(s.Version), Location: "/api/v1/orgs/" + org + "/ai-systems/" + s.Ref, Body: s}
}

type datasetListInput struct {
	Org          string `path:"org"`
	Quality      string `query:"quality_result" enum:"not_checked,passed,passed_with_issues,failed"`
	PersonalData string `query:"personal_data" enum:"true,false"`
	AISystem     string `query:"ai_system" doc:"Used by this AI system" example:"AIS-001"`
	Q            string `query:"q"`
	PageInput
}

type datasetPage struct {
	Items []domain.Dataset `json:"items"`
	Next  *string          `json:"next"`
	Total int              `json:"total"`
}

type datasetBody struct {
	domain.DatasetInput
	Version *int64 `json:"version,omitempty"`
}

type datasetOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.Dataset
}

// SupplierListInput filters the supplier register.
type SupplierListInput struct {
	Org         string `path:"org"`
	Criticality string `query:"criticality" enum:"low,medium,high,critical"`
	Status      string `query:"status" enum:"onboarding,active,offboarded"`
	ProvidesAI  string `query:"provides_ai" enum:"true,false"`
	ReviewDue   bool   `query:"review_due" doc:"Its next review date has come"`
	Q           string `query:"q"`
	PageInput
}

type supplierPage struct {
	Items []domain.Supplier `json:"items"`
	Next  *string           `json:"next"`
	Total int               `json:"total"`
}

type supplierBody struct {
	domain.SupplierInput
	Version *int64 `json:"version,omitempty"`
}

type supplierOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.Supplier
}

func boolFilter(s string) *bool {
	if s == "" {
		return nil
	}
	b := s == "true"
	return &b
}

func (a *API) registerAISystems(h huma.API) {
	tags := []string{"AI systems"}
	base := "/api/v1/orgs/{org}/ai-systems"
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "list-ai-systems", Method: http.MethodGet, Path: base,
		Summary: "The AI system inventory, filtered and paginated", Tags: tags},
		func(ctx context.Context, in *AISystemListInput) (*struct{ Body aiSystemPage }, error) {
			page, total, err := scope(ctx).Org.ListAISystems(ctx, domain.AISystemFilter{Stage: in.Stage, Class: in.Class, Role: in.Role,
				Owner: in.Owner, Supplier: in.Supplier, Dataset: in.Dataset, Stale: in.Stale, NoAssessment: in.NoAssessment,
				Overdue: in.Overdue, Text: in.Q, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &struct{ Body aiSystemPage }{aiSystemPage{page.Items, page.Next, total}}, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Create), huma.Operation{OperationID: "create-ai-system", Method: http.MethodPost, Path: base,
		Summary: "Register an AI system", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			Org  string `path:"org"`
			Body aiSystemBody
		}) (*aiSystemOutput, error) {
			sc := scope(ctx)
			s, err := sc.Org.CreateAISystem(ctx, sc.Actor(), in.Body.AISystemInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return aiSystemResponse(in.Org, s), nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "get-ai-system", Method: http.MethodGet, Path: base + "/{ref}",
		Summary: "Read an AI system", Tags: tags},
		func(ctx context.Context, in *RefPath) (*aiSystemOutput, error) {
			s, err := scope(ctx).Org.AISystem(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return aiSystemResponse(in.Org, s), nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Update), huma.Operation{OperationID: "patch-ai-system", Method: http.MethodPatch, Path: base + "/{ref}",
		Summary: "Change an AI system; a change of model version, datasets, purpose or stage is recorded as a change event and makes its approved impact assessment stale", Tags: tags},
		func(ctx context.Context, in *struct {
			VersionedRef
			Body aiSystemBody
		}) (*aiSystemOutput, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			pin, err := sc.AISystemWritable(ctx, in.Ref, &v, in.Body.Owner)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			s, err := sc.Org.UpdateAISystem(ctx, sc.Actor(), in.Ref, *pin, in.Body.AISystemInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return aiSystemResponse(in.Org, s), nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Delete), huma.Operation{OperationID: "delete-ai-system", Method: http.MethodDelete, Path: base + "/{ref}",
		Summary: "Delete an AI system with its records", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *VersionedRef) (*struct{}, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteAISystem(ctx, sc.Actor(), in.Ref, v); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "list-ai-system-events", Method: http.MethodGet, Path: base + "/{ref}/events",
		Summary: "The change events of an AI system, latest first", Tags: tags},
		func(ctx context.Context, in *RefPath) (*struct {
			Body struct {
				Items []domain.AISystemEvent `json:"items"`
			}
		}, error) {
			ev, err := scope(ctx).Org.AISystemEvents(ctx, in.Ref, 500)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			out := &struct {
				Body struct {
					Items []domain.AISystemEvent `json:"items"`
				}
			}{}
			out.Body.Items = ev
			return out, nil
		})

	dtags := []string{"Datasets"}
	dbase := "/api/v1/orgs/{org}/datasets"
	register(h, access.Org(auth.ResDataset, auth.Read), huma.Operation{OperationID: "list-datasets", Method: http.MethodGet, Path: dbase,
		Summary: "Datasets used by AI systems, filtered and paginated", Tags: dtags},
		func(ctx context.Context, in *datasetListInput) (*struct{ Body datasetPage }, error) {
			page, total, err := scope(ctx).Org.ListDatasets(ctx, domain.DatasetFilter{Quality: in.Quality, PersonalData: boolFilter(in.PersonalData),
				AISystem: in.AISystem, Text: in.Q, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &struct{ Body datasetPage }{datasetPage{page.Items, page.Next, total}}, nil
		})
	register(h, access.Org(auth.ResDataset, auth.Create), huma.Operation{OperationID: "create-dataset", Method: http.MethodPost, Path: dbase,
		Summary: "Register a dataset", Tags: dtags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			Org  string `path:"org"`
			Body datasetBody
		}) (*datasetOutput, error) {
			sc := scope(ctx)
			d, err := sc.Org.CreateDataset(ctx, sc.Actor(), in.Body.DatasetInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &datasetOutput{etag(d.Version), "/api/v1/orgs/" + in.Org + "/datasets/" + d.Ref, d}, nil
		})
	register(h, access.Org(auth.ResDataset, auth.Read), huma.Operation{OperationID: "get-dataset", Method: http.MethodGet, Path: dbase + "/{ref}",
		Summary: "Read a dataset", Tags: dtags},
		func(ctx context.Context, in *RefPath) (*datasetOutput, error) {
			d, err := scope(ctx).Org.Dataset(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return &datasetOutput{etag(d.Version), "/api/v1/orgs/" + in.Org + "/datasets/" + d.Ref, d}, nil
		})
	register(h, access.Org(auth.ResDataset, auth.Update), huma.Operation{OperationID: "patch-dataset", Method: http.MethodPatch, Path: dbase + "/{ref}",
		Summary: "Change a dataset", Tags: dtags},
		func(ctx context.Context, in *struct {
			VersionedRef
			Body datasetBody
		}) (*datasetOutput, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			pin, err := sc.DatasetWritable(ctx, in.Ref, &v, in.Body.Owner)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			d, err := sc.Org.UpdateDataset(ctx, sc.Actor(), in.Ref, *pin, in.Body.DatasetInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &datasetOutput{etag(d.Version), "/api/v1/orgs/" + in.Org + "/datasets/" + d.Ref, d}, nil
		})
	register(h, access.Org(auth.ResDataset, auth.Delete), huma.Operation{OperationID: "delete-dataset", Method: http.MethodDelete, Path: dbase + "/{ref}",
		Summary: "Delete a dataset no AI system uses", Tags: dtags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *VersionedRef) (*struct{}, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteDataset(ctx, sc.Actor(), in.Ref, v); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})

	stags := []string{"Suppliers"}
	sbase := "/api/v1/orgs/{org}/suppliers"
	register(h, access.Org(auth.ResSupplier, auth.Read), huma.Operation{OperationID: "list-suppliers", Method: http.MethodGet, Path: sbase,
		Summary: "The supplier register of both standards, filtered and paginated", Tags: stags},
		func(ctx context.Context, in *SupplierListInput) (*struct{ Body supplierPage }, error) {
			page, total, err := scope(ctx).Org.ListSuppliers(ctx, domain.SupplierFilter{Criticality: in.Criticality, Status: in.Status,
				ProvidesAI: boolFilter(in.ProvidesAI), ReviewDue: in.ReviewDue, Text: in.Q, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &struct{ Body supplierPage }{supplierPage{page.Items, page.Next, total}}, nil
		})
	register(h, access.Org(auth.ResSupplier, auth.Create), huma.Operation{OperationID: "create-supplier", Method: http.MethodPost, Path: sbase,
		Summary: "Register a supplier", Tags: stags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			Org  string `path:"org"`
			Body supplierBody
		}) (*supplierOutput, error) {
			sc := scope(ctx)
			s, err := sc.Org.CreateSupplier(ctx, sc.Actor(), in.Body.SupplierInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &supplierOutput{etag(s.Version), "/api/v1/orgs/" + in.Org + "/suppliers/" + s.Ref, s}, nil
		})
	register(h, access.Org(auth.ResSupplier, auth.Read), huma.Operation{OperationID: "get-supplier", Method: http.MethodGet, Path: sbase + "/{ref}",
		Summary: "Read a supplier", Tags: stags},
		func(ctx context.Context, in *RefPath) (*supplierOutput, error) {
			s, err := scope(ctx).Org.Supplier(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return &supplierOutput{etag(s.Version), "/api/v1/orgs/" + in.Org + "/suppliers/" + s.Ref, s}, nil
		})
	register(h, access.Org(auth.ResSupplier, auth.Update), huma.Operation{OperationID: "patch-supplier", Method: http.MethodPatch, Path: sbase + "/{ref}",
		Summary: "Change a supplier; a given link list replaces the links", Tags: stags},
		func(ctx context.Context, in *struct {
			VersionedRef
			Body supplierBody
		}) (*supplierOutput, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			pin, err := sc.SupplierWritable(ctx, in.Ref, &v, in.Body.Owner)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			s, err := sc.Org.UpdateSupplier(ctx, sc.Actor(), in.Ref, *pin, in.Body.SupplierInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &supplierOutput{etag(s.Version), "/api/v1/orgs/" + in.Org + "/suppliers/" + s.Ref, s}, nil
		})
	register(h, access.Org(auth.ResSupplier, auth.Delete), huma.Operation{OperationID: "delete-supplier", Method: http.MethodDelete, Path: sbase + "/{ref}",
		Summary: "Delete a supplier that supplies no AI system", Tags: stags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *VersionedRef) (*struct{}, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteSupplier(ctx, sc.Actor(), in.Ref, v); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})
	register(h, access.Org(auth.ResSupplier, auth.Read), huma.Operation{OperationID: "list-supplier-assessments", Method: http.MethodGet, Path: sbase + "/{ref}/assessments",
		Summary: "A supplier's assessments, latest first", Tags: stags},
		func(ctx context.Context, in *RefPath) (*struct {
			Body struct {
				Items []domain.SupplierAssessment `json:"items"`
			}
		}, error) {
			list, err := scope(ctx).Org.SupplierAssessments(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			out := &struct {
				Body struct {
					Items []domain.SupplierAssessment `json:"items"`
				}
			}{}
			out.Body.Items = list
			return out, nil
		})
	register(h, access.Org(auth.ResSupplier, auth.Update), huma.Operation{OperationID: "assess-supplier", Method: http.MethodPost, Path: sbase + "/{ref}/assessments",
		Summary: "Record an assessment of a supplier, signed by you; its next review becomes the supplier's", Tags: stags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			RefPath
			Body domain.SupplierAssessmentInput
		}) (*struct{ Body domain.SupplierAssessment }, error) {
			sc := scope(ctx)
			if _, err := sc.SupplierWritable(ctx, in.Ref, nil, nil); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			as, err := sc.Org.AssessSupplier(ctx, sc.Actor(), sc.Who(), in.Ref, in.Body)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &struct{ Body domain.SupplierAssessment }{as}, nil
		})
}
