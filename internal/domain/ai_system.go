package domain

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// The life-cycle stages of an AI system, in order.
var AIStages = []string{"idea", "design", "development", "verification_validation", "deployment", "operation", "retired"}

// AIRoles lists the roles an organization can have for an AI system.
var AIRoles = []string{"developer", "provider", "deployer", "user", "importer", "distributor"}

// EUAIActClasses lists the EU AI Act risk classes; unclassified is the
// starting point of an idea that has not been looked at yet.
var EUAIActClasses = []string{"unclassified", "prohibited", "high", "limited", "minimal", "not_in_scope"}

// AIAutonomy lists the degrees of autonomy, least autonomous first.
var AIAutonomy = []string{"advisory", "human_in_the_loop", "human_on_the_loop", "autonomous"}

// AISourcing says who builds the system.
var AISourcing = []string{"in_house", "supplier", "mixed"}

// AISystemStatuses says whether the organization has approved the system
// for its current stage.
var AISystemStatuses = []string{"proposed", "approved", "suspended"}

// AIChangeKinds are the changes recorded as change events: each makes an
// approved impact assessment of the system stale.
var AIChangeKinds = []string{"model_version", "datasets", "purpose", "stage"}

// LiveStage reports whether a system at this stage is in use, so that it
// needs a monitoring plan and periodic checks.
func LiveStage(stage string) bool { return stage == "deployment" || stage == "operation" }

