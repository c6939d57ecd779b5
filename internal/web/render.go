package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

//go:embed templates static
var files embed.FS

type pageTemplate = *template.Template

// pageNames are the page templates; each is parsed together with the layout
// and the shared partials and defines the "content" the layout shows.
var pageNames = []string{"orgs", "dashboard", "controls", "control_form", "control", "catalog", "requirement", "error", "login", "members", "account", "trail", "users", "readiness", "gaps", "transfer", "soa", "soa_versions", "soa_diff", "reference", "import", "assets", "asset", "asset_form",
	"risks", "actions", "risk", "risk_form", "risk_method", "risk_method_form",
	"ai_systems", "ai_system", "ai_form", "datasets", "dataset", "suppliers", "supplier", "assessments", "assessment", "assessment_form"}

// parsePages parses every page once at start; a template error is a defect
// of the build, so it stops the program.
func parsePages(funcs template.FuncMap) map[string]pageTemplate {
	pages := make(map[string]pageTemplate, len(pageNames))
	for _, name := range pageNames {
		t := template.New(name).Funcs(funcs)
		pages[name] = template.Must(t.ParseFS(files, "templates/layout.html", "templates/partials.html",
			"templates/charts.html", "templates/risk_partials.html", "templates/ai_partials.html", "templates/"+name+".html"))
	}
	return pages
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 page instead of half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		h.log.Error("web template failed", "page", name, "path", r.URL.Path, "err", err)
		if name != "error" {
			h.errorPage(w, r, http.StatusInternalServerError, "web.error.internal")
		} else {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (h *handler) funcs() template.FuncMap {
	funcs := h.baseFuncs()
	riskFuncs(funcs)
	return funcs
}

func (h *handler) baseFuncs() template.FuncMap {
	return template.FuncMap{
		"t": i18n.T,
		// list builds a small list in a template (field names to range over).
		"list": func(items ...string) []string { return items },
		// tn picks the singular or plural form: id.one or id.other.
		"tn": func(id string, n int) string {
			if n == 1 {
				return i18n.T(id+".one", n)
			}
			return i18n.T(id+".other", n)
		},
		"statusLabel":   func(s string) string { return i18n.T("web.status." + s) },
		"scopeLabel":    func(s string) string { return i18n.T("web.scope." + s) },
		"stateLabel":    func(s string) string { return i18n.T("web.state." + s) },
		"relLabel":      func(s string) string { return i18n.T("web.relationship." + s) },
		"kindLabel":     func(s string) string { return i18n.T("web.kind." + s) },
		"stdShort":      stdShort,
		"stdClass":      stdClass,
		"std":           h.cat.Standard,
		"req":           h.cat.Requirement,
		"reqPath":       reqPath,
		"linkCount":     func(key string) int { return len(h.cat.LinksOf(key)) },
		"asset":         h.assets.url,
		"controlsQuery": controlsQuery,
		"chipsFor":      h.chipsFor,
		"measure":       domain.FormatMeasure,
		"inc":           func(n int) int { return n + 1 },
	}
}

// controlsQuery is the control list of an organization filtered by pairs of
// parameter names and values: controlsQuery "acme" "status" "implemented".
func controlsQuery(org string, pairs ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		q.Set(pairs[i], pairs[i+1])
	}
	u := "/orgs/" + org + "/controls"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// stdShort is the number a person uses for a standard: "27001", "42001".
func stdShort(id string) string {
	s := strings.TrimPrefix(id, "iso")
	s, _, _ = strings.Cut(s, "-")
	return s
}

// stdClass is the CSS class that gives a standard its colour everywhere.
func stdClass(id string) string {
	switch id {
	case "iso27001-2022":
		return "std-27001"
	case "iso42001-2023":
		return "std-42001"
	}
	return "std-other"
}

// reqPath is the catalog page of a requirement: /catalog/iso27001-2022/A.5.1.
func reqPath(r *catalog.Requirement) string {
	return "/catalog/" + r.Standard + "/" + r.Ref
}

// clauseDepth is how deep a clause sits in the tree (0 for "5", 2 for "6.1.2").
func clauseDepth(ref string) int { return strings.Count(ref, ".") }

// assets serves the embedded static files. URLs carry a hash of the content,
// so browsers may cache them for good and still see a new release at once.
type assets struct {
	fs      http.Handler
	version map[string]string
}

func loadAssets() *assets {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err)
	}
	a := &assets{fs: http.StripPrefix("/static/", http.FileServerFS(sub)), version: map[string]string{}}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(sub, e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		a.version[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return a
}

func (a *assets) url(name string) string {
	return "/static/" + name + "?v=" + a.version[name]
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	if v, ok := a.version[name]; ok && r.URL.Query().Get("v") == v {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	a.fs.ServeHTTP(w, r)
}

// chipsData is a control's requirement chips, grouped by standard.
type chipsData struct {
	Base   string // the control list, which each chip filters
	Groups []chipGroup
}

type chipGroup struct {
	Std  *catalog.Standard
	Reqs []*catalog.Requirement
	More int // chips left out
}

// chipsPerStandard keeps a row short; the control page lists every link.
const chipsPerStandard = 6

func (h *handler) chipsFor(base string, keys []string) chipsData {
	d := chipsData{Base: base}
	for _, col := range h.linkedColumns(keys) {
		if len(col.Reqs) == 0 {
			continue
		}
		g := chipGroup{Std: col.Std, Reqs: col.Reqs}
		if len(g.Reqs) > chipsPerStandard {
			g.More = len(g.Reqs) - chipsPerStandard
			g.Reqs = g.Reqs[:chipsPerStandard]
		}
		d.Groups = append(d.Groups, g)
	}
	return d
}
