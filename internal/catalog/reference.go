package catalog

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// The reference control set lives with the catalog rather than in a package
// of its own: it is global, read-only data embedded like the standards, its
// links must be checked against the loaded requirements at the same moment,
// and every layer (store, API, UI) already holds the *Catalog, so adopting a
// reference control needs no new wiring.

// ReferenceTheme groups reference controls for display.
type ReferenceTheme struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// ReferenceControl is a suggested control written by the Tandem team: an
// organization may adopt it as one of its own controls.
type ReferenceControl struct {
	// ID is stable ("REF-ACCESS-01"); an adopted control keeps it.
	ID           string   `json:"id"`
	Theme        string   `json:"theme"`
	Title        string   `json:"title"`
	Purpose      string   `json:"purpose"`
	Requirements []string `json:"requirements"` // requirement keys, in catalog order
}

// Standards lists the standards the control links to, in catalog order.
func (r *ReferenceControl) Standards() []string {
	var out []string
	for _, k := range r.Requirements {
		if s := StandardOfKey(k); len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}

// Links reports whether the control links to a requirement of standard.
func (r *ReferenceControl) Links(standard string) bool {
	for _, k := range r.Requirements {
		if StandardOfKey(k) == standard {
			return true
		}
	}
	return false
}

type referenceFile struct {
	ID       string           `yaml:"id"`
	Title    string           `yaml:"title"`
	Themes   []ReferenceTheme `yaml:"themes"`
	Controls []struct {
		ID           string   `yaml:"id"`
		Theme        string   `yaml:"theme"`
		Title        string   `yaml:"title"`
		Purpose      string   `yaml:"purpose"`
		Requirements []string `yaml:"requirements"`
	} `yaml:"controls"`
}

// referenceID is the shape of a reference control id: REF-ACCESS-01.
var referenceID = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// Limits a reference control must respect so that adopting it always makes
// a valid control (the same limits as domain.MaxTitle and MaxDescription).
const (
	maxReferenceTitle   = 200
	maxReferencePurpose = 1000
)

// addReference reads one reference/*.yaml file. Themes are per file; ids are
// unique across all files.
func (c *Catalog) addReference(fsys fs.FS, name string) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	var f referenceFile
	if err := yaml.UnmarshalWithOptions(raw, &f, yaml.Strict()); err != nil {
		return fileError(name, "", "%v", err)
	}
	if f.ID == "" {
		return fileError(name, "", "missing id")
	}
	themes := map[string]bool{}
	for i, t := range f.Themes {
		if t.ID == "" || t.Title == "" {
			return fileError(name, fmt.Sprintf("theme #%d", i+1), "missing id or title")
		}
		if themes[t.ID] || c.themeTitle[t.ID] != "" {
			return fileError(name, "theme "+t.ID, "duplicate theme")
		}
		themes[t.ID] = true
	}
	if len(f.Controls) == 0 {
		return fileError(name, "", "no controls")
	}
	var added []*ReferenceControl
	for i, rc := range f.Controls {
		entry := rc.ID
		if entry == "" {
			entry = fmt.Sprintf("#%d", i+1)
		}
		switch {
		case rc.ID == "":
			return fileError(name, entry, "missing id")
		case !referenceID.MatchString(rc.ID):
			return fileError(name, entry, "id must look like REF-ACCESS-01 (capitals, digits and hyphens)")
		case c.reference[rc.ID] != nil:
			return fileError(name, entry, "duplicate id")
		case strings.TrimSpace(rc.Title) == "":
			return fileError(name, entry, "missing title")
		case utf8.RuneCountInString(rc.Title) > maxReferenceTitle:
			return fileError(name, entry, "title longer than %d characters", maxReferenceTitle)
		case strings.TrimSpace(rc.Purpose) == "":
			return fileError(name, entry, "missing purpose")
		case utf8.RuneCountInString(rc.Purpose) > maxReferencePurpose:
			return fileError(name, entry, "purpose longer than %d characters", maxReferencePurpose)
		case !themes[rc.Theme]:
			return fileError(name, entry, "unknown theme %q", rc.Theme)
		case len(rc.Requirements) == 0:
			return fileError(name, entry, "no requirements")
		}
		seen := map[string]bool{}
		for _, k := range rc.Requirements {
			if c.requirements[k] == nil {
				return fileError(name, entry, "unknown requirement %s", k)
			}
			if seen[k] {
				return fileError(name, entry, "requirement %s listed twice", k)
			}
			seen[k] = true
		}
		ctl := &ReferenceControl{ID: rc.ID, Theme: rc.Theme, Title: strings.TrimSpace(rc.Title),
			Purpose: strings.TrimSpace(rc.Purpose), Requirements: append([]string(nil), rc.Requirements...)}
		c.SortKeys(ctl.Requirements)
		c.reference[ctl.ID] = ctl
		added = append(added, ctl)
	}
	for _, t := range f.Themes {
		c.themeTitle[t.ID] = t.Title
		c.ReferenceThemes = append(c.ReferenceThemes, t)
	}
	c.Reference = append(c.Reference, added...)
	return nil
}

// ReferenceControl returns the reference control with this id, or nil.
func (c *Catalog) ReferenceControl(id string) *ReferenceControl { return c.reference[id] }

// ThemeTitle returns the display title of a reference theme.
func (c *Catalog) ThemeTitle(id string) string { return c.themeTitle[id] }

// ReferenceFilter narrows the reference set. Zero values do not filter.
type ReferenceFilter struct {
	Standard string // links to a requirement of this standard
	Theme    string
	Text     string // in id, title or purpose (case-insensitive)
}

// FilterReference returns the reference controls that match f, in file
// order (theme by theme as the file lists them).
func (c *Catalog) FilterReference(f ReferenceFilter) []*ReferenceControl {
	text := strings.ToLower(strings.TrimSpace(f.Text))
	out := []*ReferenceControl{}
	for _, r := range c.Reference {
		if f.Standard != "" && !r.Links(f.Standard) {
			continue
		}
		if f.Theme != "" && r.Theme != f.Theme {
			continue
		}
		if text != "" && !strings.Contains(strings.ToLower(r.ID+"\n"+r.Title+"\n"+r.Purpose), text) {
			continue
		}
		out = append(out, r)
	}
	return out
}