// AISystem is an entry of the AI system inventory (ref AIS-001).
type AISystem struct {
	ID              int64    `json:"-"`
	Ref             string   `json:"ref"`
	Name            string   `json:"name"`
	Purpose         string   `json:"purpose"`
	IntendedUse     string   `json:"intended_use"`
	Misuse          string   `json:"foreseeable_misuse"`
	Owner           string   `json:"owner"`
	BusinessUnit    string   `json:"business_unit"`
	Stage           string   `json:"stage" enum:"idea,design,development,verification_validation,deployment,operation,retired"`
	Role            string   `json:"role" enum:"developer,provider,deployer,user,importer,distributor"`
	ModelType       string   `json:"model_type"`
	ModelVersion    string   `json:"model_version"`
	Sourcing        string   `json:"sourcing" enum:"in_house,supplier,mixed"`
	Supplier        string   `json:"supplier,omitempty" doc:"Ref of the supplier that provides the system or its model (SUP-001)"`
	Datasets        []string `json:"datasets" doc:"Refs of the datasets it uses (DS-001)"`
	Autonomy        string   `json:"autonomy" enum:"advisory,human_in_the_loop,human_on_the_loop,autonomous"`
	Oversight       string   `json:"human_oversight" doc:"How people oversee it and can intervene"`
	Users           string   `json:"users" doc:"Who uses it"`
	AffectedParties []string `json:"affected_parties" doc:"individuals, groups, society"`
	Affected        string   `json:"affected_description" doc:"Who is affected, in words"`
	EUAIActClass    string   `json:"eu_ai_act_class" enum:"unclassified,prohibited,high,limited,minimal,not_in_scope"`
	EUAIActReason   string   `json:"eu_ai_act_reason"`
	DeployedOn      string   `json:"deployed_on,omitempty" doc:"YYYY-MM-DD"`
	MonitoringPlan  string   `json:"monitoring_plan"`
	MonitoringDays  int      `json:"monitoring_interval_days" doc:"Days between post-deployment monitoring checks; 0: none planned"`
	Status          string   `json:"status" enum:"proposed,approved,suspended"`
	// Derived on every read, never stored by hand.
	MonitoringDue     string    `json:"monitoring_due,omitempty" doc:"Next monitoring check: the last check (or deployment) plus the interval"`
	MonitoringOverdue bool      `json:"monitoring_overdue" doc:"Live and its monitoring check is past due"`
	Assessment        string    `json:"assessment_status" enum:"none,draft,approved,stale" doc:"Status of its current impact assessment"`
	AssessmentRef     string    `json:"assessment,omitempty" doc:"Ref of its current impact assessment (AIA-001)"`
	Version           int64     `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// AISystemInput is what a person supplies for an AI system; on update nil
// fields keep their value.
type AISystemInput struct {
	Name            *string   `json:"name,omitempty"`
	Purpose         *string   `json:"purpose,omitempty"`
	IntendedUse     *string   `json:"intended_use,omitempty"`
	Misuse          *string   `json:"foreseeable_misuse,omitempty"`
	Owner           *string   `json:"owner,omitempty"`
	BusinessUnit    *string   `json:"business_unit,omitempty"`
	Stage           *string   `json:"stage,omitempty"`
	Role            *string   `json:"role,omitempty"`
	ModelType       *string   `json:"model_type,omitempty"`
	ModelVersion    *string   `json:"model_version,omitempty"`
	Sourcing        *string   `json:"sourcing,omitempty"`
	Supplier        *string   `json:"supplier,omitempty"`
	Datasets        *[]string `json:"datasets,omitempty"`
	Autonomy        *string   `json:"autonomy,omitempty"`
	Oversight       *string   `json:"human_oversight,omitempty"`
	Users           *string   `json:"users,omitempty"`
	AffectedParties *[]string `json:"affected_parties,omitempty"`
	Affected        *string   `json:"affected_description,omitempty"`
	EUAIActClass    *string   `json:"eu_ai_act_class,omitempty"`
	EUAIActReason   *string   `json:"eu_ai_act_reason,omitempty"`
	DeployedOn      *string   `json:"deployed_on,omitempty"`
	MonitoringPlan  *string   `json:"monitoring_plan,omitempty"`
	MonitoringDays  *int      `json:"monitoring_interval_days,omitempty"`
	Status          *string   `json:"status,omitempty"`
}

// Apply returns s with the input applied and trimmed; a new system gets
// the defaults of an idea.
func (in AISystemInput) Apply(s AISystem) AISystem {
	setText(textPair{in.Name, &s.Name}, textPair{in.Purpose, &s.Purpose}, textPair{in.IntendedUse, &s.IntendedUse},
		textPair{in.Misuse, &s.Misuse}, textPair{in.Owner, &s.Owner}, textPair{in.BusinessUnit, &s.BusinessUnit},
		textPair{in.Stage, &s.Stage}, textPair{in.Role, &s.Role}, textPair{in.ModelType, &s.ModelType},
		textPair{in.ModelVersion, &s.ModelVersion}, textPair{in.Sourcing, &s.Sourcing}, textPair{in.Supplier, &s.Supplier},
		textPair{in.Autonomy, &s.Autonomy}, textPair{in.Oversight, &s.Oversight}, textPair{in.Users, &s.Users},
		textPair{in.Affected, &s.Affected}, textPair{in.EUAIActClass, &s.EUAIActClass},
		textPair{in.EUAIActReason, &s.EUAIActReason}, textPair{in.DeployedOn, &s.DeployedOn},
		textPair{in.MonitoringPlan, &s.MonitoringPlan}, textPair{in.Status, &s.Status})
	if in.MonitoringDays != nil {
		s.MonitoringDays = *in.MonitoringDays
	}
	if in.Datasets != nil {
		s.Datasets = normalizeRefs(*in.Datasets)
	}
	if in.AffectedParties != nil {
		s.AffectedParties = normalizeKeys(*in.AffectedParties)
	}
	for _, d := range []struct {
		dst *string
		def string
	}{{&s.Stage, "idea"}, {&s.Role, "deployer"}, {&s.Sourcing, "in_house"}, {&s.Autonomy, "advisory"},
		{&s.EUAIActClass, "unclassified"}, {&s.Status, "proposed"}} {
		if *d.dst == "" {
			*d.dst = d.def
		}
	}
	if s.Datasets == nil {
		s.Datasets = []string{}
	}
	if s.AffectedParties == nil {
		s.AffectedParties = []string{}
	}
	return s
}

// normalizeRefs trims, upper-cases, de-duplicates and sorts record refs.
func normalizeRefs(refs []string) []string {
	out := normalizeKeys(refs)
	for i := range out {
		out[i] = upperASCII(out[i])
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Limits on AI system fields.
const (
	MaxAIName     = 200
	MaxAIShort    = 200
	MaxAIText     = 4000
	MaxAIDatasets = 100
)

// Validate checks every field of an AI system and reports all problems
// together. knownSupplier and knownDataset tell whether a ref exists in the
// organization.
func (s AISystem) Validate(knownSupplier, knownDataset func(ref string) bool) error {
	v := &ValidationError{}
	checkText(v, "name", s.Name, true, MaxAIName)
	checkText(v, "purpose", s.Purpose, true, MaxAIText)
	checkText(v, "owner", s.Owner, true, MaxOwner)
	for _, f := range []struct {
		field, value string
		max          int
	}{{"intended_use", s.IntendedUse, MaxAIText}, {"foreseeable_misuse", s.Misuse, MaxAIText},
		{"business_unit", s.BusinessUnit, MaxAIShort}, {"model_type", s.ModelType, MaxAIShort},
		{"model_version", s.ModelVersion, MaxAIShort}, {"human_oversight", s.Oversight, MaxAIText},
		{"users", s.Users, MaxAIText}, {"affected_description", s.Affected, MaxAIText},
		{"eu_ai_act_reason", s.EUAIActReason, MaxAIText}, {"monitoring_plan", s.MonitoringPlan, MaxAIText}} {
		checkText(v, f.field, f.value, false, f.max)
	}
	checkOneOf(v, "stage", s.Stage, AIStages)
	checkOneOf(v, "role", s.Role, AIRoles)
	checkOneOf(v, "sourcing", s.Sourcing, AISourcing)
	checkOneOf(v, "autonomy", s.Autonomy, AIAutonomy)
	checkOneOf(v, "eu_ai_act_class", s.EUAIActClass, EUAIActClasses)
	checkOneOf(v, "status", s.Status, AISystemStatuses)
	for i, p := range s.AffectedParties {
		if !oneOf(p, AffectedParties) {
			v.Add(fmt.Sprintf("affected_parties[%d]", i), "error.one_of", p, "individuals, groups, society")
		}
	}
	// A classification is a judgement; it needs its reason.
	if s.EUAIActClass != "unclassified" && s.EUAIActReason == "" {
		v.Add("eu_ai_act_reason", "error.ai_class_reason", nil)
	}
	if s.EUAIActClass == "prohibited" && LiveStage(s.Stage) {
		v.Add("stage", "error.ai_prohibited_live", s.Stage)
	}
	if s.Sourcing != "in_house" && s.Supplier == "" {
		v.Add("supplier", "error.ai_supplier_required", nil)
	}
	if s.Supplier != "" && !knownSupplier(s.Supplier) {
		v.Add("supplier", "error.unknown_supplier", s.Supplier, s.Supplier)
	}
	if len(s.Datasets) > MaxAIDatasets {
		v.Add("datasets", "error.too_many", len(s.Datasets), MaxAIDatasets)
	}
	for i, ref := range s.Datasets {
		if !knownDataset(ref) {
			v.Add(fmt.Sprintf("datasets[%d]", i), "error.unknown_dataset", ref, ref)
		}
	}
	checkDate(v, "deployed_on", s.DeployedOn, LiveStage(s.Stage))
	if s.MonitoringDays < 0 || s.MonitoringDays > 366 {
		v.Add("monitoring_interval_days", "error.ai_monitoring_days", s.MonitoringDays)
	}
	// Post-deployment monitoring is not optional for a system in use.
	if LiveStage(s.Stage) {
		if s.MonitoringPlan == "" {
			v.Add("monitoring_plan", "error.ai_monitoring_required", nil)
		}
		if s.MonitoringDays == 0 {
			v.Add("monitoring_interval_days", "error.ai_monitoring_required", 0)
		}
	}
	return v.Err()
}

// Changes lists the change events a move from s to next records, in
// AIChangeKinds order.
func (s AISystem) Changes(next AISystem) []AISystemEvent {
	var out []AISystemEvent
	add := func(kind, from, to string) {
		if from != to {
			out = append(out, AISystemEvent{Kind: kind, From: from, To: to})
		}
	}
	add("model_version", s.ModelVersion, next.ModelVersion)
	add("datasets", joinRefs(s.Datasets), joinRefs(next.Datasets))
	add("purpose", s.Purpose, next.Purpose)
	add("stage", s.Stage, next.Stage)
	return out
}

func joinRefs(refs []string) string {
	out := ""
	for i, r := range refs {
		if i > 0 {
			out += ", "
		}
		out += r
	}
	return out
}

// AISystemEvent is a recorded change of an AI system that matters to its
// impact assessment: model version, datasets, purpose or life-cycle stage.
type AISystemEvent struct {
	ID     int64     `json:"-"`
	System string    `json:"ai_system"`
	Kind   string    `json:"kind" enum:"model_version,datasets,purpose,stage"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

// AISystemFilter narrows the AI inventory. Zero values do not filter.
type AISystemFilter struct {
	Stage        string
	Class        string // EU AI Act class
	Role         string
	Owner        string
	Supplier     string // SUP-001
	Dataset      string // DS-001
	Stale        bool   // its current impact assessment is stale
	NoAssessment bool   // it has no approved assessment at all
	Overdue      bool   // monitoring check past due
	Text         string
	Limit        int
	Cursor       string
}

// Derive fills the monitoring fields for day today (YYYY-MM-DD).
func (s *AISystem) Derive(today string) {
	s.MonitoringOverdue = LiveStage(s.Stage) && s.MonitoringDue != "" && s.MonitoringDue < today
	if s.Assessment == "" {
		s.Assessment = "none"
	}
}
