package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
)

// Impact assessments, risks raised from impacts, test records, monitoring
// and oversight records of AI systems.

type assessmentListInput struct {
	Org      string `path:"org"`
	Status   string `query:"status" enum:"draft,approved,stale,superseded"`
	AISystem string `query:"ai_system" example:"AIS-001"`
	PageInput
}

type assessmentPage struct {
	Items []domain.ImpactAssessment `json:"items"`
	Next  *string                   `json:"next"`
	Total int                       `json:"total"`
}

type assessmentBody struct {
	domain.ImpactAssessmentInput
	Version *int64 `json:"version,omitempty"`
}

type assessmentOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Body     domain.ImpactAssessment
}

func assessmentResponse(org string, x domain.ImpactAssessment) *assessmentOutput {
	return &assessmentOutput{ETag: etag(x.Version), Location: "/api/v1/orgs/" + org + "/impact-assessments/" + x.Ref, Body: x}
}

type recordsInput struct {
	Org    string `path:"org"`
	Ref    string `path:"ref" example:"AIS-001"`
	Kind   string `query:"kind"`
	Metric string `query:"metric"`
	Failed bool   `query:"failed" doc:"Only tests that failed their threshold"`
	PageInput
}

func (a *API) registerAIRecords(h huma.API) {
	tags := []string{"Impact assessments"}
	org := "/api/v1/orgs/{org}"
	list := func(ctx context.Context, f domain.ImpactAssessmentFilter) (*struct{ Body assessmentPage }, error) {
		page, total, err := scope(ctx).Org.ListImpactAssessments(ctx, f)
		if err != nil {
			return nil, a.problem(ctx, err, "query")
		}
		return &struct{ Body assessmentPage }{assessmentPage{page.Items, page.Next, total}}, nil
	}
	register(h, access.Org(auth.ResImpactAssessment, auth.Read), huma.Operation{OperationID: "list-impact-assessments", Method: http.MethodGet,
		Path: org + "/impact-assessments", Summary: "Impact assessments of all AI systems, latest first; status stale is derived", Tags: tags},
		func(ctx context.Context, in *assessmentListInput) (*struct{ Body assessmentPage }, error) {
			return list(ctx, domain.ImpactAssessmentFilter{System: in.AISystem, Status: in.Status, Limit: in.Limit, Cursor: in.Cursor})
		})
	register(h, access.Org(auth.ResImpactAssessment, auth.Read), huma.Operation{OperationID: "list-system-impact-assessments", Method: http.MethodGet,
		Path: org + "/ai-systems/{ref}/impact-assessments", Summary: "The impact assessment versions of one AI system, latest first", Tags: tags},
		func(ctx context.Context, in *struct {
			RefPath
			Status string `query:"status" enum:"draft,approved,stale,superseded"`
			PageInput
		}) (*struct{ Body assessmentPage }, error) {
			if _, err := scope(ctx).Org.AISystem(ctx, in.Ref); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return list(ctx, domain.ImpactAssessmentFilter{System: in.Ref, Status: in.Status, Limit: in.Limit, Cursor: in.Cursor})
		})
	register(h, access.Org(auth.ResImpactAssessment, auth.Create), huma.Operation{OperationID: "create-impact-assessment", Method: http.MethodPost,
		Path: org + "/ai-systems/{ref}/impact-assessments", Summary: "Start a draft impact assessment of an AI system", Tags: tags,
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			RefPath
			Body assessmentBody
		}) (*assessmentOutput, error) {
			sc := scope(ctx)
			if err := sc.SystemRecordsWritable(ctx, in.Ref); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			x, err := sc.Org.CreateImpactAssessment(ctx, sc.Actor(), in.Ref, in.Body.ImpactAssessmentInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return assessmentResponse(in.Org, x), nil
		})
	register(h, access.Org(auth.ResImpactAssessment, auth.Read), huma.Operation{OperationID: "get-impact-assessment", Method: http.MethodGet,
		Path: org + "/impact-assessments/{ref}", Summary: "Read one impact assessment version", Tags: tags},
		func(ctx context.Context, in *RefPath) (*assessmentOutput, error) {
			x, err := scope(ctx).Org.ImpactAssessment(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return assessmentResponse(in.Org, x), nil
		})
	register(h, access.Org(auth.ResImpactAssessment, auth.Update), huma.Operation{OperationID: "patch-impact-assessment", Method: http.MethodPatch,
		Path: org + "/impact-assessments/{ref}", Summary: "Change a draft; impacts, when given, replace the impacts; approved versions are frozen", Tags: tags},
		func(ctx context.Context, in *struct {
			VersionedRef
			Body assessmentBody
		}) (*assessmentOutput, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, in.Body.Version)
			if err != nil {
				return nil, err
			}
			pin, err := sc.AssessmentWritable(ctx, in.Ref, &v)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			x, err := sc.Org.UpdateImpactAssessment(ctx, sc.Actor(), in.Ref, *pin, in.Body.ImpactAssessmentInput)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return assessmentResponse(in.Org, x), nil
		})
	register(h, access.Org(auth.ResImpactAssessment, auth.Delete), huma.Operation{OperationID: "delete-impact-assessment", Method: http.MethodDelete,
		Path: org + "/impact-assessments/{ref}", Summary: "Delete a draft", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *VersionedRef) (*struct{}, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			if err := sc.Org.DeleteImpactAssessment(ctx, sc.Actor(), in.Ref, v); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})
	register(h, access.Org(auth.ResImpactApproval, auth.Create), huma.Operation{OperationID: "approve-impact-assessment", Method: http.MethodPost,
		Path: org + "/impact-assessments/{ref}/approve", Tags: tags,
		Summary: "Approve a draft, signed by you (not its assessor): the version is frozen and the approved one before it superseded"},
		func(ctx context.Context, in *VersionedRef) (*assessmentOutput, error) {
			sc := scope(ctx)
			v, err := a.requiredVersion(ctx, in.IfMatch, nil)
			if err != nil {
				return nil, err
			}
			x, err := sc.Org.ApproveImpactAssessment(ctx, sc.Actor(), sc.Who(), in.Ref, v)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return assessmentResponse(in.Org, x), nil
		})
	register(h, access.Org(auth.ResImpactAssessment, auth.Create), huma.Operation{OperationID: "revise-impact-assessment", Method: http.MethodPost,
		Path: org + "/impact-assessments/{ref}/revise", Summary: "Start the next draft from an approved (or stale) version", Tags: tags,
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *RefPath) (*assessmentOutput, error) {
			sc := scope(ctx)
			cur, err := sc.Org.ImpactAssessment(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if err := sc.SystemRecordsWritable(ctx, cur.System); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			x, err := sc.Org.ReviseImpactAssessment(ctx, sc.Actor(), in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return assessmentResponse(in.Org, x), nil
		})
	register(h, access.Org(auth.ResRisk, auth.Create), huma.Operation{OperationID: "raise-risk-from-impact", Method: http.MethodPost,
		Path: org + "/impact-assessments/{ref}/impacts/{n}/risk", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Raise an AI risk from impact n in one step: prefilled from the impact and its system (fields given override), linked both ways"},
		func(ctx context.Context, in *struct {
			RefPath
			N    int `path:"n" minimum:"1"`
			Body *domain.RiskInput
		}) (*riskOutput, error) {
			sc := scope(ctx)
			var over domain.RiskInput
			if in.Body != nil {
				over = *in.Body
			}
			r, err := sc.Org.RaiseRiskFromImpact(ctx, sc.Actor(), in.Ref, in.N, over)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &riskOutput{ETag: etag(r.Version), Location: "/api/v1/orgs/" + in.Org + "/risks/" + r.Ref, Body: r}, nil
		})

	ttags := []string{"AI tests and monitoring"}
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "list-ai-tests", Method: http.MethodGet,
		Path: org + "/ai-systems/{ref}/tests", Summary: "Bias, fairness, performance and robustness test records, latest first", Tags: ttags},
		func(ctx context.Context, in *recordsInput) (*struct {
			Body struct {
				Items []domain.AITest `json:"items"`
				Next  *string         `json:"next"`
				Total int             `json:"total"`
			}
		}, error) {
			page, total, err := scope(ctx).Org.ListAITests(ctx, in.Ref, domain.AITestFilter{Kind: in.Kind, Metric: in.Metric, Failed: in.Failed,
				Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			out := &struct {
				Body struct {
					Items []domain.AITest `json:"items"`
					Next  *string         `json:"next"`
					Total int             `json:"total"`
				}
			}{}
			out.Body.Items, out.Body.Next, out.Body.Total = page.Items, page.Next, total
			return out, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Update), huma.Operation{OperationID: "record-ai-test", Method: http.MethodPost,
		Path: org + "/ai-systems/{ref}/tests", Summary: "Record a test result; passed is derived from the threshold", Tags: ttags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			RefPath
			Body domain.AITestInput
		}) (*struct{ Body domain.AITest }, error) {
			sc := scope(ctx)
			if err := sc.SystemRecordsWritable(ctx, in.Ref); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			t, err := sc.Org.RecordAITest(ctx, sc.Actor(), sc.Who(), in.Ref, in.Body)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &struct{ Body domain.AITest }{t}, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Update), huma.Operation{OperationID: "delete-ai-test", Method: http.MethodDelete,
		Path: org + "/ai-tests/{ref}", Summary: "Delete a mistaken test record (the trail keeps it)", Tags: ttags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *RefPath) (*struct{}, error) {
			sc := scope(ctx)
			t, err := sc.Org.AITest(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if err := sc.SystemRecordsWritable(ctx, t.System); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if err := sc.Org.DeleteAITest(ctx, sc.Actor(), in.Ref); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "list-ai-trends", Method: http.MethodGet,
		Path: org + "/ai-systems/{ref}/trends", Summary: "Test results per metric and slice over time, oldest first", Tags: ttags},
		func(ctx context.Context, in *RefPath) (*struct {
			Body struct {
				Items []domain.AITrend `json:"items"`
			}
		}, error) {
			tr, err := scope(ctx).Org.AITrends(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			out := &struct {
				Body struct {
					Items []domain.AITrend `json:"items"`
				}
			}{}
			out.Body.Items = tr
			return out, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "list-ai-monitoring", Method: http.MethodGet,
		Path: org + "/ai-systems/{ref}/monitoring", Summary: "Monitoring checks and human-oversight records, latest first", Tags: ttags},
		func(ctx context.Context, in *recordsInput) (*struct {
			Body struct {
				Items []domain.MonitoringRecord `json:"items"`
				Next  *string                   `json:"next"`
				Total int                       `json:"total"`
			}
		}, error) {
			page, total, err := scope(ctx).Org.ListMonitoring(ctx, in.Ref, in.Kind, in.Limit, in.Cursor)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			out := &struct {
				Body struct {
					Items []domain.MonitoringRecord `json:"items"`
					Next  *string                   `json:"next"`
					Total int                       `json:"total"`
				}
			}{}
			out.Body.Items, out.Body.Next, out.Body.Total = page.Items, page.Next, total
			return out, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Update), huma.Operation{OperationID: "record-ai-monitoring", Method: http.MethodPost,
		Path: org + "/ai-systems/{ref}/monitoring", Summary: "Record a monitoring check (it moves the next one) or a human-oversight record",
		Tags: ttags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			RefPath
			Body domain.MonitoringInput
		}) (*struct{ Body domain.MonitoringRecord }, error) {
			sc := scope(ctx)
			if err := sc.SystemRecordsWritable(ctx, in.Ref); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			m, err := sc.Org.RecordMonitoring(ctx, sc.Actor(), sc.Who(), in.Ref, in.Body)
			if err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return &struct{ Body domain.MonitoringRecord }{m}, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Update), huma.Operation{OperationID: "delete-ai-monitoring", Method: http.MethodDelete,
		Path: org + "/monitoring/{ref}", Summary: "Delete a mistaken monitoring record (the trail keeps it)", Tags: ttags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *RefPath) (*struct{}, error) {
			sc := scope(ctx)
			m, err := sc.Org.MonitoringRecord(ctx, in.Ref)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if err := sc.SystemRecordsWritable(ctx, m.System); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			if err := sc.Org.DeleteMonitoring(ctx, sc.Actor(), in.Ref); err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return nil, nil
		})
	register(h, access.Org(auth.ResAISystem, auth.Read), huma.Operation{OperationID: "get-ai-summary", Method: http.MethodGet,
		Path: org + "/ai-summary", Summary: "AI governance at a glance: systems by stage and class, stale assessments, overdue monitoring", Tags: ttags},
		func(ctx context.Context, in *struct {
			Org string `path:"org"`
		}) (*struct{ Body domain.AISummary }, error) {
			s, err := scope(ctx).Org.AISummary(ctx)
			if err != nil {
				return nil, a.problem(ctx, err, "path")
			}
			return &struct{ Body domain.AISummary }{s}, nil
		})
}
