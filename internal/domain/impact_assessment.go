package domain

import (
	"fmt"
	"strings"
	"time"
)

// ImpactCategories are the kinds of impact an AI system impact assessment
// looks at, beyond security: 42001 is about people and society too.
var ImpactCategories = []string{"fairness_bias", "privacy", "safety", "transparency_explainability",
	"autonomy_human_rights", "accessibility", "environment", "economic"}

// Stored states of an impact assessment. Stale is derived: an approved
// assessment whose system changed after the approval, or whose review date
// has come.
const (
	AssessmentDraft      = "draft"
	AssessmentApproved   = "approved"
	AssessmentSuperseded = "superseded"
	AssessmentStale      = "stale"
)

// AssessmentConclusions is the residual judgement on the whole system.
var AssessmentConclusions = []string{"acceptable", "acceptable_with_conditions", "not_acceptable"}

// ImpactAssessment is one version of the impact assessment of an AI system
// (ref AIA-001; Number counts the versions of one system). A draft is
// edited; approving freezes it; a revision starts a new draft from it.
type ImpactAssessment struct {
	ID          int64            `json:"-"`
	Ref         string           `json:"ref"`
	System      string           `json:"ai_system" doc:"Ref of the assessed AI system (AIS-001)"`
	SystemName  string           `json:"ai_system_name"`
	Number      int              `json:"number" doc:"Version of the assessment of this system: 1, 2, …"`
	Status      string           `json:"status" enum:"draft,approved,stale,superseded" doc:"stale: approved, but the system changed since or the review date has come"`
	StaleReason []string         `json:"stale_reasons,omitempty" doc:"Why it is stale: the change events after the approval, or review_due"`
	Individuals string           `json:"affected_individuals"`
	Groups      string           `json:"affected_groups"`
	Society     string           `json:"affected_society"`
	Impacts     []AssessedImpact `json:"impacts"`
	Conclusion  string           `json:"conclusion,omitempty" enum:"acceptable,acceptable_with_conditions,not_acceptable"`
	Residual    string           `json:"residual_judgement"`
	Assessor    string           `json:"assessor"`
	Reviewer    string           `json:"reviewer"`
	ReviewDate  string           `json:"review_date,omitempty" doc:"YYYY-MM-DD: when it must be looked at again"`
	// Set when approved; frozen with it.
	ApprovedBy    string     `json:"approved_by,omitempty"`
	ApprovedAt    *time.Time `json:"approved_at,omitempty"`
	ModelVersion  string     `json:"model_version,omitempty" doc:"The system's model version the approval covers"`
	MethodVersion int        `json:"method_version" doc:"Risk method version its severities and likelihoods use"`
	Version       int64      `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// AssessedImpact is one impact of the system in an assessment. Severity and
// likelihood are steps of the organization's risk method (impact and
// likelihood scales), so that raising a risk carries them over unchanged.
type AssessedImpact struct {
	Number      int      `json:"number" doc:"Position in the assessment: 1, 2, …"`
	Category    string   `json:"category" enum:"fairness_bias,privacy,safety,transparency_explainability,autonomy_human_rights,accessibility,environment,economic"`
	Description string   `json:"description"`
	Affected    string   `json:"affected" doc:"Who is affected"`
	Severity    int      `json:"severity" doc:"Step of the risk method's impact scale"`
	Likelihood  int      `json:"likelihood" doc:"Step of the risk method's likelihood scale"`
	Level       string   `json:"level" doc:"Level the risk method gives severity × likelihood (derived)"`
	Mitigation  string   `json:"mitigation"`
	Controls    []string `json:"controls" doc:"Refs of the controls that mitigate it (CTL-001)"`
	Risk        string   `json:"risk,omitempty" doc:"Ref of the AI risk raised from it (RSK-001)"`
}

// ImpactAssessmentInput is what a person supplies for a draft; on update
// nil fields keep their value and Impacts, when given, replaces them.
type ImpactAssessmentInput struct {
	Individuals *string        `json:"affected_individuals,omitempty"`
	Groups      *string        `json:"affected_groups,omitempty"`
	Society     *string        `json:"affected_society,omitempty"`
	Impacts     *[]ImpactInput `json:"impacts,omitempty"`
	Conclusion  *string        `json:"conclusion,omitempty"`
	Residual    *string        `json:"residual_judgement,omitempty"`
	Assessor    *string        `json:"assessor,omitempty"`
	Reviewer    *string        `json:"reviewer,omitempty"`
	ReviewDate  *string        `json:"review_date,omitempty"`
}

// ImpactInput is one impact as a person gives it; the raised risk stays
// with an impact of the same number.
type ImpactInput struct {
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Affected    string   `json:"affected,omitempty"`
	Severity    int      `json:"severity"`
	Likelihood  int      `json:"likelihood"`
	Mitigation  string   `json:"mitigation,omitempty"`
	Controls    []string `json:"controls,omitempty"`
}

// Apply returns a with the input applied and trimmed. Impacts are
// renumbered 1…n; a raised risk stays with the impact at its number.
func (in ImpactAssessmentInput) Apply(a ImpactAssessment) ImpactAssessment {
	setText(textPair{in.Individuals, &a.Individuals}, textPair{in.Groups, &a.Groups}, textPair{in.Society, &a.Society},
		textPair{in.Conclusion, &a.Conclusion}, textPair{in.Residual, &a.Residual}, textPair{in.Assessor, &a.Assessor},
		textPair{in.Reviewer, &a.Reviewer}, textPair{in.ReviewDate, &a.ReviewDate})
	if in.Impacts != nil {
		old := a.Impacts
		a.Impacts = make([]AssessedImpact, 0, len(*in.Impacts))
		for i, m := range *in.Impacts {
			imp := AssessedImpact{Number: i + 1, Category: strings.TrimSpace(m.Category), Description: strings.TrimSpace(m.Description),
				Affected: strings.TrimSpace(m.Affected), Severity: m.Severity, Likelihood: m.Likelihood,
				Mitigation: strings.TrimSpace(m.Mitigation), Controls: normalizeKeys(m.Controls)}
			if i < len(old) {
				imp.Risk = old[i].Risk
			}
			if imp.Controls == nil {
				imp.Controls = []string{}
			}
			a.Impacts = append(a.Impacts, imp)
		}
	}
	if a.Impacts == nil {
		a.Impacts = []AssessedImpact{}
	}
	return a
}

// MaxImpacts bounds the impacts of one assessment.
const MaxImpacts = 60

// Validate checks a draft against the risk method m; known tells whether a
// control ref exists in the organization. A draft may be incomplete: what
// it has must be right.
func (a ImpactAssessment) Validate(m RiskMethod, known func(ref string) bool) error {
	v := &ValidationError{}
	for _, f := range []struct{ field, value string }{{"affected_individuals", a.Individuals},
		{"affected_groups", a.Groups}, {"affected_society", a.Society}, {"residual_judgement", a.Residual}} {
		checkText(v, f.field, f.value, false, MaxAIText)
	}
	checkText(v, "assessor", a.Assessor, true, MaxOwner)
	checkText(v, "reviewer", a.Reviewer, false, MaxOwner)
	if a.Conclusion != "" {
		checkOneOf(v, "conclusion", a.Conclusion, AssessmentConclusions)
	}
	checkDate(v, "review_date", a.ReviewDate, false)
	if len(a.Impacts) > MaxImpacts {
		v.Add("impacts", "error.too_many", len(a.Impacts), MaxImpacts)
	}
	for i, imp := range a.Impacts {
		p := fmt.Sprintf("impacts[%d].", i)
		checkOneOf(v, p+"category", imp.Category, ImpactCategories)
		checkText(v, p+"description", imp.Description, true, MaxAIText)
		checkText(v, p+"affected", imp.Affected, false, MaxAIShort)
		checkText(v, p+"mitigation", imp.Mitigation, false, MaxAIText)
		if imp.Severity < 1 || imp.Severity > len(m.Impact) {
			v.Add(p+"severity", "error.risk_step", imp.Severity, len(m.Impact))
		}
		if imp.Likelihood < 1 || imp.Likelihood > len(m.Likelihood) {
			v.Add(p+"likelihood", "error.risk_step", imp.Likelihood, len(m.Likelihood))
		}
		for j, ref := range imp.Controls {
			if !known(ref) {
				v.Add(fmt.Sprintf("%scontrols[%d]", p, j), "error.unknown_control", ref, ref)
			}
		}
	}
	return v.Err()
}

// ReadyToApprove checks what an approval needs on top of a valid draft: at
// least one impact, a conclusion, a residual judgement, a reviewer and a
// review date after today — and an approver who is not the assessor.
func (a ImpactAssessment) ReadyToApprove(approver, today string) error {
	v := &ValidationError{}
	if len(a.Impacts) == 0 {
		v.Add("impacts", "error.assessment_no_impacts", nil)
	}
	if a.Conclusion == "" {
		v.Add("conclusion", "error.required", nil)
	}
	if a.Residual == "" {
		v.Add("residual_judgement", "error.required", nil)
	}
	if a.Reviewer == "" {
		v.Add("reviewer", "error.required", nil)
	}
	if a.ReviewDate == "" {
		v.Add("review_date", "error.required", nil)
	} else if a.ReviewDate <= today {
		v.Add("review_date", "error.expiry_past", a.ReviewDate)
	}
	if strings.EqualFold(strings.TrimSpace(approver), a.Assessor) {
		v.Add("approved_by", "error.assessment_self_approval", approver)
	}
	return v.Err()
}

// ImpactAssessmentFilter narrows a list of assessments. Zero values do not filter.
type ImpactAssessmentFilter struct {
	System string // AIS-001
	Status string // draft, approved, stale, superseded
	Limit  int
	Cursor string
}
