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

// unrecorded are the demo's gaps in the risk trace: rows that give risk
// treatment as a reason although no risk in the registers is treated
// through their controls yet — the risk was talked about, never recorded.
// The SoA flags them, as an auditor would.
var unrecorded = map[string]string{
	"iso27001-2022/A.6.8":  "Treats the risk of security events going unreported.",
	"iso27001-2022/A.5.37": "Treats the risk of operating mistakes in undocumented procedures.",
	"iso42001-2023/A.3.3":  "Treats the risk of concerns about our AI systems not being raised.",
	"iso42001-2023/A.9.3":  "Treats the risk of AI being used against our responsible-use objectives.",
}

// moreReasons are inclusion reasons besides risk treatment: obligations
// from law (GDPR, consumer credit, the EU AI Act) and from contracts.
var moreReasons = map[string][]string{
	"iso27001-2022/A.5.19": {domain.ReasonContractual},
	"iso27001-2022/A.5.20": {domain.ReasonContractual},
	"iso27001-2022/A.5.21": {domain.ReasonContractual},
	"iso27001-2022/A.5.22": {domain.ReasonContractual},
	"iso27001-2022/A.5.31": {domain.ReasonLegal},
	"iso27001-2022/A.5.32": {domain.ReasonLegal},
	"iso27001-2022/A.5.34": {domain.ReasonLegal},
	"iso42001-2023/A.5.2":  {domain.ReasonLegal},
	"iso42001-2023/A.5.3":  {domain.ReasonLegal},
	"iso42001-2023/A.8.2":  {domain.ReasonLegal},
	"iso42001-2023/A.8.3":  {domain.ReasonLegal},
	"iso42001-2023/A.10.2": {domain.ReasonContractual},
	"iso42001-2023/A.10.3": {domain.ReasonContractual},
}

// seedSoA records the demo's applicability decisions, after the risks, so
// that the reasons agree with the risk trace: an Annex A control with a
// linked control is applicable — to treat risks where a risk's treatment
// plan uses one of its controls (and in the few gaps above), for legal or
// contractual reasons where listed, and otherwise as part of running the
// management system. The two exclusions are excluded; the rest is left
// undecided as work to do. Then the 27001 SoA is issued once.
func seedSoA(ctx context.Context, o *store.OrgStore, actor domain.Actor) error {
	no := false
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
				in = decision(row)
			default:
				continue
			}
			if _, err := o.Decide(ctx, actor, std, row.Ref, nil, in); err != nil {
				return err
			}
		}
	}
	_, err := o.IssueSoA(ctx, actor, domain.ISO27001, People[0].Email, "First issue, for the stage 1 certification audit.")
	return err
}

// decision is the demo's decision on an Annex A control that has
// implementing controls.
func decision(row domain.SoARow) domain.DecisionInput {
	yes := true
	controls := make([]string, len(row.Controls))
	for i, c := range row.Controls {
		controls[i] = c.Ref
	}
	through := "implemented through " + strings.Join(controls, ", ") + "."
	var reasons []string
	var why string
	switch {
	case len(row.Risks) > 0:
		risks := make([]string, len(row.Risks))
		for i, r := range row.Risks {
			risks[i] = r.Ref
		}
		reasons, why = []string{domain.ReasonRiskTreatment}, "Treats "+strings.Join(risks, ", ")+" in the risk registers; "+through
	case unrecorded[row.Key] != "":
		reasons, why = []string{domain.ReasonRiskTreatment}, unrecorded[row.Key]+" Implemented through "+strings.Join(controls, ", ")+"."
	}
	reasons = append(reasons, moreReasons[row.Key]...)
	switch {
	case len(reasons) == 0:
		reasons, why = []string{domain.ReasonBusiness}, "Part of how Northwind runs one management system for security and AI; "+through
	case why == "":
		why = "Required by law or by our contracts; " + through
	}
	return domain.DecisionInput{Applicable: &yes, Reasons: reasons, Justification: why}
}
