package domain

import (
	"fmt"
	"time"
)

// SupplierCriticality lists how much the organization depends on a supplier, lowest first.
var SupplierCriticality = []string{"low", "medium", "high", "critical"}

// SupplierStatuses lists where a supplier relationship stands.
var SupplierStatuses = []string{"onboarding", "active", "offboarded"}

// SupplierResults lists the outcomes of a supplier assessment.
var SupplierResults = []string{"satisfactory", "conditional", "unsatisfactory"}

// Supplier is a third party of the organization, for both standards (ref
// SUP-001): what it provides, whether it provides AI, what data it gets.
type Supplier struct {
	ID            int64    `json:"-"`
	Ref           string   `json:"ref"`
	Name          string   `json:"name"`
	Services      string   `json:"services"`
	ProvidesAI    bool     `json:"provides_ai" doc:"It provides AI systems or AI components"`
	AIComponents  string   `json:"ai_components" doc:"Which AI systems, models or components"`
	DataShared    string   `json:"data_shared" doc:"What data of the organization it receives"`
	Criticality   string   `json:"criticality" enum:"low,medium,high,critical"`
	Status        string   `json:"status" enum:"onboarding,active,offboarded"`
	Owner         string   `json:"owner" doc:"Who manages the relationship"`
	Contact       string   `json:"contact" doc:"The supplier's contact"`
	ContractStart string   `json:"contract_start,omitempty" doc:"YYYY-MM-DD"`
	ContractEnd   string   `json:"contract_end,omitempty" doc:"YYYY-MM-DD"`
	NextReview    string   `json:"next_review,omitempty" doc:"YYYY-MM-DD"`
	Assets        []string `json:"assets" doc:"Refs of linked assets (AST-001)"`
	Risks         []string `json:"risks" doc:"Refs of linked risks (RSK-001)"`
	Controls      []string `json:"controls" doc:"Refs of linked controls (CTL-001)"`
	// Derived on every read.
	AISystems      []string  `json:"ai_systems" doc:"Refs of the AI systems it supplies (set on the AI system)"`
	LastAssessedOn string    `json:"last_assessed_on,omitempty"`
	LastResult     string    `json:"last_result,omitempty" enum:"satisfactory,conditional,unsatisfactory"`
	ReviewDue      bool      `json:"review_due" doc:"The next review date has passed (or is today)"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// SupplierInput is what a person supplies for a supplier; on update nil
// fields keep their value and a given link list replaces the links.
type SupplierInput struct {
	Name          *string   `json:"name,omitempty"`
	Services      *string   `json:"services,omitempty"`
	ProvidesAI    *bool     `json:"provides_ai,omitempty"`
	AIComponents  *string   `json:"ai_components,omitempty"`
	DataShared    *string   `json:"data_shared,omitempty"`
	Criticality   *string   `json:"criticality,omitempty"`
	Status        *string   `json:"status,omitempty"`
	Owner         *string   `json:"owner,omitempty"`
	Contact       *string   `json:"contact,omitempty"`
	ContractStart *string   `json:"contract_start,omitempty"`
	ContractEnd   *string   `json:"contract_end,omitempty"`
	NextReview    *string   `json:"next_review,omitempty"`
	Assets        *[]string `json:"assets,omitempty"`
	Risks         *[]string `json:"risks,omitempty"`
	Controls      *[]string `json:"controls,omitempty"`
}

// Apply returns s with the input applied and trimmed.
func (in SupplierInput) Apply(s Supplier) Supplier {
	setText(textPair{in.Name, &s.Name}, textPair{in.Services, &s.Services}, textPair{in.AIComponents, &s.AIComponents},
		textPair{in.DataShared, &s.DataShared}, textPair{in.Criticality, &s.Criticality}, textPair{in.Status, &s.Status},
		textPair{in.Owner, &s.Owner}, textPair{in.Contact, &s.Contact}, textPair{in.ContractStart, &s.ContractStart},
		textPair{in.ContractEnd, &s.ContractEnd}, textPair{in.NextReview, &s.NextReview})
	if in.ProvidesAI != nil {
		s.ProvidesAI = *in.ProvidesAI
	}
	for _, l := range []struct{ src, dst *[]string }{{in.Assets, &s.Assets}, {in.Risks, &s.Risks}} {
		if l.src != nil {
			*l.dst = normalizeRefs(*l.src)
		}
	}
	if in.Controls != nil {
		// Control refs keep the organization's own spelling.
		s.Controls = normalizeKeys(*in.Controls)
	}
	if s.Criticality == "" {
		s.Criticality = "medium"
	}
	if s.Status == "" {
		s.Status = "active"
	}
	for _, l := range []*[]string{&s.Assets, &s.Risks, &s.Controls, &s.AISystems} {
		if *l == nil {
			*l = []string{}
		}
	}
	return s
}

// Validate checks every field of a supplier and reports all problems
// together. known tells whether a ref of a kind ("asset", "risk",
// "control") exists in the organization.
func (s Supplier) Validate(known func(kind, ref string) bool) error {
	v := &ValidationError{}
	checkText(v, "name", s.Name, true, MaxAIName)
	checkText(v, "services", s.Services, true, MaxAIText)
	checkText(v, "owner", s.Owner, false, MaxOwner)
	checkText(v, "contact", s.Contact, false, MaxAIShort)
	checkText(v, "ai_components", s.AIComponents, s.ProvidesAI, MaxAIText)
	checkText(v, "data_shared", s.DataShared, false, MaxAIText)
	checkOneOf(v, "criticality", s.Criticality, SupplierCriticality)
	checkOneOf(v, "status", s.Status, SupplierStatuses)
	checkDate(v, "contract_start", s.ContractStart, false)
	checkDate(v, "contract_end", s.ContractEnd, false)
	checkDate(v, "next_review", s.NextReview, false)
	if s.ContractStart != "" && s.ContractEnd != "" && s.ContractEnd < s.ContractStart {
		v.Add("contract_end", "error.period_order", s.ContractEnd)
	}
	for _, l := range []struct {
		field, kind, code string
		refs              []string
	}{{"assets", "asset", "error.unknown_asset", s.Assets}, {"risks", "risk", "error.unknown_risk", s.Risks},
		{"controls", "control", "error.unknown_control", s.Controls}} {
		if len(l.refs) > 200 {
			v.Add(l.field, "error.too_many", len(l.refs), 200)
			continue
		}
		for i, ref := range l.refs {
			if !known(l.kind, ref) {
				v.Add(fmt.Sprintf("%s[%d]", l.field, i), l.code, ref, ref)
			}
		}
	}
	return v.Err()
}

// Derive fills the derived fields for day today (YYYY-MM-DD).
func (s *Supplier) Derive(today string) {
	s.ReviewDue = s.NextReview != "" && s.NextReview <= today && s.Status != "offboarded"
}

// SupplierAssessment is one assessment of a supplier: when, by whom, the
// result and the evidence. Recorded once, never edited.
type SupplierAssessment struct {
	ID         int64     `json:"-"`
	Number     int       `json:"number" doc:"1 for the supplier's first assessment, and so on"`
	Supplier   string    `json:"supplier"`
	AssessedOn string    `json:"assessed_on" doc:"YYYY-MM-DD"`
	Result     string    `json:"result" enum:"satisfactory,conditional,unsatisfactory"`
	Assessor   string    `json:"assessor" doc:"Who recorded it (filled from the signed-in person)"`
	Summary    string    `json:"summary"`
	Evidence   string    `json:"evidence" doc:"Where the evidence is: a link or a document reference"`
	NextReview string    `json:"next_review,omitempty" doc:"YYYY-MM-DD; becomes the supplier's next review"`
	CreatedAt  time.Time `json:"created_at"`
}

// SupplierAssessmentInput is an assessment as a person records it.
type SupplierAssessmentInput struct {
	AssessedOn string `json:"assessed_on" doc:"YYYY-MM-DD"`
	Result     string `json:"result" enum:"satisfactory,conditional,unsatisfactory"`
	Summary    string `json:"summary"`
	Evidence   string `json:"evidence,omitempty"`
	NextReview string `json:"next_review,omitempty" doc:"YYYY-MM-DD"`
}

// Validate checks the assessment against today (YYYY-MM-DD): it cannot be
// dated in the future, and its next review must follow it.
func (in SupplierAssessmentInput) Validate(today string) error {
	v := &ValidationError{}
	checkDate(v, "assessed_on", in.AssessedOn, true)
	if in.AssessedOn > today {
		v.Add("assessed_on", "error.date_future", in.AssessedOn)
	}
	checkOneOf(v, "result", in.Result, SupplierResults)
	checkText(v, "summary", in.Summary, true, MaxAIText)
	checkText(v, "evidence", in.Evidence, false, 1000)
	checkDate(v, "next_review", in.NextReview, false)
	if in.NextReview != "" && in.NextReview <= in.AssessedOn {
		v.Add("next_review", "error.period_order", in.NextReview)
	}
	return v.Err()
}

// SupplierFilter narrows the supplier register. Zero values do not filter.
type SupplierFilter struct {
	Criticality string
	Status      string
	ProvidesAI  *bool
	ReviewDue   bool
	Text        string
	Limit       int
	Cursor      string
}
