// Package web is Tandem's server-rendered user interface: HTML pages from
// html/template, one stylesheet, a few lines of script and charts drawn as
// SVG on the server. Templates and static files are embedded in the binary,
// so there is no build step and nothing is fetched from elsewhere.
package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// handler holds what every page needs.
type handler struct {
	st     *store.Store
	cat    *catalog.Catalog
	log    *slog.Logger
	pages  map[string]pageTemplate
	assets *assets
}

// New returns the web UI handler; it serves every path except /api/ and /healthz.
func New(st *store.Store, cat *catalog.Catalog, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	h := &handler{st: st, cat: cat, log: log, assets: loadAssets()}
	h.pages = parsePages(h.funcs())

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.home)
	mux.Handle("GET /static/", h.assets)

	mux.HandleFunc("GET /orgs", h.orgList)
	mux.HandleFunc("POST /orgs", h.orgCreate)
	mux.HandleFunc("GET /orgs/{org}", h.orgRedirect)
	mux.HandleFunc("GET /orgs/{org}/{$}", h.dashboard)

	mux.HandleFunc("GET /orgs/{org}/controls", h.controlList)
	mux.HandleFunc("POST /orgs/{org}/controls", h.controlCreate)
	mux.HandleFunc("GET /orgs/{org}/controls/new", h.controlNew)
	mux.HandleFunc("GET /orgs/{org}/controls/{ref}", h.controlShow)
	mux.HandleFunc("POST /orgs/{org}/controls/{ref}", h.controlUpdate)
	mux.HandleFunc("GET /orgs/{org}/controls/{ref}/edit", h.controlEdit)
	mux.HandleFunc("POST /orgs/{org}/controls/{ref}/delete", h.controlDelete)
	mux.HandleFunc("POST /orgs/{org}/controls/{ref}/link", h.controlLink)
	mux.HandleFunc("POST /orgs/{org}/controls/{ref}/unlink", h.controlUnlink)

	mux.HandleFunc("GET /catalog", h.catalogPage)
	mux.HandleFunc("GET /catalog/{std}/{ref}", h.requirementPage)

	// Everything else is a page that does not exist.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) })

	// Cross-origin protection, the body limit and the security headers
	// are the server's, around the API and the UI alike.
	return mux
}

// ContentSecurityPolicy is what the pages need and no more: scripts,
// styles and images from this server only (no inline script or style), no
// framing. The server sends it on every response.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// actor is who performs a write made through the UI. Until sign-in exists
// every visitor is anonymous; identity will be decided here and nowhere else.
func actor(r *http.Request) domain.Actor {
	return domain.Actor{Kind: "anonymous", Name: "web"}
}

// orgScope resolves the organization named in the path. An unknown slug
// renders the 404 page and reports false.
func (h *handler) orgScope(w http.ResponseWriter, r *http.Request) (*store.OrgStore, *Shell, bool) {
	o, err := h.st.Org(r.Context(), r.PathValue("org"))
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	org := o.Org()
	sh, err := h.shell(r, &org)
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	return o, sh, true
}

// orgMenuSize bounds the organization switcher; a longer list is reached
// through the organizations page.
const orgMenuSize = 50

// shell gathers what the layout shows around every page.
func (h *handler) shell(r *http.Request, org *domain.Org) (*Shell, error) {
	page, err := h.st.Orgs(r.Context(), orgMenuSize, "")
	if err != nil {
		return nil, err
	}
	sh := &Shell{Org: org, Orgs: page.Items, MoreOrgs: page.Next != nil, loc: time.UTC}
	if org != nil {
		if loc, err := time.LoadLocation(org.TimeZone); err == nil {
			sh.loc = loc
		}
	}
	if id, ok := notices[r.URL.Query().Get("notice")]; ok {
		sh.Notice = id
	}
	return sh, nil
}

// notices are the confirmations a redirect may ask for (?notice=saved);
// only these ids are shown, so a crafted link cannot put text on a page.
var notices = map[string]string{
	"created":  "web.notice.created",
	"saved":    "web.notice.saved",
	"linked":   "web.notice.linked",
	"unlinked": "web.notice.unlinked",
	"deleted":  "web.notice.deleted",
	"org":      "web.notice.org_created",
}

// Shell is the part of every page's data the layout reads.
type Shell struct {
	Title    string // text of the <title>, already translated
	Section  string // which navigation item is current
	Org      *domain.Org
	Orgs     []domain.Org
	MoreOrgs bool
	Notice   string // message id of a confirmation
	Error    string // message shown above the content
	loc      *time.Location
}

// When formats a moment in the organization's time zone.
func (s *Shell) When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.loc).Format("2006-01-02 15:04")
}

// OrgPath builds a path inside the current organization.
func (s *Shell) OrgPath(parts ...string) string {
	if s.Org == nil {
		return "/orgs"
	}
	return "/orgs/" + s.Org.Slug + "/" + strings.Join(parts, "/")
}

// CatalogQuery carries the current organization into catalog links, so the
// navigation stays on it while browsing the global catalog.
func (s *Shell) CatalogQuery() string {
	if s.Org == nil {
		return ""
	}
	return "?org=" + s.Org.Slug
}

func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	page, err := h.st.Orgs(r.Context(), 1, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(page.Items) == 0 {
		http.Redirect(w, r, "/orgs", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orgs/"+page.Items[0].Slug+"/", http.StatusSeeOther)
}

func (h *handler) orgRedirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/orgs/"+r.PathValue("org")+"/", http.StatusMovedPermanently)
}

// fail answers a request that could not be served: a missing record is the
// 404 page, anything else is logged and shown as the 500 page without detail.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, domain.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	h.log.Error("web request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	h.errorPage(w, r, http.StatusInternalServerError, "web.error.internal")
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusNotFound, "web.error.not_found")
}

type errorData struct {
	*Shell
	Status  int
	Message string
}

func (h *handler) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	// The error page must not depend on the database that may have failed.
	sh := &Shell{Title: i18n.T(msg), loc: time.UTC}
	h.render(w, r, status, "error", &errorData{Shell: sh, Status: status, Message: msg})
}
