package store

import (
	"context"

	"tandem/internal/domain"
)

// ModelCard assembles the system's model card from its live records.
func (o *OrgStore) ModelCard(ctx context.Context, system string) (domain.ModelCard, error) {
	var c domain.ModelCard
	sys, err := o.AISystem(ctx, system)
	if err != nil {
		return c, err
	}
	c.System, c.OrgName, c.GeneratedAt = sys, o.org.Name, o.s.now()
	if sys.Supplier != "" {
		sup, err := o.Supplier(ctx, sys.Supplier)
		if err != nil {
			return c, err
		}
		c.Supplier = &sup
	}
	ds, _, err := o.ListDatasets(ctx, domain.DatasetFilter{AISystem: sys.Ref, Limit: MaxLimit})
	if err != nil {
		return c, err
	}
	c.Datasets = ds.Items
	if c.Trends, err = o.AITrends(ctx, sys.Ref); err != nil {
		return c, err
	}
	if sys.AssessmentRef != "" {
		a, err := o.ImpactAssessment(ctx, sys.AssessmentRef)
		if err != nil {
			return c, err
		}
		c.Assessment = &a
	}
	recs, _, err := o.ListMonitoring(ctx, sys.Ref, "", 10, "")
	if err != nil {
		return c, err
	}
	c.Oversight = recs.Items
	return c, nil
}
