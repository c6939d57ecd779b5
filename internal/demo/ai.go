package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tandem/internal/domain"
	"tandem/internal/store"
)

// seedAI records Northwind's AI governance: suppliers with assessments,
// datasets, four AI systems from idea to operation, their impact
// assessments (one gone stale after a model change), tests forming trends
// (one metric now failing), monitoring checks (one overdue), a risk raised
// from an impact, and the AI risks of the register linked to their systems.
func seedAI(ctx context.Context, o *store.OrgStore, actor domain.Actor) error {
	loc, err := time.LoadLocation(o.Org().TimeZone)
	if err != nil {
		loc = time.UTC
	}
	today := time.Now().In(loc)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	s := func(v string) *string { return &v }
	b := func(v bool) *bool { return &v }
	n := func(v int) *int { return &v }
	l := func(v ...string) *[]string { return &v }

	suppliers := []domain.SupplierInput{
		{Name: s("Cloudscale Hosting"), Services: s("Infrastructure and managed databases for all products"), Criticality: s("critical"),
			DataShared: s("All production data, encrypted at rest"), Owner: s("Daniel Okafor (IT Operations Lead)"),
			Contact: s("account-team@cloudscale.example"), ContractStart: s(day(-900)), ContractEnd: s(day(560)), ProvidesAI: b(false)},
		{Name: s("Lexa AI"), Services: s("Hosted large language model behind the customer support chatbot"), ProvidesAI: b(true),
			AIComponents: s("General-purpose language model (API), content filters"), Criticality: s("high"),
			DataShared: s("Customer questions and retrieved knowledge-base passages; no account data"), Owner: s("Sofia Marquez"),
			Contact: s("trust@lexa.example"), ContractStart: s(day(-420)), ContractEnd: s(day(310))},
		{Name: s("Credita Bureau"), Services: s("Credit bureau scores and payment histories"), Criticality: s("high"),
			DataShared: s("Applicant identifiers for look-ups"), Owner: s("Sofia Marquez"), ContractStart: s(day(-1500))},
		{Name: s("PeopleFirst HR"), Services: s("HR information system (SaaS)"), Criticality: s("medium"),
			DataShared: s("Employee records"), Owner: s("Priya Natarajan"), ContractStart: s(day(-700))},
	}
	assessments := [][]domain.SupplierAssessmentInput{
		{{AssessedOn: day(-240), Result: "satisfactory", Summary: "ISO/IEC 27001 certificate and SOC 2 Type II report reviewed; no exceptions.",
			Evidence: "DOC: Cloudscale SOC 2 2026", NextReview: day(125)}},
		{{AssessedOn: day(-380), Result: "conditional", Summary: "Security questionnaire fine; no evidence of bias and safety testing of the model.",
			Evidence: "https://trust.lexa.example", NextReview: day(-15)}},
		{{AssessedOn: day(-200), Result: "satisfactory", Summary: "Data protection agreement and data-quality statement in place.", NextReview: day(165)}},
		{},
	}
	var supRefs []string
	for i, in := range suppliers {
		p, err := o.CreateSupplier(ctx, actor, in)
		if err != nil {
			return fmt.Errorf("supplier %s: %w", *in.Name, err)
		}
		supRefs = append(supRefs, p.Ref)
		for _, a := range assessments[i] {
			if _, err := o.AssessSupplier(ctx, actor, "Sofia Marquez", p.Ref, a); err != nil {
				return fmt.Errorf("supplier assessment %s: %w", p.Ref, err)
			}
		}
	}

	datasets := []domain.DatasetInput{
		{Name: s("Loan applications 2019–2025"), Source: s("Core banking system, loan origination"), Owner: s("Sofia Marquez"),
			Provenance: s("Exported monthly from loan origination; outcomes joined after 12 months"), CollectionMethod: s("Application forms"),
			Licence: s("Own data; contract with the applicant"), PersonalData: b(true), PersonalDetails: s("Income, age band, employment; contract and legitimate interest"),
			QualityChecks: s("Completeness, duplicates, label audit of 500 outcomes"), Quality: s("passed_with_issues"), QualityCheckedOn: s(day(-60)),
			Preparation: s("Deduplicated, outliers capped, age bands instead of birth dates"), KnownBias: s("Applicants under 25 under-represented (4 %)"),
			Retention: s("7 years after the loan ends")},
		{Name: s("Credit bureau scores"), Source: s("Credita Bureau"), Licence: s("Data licence in the Credita contract"), PersonalData: b(true),
			PersonalDetails: s("Bureau score and payment history; legitimate interest"), Quality: s("passed"), QualityChecks: s("Match rate and freshness"),
			QualityCheckedOn: s(day(-90)), Retention: s("For the duration of the application")},
		{Name: s("Support tickets 2023–2025"), Source: s("Helpdesk"), PersonalData: b(true), PersonalDetails: s("Names and e-mail addresses, removed before use"),
			Preparation: s("Pseudonymised; signatures stripped"), Quality: s("passed"), QualityChecks: s("Sample review of 300 tickets"), QualityCheckedOn: s(day(-120))},
		{Name: s("Product knowledge base"), Source: s("Documentation site"), Licence: s("Own content"), Quality: s("passed"),
			QualityChecks: s("Links and outdated pages"), QualityCheckedOn: s(day(-20)), KnownBias: s("English only")},
		{Name: s("Transaction fraud labels"), Source: s("Chargebacks and investigations"), PersonalData: b(true),
			PersonalDetails: s("Account numbers, pseudonymised; legal obligation"), KnownBias: s("Only investigated cases are labelled")},
	}
	var ds []string
	for _, in := range datasets {
		d, err := o.CreateDataset(ctx, actor, in)
		if err != nil {
			return fmt.Errorf("dataset %s: %w", *in.Name, err)
		}
		ds = append(ds, d.Ref)
	}

	systems := []domain.AISystemInput{
		{Name: s("Credit-risk scoring model (CRS v3)"), Purpose: s("Scores consumer loan applications for credit risk"),
			IntendedUse: s("Advice to loan officers, who decide every application"), Misuse: s("Automatic refusal without an officer's review; use for marketing"),
			Owner: s("Sofia Marquez"), BusinessUnit: s("Retail credit"), Stage: s("operation"), Role: s("provider"),
			ModelType: s("Gradient-boosted trees"), ModelVersion: s("3.2"), Sourcing: s("in_house"), Datasets: l(ds[0], ds[1]),
			Autonomy: s("human_in_the_loop"), Oversight: s("An officer reviews every score and can override it; overrides are sampled monthly"),
			Users: s("Loan officers"), AffectedParties: l("individuals", "groups"), Affected: s("Loan applicants"),
			EUAIActClass: s("high"), EUAIActReason: s("Evaluates the creditworthiness of natural persons"), DeployedOn: s(day(-420)),
			MonitoringPlan: s("Monthly drift, AUC and parity-gap review by the model owner"), MonitoringDays: n(30), Status: s("approved")},
		{Name: s("Customer support chatbot"), Purpose: s("Answers customer questions from the product knowledge base"),
			IntendedUse: s("First-line answers with hand-over to an agent"), Misuse: s("Advice on credit decisions; collecting account data"),
			Owner: s("Daniel Okafor (IT Operations Lead)"), BusinessUnit: s("Customer service"), Stage: s("operation"), Role: s("deployer"),
			ModelType: s("Third-party language model with retrieval"), ModelVersion: s("lexa-2026-03"), Sourcing: s("mixed"), Supplier: s(supRefs[1]),
			Datasets: l(ds[2], ds[3]), Autonomy: s("human_on_the_loop"), Oversight: s("Agents see every conversation live and can take over"),
			Users: s("Customers"), AffectedParties: l("individuals"), EUAIActClass: s("limited"),
			EUAIActReason: s("Interacts with people: they are told they talk to an AI system"), DeployedOn: s(day(-300)),
			MonitoringPlan: s("Fortnightly review of flagged answers and hand-over rate"), MonitoringDays: n(14), Status: s("approved")},
		{Name: s("Transaction fraud detection"), Purpose: s("Flags card transactions for investigation"), Owner: s("Sofia Marquez"),
			Stage: s("verification_validation"), Role: s("developer"), ModelType: s("Anomaly detection"), ModelVersion: s("0.9"),
			Datasets: l(ds[4]), Autonomy: s("advisory"), Oversight: s("Investigators decide on every flag"), EUAIActClass: s("minimal"),
			EUAIActReason: s("Fraud detection in financial services is not a high-risk use"), AffectedParties: l("individuals")},
		{Name: s("Analyst document summariser"), Purpose: s("Summarises long reports for analysts"), Owner: s("Daniel Okafor (IT Operations Lead)")},
	}
	var sys []string
	for _, in := range systems {
		a, err := o.CreateAISystem(ctx, actor, in)
		if err != nil {
			return fmt.Errorf("AI system %s: %w", *in.Name, err)
		}
		sys = append(sys, a.Ref)
	}

	// Tests: monthly performance and fairness results of the scoring
	// model (both now below their thresholds) and the chatbot's.
	type test struct {
		system                   int
		kind, metric, slice, cmp string
		threshold                float64
		results                  []float64
		every                    int
	}
	for _, t := range []test{
		{0, "performance", "AUC", "", ">=", 0.80, []float64{0.86, 0.85, 0.85, 0.83, 0.81, 0.79}, 30},
		{0, "bias_fairness", "Approval-rate gap", "applicants under 25", "<=", 0.05, []float64{0.03, 0.035, 0.04, 0.045, 0.05, 0.062}, 30},
		{1, "performance", "Unsupported-answer rate", "", "<=", 0.05, []float64{0.06, 0.045, 0.04, 0.035}, 30},
		{2, "performance", "Recall at 1 % alert rate", "", ">=", 0.70, []float64{0.64, 0.71}, 20},
	} {
		for i, r := range t.results {
			ago := (len(t.results) - 1 - i) * t.every
			if _, err := o.RecordAITest(ctx, actor, "Sofia Marquez", sys[t.system], domain.AITestInput{Kind: t.kind, Metric: t.metric, Slice: t.slice,
				Comparator: t.cmp, Threshold: t.threshold, Result: r, TestedOn: day(-ago - 3), Evidence: "Model validation notebook run " + day(-ago-3)}); err != nil {
				return fmt.Errorf("test: %w", err)
			}
		}
	}
	for _, m := range []struct {
		system       int
		kind, when   string
		outcome      string
		summary, fup string
	}{
		{0, "monitoring", day(-40), "ok", "Drift within bounds; AUC 0.81", ""},
		{0, "monitoring", day(-10), "concern", "AUC 0.79 and the approval-rate gap for applicants under 25 above threshold", "Retrain with 2025 data; raised in the AI risk register"},
		{0, "oversight", day(-12), "ok", "Officers overrode 14 of 612 scores; reasons reviewed", ""},
		{1, "monitoring", day(-30), "ok", "Hand-over rate 11 %; no harmful answers flagged", ""},
		{1, "oversight", day(-22), "concern", "Two answers gave fee information that was out of date", "Knowledge base pages updated; retrieval re-indexed"},
	} {
		if _, err := o.RecordMonitoring(ctx, actor, "Sofia Marquez", sys[m.system], domain.MonitoringInput{Kind: m.kind, CheckedOn: m.when,
			Outcome: m.outcome, Summary: m.summary, FollowUp: m.fup}); err != nil {
			return fmt.Errorf("monitoring: %w", err)
		}
	}

	// Impact assessments: the scoring model's and the chatbot's approved,
	// the fraud model's a draft.
	controls, _, err := o.ListControls(ctx, domain.ControlFilter{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	ctl := func(words string) []string {
		for _, c := range controls.Items {
			if strings.Contains(strings.ToLower(c.Title), words) {
				return []string{c.Ref}
			}
		}
		return nil
	}
	type aia struct {
		system                       int
		individuals, groups, society string
		impacts                      []domain.ImpactInput
		approve                      bool
	}
	var refs []string
	for _, a := range []aia{
		{0, "Loan applicants", "Young applicants; applicants with thin credit files", "Access to credit in the region",
			[]domain.ImpactInput{
				{Category: "fairness_bias", Description: "Applicants under 25 are refused more often than their repayment record justifies",
					Affected: "Applicants under 25", Severity: 4, Likelihood: 3, Mitigation: "Quarterly parity-gap test with a threshold; reweighting", Controls: ctl("fairness testing")},
				{Category: "transparency_explainability", Description: "Applicants cannot see why they were scored low", Severity: 3, Likelihood: 3,
					Mitigation: "Reason codes on every score; explanation in the refusal letter", Controls: ctl("model cards")},
				{Category: "privacy", Description: "Bureau data is used beyond the application", Severity: 3, Likelihood: 2,
					Mitigation: "Purpose limitation and retention for the application only", Controls: ctl("pseudonymised")},
				{Category: "autonomy_human_rights", Description: "Officers follow the score without own judgement", Severity: 3, Likelihood: 3,
					Mitigation: "Override sampling and training of officers", Controls: ctl("human oversight")},
			}, true},
		{1, "Customers asking questions", "", "",
			[]domain.ImpactInput{
				{Category: "transparency_explainability", Description: "Customers do not realise they talk to an AI system", Severity: 2, Likelihood: 2,
					Mitigation: "Notice at the start of every conversation", Controls: ctl("model cards")},
				{Category: "safety", Description: "Wrong information about fees or contracts", Severity: 3, Likelihood: 3,
					Mitigation: "Answers only from the knowledge base; hand-over on money questions", Controls: ctl("human oversight")},
				{Category: "accessibility", Description: "Customers who cannot use chat are left without help", Severity: 2, Likelihood: 2,
					Mitigation: "Phone line stays open; hand-over to an agent at any time"},
			}, true},
		{2, "Cardholders", "", "", []domain.ImpactInput{
			{Category: "economic", Description: "Legitimate payments blocked while flagged", Severity: 2, Likelihood: 3, Mitigation: "Flags do not block; investigators decide"},
		}, false},
	} {
		x, err := o.CreateImpactAssessment(ctx, actor, sys[a.system], domain.ImpactAssessmentInput{Individuals: s(a.individuals),
			Groups: s(a.groups), Society: s(a.society), Impacts: &a.impacts, Assessor: s("Daniel Okafor"),
			Conclusion: s("acceptable_with_conditions"), Residual: s("Acceptable while the mitigations are in place and monitored"),
			Reviewer: s("Sofia Marquez"), ReviewDate: s(day(240))})
		if err != nil {
			return fmt.Errorf("impact assessment: %w", err)
		}
		if a.approve {
			if x, err = o.ApproveImpactAssessment(ctx, actor, "Sofia Marquez", x.Ref, x.Version); err != nil {
				return fmt.Errorf("approve %s: %w", x.Ref, err)
			}
		}
		refs = append(refs, x.Ref)
	}
	// The fairness impact of the scoring model becomes a risk of the AI register.
	if _, err := o.RaiseRiskFromImpact(ctx, actor, refs[0], 1, domain.RiskInput{NextReview: s(day(60))}); err != nil {
		return fmt.Errorf("raise risk: %w", err)
	}
	// A retrained scoring model went live after the approval: its
	// assessment is stale until it is revised.
	cur, err := o.AISystem(ctx, sys[0])
	if err != nil {
		return err
	}
	if _, err := o.UpdateAISystem(ctx, actor, sys[0], cur.Version, domain.AISystemInput{ModelVersion: s("3.3")}); err != nil {
		return err
	}

	// The AI risks of the register name their systems in words; link them.
	risks, err := o.ListRisks(ctx, domain.RiskFilter{Register: domain.RegisterAI, Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	for _, r := range risks.Items {
		var links []string
		if strings.Contains(r.AISystems, "scoring") {
			links = append(links, sys[0])
		}
		if strings.Contains(r.AISystems, "chatbot") {
			links = append(links, sys[1])
		}
		if len(links) == 0 || len(r.AISystemRefs) > 0 {
			continue
		}
		v := r.Version
		if _, err := o.UpdateRisk(ctx, actor, r.Ref, &v, domain.RiskInput{AISystemRefs: &links}); err != nil {
			return fmt.Errorf("link %s: %w", r.Ref, err)
		}
	}
	// The HR provider's breach risk belongs to its supplier.
	hr, err := o.ListRisks(ctx, domain.RiskFilter{Text: "HR system provider", Limit: 1})
	if err == nil && len(hr.Items) == 1 {
		p, err := o.Supplier(ctx, supRefs[3])
		if err != nil {
			return err
		}
		if _, err := o.UpdateSupplier(ctx, actor, p.Ref, p.Version, domain.SupplierInput{Risks: l(hr.Items[0].Ref)}); err != nil {
			return err
		}
	}
	return nil
}
