package demo

import (
	"context"
	"strings"

	"tandem/internal/domain"
	"tandem/internal/store"
)

// exclusions are the demo's justified exclusions: Annex A controls that do
// not apply to a mid-size analytics company working from leased offices.
var exclusions = map[string]string{
	"iso27001-2022/A.8.30": "All software is developed in-house by Northwind's own engineers; no development is outsourced.",
	"iso27001-2022/A.7.4":  "The offices are in a shared building whose landlord runs the monitoring; covered by the lease and checked yearly.",
}

// seedSoA records the demo's applicability decisions: every Annex A
// control with a linked control is applicable (to treat risks), the two
// exclusions above are excluded, the rest is left undecided as work to do;
// then the 27001 SoA is issued once.
func seedSoA(ctx context.Context, st *store.Store, actor domain.Actor) error {
	o, err := st.Org(ctx, Slug)
	if err != nil {
		return err
	}
	yes, no := true, false
	for _, std := range []string{domain.ISO27001, domain.ISO42001} {
		rows, err := o.SoA(ctx, std)
		if err != nil {
			return err
		}
		for _, row := range rows {
			var in domain.DecisionInput
			switch {
			case exclusions[row.Key] != "" && len(row.Controls) == 0:
				in = domain.DecisionInput{Applicable: &no, Justification: exclusions[row.Key]}
			case len(row.Controls) > 0:
				refs := make([]string, len(row.Controls))
				for i, c := range row.Controls {
					refs[i] = c.Ref
				}
				in = domain.DecisionInput{Applicable: &yes, Reasons: []string{domain.ReasonRiskTreatment, domain.ReasonBusiness},
					Justification: "Treats risks in the register; implemented through " + strings.Join(refs, ", ") + "."}
			default:
				continue
			}
			if _, err := o.Decide(ctx, actor, std, row.Ref, nil, in); err != nil {
				return err
			}
		}
	}
	_, err = o.IssueSoA(ctx, actor, domain.ISO27001, People[0].Email, "First issue, for the stage 1 certification audit.")
	return err
}
