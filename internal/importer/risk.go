package importer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"tandem/internal/domain"
)

// The fields of a risk a column can be mapped to. They carry the names
// of the risk's own fields, so that the domain's field errors land on the
// column they came from.
const (
	FieldInherentLikelihood = "inherent_likelihood"
	FieldInherentImpact     = "inherent_impact"
	FieldResidualLikelihood = "residual_likelihood"
	FieldResidualImpact     = "residual_impact"
	FieldTreatment          = "treatment"
	FieldNextReview         = "next_review"
	FieldControls           = "controls"
	// Security register.
	FieldAssets        = "assets"
	FieldThreat        = "threat"
	FieldVulnerability = "vulnerability"
	FieldCIA           = "cia"
	// AI register.
	FieldAISystems = "ai_systems"
	FieldSources   = "sources"
	FieldParties   = "parties"
)

var riskCommonFields = []string{FieldTitle, FieldDescription, FieldOwner, FieldInherentLikelihood, FieldInherentImpact,
	FieldResidualLikelihood, FieldResidualImpact, FieldTreatment, FieldStatus, FieldNextReview, FieldControls}

// riskWords are the headers of a risk register, in the order they are
// tried (see Kind.Guess): owner, status and the residual scores before the
// fields whose words they contain ("Risk owner" is no title, "Residual
// likelihood" no inherent likelihood), the title last.
var riskWords = []headerWord{
	{FieldOwner, []string{"owner", "risk owner", "owners", "responsible", "accountable", "assignee", "owned by", "responsibility"},
		[]string{"owner", "responsib", "accountab"}},
	{FieldStatus, []string{"status", "state", "risk status", "stage"}, []string{"status"}},
	{FieldNextReview, []string{"next review", "review date", "next review date", "review", "review by", "review due",
		"due for review", "next assessment", "reassessment date"}, []string{"review"}},
	{FieldResidualLikelihood, []string{"residual likelihood", "residual probability", "net likelihood", "current likelihood"},
		[]string{"residual+likel", "residual+probab", "net+likel", "net+probab", "current+likel", "after+likel", "post+likel", "target+likel"}},
	{FieldResidualImpact, []string{"residual impact", "residual consequence", "residual severity", "net impact", "current impact"},
		[]string{"residual+impact", "residual+consequ", "residual+sever", "net+impact", "net+consequ", "current+impact",
			"after+impact", "post+impact", "target+impact"}},
	{FieldInherentLikelihood, []string{"likelihood", "probability", "inherent likelihood", "inherent probability",
		"gross likelihood", "initial likelihood", "frequency"}, []string{"likel", "probab"}},
	{FieldInherentImpact, []string{"impact", "consequence", "consequences", "severity", "inherent impact",
		"inherent consequence", "gross impact", "initial impact"}, []string{"impact", "consequ", "sever"}},
	{FieldTreatment, []string{"treatment", "treatment option", "risk treatment", "response", "risk response", "strategy",
		"treatment strategy", "treatment decision", "decision", "option"}, []string{"treatment", "response", "strateg"}},
	{FieldControls, []string{"controls", "control", "control refs", "mitigating controls", "existing controls",
		"linked controls", "treatment controls", "planned controls"}, []string{"control"}},
	{FieldAssets, []string{"asset", "assets", "asset s", "affected assets", "information asset", "information assets",
		"asset refs"}, []string{"asset"}},
	{FieldThreat, []string{"threat", "threats", "threat source", "threat event"}, []string{"threat"}},
	{FieldVulnerability, []string{"vulnerability", "vulnerabilities", "weakness", "weaknesses"}, []string{"vulnerab", "weakness"}},
	{FieldCIA, []string{"cia", "c i a", "security property", "security properties", "properties", "affected properties",
		"confidentiality integrity availability", "cia impact"}, []string{"cia", "propert"}},
	{FieldAISystems, []string{"ai system", "ai systems", "ai system s", "system", "systems", "model", "models"},
		[]string{"ai system", "system"}},
	{FieldSources, []string{"source", "sources", "risk source", "risk sources", "ai risk source", "ai risk sources",
		"category", "risk category", "categories"}, []string{"source", "categor"}},
	{FieldParties, []string{"affected", "affected parties", "affected party", "parties", "impacted parties",
		"who is affected", "affected individuals", "affected people"}, []string{"affected", "parties", "party"}},
	{FieldDescription, []string{"description", "risk description", "details", "scenario", "risk scenario", "notes",
		"comments", "comment", "explanation", "cause"}, []string{"description", "detail", "scenario"}},
	{FieldTitle, []string{"title", "risk", "risk title", "risk name", "name", "risk event", "short title"},
		[]string{"title", "name"}},
}

