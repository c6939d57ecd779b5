package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Inclusion reasons: why an applicable Annex A control is in the Statement
// of Applicability.
const (
	ReasonRiskTreatment = "risk_treatment"
	ReasonLegal         = "legal"       // legal or regulatory requirement
	ReasonContractual   = "contractual" // contractual obligation
	ReasonBusiness      = "business"    // business requirement or best practice
)

// Reasons lists the inclusion reasons in the order forms show them.
var Reasons = []string{ReasonRiskTreatment, ReasonLegal, ReasonContractual, ReasonBusiness}

// Implementation states of an SoA row, computed from its implementing
// controls and never stored.
const (
	StateImplemented    = "implemented"
	StatePartial        = "partially_implemented"
	StateNotImplemented = "not_implemented"
	StateNoControl      = "no_control"
)

// States lists the implementation states, best first.
var States = []string{StateImplemented, StatePartial, StateNotImplemented, StateNoControl}

// SoAControl is an implementing control as an SoA row lists it.
type SoAControl struct {
	Ref    string `json:"ref"`
	Title  string `json:"title"`
	Owner  string `json:"owner"`
	Status string `json:"status"`
	Scope  string `json:"scope" doc:"shared when the control also serves the other standard"`
}

// StateOf derives a row's implementation state from its controls: all
// implemented is implemented; some implemented or in progress is partial;
// controls that are all planned or not implemented is not implemented;
// no control at all is no_control.
func StateOf(controls []SoAControl) string {
	if len(controls) == 0 {
		return StateNoControl
	}
	implemented, moving := 0, 0
	for _, c := range controls {
		switch c.Status {
		case StatusImplemented:
			implemented++
		case StatusInProgress:
			moving++
		}
	}
	switch {
	case implemented == len(controls):
		return StateImplemented
	case implemented+moving > 0:
		return StatePartial
	}
	return StateNotImplemented
}

// SoARow is one Annex A control of a standard in its Statement of
// Applicability: the decision recorded for it and what implements it.
type SoARow struct {
	Key           string       `json:"key" example:"iso27001-2022/A.5.1"`
	Ref           string       `json:"ref" example:"A.5.1"`
	Title         string       `json:"title"`
	Group         string       `json:"group" doc:"Theme (27001) or objective group (42001)"`
	Applicable    *bool        `json:"applicable" doc:"null until decided"`
	Justification string       `json:"justification"`
	Reasons       []string     `json:"reasons" enum:"risk_treatment,legal,contractual,business"`
	State         string       `json:"state" enum:"implemented,partially_implemented,not_implemented,no_control"`
	Controls      []SoAControl `json:"controls"`
	// Risks are the risks whose treatment plans use one of Controls: the
	// trace behind the "risk treatment" reason (risk → control → row).
	Risks []SoARisk `json:"risks"`
	// Flagged marks an applicable row whose implementing control is shared
	// with the other standard and has been marked not implemented.
	Flagged   bool       `json:"flagged"`
	Version   int64      `json:"version" doc:"Version of the decision; 0 before the first"`
	DecidedBy string     `json:"decided_by,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

// SoAVersion is an issued, frozen Statement of Applicability.
type SoAVersion struct {
	Standard string    `json:"standard"`
	Number   int       `json:"number"`
	IssuedAt time.Time `json:"issued_at"`
	Approver string    `json:"approver" doc:"Who approved it (a manager or admin)"`
	Note     string    `json:"note"`
	// Summary counts the rows as they were issued.
	Summary SoASummary `json:"summary"`
	Rows    []SoARow   `json:"rows,omitempty"`
}

// DecisionInput is a decision on one Annex A control. Every decision needs
// a justification; an applicable control needs at least one reason.
type DecisionInput struct {
	Applicable    *bool
	Justification string
	Reasons       []string
}

// Validate checks a decision and reports every problem together.
func (in *DecisionInput) Validate() error {
	in.Justification = strings.TrimSpace(in.Justification)
	v := &ValidationError{}
	if in.Applicable == nil {
		v.Add("applicable", "error.required", nil)
	}
	switch n := utf8.RuneCountInString(in.Justification); {
	case n == 0:
		v.Add("justification", "error.justification_required", in.Justification)
	case n > 4000:
		v.Add("justification", "error.too_long", nil, 4000)
	}
	seen := map[string]bool{}
	reasons := []string{}
	for _, r := range in.Reasons {
		if !validReason(r) {
			v.Add("reasons", "error.one_of", r, strings.Join(Reasons, ", "))
			continue
		}
		if !seen[r] {
			seen[r] = true
			reasons = append(reasons, r)
		}
	}
	in.Reasons = reasons
	if in.Applicable != nil && *in.Applicable && len(reasons) == 0 {
		v.Add("reasons", "error.reason_required", nil)
	}
	if in.Applicable != nil && !*in.Applicable {
		in.Reasons = []string{} // an excluded control is in for no reason
	}
	return v.Err()
}

func validReason(r string) bool {
	for _, x := range Reasons {
		if x == r {
			return true
		}
	}
	return false
}
