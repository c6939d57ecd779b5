package access

import (
	"context"

	"tandem/internal/domain"
)

// The ownership checks of AI governance for scopes limited to what the
// member owns (contributors), on the RiskWritable pattern: the record (or
// the AI system a record belongs to) is the principal's, stays theirs when
// owner (nil: unchanged) names a new one, and the write is pinned to the
// version checked here, so that an owner change in between is a conflict
// rather than a bypass. Each returns the version to write at.

func (s *Scope) pinned(owner string, newOwner *string, version *int64, current int64) (*int64, error) {
	if !s.Owns(owner) || (newOwner != nil && !s.Owns(*newOwner)) {
		return nil, ErrForbidden
	}
	if version != nil && *version != current {
		return nil, domain.ErrConflict
	}
	return &current, nil
}

// AISystemWritable checks a change to an AI system.
func (s *Scope) AISystemWritable(ctx context.Context, ref string, version *int64, owner *string) (*int64, error) {
	if !s.OwnOnly {
		return version, nil
	}
	a, err := s.Org.AISystem(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.pinned(a.Owner, owner, version, a.Version)
}

// DatasetWritable checks a change to a dataset.
func (s *Scope) DatasetWritable(ctx context.Context, ref string, version *int64, owner *string) (*int64, error) {
	if !s.OwnOnly {
		return version, nil
	}
	d, err := s.Org.Dataset(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.pinned(d.Owner, owner, version, d.Version)
}

// SupplierWritable checks a change to a supplier.
func (s *Scope) SupplierWritable(ctx context.Context, ref string, version *int64, owner *string) (*int64, error) {
	if !s.OwnOnly {
		return version, nil
	}
	p, err := s.Org.Supplier(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.pinned(p.Owner, owner, version, p.Version)
}

// SystemRecordsWritable checks a new record of an AI system — a test, a
// monitoring or oversight record, an assessment draft: the system is the
// principal's.
func (s *Scope) SystemRecordsWritable(ctx context.Context, systemRef string) error {
	if !s.OwnOnly {
		return nil
	}
	a, err := s.Org.AISystem(ctx, systemRef)
	if err != nil {
		return err
	}
	if !s.Owns(a.Owner) {
		return ErrForbidden
	}
	return nil
}

// AssessmentWritable checks a change to an assessment draft: its system
// is the principal's.
func (s *Scope) AssessmentWritable(ctx context.Context, ref string, version *int64) (*int64, error) {
	if !s.OwnOnly {
		return version, nil
	}
	a, err := s.Org.ImpactAssessment(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := s.SystemRecordsWritable(ctx, a.System); err != nil {
		return nil, err
	}
	if version != nil && *version != a.Version {
		return nil, domain.ErrConflict
	}
	return &a.Version, nil
}
