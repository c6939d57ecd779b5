package domain

import (
	"strconv"
	"time"
)

// AITestKinds are the kinds of verification test recorded for an AI system.
var AITestKinds = []string{"bias_fairness", "performance", "robustness", "other"}

// AITestComparators say how a result meets its threshold.
var AITestComparators = []string{">=", "<="}

// AITest is one bias, fairness or performance test of an AI system (ref
// AIT-001): a metric measured on a population or slice, against a
// threshold. Recorded once, never edited; a correction is a new record.
type AITest struct {
	ID           int64     `json:"-"`
	Ref          string    `json:"ref"`
	System       string    `json:"ai_system"`
	Kind         string    `json:"kind" enum:"bias_fairness,performance,robustness,other"`
	Metric       string    `json:"metric" doc:"What was measured: accuracy, demographic parity difference, …"`
	Slice        string    `json:"slice" doc:"Population or slice it was measured on; empty: all"`
	Comparator   string    `json:"comparator" enum:">=,<=" doc:"The result passes when it is at least (>=) or at most (<=) the threshold"`
	Threshold    float64   `json:"threshold"`
	Result       float64   `json:"result"`
	Passed       bool      `json:"passed" doc:"Derived from result, comparator and threshold"`
	TestedOn     string    `json:"tested_on" doc:"YYYY-MM-DD"`
	ModelVersion string    `json:"model_version" doc:"The model version tested; defaults to the system's"`
	Evidence     string    `json:"evidence" doc:"Where the evidence is: a link or a document reference"`
	Notes        string    `json:"notes"`
	RecordedBy   string    `json:"recorded_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// AITestInput is a test result as a person records it.
type AITestInput struct {
	Kind         string  `json:"kind"`
	Metric       string  `json:"metric"`
	Slice        string  `json:"slice,omitempty"`
	Comparator   string  `json:"comparator"`
	Threshold    float64 `json:"threshold"`
	Result       float64 `json:"result"`
	TestedOn     string  `json:"tested_on"`
	ModelVersion string  `json:"model_version,omitempty"`
	Evidence     string  `json:"evidence,omitempty"`
	Notes        string  `json:"notes,omitempty"`
}

// Pass reports whether result meets threshold under comparator.
func Pass(comparator string, threshold, result float64) bool {
	if comparator == "<=" {
		return result <= threshold
	}
	return result >= threshold
}

// Validate checks the record against today (YYYY-MM-DD).
func (in AITestInput) Validate(today string) error {
	v := &ValidationError{}
	checkOneOf(v, "kind", in.Kind, AITestKinds)
	checkText(v, "metric", in.Metric, true, MaxAIShort)
	checkText(v, "slice", in.Slice, false, MaxAIShort)
	checkOneOf(v, "comparator", in.Comparator, AITestComparators)
	checkDate(v, "tested_on", in.TestedOn, true)
	if in.TestedOn > today {
		v.Add("tested_on", "error.date_future", in.TestedOn)
	}
	checkText(v, "model_version", in.ModelVersion, false, MaxAIShort)
	checkText(v, "evidence", in.Evidence, false, 1000)
	checkText(v, "notes", in.Notes, false, MaxAIText)
	return v.Err()
}

// FormatMeasure writes a threshold or result the way people read it: no
// trailing zeros.
func FormatMeasure(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// AITestFilter narrows the test records of a system.
type AITestFilter struct {
	Kind   string
	Metric string
	Failed bool
	Limit  int
	Cursor string
}

// AITrend is the series of one metric on one slice over time, oldest
// first, for the trend chart.
type AITrend struct {
	Metric     string   `json:"metric"`
	Slice      string   `json:"slice"`
	Comparator string   `json:"comparator"`
	Threshold  float64  `json:"threshold" doc:"Threshold of the latest test"`
	Points     []AITest `json:"points"`
}

// Kinds of monitoring record.
const (
	MonitoringCheck = "monitoring" // a post-deployment monitoring check
	OversightReview = "oversight"  // a human-oversight record: a review, an intervention, an override
)

// MonitoringKinds lists them.
var MonitoringKinds = []string{MonitoringCheck, OversightReview}

// MonitoringOutcomes lists what a check or oversight record found.
var MonitoringOutcomes = []string{"ok", "concern", "incident"}

// MonitoringRecord is a post-deployment monitoring check or a human
// oversight record of an AI system (ref MON-001). A monitoring check moves
// the system's next check to its date plus the system's interval.
type MonitoringRecord struct {
	ID          int64     `json:"-"`
	Ref         string    `json:"ref"`
	System      string    `json:"ai_system"`
	Kind        string    `json:"kind" enum:"monitoring,oversight"`
	CheckedOn   string    `json:"checked_on" doc:"YYYY-MM-DD"`
	PerformedBy string    `json:"performed_by"`
	Outcome     string    `json:"outcome" enum:"ok,concern,incident"`
	Summary     string    `json:"summary"`
	FollowUp    string    `json:"follow_up" doc:"What is done about it"`
	Evidence    string    `json:"evidence"`
	CreatedAt   time.Time `json:"created_at"`
}

// MonitoringInput is a record as a person gives it; PerformedBy defaults
// to the signed-in person.
type MonitoringInput struct {
	Kind        string `json:"kind"`
	CheckedOn   string `json:"checked_on"`
	PerformedBy string `json:"performed_by,omitempty"`
	Outcome     string `json:"outcome"`
	Summary     string `json:"summary"`
	FollowUp    string `json:"follow_up,omitempty"`
	Evidence    string `json:"evidence,omitempty"`
}

// Validate checks the record against today (YYYY-MM-DD); a concern or an
// incident needs its follow-up.
func (in MonitoringInput) Validate(today string) error {
	v := &ValidationError{}
	checkOneOf(v, "kind", in.Kind, MonitoringKinds)
	checkDate(v, "checked_on", in.CheckedOn, true)
	if in.CheckedOn > today {
		v.Add("checked_on", "error.date_future", in.CheckedOn)
	}
	checkText(v, "performed_by", in.PerformedBy, false, MaxOwner)
	checkOneOf(v, "outcome", in.Outcome, MonitoringOutcomes)
	checkText(v, "summary", in.Summary, true, MaxAIText)
	checkText(v, "follow_up", in.FollowUp, in.Outcome == "concern" || in.Outcome == "incident", MaxAIText)
	checkText(v, "evidence", in.Evidence, false, 1000)
	return v.Err()
}

// ModelCard is the transparency summary of an AI system, assembled from
// the live records when it is asked for. Its version is the system's.
type ModelCard struct {
	System      AISystem           `json:"ai_system"`
	Supplier    *Supplier          `json:"supplier,omitempty"`
	Datasets    []Dataset          `json:"datasets"`
	Trends      []AITrend          `json:"evaluations" doc:"Per metric and slice, the tests over time; the last point is the latest result"`
	Assessment  *ImpactAssessment  `json:"impact_assessment,omitempty" doc:"Its current assessment: the approved (or stale) one, else the draft"`
	Oversight   []MonitoringRecord `json:"oversight" doc:"The latest monitoring and oversight records"`
	GeneratedAt time.Time          `json:"generated_at"`
	OrgName     string             `json:"organization"`
}

// CardVersion names the version of the card: the system's record version
// and its model version.
func (c ModelCard) CardVersion() string {
	v := "v" + strconv.FormatInt(c.System.Version, 10)
	if c.System.ModelVersion != "" {
		v += " · model " + c.System.ModelVersion
	}
	return v
}

// AISummary is what the dashboard shows of AI governance, counted in SQL.
type AISummary struct {
	Systems           int            `json:"systems"`
	ByStage           map[string]int `json:"by_stage"`
	ByClass           map[string]int `json:"by_eu_ai_act_class"`
	Live              int            `json:"live" doc:"In deployment or operation"`
	NoAssessment      int            `json:"no_assessment" doc:"Not retired and without an approved impact assessment"`
	StaleAssessments  int            `json:"stale_assessments"`
	StaleSystems      []string       `json:"stale_systems" doc:"Refs of the systems whose assessment is stale (at most 20)"`
	StaleRisks        int            `json:"stale_risks" doc:"Open AI risks linked to a system whose assessment is stale"`
	MonitoringOverdue int            `json:"monitoring_overdue"`
	OverdueSystems    []string       `json:"overdue_systems" doc:"Refs of the systems whose monitoring check is overdue (at most 20)"`
	FailedTests       int            `json:"failed_tests" doc:"Systems whose latest result of some metric fails its threshold"`
	SupplierReviews   int            `json:"supplier_reviews_due"`
}
