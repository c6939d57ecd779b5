package store

// The store contract of impact assessments, risks raised from impacts,
// test records, monitoring records, model cards and the AI dashboard
// summary. This file is replaced by the implementation.

import (
	"context"

	"tandem/internal/domain"
)

// ListImpactAssessments returns one page of assessments (latest first) and the count matching f.
func (o *OrgStore) ListImpactAssessments(ctx context.Context, f domain.ImpactAssessmentFilter) (domain.Page[domain.ImpactAssessment], int, error) {
	return domain.Page[domain.ImpactAssessment]{}, 0, errNotBuilt
}

// ImpactAssessment returns one assessment version with its impacts.
func (o *OrgStore) ImpactAssessment(ctx context.Context, ref string) (domain.ImpactAssessment, error) {
	return domain.ImpactAssessment{}, errNotBuilt
}

// CreateImpactAssessment starts a draft for the system (refused while another draft exists).
func (o *OrgStore) CreateImpactAssessment(ctx context.Context, actor domain.Actor, system string, in domain.ImpactAssessmentInput) (domain.ImpactAssessment, error) {
	return domain.ImpactAssessment{}, errNotBuilt
}

// UpdateImpactAssessment changes a draft at version; approved ones are frozen.
func (o *OrgStore) UpdateImpactAssessment(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.ImpactAssessmentInput) (domain.ImpactAssessment, error) {
	return domain.ImpactAssessment{}, errNotBuilt
}

// DeleteImpactAssessment removes a draft.
func (o *OrgStore) DeleteImpactAssessment(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return errNotBuilt
}

// ApproveImpactAssessment freezes a draft at version, signed by approver;
// the approved version before it becomes superseded.
func (o *OrgStore) ApproveImpactAssessment(ctx context.Context, actor domain.Actor, approver, ref string, version int64) (domain.ImpactAssessment, error) {
	return domain.ImpactAssessment{}, errNotBuilt
}

// ReviseImpactAssessment starts the next draft from an approved (or stale) assessment.
func (o *OrgStore) ReviseImpactAssessment(ctx context.Context, actor domain.Actor, ref string) (domain.ImpactAssessment, error) {
	return domain.ImpactAssessment{}, errNotBuilt
}

// RaiseRiskFromImpact creates an AI risk from impact number n of the
// assessment, prefilled from it and overridden by in, linked both ways.
func (o *OrgStore) RaiseRiskFromImpact(ctx context.Context, actor domain.Actor, ref string, n int, in domain.RiskInput) (domain.Risk, error) {
	return domain.Risk{}, errNotBuilt
}

// ListAITests returns one page of a system's test records, latest first.
func (o *OrgStore) ListAITests(ctx context.Context, system string, f domain.AITestFilter) (domain.Page[domain.AITest], int, error) {
	return domain.Page[domain.AITest]{}, 0, errNotBuilt
}

// RecordAITest records a test result of the system, signed by who.
func (o *OrgStore) RecordAITest(ctx context.Context, actor domain.Actor, who, system string, in domain.AITestInput) (domain.AITest, error) {
	return domain.AITest{}, errNotBuilt
}

// DeleteAITest removes a test record (a mistaken entry); the trail keeps it.
func (o *OrgStore) DeleteAITest(ctx context.Context, actor domain.Actor, ref string) error {
	return errNotBuilt
}

// AITrends returns the system's tests per metric and slice, oldest first (the latest 50 points of each).
func (o *OrgStore) AITrends(ctx context.Context, system string) ([]domain.AITrend, error) {
	return nil, errNotBuilt
}

// ListMonitoring returns one page of a system's monitoring and oversight
// records, latest first; kind "" lists both.
func (o *OrgStore) ListMonitoring(ctx context.Context, system, kind string, limit int, cursor string) (domain.Page[domain.MonitoringRecord], int, error) {
	return domain.Page[domain.MonitoringRecord]{}, 0, errNotBuilt
}

// RecordMonitoring records a monitoring check or an oversight record,
// performed by who unless the input names someone; a check moves the
// system's next check.
func (o *OrgStore) RecordMonitoring(ctx context.Context, actor domain.Actor, who, system string, in domain.MonitoringInput) (domain.MonitoringRecord, error) {
	return domain.MonitoringRecord{}, errNotBuilt
}

// DeleteMonitoring removes a monitoring record; the trail keeps it.
func (o *OrgStore) DeleteMonitoring(ctx context.Context, actor domain.Actor, ref string) error {
	return errNotBuilt
}

// ModelCard assembles the system's model card from its live records.
func (o *OrgStore) ModelCard(ctx context.Context, system string) (domain.ModelCard, error) {
	return domain.ModelCard{}, errNotBuilt
}

// AISummary counts what the dashboard shows of AI governance.
func (o *OrgStore) AISummary(ctx context.Context) (domain.AISummary, error) {
	return domain.AISummary{}, errNotBuilt
}