// riskKinds are the two risk registers as kinds of register: the common
// fields and those of the one register.
var riskKinds = map[string]*Kind{
	domain.RegisterSecurity: newRiskKind(domain.RegisterSecurity, FieldAssets, FieldThreat, FieldVulnerability, FieldCIA),
	domain.RegisterAI:       newRiskKind(domain.RegisterAI, FieldAISystems, FieldSources, FieldParties),
}

func newRiskKind(register string, own ...string) *Kind {
	fields := append(slices.Clone(riskCommonFields), own...)
	var words []headerWord
	for _, w := range riskWords {
		if slices.Contains(fields, w.field) {
			words = append(words, w)
		}
	}
	return &Kind{ID: "risks:" + register, Fields: fields, unmapped: "error.import_required_unmapped", words: words,
		Required: []string{FieldTitle, FieldOwner, FieldInherentLikelihood, FieldInherentImpact, FieldTreatment}}
}

// RiskKind is the kind of a file imported into register, or nil for a
// register that does not exist.
func RiskKind(register string) *Kind { return riskKinds[register] }

// treatmentWords are the words registers use for a treatment option.
var treatmentWords = map[string]string{
	"modify": "modify", "modification": "modify", "mitigate": "modify", "mitigation": "modify", "reduce": "modify",
	"reduction": "modify", "treat": "modify", "control": "modify", "remediate": "modify", "remediation": "modify",
	"retain": "retain", "retention": "retain", "accept": "retain", "acceptance": "retain", "tolerate": "retain",
	"tolerance": "retain", "toleration": "retain", "accept risk": "retain",
	"avoid": "avoid", "avoidance": "avoid", "terminate": "avoid", "termination": "avoid", "eliminate": "avoid",
	"share": "share", "sharing": "share", "transfer": "share", "insure": "share", "insurance": "share", "outsource": "share",
}

// riskStatusWords are the words registers use for a risk's state.
var riskStatusWords = map[string]string{
	"open": "open", "new": "open", "identified": "open", "raised": "open", "draft": "open", "assessed": "open",
	"not started": "open", "to do": "open", "pending": "open", "active": "open",
	"treating": "treating", "in treatment": "treating", "treatment in progress": "treating", "in progress": "treating",
	"mitigating": "treating", "ongoing": "treating", "being treated": "treating", "under treatment": "treating", "wip": "treating",
	"accepted": "accepted", "retained": "accepted", "tolerated": "accepted", "risk accepted": "accepted",
	"closed": "closed", "resolved": "closed", "done": "closed", "complete": "closed", "completed": "closed",
	"retired": "closed", "archived": "closed", "mitigated": "closed",
}

// ciaWords are the words for the security properties a risk concerns.
var ciaWords = map[string]string{
	"c": "confidentiality", "conf": "confidentiality", "confidential": "confidentiality", "confidentiality": "confidentiality",
	"i": "integrity", "int": "integrity", "integrity": "integrity",
	"a": "availability", "avail": "availability", "availability": "availability",
}

// sourceWords are the words for the sources of an AI risk.
var sourceWords = map[string]string{
	"bias fairness": "bias_fairness", "bias": "bias_fairness", "fairness": "bias_fairness",
	"bias and fairness": "bias_fairness", "discrimination": "bias_fairness",
	"transparency explainability": "transparency_explainability", "transparency": "transparency_explainability",
	"explainability": "transparency_explainability", "transparency and explainability": "transparency_explainability",
	"interpretability": "transparency_explainability", "robustness accuracy": "robustness_accuracy",
	"robustness": "robustness_accuracy", "accuracy": "robustness_accuracy", "robustness and accuracy": "robustness_accuracy",
	"reliability": "robustness_accuracy", "privacy": "privacy", "data protection": "privacy", "safety": "safety",
	"ai security": "ai_security", "security": "ai_security", "adversarial": "ai_security", "accountability": "accountability",
	"societal environmental": "societal_environmental", "societal": "societal_environmental",
	"environmental": "societal_environmental", "societal and environmental": "societal_environmental",
	"environment": "societal_environmental",
}

