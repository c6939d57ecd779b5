// Package catalog holds the standards Tandem knows (their requirement IDs and
// short titles) and the crosswalks between them. The data are YAML files
// embedded in the binary; they are loaded and validated once at start, and a
// broken file stops the program with a message naming the file and the entry.
//
// Adding a framework is adding a file under data/standards (and, to relate it
// to the others, one under data/crosswalks); see docs/catalog-format.md.
package catalog

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

//go:embed data
var embedded embed.FS

// Requirement kinds.
const (
	KindClause = "clause"
	KindAnnex  = "annex"
)

// Relationships a crosswalk link may carry. The first three are ours; the
// last four are the set-theory words of NIST IR 8477, accepted so that
// published mappings can be added as data.
var Relationships = []string{"equivalent", "overlaps", "related", "equal", "subset", "superset", "intersect"}

// Standard is one framework: its identity, its annex groups and requirements.
type Standard struct {
	ID           string         `json:"id"`
	Title        string         `json:"title"`
	Name         string         `json:"name"`
	Version      string         `json:"version"`
	Groups       []Group        `json:"groups"`
	Requirements []*Requirement `json:"-"`
}

// Group is a theme (27001 Annex A) or an objective group (42001 Annex A).
type Group struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Requirement is a clause or an annex control of a standard.
type Requirement struct {
	// Key is unambiguous across all standards: "iso27001-2022/A.5.1" is the
	// Annex A control, "iso27001-2022/5.1" the clause.
	Key      string `json:"key"`
	Standard string `json:"standard"`
	Ref      string `json:"ref"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Group    string `json:"group"`
	// Parent is the key of the enclosing clause ("6.1" for "6.1.2"); empty
	// for top-level clauses and for annex controls.
	Parent string `json:"parent,omitempty"`
}

// Link relates two requirements of (usually) different standards.
type Link struct {
	Crosswalk    string `json:"crosswalk"`
	From         string `json:"from"`
	To           string `json:"to"`
	Relationship string `json:"relationship"`
	Rationale    string `json:"rationale"`
}

// Catalog is the validated, read-only set of standards and crosswalks.
type Catalog struct {
	Standards []*Standard
	Links     []Link
	// Reference is the reference control set (reference/*.yaml) in file
	// order, and ReferenceThemes its display groups.
	Reference       []*ReferenceControl
	ReferenceThemes []ReferenceTheme

	standards    map[string]*Standard
	requirements map[string]*Requirement
	linksOf      map[string][]Link
	order        map[string]int
	reference    map[string]*ReferenceControl
	themeTitle   map[string]string
}

// Load reads the catalog embedded in the binary.
func Load() (*Catalog, error) {
	return LoadFS(Files())
}

// Files is the embedded data (standards/, crosswalks/, reference/), for tools and tests
// that add a file of their own to it.
func Files() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // the folder is part of the build
	}
	return sub
}

// MustLoad is Load for program start: the embedded data are part of the
// build, so an error here is a defect that must stop the program.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

type standardFile struct {
	ID           string  `yaml:"id"`
	Title        string  `yaml:"title"`
	Name         string  `yaml:"name"`
	Version      string  `yaml:"version"`
	Groups       []Group `yaml:"groups"`
	Requirements []struct {
		Ref   string `yaml:"ref"`
		Kind  string `yaml:"kind"`
		Group string `yaml:"group"`
		Title string `yaml:"title"`
	} `yaml:"requirements"`
}

type crosswalkFile struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	From  string `yaml:"from"`
	To    string `yaml:"to"`
	Links []struct {
		From         string `yaml:"from"`
		To           string `yaml:"to"`
		Relationship string `yaml:"relationship"`
		Rationale    string `yaml:"rationale"`
	} `yaml:"links"`
}

// LoadFS reads standards/*.yaml, crosswalks/*.yaml and reference/*.yaml
// (the reference control set) from fsys and validates them. Every problem names the file and the entry.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{
		standards:    map[string]*Standard{},
		requirements: map[string]*Requirement{},
		linksOf:      map[string][]Link{},
		order:        map[string]int{},
		reference:    map[string]*ReferenceControl{},
		themeTitle:   map[string]string{},
	}
	stdFiles, err := fs.Glob(fsys, "standards/*.yaml")
	if err != nil {
		return nil, err
	}
	if len(stdFiles) == 0 {
		return nil, errors.New("catalog: no standards/*.yaml files")
	}
	for _, name := range stdFiles {
		if err := c.addStandard(fsys, name); err != nil {
			return nil, err
		}
	}
	cwFiles, err := fs.Glob(fsys, "crosswalks/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range cwFiles {
		if err := c.addCrosswalk(fsys, name); err != nil {
			return nil, err
		}
	}
	refFiles, err := fs.Glob(fsys, "reference/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range refFiles {
		if err := c.addReference(fsys, name); err != nil {
			return nil, err
		}
	}
	sort.Slice(c.Standards, func(i, j int) bool { return c.Standards[i].ID < c.Standards[j].ID })
	return c, nil
}

func fileError(name, entry, format string, args ...any) error {
	if entry == "" {
		return fmt.Errorf("catalog %s: %s", name, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("catalog %s: entry %s: %s", name, entry, fmt.Sprintf(format, args...))
}

func (c *Catalog) addStandard(fsys fs.FS, name string) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	var f standardFile
	if err := yaml.UnmarshalWithOptions(raw, &f, yaml.Strict()); err != nil {
		return fileError(name, "", "%v", err)
	}
	switch {
	case f.ID == "":
		return fileError(name, "", "missing id")
	case strings.ContainsAny(f.ID, "/ "):
		return fileError(name, "", "id %q must not contain '/' or spaces", f.ID)
	case f.Title == "":
		return fileError(name, "", "missing title")
	case c.standards[f.ID] != nil:
		return fileError(name, "", "duplicate standard id %q", f.ID)
	}
	s := &Standard{ID: f.ID, Title: f.Title, Name: f.Name, Version: f.Version, Groups: f.Groups}
	groups := map[string]bool{}
	for i, g := range f.Groups {
		if g.ID == "" || g.Title == "" {
			return fileError(name, fmt.Sprintf("group #%d", i+1), "missing id or title")
		}
		if groups[g.ID] {
			return fileError(name, "group "+g.ID, "duplicate group")
		}
		groups[g.ID] = true
	}
	for i, r := range f.Requirements {
		entry := r.Ref
		if entry == "" {
			entry = fmt.Sprintf("#%d", i+1)
		}
		if r.Ref == "" {
			return fileError(name, entry, "missing ref")
		}
		if r.Title == "" {
			return fileError(name, entry, "missing title")
		}
		key := f.ID + "/" + r.Ref
		if c.requirements[key] != nil {
			return fileError(name, entry, "duplicate ref")
		}
		req := &Requirement{Key: key, Standard: f.ID, Ref: r.Ref, Kind: r.Kind, Title: r.Title, Group: r.Group}
		switch r.Kind {
		case KindClause:
			if r.Group != "" {
				return fileError(name, entry, "a clause has no group")
			}
			if i := strings.LastIndex(r.Ref, "."); i > 0 {
				parent := f.ID + "/" + r.Ref[:i]
				if c.requirements[parent] == nil {
					return fileError(name, entry, "parent clause %s must come before it", r.Ref[:i])
				}
				req.Parent = parent
			}
		case KindAnnex:
			if !groups[r.Group] {
				return fileError(name, entry, "unknown group %q", r.Group)
			}
		default:
			return fileError(name, entry, "kind must be %q or %q, not %q", KindClause, KindAnnex, r.Kind)
		}
		c.requirements[key] = req
		c.order[key] = len(c.order)
		s.Requirements = append(s.Requirements, req)
	}
	if len(s.Requirements) == 0 {
		return fileError(name, "", "no requirements")
	}
	c.standards[s.ID] = s
	c.Standards = append(c.Standards, s)
	return nil
}

func (c *Catalog) addCrosswalk(fsys fs.FS, name string) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	var f crosswalkFile
	if err := yaml.UnmarshalWithOptions(raw, &f, yaml.Strict()); err != nil {
		return fileError(name, "", "%v", err)
	}
	if f.ID == "" {
		return fileError(name, "", "missing id")
	}
	for _, sid := range []string{f.From, f.To} {
		if c.standards[sid] == nil {
			return fileError(name, "", "unknown standard %q", sid)
		}
	}
	seen := map[string]bool{}
	for i, l := range f.Links {
		entry := fmt.Sprintf("#%d (%s → %s)", i+1, l.From, l.To)
		from, to := f.From+"/"+l.From, f.To+"/"+l.To
		if c.requirements[from] == nil {
			return fileError(name, entry, "unknown requirement %s in %s", l.From, f.From)
		}
		if c.requirements[to] == nil {
			return fileError(name, entry, "unknown requirement %s in %s", l.To, f.To)
		}
		if from == to {
			return fileError(name, entry, "a requirement cannot be linked to itself")
		}
		pair := from + "|" + to
		if seen[pair] || seen[to+"|"+from] {
			return fileError(name, entry, "duplicate link")
		}
		seen[pair] = true
		if !validRelationship(l.Relationship) {
			return fileError(name, entry, "relationship must be one of %s, not %q", strings.Join(Relationships, ", "), l.Relationship)
		}
		if strings.TrimSpace(l.Rationale) == "" {
			return fileError(name, entry, "missing rationale")
		}
		link := Link{Crosswalk: f.ID, From: from, To: to, Relationship: l.Relationship, Rationale: l.Rationale}
		c.Links = append(c.Links, link)
		c.linksOf[from] = append(c.linksOf[from], link)
		c.linksOf[to] = append(c.linksOf[to], link)
	}
	return nil
}

func validRelationship(r string) bool {
	for _, v := range Relationships {
		if v == r {
			return true
		}
	}
	return false
}

// Standard returns the standard with the given id, or nil.
func (c *Catalog) Standard(id string) *Standard { return c.standards[id] }

// Requirement returns the requirement with the given key, or nil.
func (c *Catalog) Requirement(key string) *Requirement { return c.requirements[key] }

// HasRequirement reports whether key names a known requirement.
func (c *Catalog) HasRequirement(key string) bool { return c.requirements[key] != nil }

// SortKeys orders requirement keys as the catalog lists them (standard by
// standard, clauses before annex controls, in the standard's own order);
// unknown keys go last.
func (c *Catalog) SortKeys(keys []string) {
	sort.SliceStable(keys, func(i, j int) bool { return c.position(keys[i]) < c.position(keys[j]) })
}

func (c *Catalog) position(key string) int {
	if p, ok := c.order[key]; ok {
		return p
	}
	return len(c.order)
}

// LinksOf returns the crosswalk links that touch the requirement key.
func (c *Catalog) LinksOf(key string) []Link { return c.linksOf[key] }

// Counterpart returns the other end of link l seen from key.
func (l Link) Counterpart(key string) string {
	if l.From == key {
		return l.To
	}
	return l.From
}

// Group returns the group of standard s with the given id, or a zero Group.
func (s *Standard) Group(id string) Group {
	for _, g := range s.Groups {
		if g.ID == id {
			return g
		}
	}
	return Group{}
}

// Count returns how many requirements of kind the standard has ("" counts all).
func (s *Standard) Count(kind string) int {
	n := 0
	for _, r := range s.Requirements {
		if kind == "" || r.Kind == kind {
			n++
		}
	}
	return n
}

// StandardOfKey returns the standard id part of a requirement key.
func StandardOfKey(key string) string {
	std, _, _ := strings.Cut(key, "/")
	return std
}

// Display is how a person reads a requirement: the standard's short title and
// the ref, e.g. "ISO/IEC 27001:2022 A.5.1".
func (c *Catalog) Display(key string) string {
	r := c.requirements[key]
	if r == nil {
		return key
	}
	return c.standards[r.Standard].Title + " " + r.Ref
}
