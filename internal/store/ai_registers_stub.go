package store

// The store contract of the supplier register, datasets and the AI system
// inventory. This file is replaced by the implementation.

import (
	"context"
	"errors"

	"tandem/internal/domain"
)

var errNotBuilt = errors.New("not built yet")

// ListSuppliers returns one page of the supplier register in ref order and the count matching f.
func (o *OrgStore) ListSuppliers(ctx context.Context, f domain.SupplierFilter) (domain.Page[domain.Supplier], int, error) {
	return domain.Page[domain.Supplier]{}, 0, errNotBuilt
}

// Supplier returns one supplier with its links and last assessment.
func (o *OrgStore) Supplier(ctx context.Context, ref string) (domain.Supplier, error) {
	return domain.Supplier{}, errNotBuilt
}

// CreateSupplier registers a supplier with the next SUP ref.
func (o *OrgStore) CreateSupplier(ctx context.Context, actor domain.Actor, in domain.SupplierInput) (domain.Supplier, error) {
	return domain.Supplier{}, errNotBuilt
}

// UpdateSupplier changes a supplier at version (domain.ErrConflict when stale).
func (o *OrgStore) UpdateSupplier(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.SupplierInput) (domain.Supplier, error) {
	return domain.Supplier{}, errNotBuilt
}

// DeleteSupplier removes a supplier that supplies no AI system.
func (o *OrgStore) DeleteSupplier(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return errNotBuilt
}

// SupplierAssessments returns the supplier's assessments, latest first (at most 200).
func (o *OrgStore) SupplierAssessments(ctx context.Context, ref string) ([]domain.SupplierAssessment, error) {
	return nil, errNotBuilt
}

// AssessSupplier records an assessment signed by who; its next review
// becomes the supplier's.
func (o *OrgStore) AssessSupplier(ctx context.Context, actor domain.Actor, who, ref string, in domain.SupplierAssessmentInput) (domain.SupplierAssessment, error) {
	return domain.SupplierAssessment{}, errNotBuilt
}

// ListDatasets returns one page of datasets in ref order and the count matching f.
func (o *OrgStore) ListDatasets(ctx context.Context, f domain.DatasetFilter) (domain.Page[domain.Dataset], int, error) {
	return domain.Page[domain.Dataset]{}, 0, errNotBuilt
}

// Dataset returns one dataset with the AI systems that use it.
func (o *OrgStore) Dataset(ctx context.Context, ref string) (domain.Dataset, error) {
	return domain.Dataset{}, errNotBuilt
}

// CreateDataset registers a dataset with the next DS ref.
func (o *OrgStore) CreateDataset(ctx context.Context, actor domain.Actor, in domain.DatasetInput) (domain.Dataset, error) {
	return domain.Dataset{}, errNotBuilt
}

// UpdateDataset changes a dataset at version.
func (o *OrgStore) UpdateDataset(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.DatasetInput) (domain.Dataset, error) {
	return domain.Dataset{}, errNotBuilt
}

// DeleteDataset removes a dataset no AI system uses.
func (o *OrgStore) DeleteDataset(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return errNotBuilt
}

// ListAISystems returns one page of the AI inventory in ref order and the count matching f.
func (o *OrgStore) ListAISystems(ctx context.Context, f domain.AISystemFilter) (domain.Page[domain.AISystem], int, error) {
	return domain.Page[domain.AISystem]{}, 0, errNotBuilt
}

// AISystem returns one AI system with its datasets, supplier and derived state.
func (o *OrgStore) AISystem(ctx context.Context, ref string) (domain.AISystem, error) {
	return domain.AISystem{}, errNotBuilt
}

// CreateAISystem registers an AI system with the next AIS ref.
func (o *OrgStore) CreateAISystem(ctx context.Context, actor domain.Actor, in domain.AISystemInput) (domain.AISystem, error) {
	return domain.AISystem{}, errNotBuilt
}

// UpdateAISystem changes a system at version, recording a change event for
// each change of model version, datasets, purpose or stage.
func (o *OrgStore) UpdateAISystem(ctx context.Context, actor domain.Actor, ref string, version int64, in domain.AISystemInput) (domain.AISystem, error) {
	return domain.AISystem{}, errNotBuilt
}

// DeleteAISystem removes a system and everything recorded about it.
func (o *OrgStore) DeleteAISystem(ctx context.Context, actor domain.Actor, ref string, version int64) error {
	return errNotBuilt
}

// AISystemEvents returns the system's change events, latest first (at most limit, ≤ 500).
func (o *OrgStore) AISystemEvents(ctx context.Context, ref string, limit int) ([]domain.AISystemEvent, error) {
	return nil, errNotBuilt
}