// partyWords are the words for who an AI risk affects.
var partyWords = map[string]string{
	"individuals": "individuals", "individual": "individuals", "persons": "individuals", "person": "individuals",
	"people": "individuals", "data subjects": "individuals", "users": "individuals", "customers": "individuals",
	"groups": "groups", "group": "groups", "communities": "groups", "community": "groups",
	"society": "society", "societal": "society", "public": "society", "the public": "society",
}

// RiskCheck is what the rows of a risk register are checked against.
type RiskCheck struct {
	Register string
	Method   domain.RiskMethod // the method in force
	Known    Known
}

// RiskRow is one row of a risk register as the risk it describes.
type RiskRow struct {
	Row  int
	Risk domain.RiskInput
}

// RiskResult is a risk register read through a mapping: every row as the
// risk it would become, and every problem.
type RiskResult struct {
	Register string
	Rows     []RiskRow
	Risks    []domain.Risk // Rows as risks (for a preview), same order
	Outcome
}

// CheckRisks converts every row of t with mapping m into a risk of the
// register and validates it exactly as the store will: the domain's rules
// under the method in force, controls and assets that exist in the
// organization, and no risk ending above appetite (imported risks carry no
// acceptance). It collects all problems of all rows; the error is only a
// failed ref lookup.
func CheckRisks(t *Table, m Mapping, c RiskCheck) (*RiskResult, error) {
	res := &RiskResult{Register: c.Register, Rows: []RiskRow{}, Risks: []domain.Risk{}}
	security := c.Register == domain.RegisterSecurity
	knownControls, err := lookupRefs(t, m.Column(FieldControls), "controls", c.Known)
	if err != nil {
		return nil, err
	}
	knownAssets := map[string]bool{}
	if security {
		if knownAssets, err = lookupRefs(t, m.Column(FieldAssets), "assets", c.Known); err != nil {
			return nil, err
		}
	}
	for _, row := range t.Rows {
		rc := res.check(row.Number)
		cell := func(field string) string { return row.Cell(m.Column(field)) }
		text := func(field string) *string { s := cell(field); return &s }
		register := c.Register
		in := domain.RiskInput{Register: &register, Title: text(FieldTitle), Description: text(FieldDescription), Owner: text(FieldOwner)}

		score := func(field string, scale []domain.ScaleStep, fallback int) int {
			raw := cell(field)
			if raw == "" && fallback > 0 {
				return fallback // no residual score yet: it is the inherent one
			}
			if raw == "" {
				rc.add(field, "error.required", "")
				return 1
			}
			n, ok := scaleStep(raw, scale)
			if !ok {
				rc.add(field, "error.import_risk_step", raw, raw, len(scale), scaleLabels(scale))
				return 1
			}
			return n // a number off the scale is the domain's to refuse
		}
		il := score(FieldInherentLikelihood, c.Method.Likelihood, 0)
		ii := score(FieldInherentImpact, c.Method.Impact, 0)
		rl := score(FieldResidualLikelihood, c.Method.Likelihood, il)
		ri := score(FieldResidualImpact, c.Method.Impact, ii)
		in.InherentL, in.InherentI, in.ResidualL, in.ResidualI = &il, &ii, &rl, &ri

		treatment, raw := "modify", cell(FieldTreatment)
		if t, ok := word(raw, treatmentWords); ok {
			treatment = t
		} else if raw == "" {
			rc.add(FieldTreatment, "error.required", "")
		} else {
			rc.add(FieldTreatment, "error.import_risk_treatment", raw, raw)
		}
		in.Treatment = &treatment

		status, rawStatus := "open", cell(FieldStatus)
		statusOK := true
		if rawStatus != "" {
			if s, ok := word(rawStatus, riskStatusWords); ok {
				status = s
			} else {
				rc.add(FieldStatus, "error.import_risk_status", rawStatus, rawStatus)
				status, statusOK = "open", false
			}
		}
		in.Status = &status

		rawReview := cell(FieldNextReview)
		review, ok := date(rawReview, row.RawCell(m.Column(FieldNextReview)), t)
		if !ok {
			rc.add(FieldNextReview, "error.import_date", rawReview, rawReview)
		}
		in.NextReview = &review

		in.Controls = rc.refs(FieldControls, cell(FieldControls), knownControls, "error.unknown_control", "CTL-001")
		if security {
			in.Assets = rc.refs(FieldAssets, cell(FieldAssets), knownAssets, "error.unknown_asset", "AST-001")
			in.Threat, in.Vulnerability = text(FieldThreat), text(FieldVulnerability)
			in.CIA = rc.words(FieldCIA, ciaCell(cell(FieldCIA)), ciaWords, "error.import_cia")
		} else {
			in.AISystems = text(FieldAISystems)
			in.Sources = rc.words(FieldSources, cell(FieldSources), sourceWords, "error.import_ai_source")
			in.Parties = rc.words(FieldParties, cell(FieldParties), partyWords, "error.import_party")
		}

		v := &domain.ValidationError{}
		r := in.Apply(domain.Risk{}, v)
		r.Validate(c.Method, v)
		rc.validation(v.Err())
		if statusOK && r.NeedsAcceptance(c.Method) {
			rc.add(FieldStatus, "error.import_risk_acceptance", rawStatus, levelLabel(c.Method, r.Residual.Level), r.Status)
		}
		rc.done()
		res.Rows = append(res.Rows, RiskRow{Row: row.Number, Risk: in})
		res.Risks = append(res.Risks, r)
	}
	return res, nil
}

