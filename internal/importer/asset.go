package importer

import (
	"strconv"

	"tandem/internal/domain"
)

// The fields of an information asset a column can be mapped to (the
// asset's own field names; title, owner and description are shared with
// the other registers where they mean the same).
const (
	FieldName            = "name"
	FieldType            = "type"
	FieldLocation        = "location"
	FieldClassification  = "classification"
	FieldConfidentiality = "confidentiality"
	FieldIntegrity       = "integrity"
	FieldAvailability    = "availability"
)

// Assets is the information asset inventory (ISO/IEC 27001 A.5.9).
var Assets = &Kind{ID: "assets",
	Fields: []string{FieldName, FieldType, FieldOwner, FieldLocation, FieldClassification, FieldConfidentiality,
		FieldIntegrity, FieldAvailability, FieldDescription, FieldControls},
	Required: []string{FieldName, FieldType, FieldClassification, FieldConfidentiality, FieldIntegrity, FieldAvailability},
	unmapped: "error.import_required_unmapped", words: assetWords}

// assetWords are the headers of an asset inventory, in the order they are
// tried: owner, classification and the three values before the fields
// whose words they contain, the name last.
var assetWords = []headerWord{
	{FieldOwner, []string{"owner", "asset owner", "owners", "responsible", "accountable", "custodian", "owned by"},
		[]string{"owner", "responsib", "accountab", "custodian"}},
	{FieldClassification, []string{"classification", "class", "information classification", "data classification",
		"sensitivity", "label", "classification level", "security classification"}, []string{"classif", "sensitiv"}},
	{FieldConfidentiality, []string{"confidentiality", "c", "conf", "confidentiality value", "confidentiality rating"},
		[]string{"confidentiality"}},
	{FieldIntegrity, []string{"integrity", "i", "int", "integrity value", "integrity rating"}, []string{"integrity"}},
	{FieldAvailability, []string{"availability", "a", "avail", "availability value", "availability rating"},
		[]string{"availability"}},
	{FieldType, []string{"type", "asset type", "category", "kind", "asset category", "asset class"}, []string{"type", "categor"}},
	{FieldLocation, []string{"location", "location or system", "where", "site", "system", "hosted", "hosting", "place",
		"storage location", "stored in"}, []string{"location", "hosted", "stored"}},
	{FieldControls, []string{"controls", "control", "linked controls", "control refs", "protecting controls"},
		[]string{"control"}},
	{FieldDescription, []string{"description", "details", "notes", "comments", "comment", "purpose"},
		[]string{"descr", "detail"}},
	{FieldName, []string{"name", "asset", "asset name", "title", "asset title", "information asset"}, []string{"name", "title"}},
}

// assetTypeWords are the words inventories use for an asset's type.
var assetTypeWords = map[string]string{
	"information": "information", "information asset": "information", "data": "information", "document": "information",
	"documents": "information", "record": "information", "records": "information", "info": "information",
	"software": "software", "application": "software", "applications": "software", "app": "software", "apps": "software",
	"hardware": "hardware", "device": "hardware", "devices": "hardware", "equipment": "hardware", "server": "hardware",
	"servers": "hardware", "laptop": "hardware", "laptops": "hardware", "physical": "hardware",
	"service": "service", "services": "service", "cloud service": "service", "saas": "service", "it service": "service",
	"people": "people", "person": "people", "staff": "people", "personnel": "people", "employees": "people", "human": "people",
	"site": "site", "sites": "site", "facility": "site", "facilities": "site", "building": "site", "premises": "site",
	"office": "site", "location": "site",
	"ai model": "ai_model", "model": "ai_model", "ml model": "ai_model", "machine learning model": "ai_model", "ai": "ai_model",
	"dataset": "dataset", "data set": "dataset", "datasets": "dataset", "data sets": "dataset", "training data": "dataset",
	"other": "other", "misc": "other", "miscellaneous": "other",
}

// classificationWords are the words for an information classification.
var classificationWords = map[string]string{
	"public": "public", "open": "public", "unclassified": "public",
	"internal": "internal", "internal use": "internal", "internal only": "internal", "internal use only": "internal",
	"confidential": "confidential", "sensitive": "confidential",
	"restricted": "restricted", "secret": "restricted", "strictly confidential": "restricted",
	"highly confidential": "restricted", "top secret": "restricted",
}

// levelWords are the words for the value of a security property.
var levelWords = map[string]string{
	"1": "1", "low": "1", "l": "1",
	"2": "2", "medium": "2", "med": "2", "m": "2", "moderate": "2",
	"3": "3", "high": "3", "h": "3",
}

// AssetRow is one row of an asset inventory as the asset it describes.
type AssetRow struct {
	Row   int
	Asset domain.AssetInput
}

// AssetResult is an asset inventory read through a mapping: every row as
// the asset it would become, and every problem.
type AssetResult struct {
	Rows   []AssetRow
	Assets []domain.Asset // Rows as assets (for a preview), same order
	Outcome
}

// CheckAssets converts every row of t with mapping m into an asset and
// validates it as the store will (controls must exist in the
// organization), collecting all problems of all rows; the error is only a
// failed ref lookup.
func CheckAssets(t *Table, m Mapping, known Known) (*AssetResult, error) {
	res := &AssetResult{Rows: []AssetRow{}, Assets: []domain.Asset{}}
	knownControls, err := lookupRefs(t, m.Column(FieldControls), "controls", known)
	if err != nil {
		return nil, err
	}
	for _, row := range t.Rows {
		rc := res.check(row.Number)
		cell := func(field string) string { return row.Cell(m.Column(field)) }
		text := func(field string) *string { s := cell(field); return &s }
		in := domain.AssetInput{Name: text(FieldName), Owner: text(FieldOwner), Location: text(FieldLocation),
			Description: text(FieldDescription)}
		choice := func(field string, vocabulary map[string]string, code, fallback string) *string {
			raw := cell(field)
			v, ok := word(raw, vocabulary)
			switch {
			case ok:
				return &v
			case raw == "":
				rc.add(field, "error.required", "")
			default:
				rc.add(field, code, raw, raw)
			}
			return &fallback // so that the domain does not name it twice
		}
		in.Type = choice(FieldType, assetTypeWords, "error.import_asset_type", "other")
		in.Classification = choice(FieldClassification, classificationWords, "error.import_classification", "internal")
		level := func(field string) *int {
			if m := leadingNumber.FindStringSubmatch(cell(field)); m != nil {
				n, _ := strconv.Atoi(m[1]) // a number off the scale is the domain's to refuse
				return &n
			}
			n := int((*choice(field, levelWords, "error.import_cia_level", "1"))[0] - '0')
			return &n
		}
		in.Confidentiality, in.Integrity, in.Availability = level(FieldConfidentiality), level(FieldIntegrity), level(FieldAvailability)
		in.Controls = rc.refs(FieldControls, cell(FieldControls), knownControls, "error.unknown_control", "CTL-001")

		a := in.Apply(domain.Asset{})
		rc.validation(a.Validate(func(string) bool { return true })) // refs were checked above
		rc.done()
		res.Rows = append(res.Rows, AssetRow{Row: row.Number, Asset: in})
		res.Assets = append(res.Assets, a)
	}
	return res, nil
}
