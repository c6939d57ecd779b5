package importer

import (
	"regexp"
	"strings"
	"unicode"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// statusWords are the words registers use for a control's state, in
// normalized form (see normalizeHeader), with the status each means.
var statusWords = map[string]string{
	"planned": domain.StatusPlanned, "not started": domain.StatusPlanned, "to do": domain.StatusPlanned,
	"todo": domain.StatusPlanned, "open": domain.StatusPlanned, "new": domain.StatusPlanned,
	"backlog": domain.StatusPlanned, "scheduled": domain.StatusPlanned, "proposed": domain.StatusPlanned,
	"pending": domain.StatusPlanned, "not yet started": domain.StatusPlanned,

	"in progress": domain.StatusInProgress, "ongoing": domain.StatusInProgress, "started": domain.StatusInProgress,
	"partial": domain.StatusInProgress, "partially": domain.StatusInProgress, "partly": domain.StatusInProgress,
	"partially implemented": domain.StatusInProgress, "partly implemented": domain.StatusInProgress,
	"wip": domain.StatusInProgress, "work in progress": domain.StatusInProgress, "doing": domain.StatusInProgress,
	"underway": domain.StatusInProgress, "under way": domain.StatusInProgress, "in implementation": domain.StatusInProgress,
	"being implemented": domain.StatusInProgress,

	"implemented": domain.StatusImplemented, "done": domain.StatusImplemented, "complete": domain.StatusImplemented,
	"completed": domain.StatusImplemented, "in place": domain.StatusImplemented, "yes": domain.StatusImplemented,
	"operational": domain.StatusImplemented, "effective": domain.StatusImplemented, "live": domain.StatusImplemented,
	"fully implemented": domain.StatusImplemented, "in operation": domain.StatusImplemented,

	"not implemented": domain.StatusNotImplemented, "no": domain.StatusNotImplemented, "rejected": domain.StatusNotImplemented,
	"declined": domain.StatusNotImplemented, "wont do": domain.StatusNotImplemented, "will not do": domain.StatusNotImplemented,
	"won t do": domain.StatusNotImplemented, "not to be implemented": domain.StatusNotImplemented,
}

// ParseStatus reads a status as people write it: Tandem's own values and
// labels ("in_progress", "In progress") and common words ("Done", "Not
// started", "Partially implemented"). An empty cell is planned.
func ParseStatus(s string) (string, bool) {
	n := normalizeHeader(strings.ReplaceAll(s, "_", " "))
	if n == "" {
		return domain.StatusPlanned, true
	}
	if st, ok := statusWords[n]; ok {
		return st, true
	}
	for _, st := range domain.Statuses {
		if n == normalizeHeader(i18n.T("web.status."+st)) {
			return st, true
		}
	}
	return "", false
}

// splitRefs cuts a references cell at commas, semicolons and line breaks.
func splitRefs(cell string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var (
	// A standard named before the ref: "ISO 27001 A.5.1", "27001: 5.1",
	// "ISO/IEC 42001:2023 A.6.2.4".
	stdPrefix = regexp.MustCompile(`(?i)^(?:iso\s*(?:/\s*iec)?\s*)?(\d{4,5})(?:\s*:\s*\d{4})?\s*[:\-–]?\s*`)
	// "Clause 5.1", "cl. 5.1".
	clausePrefix = regexp.MustCompile(`(?i)^(?:clause|cl\.?)\s*`)
	// "A.5.1", "A 5.1", "Annex A 5.1", "A5.1".
	annexPrefix = regexp.MustCompile(`(?i)^(?:annex\s*)?a\s*\.?\s*`)
	// The number itself, followed by nothing or by a title ("5.1 Policies…").
	refNumber = regexp.MustCompile(`^(\d+(?:\.\d+)*)(?:$|[^\d.]|\.(?:$|\D))`)
)

// refResolver turns the references of one row into requirement keys.
type refResolver struct {
	cat          *catalog.Catalog
	defaultStd   string
	clauseColumn bool
}

// refProblem is one reference that could not be read, with its message.
type refProblem struct {
	Token string
	Code  string
	Args  []any
}

// resolve reads a cell such as "A.5.1; A.5.15 Access control\n42001 A.2.2".
// Each reference's standard comes from the reference itself (a key, or a
// standard named before it), else from the row's standard cell, else from
// the default standard; with none of these, a ref that exists in only one
// standard is taken from that one.
func (r refResolver) resolve(cell, rowStandard string) ([]string, []refProblem) {
	var keys []string
	var problems []refProblem
	for _, token := range splitRefs(cell) {
		key, p := r.resolveOne(token, rowStandard)
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		keys = append(keys, key)
	}
	return keys, problems
}

func (r refResolver) resolveOne(token, rowStandard string) (string, *refProblem) {
	bad := func(code string, args ...any) (string, *refProblem) {
		return "", &refProblem{Token: token, Code: code, Args: args}
	}
	explicit := rowStandard
	rest := token
	// A full key: iso27001-2022/A.5.1 (a title may follow).
	if std, after, ok := strings.Cut(token, "/"); ok && r.cat.Standard(strings.TrimSpace(std)) != nil {
		explicit, rest = strings.TrimSpace(std), strings.TrimSpace(after)
	} else if m := stdPrefix.FindStringSubmatchIndex(token); m != nil {
		std := standardNamed(token[m[2]:m[3]], r.cat)
		if std == "" {
			return bad("error.import_ref_standard", token, token[m[2]:m[3]])
		}
		explicit, rest = std, token[m[1]:]
	}
	clause, annex := false, false
	if m := clausePrefix.FindStringIndex(rest); m != nil {
		clause, rest = true, rest[m[1]:]
	} else if m := annexPrefix.FindStringIndex(rest); m != nil && m[1] < len(rest) && unicode.IsDigit(rune(rest[m[1]])) {
		annex, rest = true, rest[m[1]:]
	}
	num := refNumber.FindStringSubmatch(rest)
	if num == nil {
		return bad("error.import_ref_unreadable", token)
	}
	candidates := func(std string) []string {
		var keys []string
		if !clause {
			if k := std + "/A." + num[1]; r.cat.HasRequirement(k) {
				keys = append(keys, k)
			}
		}
		if !annex {
			if k := std + "/" + num[1]; r.cat.HasRequirement(k) {
				keys = append(keys, k)
			}
		}
		// A bare number that is both a clause and an Annex A control is
		// the control, unless the column holds clauses.
		if len(keys) == 2 {
			if r.clauseColumn {
				return keys[1:]
			}
			return keys[:1]
		}
		return keys
	}
	shown := num[1]
	if annex {
		shown = "A." + num[1]
	}
	if explicit != "" || r.defaultStd != "" {
		std := explicit
		if std == "" {
			std = r.defaultStd
		}
		if keys := candidates(std); len(keys) == 1 {
			return keys[0], nil
		}
		if explicit != "" {
			return bad("error.import_ref_not_in", shown, r.cat.Standard(std).Title)
		}
		// The default standard is a preference, not a rule: a ref that
		// exists only in the other standard is that one's.
	}
	var found []string
	for _, s := range r.cat.Standards {
		found = append(found, candidates(s.ID)...)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return bad("error.import_ref_unknown", shown)
	}
	return bad("error.import_ref_ambiguous", shown)
}

// standardNamed finds the standard a text names: its id, its title, or its
// number ("27001", "ISO/IEC 42001:2023"); "" when none or several.
func standardNamed(s string, cat *catalog.Catalog) string {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return ""
	}
	found := ""
	for _, std := range cat.Standards {
		id := strings.ToLower(std.ID)
		if t == id || t == strings.ToLower(std.Title) {
			return std.ID
		}
		number, _, _ := strings.Cut(strings.TrimPrefix(id, "iso"), "-")
		if number != "" && strings.Contains(t, number) {
			if found != "" {
				return ""
			}
			found = std.ID
		}
	}
	return found
}

// ParseStandard reads a standard cell; ok is false for a text that names
// no known standard.
func ParseStandard(s string, cat *catalog.Catalog) (string, bool) {
	if strings.TrimSpace(s) == "" {
		return "", true
	}
	id := standardNamed(s, cat)
	return id, id != ""
}