// refs reads a cell of refs of one table; refs not in known and parts
// without a ref are problems of field.
func (c *rowCheck) refs(field, cell string, known map[string]bool, unknown, example string) *[]string {
	found, bad := refs(cell)
	for _, b := range bad {
		c.add(field, "error.import_refs", b, b, example)
	}
	kept := []string{}
	for _, ref := range found {
		if !known[ref] {
			c.add(field, unknown, ref, ref)
			continue
		}
		kept = append(kept, ref)
	}
	return &kept
}

// words reads a list of words of a vocabulary; a word not in it is a
// problem of field, quoting it.
func (c *rowCheck) words(field, cell string, vocabulary map[string]string, code string) *[]string {
	values, bad := words(cell, vocabulary)
	for _, b := range bad {
		c.add(field, code, b, b)
	}
	return &values
}

// ciaLetters is a cell of bare property letters: "CIA", "CI", "C/A".
var ciaLetters = regexp.MustCompile(`(?i)^[cia]{2,3}$`)

// ciaCell spells out a cell of properties as a list: letters become
// single properties ("CI" → "C, I") and words separated by spaces or
// "and" become items ("Confidentiality and availability").
func ciaCell(cell string) string {
	var parts []string
	for _, p := range splitList(cell) {
		for _, f := range strings.Fields(p) {
			switch {
			case strings.EqualFold(f, "and"):
			case ciaLetters.MatchString(f):
				parts = append(parts, strings.Split(f, "")...)
			default:
				parts = append(parts, f)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// scaleStep reads a step of a scale: its number ("3", "3.0", "3 -
// Possible") or its label, case-insensitively ("possible", "Possible
// (3)").
func scaleStep(cell string, scale []domain.ScaleStep) (int, bool) {
	if m := leadingNumber.FindStringSubmatch(cell); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	label := normalizeHeader(trailingParen.ReplaceAllString(cell, ""))
	for i, s := range scale {
		if label != "" && normalizeHeader(s.Label) == label {
			return i + 1, true
		}
	}
	return 0, false
}

// trailingParen is a remark in brackets after a label: "Likely (4)".
var trailingParen = regexp.MustCompile(`\s*\([^)]*\)\s*$`)

func scaleLabels(scale []domain.ScaleStep) string {
	labels := make([]string, len(scale))
	for i, s := range scale {
		labels[i] = s.Label
	}
	return strings.Join(labels, ", ")
}

func levelLabel(m domain.RiskMethod, id string) string {
	for _, l := range m.Levels {
		if l.ID == id {
			return l.Label
		}
	}
	return id
}
