package domain

import "time"

// DatasetQuality lists the outcomes of a dataset's quality checks.
var DatasetQuality = []string{"not_checked", "passed", "passed_with_issues", "failed"}

// Dataset is data used to train, validate, test or run AI systems (ref
// DS-001): where it comes from, the rights to it, its quality and bias.
type Dataset struct {
	ID               int64     `json:"-"`
	Ref              string    `json:"ref"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	Owner            string    `json:"owner"`
	Source           string    `json:"source" doc:"Where the data comes from"`
	Provenance       string    `json:"provenance" doc:"Its history: who collected, changed and passed it on"`
	CollectionMethod string    `json:"collection_method"`
	Licence          string    `json:"licence" doc:"Licence or rights to use it"`
	PersonalData     bool      `json:"personal_data"`
	PersonalDetails  string    `json:"personal_data_details" doc:"Which personal data, and the legal basis"`
	QualityChecks    string    `json:"quality_checks" doc:"Checks made on the data"`
	Quality          string    `json:"quality_result" enum:"not_checked,passed,passed_with_issues,failed"`
	QualityCheckedOn string    `json:"quality_checked_on,omitempty" doc:"YYYY-MM-DD"`
	Preparation      string    `json:"preparation" doc:"Cleaning, labelling, sampling and other preparation steps"`
	KnownBias        string    `json:"known_bias"`
	Retention        string    `json:"retention"`
	AISystems        []string  `json:"ai_systems" doc:"Refs of the AI systems that use it (set on the AI system)"`
	Version          int64     `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// DatasetInput is what a person supplies for a dataset; on update nil
// fields keep their value.
type DatasetInput struct {
	Name             *string `json:"name,omitempty"`
	Description      *string `json:"description,omitempty"`
	Owner            *string `json:"owner,omitempty"`
	Source           *string `json:"source,omitempty"`
	Provenance       *string `json:"provenance,omitempty"`
	CollectionMethod *string `json:"collection_method,omitempty"`
	Licence          *string `json:"licence,omitempty"`
	PersonalData     *bool   `json:"personal_data,omitempty"`
	PersonalDetails  *string `json:"personal_data_details,omitempty"`
	QualityChecks    *string `json:"quality_checks,omitempty"`
	Quality          *string `json:"quality_result,omitempty"`
	QualityCheckedOn *string `json:"quality_checked_on,omitempty"`
	Preparation      *string `json:"preparation,omitempty"`
	KnownBias        *string `json:"known_bias,omitempty"`
	Retention        *string `json:"retention,omitempty"`
}

// Apply returns d with the input applied and trimmed.
func (in DatasetInput) Apply(d Dataset) Dataset {
	setText(textPair{in.Name, &d.Name}, textPair{in.Description, &d.Description}, textPair{in.Owner, &d.Owner},
		textPair{in.Source, &d.Source}, textPair{in.Provenance, &d.Provenance},
		textPair{in.CollectionMethod, &d.CollectionMethod}, textPair{in.Licence, &d.Licence},
		textPair{in.PersonalDetails, &d.PersonalDetails}, textPair{in.QualityChecks, &d.QualityChecks},
		textPair{in.Quality, &d.Quality}, textPair{in.QualityCheckedOn, &d.QualityCheckedOn},
		textPair{in.Preparation, &d.Preparation}, textPair{in.KnownBias, &d.KnownBias}, textPair{in.Retention, &d.Retention})
	if in.PersonalData != nil {
		d.PersonalData = *in.PersonalData
	}
	if d.Quality == "" {
		d.Quality = "not_checked"
	}
	if d.AISystems == nil {
		d.AISystems = []string{}
	}
	return d
}

// Validate checks every field of a dataset and reports all problems together.
func (d Dataset) Validate() error {
	v := &ValidationError{}
	checkText(v, "name", d.Name, true, MaxAIName)
	checkText(v, "owner", d.Owner, false, MaxOwner)
	checkText(v, "source", d.Source, true, MaxAIText)
	for _, f := range []struct{ field, value string }{{"description", d.Description}, {"provenance", d.Provenance},
		{"collection_method", d.CollectionMethod}, {"licence", d.Licence}, {"personal_data_details", d.PersonalDetails},
		{"quality_checks", d.QualityChecks}, {"preparation", d.Preparation}, {"known_bias", d.KnownBias},
		{"retention", d.Retention}} {
		checkText(v, f.field, f.value, false, MaxAIText)
	}
	checkOneOf(v, "quality_result", d.Quality, DatasetQuality)
	if d.PersonalData && d.PersonalDetails == "" {
		v.Add("personal_data_details", "error.dataset_personal_details", nil)
	}
	checkDate(v, "quality_checked_on", d.QualityCheckedOn, d.Quality != "not_checked")
	if d.Quality != "not_checked" && d.QualityChecks == "" {
		v.Add("quality_checks", "error.dataset_checks_required", nil)
	}
	return v.Err()
}

// DatasetFilter narrows the dataset list. Zero values do not filter.
type DatasetFilter struct {
	Quality      string
	PersonalData *bool
	AISystem     string // used by this AI system (AIS-001)
	Text         string
	Limit        int
	Cursor       string
}
