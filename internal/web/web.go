// Package web is Tandem's server-rendered user interface: HTML pages from
// html/template, one stylesheet, a few lines of script and charts drawn as
// SVG on the server. Templates and static files are embedded in the binary,
// so there is no build step and nothing is fetched from elsewhere.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// handler holds what every page needs.
type handler struct {
	st     *store.Store
	cat    *catalog.Catalog
	gate   *access.Gate
	log    *slog.Logger
	pages  map[string]pageTemplate
	assets *assets
	routes []Route
}

// Route is one registered page or form action with its access rule.
type Route struct {
	Pattern string
	Rule    access.Rule
}

// UI is the web interface: an http.Handler that also lists its routes, so
// tests can walk every one of them.
type UI struct {
	http.Handler
	routes []Route
}

// Routes lists every route with its rule, in registration order.
func (u *UI) Routes() []Route { return append([]Route(nil), u.routes...) }

// New returns the web UI handler; it serves every path except /api/ and /healthz.
func New(st *store.Store, cat *catalog.Catalog, gate *access.Gate, log *slog.Logger) *UI {
	if log == nil {
		log = slog.Default()
	}
	h := &handler{st: st, cat: cat, gate: gate, log: log, assets: loadAssets()}
	h.pages = parsePages(h.funcs())

	mux := http.NewServeMux()
	read := func(res auth.Resource) access.Rule { return access.Org(res, auth.Read) }
	control := func(act auth.Action) access.Rule { return access.Org(auth.ResControl, act) }

	h.handle(mux, "GET /static/", access.Public(), h.assets.ServeHTTP)
	h.handle(mux, "GET /login", access.Public(), h.loginPage)
	h.handle(mux, "POST /login", access.Public(), h.login)
	h.handle(mux, "POST /logout", access.Public(), h.logout)
	h.handle(mux, "GET /login/sso", access.Public(), h.ssoStart)
	h.handle(mux, "GET /login/sso/callback", access.Public(), h.ssoCallback)

	h.handle(mux, "GET /{$}", access.SignedIn(), h.home)
	h.handle(mux, "GET /orgs", access.SignedIn(), h.orgList)
	h.handle(mux, "POST /orgs", access.InstanceAdmin(), h.orgCreate)
	h.handle(mux, "GET /orgs/{org}", read(auth.ResOrg), h.orgRedirect)
	h.handle(mux, "GET /orgs/{org}/{$}", read(auth.ResOrg), h.dashboard)

	h.handle(mux, "GET /orgs/{org}/controls", control(auth.Read), h.controlList)
	h.handle(mux, "GET /orgs/{org}/controls.xlsx", control(auth.Read), h.controlExport("xlsx"))
	h.handle(mux, "GET /orgs/{org}/controls.csv", control(auth.Read), h.controlExport("csv"))
	h.handle(mux, "POST /orgs/{org}/controls", control(auth.Create), h.controlCreate)
	h.handle(mux, "GET /orgs/{org}/controls/new", control(auth.Create), h.controlNew)
	h.handle(mux, "GET /orgs/{org}/controls/reference", control(auth.Read), h.referencePage)
	h.handle(mux, "POST /orgs/{org}/controls/reference", control(auth.Create), h.referenceAdopt)
	h.handle(mux, "GET /orgs/{org}/controls/import", control(auth.Create), h.importPage)
	h.handle(mux, "POST /orgs/{org}/controls/import", control(auth.Create), h.importUpload)
	h.handle(mux, "POST /orgs/{org}/controls/import/preview", control(auth.Create), h.importPreview)
	h.handle(mux, "POST /orgs/{org}/controls/import/commit", control(auth.Create), h.importCommit)
	h.handle(mux, "GET /orgs/{org}/controls/{ref}", control(auth.Read), h.controlShow)
	h.handle(mux, "POST /orgs/{org}/controls/{ref}", control(auth.Update), h.controlUpdate)
	h.handle(mux, "GET /orgs/{org}/controls/{ref}/edit", control(auth.Update), h.controlEdit)
	h.handle(mux, "POST /orgs/{org}/controls/{ref}/delete", control(auth.Delete), h.controlDelete)
	h.handle(mux, "POST /orgs/{org}/controls/{ref}/link", control(auth.Update), h.controlLink)
	h.handle(mux, "POST /orgs/{org}/controls/{ref}/unlink", control(auth.Update), h.controlUnlink)
	h.handle(mux, "GET /orgs/{org}/trail", read(auth.ResTrail), h.trailPage)
	h.handle(mux, "GET /orgs/{org}/trail.csv", read(auth.ResTrail), h.trailCSV)

	h.handle(mux, "GET /orgs/{org}/readiness", control(auth.Read), h.readinessPage)
	h.handle(mux, "GET /orgs/{org}/readiness/{standard}", control(auth.Read), h.gapsPage)
	h.handle(mux, "GET /orgs/{org}/transfer", control(auth.Read), h.transferPage)
	h.handle(mux, "POST /orgs/{org}/transfer/link", control(auth.Update), h.transferLink)

	// Statements of Applicability: reading is for every member, deciding
	// is an update, issuing a version is a create.
	soa := func(act auth.Action) access.Rule { return access.Org(auth.ResSoA, act) }
	h.handle(mux, "GET /orgs/{org}/soa/{standard}", soa(auth.Read), h.soaPage)
	h.handle(mux, "GET /orgs/{org}/soa/{standard}/versions", soa(auth.Read), h.soaVersions)
	h.handle(mux, "GET /orgs/{org}/soa/{standard}/diff", soa(auth.Read), h.soaDiff)
	h.handle(mux, "GET /orgs/{org}/soa/{standard}/export", soa(auth.Read), h.soaExport)
	h.handle(mux, "GET /orgs/{org}/soa.xlsx", soa(auth.Read), h.soaWorkbook)
	h.handle(mux, "POST /orgs/{org}/soa/{standard}/versions", soa(auth.Create), h.soaIssue)
	h.handle(mux, "POST /orgs/{org}/soa/{standard}/{ref}", soa(auth.Update), h.soaDecide)

	ai := func(act auth.Action) access.Rule { return access.Org(auth.ResAISystem, act) }
	h.handle(mux, "GET /orgs/{org}/ai-systems", ai(auth.Read), h.aiSystemList)
	h.handle(mux, "GET /orgs/{org}/ai-systems.xlsx", ai(auth.Read), h.aiSystemExport)
	h.handle(mux, "GET /orgs/{org}/ai-systems.csv", ai(auth.Read), h.aiSystemExport)
	h.handle(mux, "POST /orgs/{org}/ai-systems", ai(auth.Create), h.aiSystemCreate)
	h.handle(mux, "GET /orgs/{org}/ai-systems/new", ai(auth.Create), h.aiSystemNew)
	h.handle(mux, "GET /orgs/{org}/ai-systems/{ref}", ai(auth.Read), h.aiSystemShow)
	h.handle(mux, "POST /orgs/{org}/ai-systems/{ref}", ai(auth.Update), h.aiSystemUpdate)
	h.handle(mux, "GET /orgs/{org}/ai-systems/{ref}/edit", ai(auth.Update), h.aiSystemEdit)
	h.handle(mux, "POST /orgs/{org}/ai-systems/{ref}/delete", ai(auth.Delete), h.aiSystemDelete)
	h.handle(mux, "POST /orgs/{org}/ai-systems/{ref}/tests", ai(auth.Update), h.aiTestRecord)
	h.handle(mux, "POST /orgs/{org}/ai-systems/{ref}/monitoring", ai(auth.Update), h.aiMonitoringRecord)
	h.handle(mux, "GET /orgs/{org}/ai-systems/{ref}/model-card.md", ai(auth.Read), h.modelCard)
	h.handle(mux, "GET /orgs/{org}/ai-systems/{ref}/model-card.pdf", ai(auth.Read), h.modelCard)
	dataset := func(act auth.Action) access.Rule { return access.Org(auth.ResDataset, act) }
	h.handle(mux, "GET /orgs/{org}/datasets", dataset(auth.Read), h.datasetList)
	h.handle(mux, "POST /orgs/{org}/datasets", dataset(auth.Create), h.datasetCreate)
	h.handle(mux, "GET /orgs/{org}/datasets/new", dataset(auth.Create), h.datasetNew)
	h.handle(mux, "GET /orgs/{org}/datasets/{ref}", dataset(auth.Read), h.datasetShow)
	h.handle(mux, "POST /orgs/{org}/datasets/{ref}", dataset(auth.Update), h.datasetUpdate)
	h.handle(mux, "GET /orgs/{org}/datasets/{ref}/edit", dataset(auth.Update), h.datasetEdit)
	supplier := func(act auth.Action) access.Rule { return access.Org(auth.ResSupplier, act) }
	h.handle(mux, "GET /orgs/{org}/suppliers", supplier(auth.Read), h.supplierList)
	h.handle(mux, "GET /orgs/{org}/suppliers.xlsx", supplier(auth.Read), h.supplierExport)
	h.handle(mux, "GET /orgs/{org}/suppliers.csv", supplier(auth.Read), h.supplierExport)
	h.handle(mux, "POST /orgs/{org}/suppliers", supplier(auth.Create), h.supplierCreate)
	h.handle(mux, "GET /orgs/{org}/suppliers/new", supplier(auth.Create), h.supplierNew)
	h.handle(mux, "GET /orgs/{org}/suppliers/{ref}", supplier(auth.Read), h.supplierShow)
	h.handle(mux, "POST /orgs/{org}/suppliers/{ref}", supplier(auth.Update), h.supplierUpdate)
	h.handle(mux, "GET /orgs/{org}/suppliers/{ref}/edit", supplier(auth.Update), h.supplierEdit)
	h.handle(mux, "POST /orgs/{org}/suppliers/{ref}/assessments", supplier(auth.Update), h.supplierAssess)
	aia := func(act auth.Action) access.Rule { return access.Org(auth.ResImpactAssessment, act) }
	h.handle(mux, "GET /orgs/{org}/impact-assessments", aia(auth.Read), h.assessmentList)
	h.handle(mux, "POST /orgs/{org}/ai-systems/{ref}/impact-assessments", aia(auth.Create), h.assessmentStart)
	h.handle(mux, "GET /orgs/{org}/impact-assessments/{ref}", aia(auth.Read), h.assessmentShow)
	h.handle(mux, "GET /orgs/{org}/impact-assessments/{ref}/pdf", aia(auth.Read), h.assessmentPDF)
	h.handle(mux, "GET /orgs/{org}/impact-assessments/{ref}/edit", aia(auth.Update), h.assessmentEdit)
	h.handle(mux, "POST /orgs/{org}/impact-assessments/{ref}", aia(auth.Update), h.assessmentUpdate)
	h.handle(mux, "POST /orgs/{org}/impact-assessments/{ref}/approve", access.Org(auth.ResImpactApproval, auth.Create), h.assessmentApprove)
	h.handle(mux, "POST /orgs/{org}/impact-assessments/{ref}/revise", aia(auth.Create), h.assessmentRevise)
	h.handle(mux, "POST /orgs/{org}/impact-assessments/{ref}/impacts/{n}/risk", access.Org(auth.ResRisk, auth.Create), h.assessmentRaiseRisk)

	asset := func(act auth.Action) access.Rule { return access.Org(auth.ResAsset, act) }
	h.handle(mux, "GET /orgs/{org}/assets", asset(auth.Read), h.assetList)
	h.handle(mux, "POST /orgs/{org}/assets", asset(auth.Create), h.assetCreate)
	h.handle(mux, "GET /orgs/{org}/assets/new", asset(auth.Create), h.assetNew)
	h.handle(mux, "GET /orgs/{org}/assets/{ref}", asset(auth.Read), h.assetShow)
	h.handle(mux, "POST /orgs/{org}/assets/{ref}", asset(auth.Update), h.assetUpdate)
	h.handle(mux, "GET /orgs/{org}/assets/{ref}/edit", asset(auth.Update), h.assetEdit)
	h.handle(mux, "POST /orgs/{org}/assets/{ref}/delete", asset(auth.Delete), h.assetDelete)

	// The risk method and the two risk registers: lists and heat maps, a
	// risk's page and forms, exports and import, each in its own file.
	h.registerRiskPages(mux)
	h.registerRiskForms(mux)
	h.registerRiskExports(mux)
	h.registerImports(mux)

	member := func(act auth.Action) access.Rule { return access.Org(auth.ResMember, act) }
	h.handle(mux, "GET /orgs/{org}/members", member(auth.Read), h.memberList)
	h.handle(mux, "POST /orgs/{org}/members", member(auth.Update), h.memberSet)
	h.handle(mux, "POST /orgs/{org}/members/remove", member(auth.Delete), h.memberRemove)

	// The signed-in person's own account: every action is on their own
	// user, so being signed in is the whole rule.
	h.handle(mux, "GET /account", access.SignedIn(), h.account)
	h.handle(mux, "POST /account/password", access.SignedIn(), h.passwordChange)
	h.handle(mux, "POST /account/tokens", access.SignedIn(), h.tokenCreate)
	h.handle(mux, "POST /account/tokens/{id}/revoke", access.SignedIn(), h.tokenRevoke)

	h.handle(mux, "GET /admin/users", access.InstanceAdmin(), h.userList)
	h.handle(mux, "POST /admin/users/{id}/active", access.InstanceAdmin(), h.userActive)

	h.handle(mux, "GET /catalog", access.SignedIn(), h.catalogPage)
	h.handle(mux, "GET /catalog/{std}/{ref}", access.SignedIn(), h.requirementPage)

	// Everything else is a page that does not exist.
	h.handle(mux, "/", access.Public(), h.notFound)

	// Cross-origin protection, the body limit, the security headers and
	// identifying the principal are the server's, around the API and the
	// UI alike.
	return &UI{Handler: mux, routes: h.routes}
}

type scopeKey struct{}

// handle registers a route behind its access rule: the gate decides, and
// the handler runs only when allowed, with the scope in its context. A
// route without a valid rule stops the program at start-up.
func (h *handler) handle(mux *http.ServeMux, pattern string, rule access.Rule, fn http.HandlerFunc) {
	if !rule.Valid() {
		panic("web: route " + pattern + " has no access rule")
	}
	h.routes = append(h.routes, Route{Pattern: pattern, Rule: rule})
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		sc, err := h.gate.Check(r.Context(), access.From(r.Context()), rule, r.PathValue("org"))
		switch {
		case err == nil:
			fn(w, r.WithContext(context.WithValue(r.Context(), scopeKey{}, sc)))
		case errors.Is(err, access.ErrUnauthenticated):
			h.toLogin(w, r)
		default:
			h.fail(w, r, err)
		}
	})
}

// scope is what the gate allowed for this request.
func scope(r *http.Request) *access.Scope {
	return r.Context().Value(scopeKey{}).(*access.Scope)
}

// ContentSecurityPolicy is what the pages need and no more: scripts,
// styles and images from this server only (no inline script or style), no
// framing. The server sends it on every response.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// actor is who the trail names for a write made through the UI.
func actor(r *http.Request) domain.Actor { return scope(r).Actor() }

// orgScope returns the organization the gate resolved from the path, with
// the layout around it; on failure it has answered and reports false.
func (h *handler) orgScope(w http.ResponseWriter, r *http.Request) (*store.OrgStore, *Shell, bool) {
	sc := scope(r)
	org := sc.Org.Org()
	sh, err := h.shell(r, &org)
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	return sc.Org, sh, true
}

// orgMenuSize bounds the organization switcher; a longer list is reached
// through the organizations page.
const orgMenuSize = 50

// shell gathers what the layout shows around every page.
func (h *handler) shell(r *http.Request, org *domain.Org) (*Shell, error) {
	sc := scope(r)
	sh := &Shell{Org: org, scope: sc, loc: time.UTC}
	if sc.Principal == nil {
		return sh, nil // a public page seen by someone not signed in
	}
	page, err := h.gate.Orgs(r.Context(), sc.Principal, orgMenuSize, "")
	if err != nil {
		return nil, err
	}
	sh.Orgs, sh.MoreOrgs = page.Items, page.Next != nil
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
	"created":                "web.notice.created",
	"saved":                  "web.notice.saved",
	"linked":                 "web.notice.linked",
	"unlinked":               "web.notice.unlinked",
	"deleted":                "web.notice.deleted",
	"org":                    "web.notice.org_created",
	"signed_out":             "web.notice.signed_out",
	"member_saved":           "web.notice.member_saved",
	"member_removed":         "web.notice.member_removed",
	"password":               "web.notice.password",
	"token_revoked":          "web.notice.token_revoked",
	"user_activated":         "web.notice.user_activated",
	"user_deactivated":       "web.notice.user_deactivated",
	"imported":               "web.notice.imported",
	"soa_decided":            "web.notice.soa_decided",
	"soa_issued":             "web.notice.soa_issued",
	"ai_change_event":        "web.notice.ai_change_event",
	"ai_test_recorded":       "web.notice.ai_test_recorded",
	"ai_monitoring_recorded": "web.notice.ai_monitoring_recorded",
	"aia_approved":           "web.notice.aia_approved",
	"risk_raised":            "web.notice.risk_raised",
	"supplier_assessed":      "web.notice.supplier_assessed",
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
	scope    *access.Scope
	loc      *time.Location
}

// User is the signed-in person, or nil.
func (s *Shell) User() *domain.User {
	if s.scope == nil || s.scope.Principal == nil {
		return nil
	}
	return &s.scope.Principal.User
}

// Role is the signed-in person's role in the current organization.
func (s *Shell) Role() string {
	if s.scope == nil || s.scope.Org == nil {
		return ""
	}
	return string(s.scope.Role)
}

// Can tells a page whether to offer an action ("control", "update"). It
// only hides what would be refused; the route's rule still decides.
func (s *Shell) Can(resource, action string) bool {
	return s.scope.Can(auth.Resource(resource), auth.Action(action))
}

// CanEdit tells whether the person may change this control: everywhere,
// or only their own (contributors).
func (s *Shell) CanEdit(c domain.Control) bool {
	if !s.Can(string(auth.ResControl), string(auth.Update)) {
		return false
	}
	return !s.scope.OwnOnly || s.scope.Owns(c.Owner)
}

// InstanceAdmin tells whether the person administers the instance.
func (s *Shell) InstanceAdmin() bool {
	u := s.User()
	return u != nil && u.InstanceAdmin
}

// When formats a moment in the organization's time zone.
func (s *Shell) When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.loc).Format("2006-01-02 15:04")
}

// LastDay is the last day a grant that ends at t lasts through, in the
// organization's time zone.
func (s *Shell) LastDay(t time.Time) string {
	return t.In(s.loc).Add(-time.Nanosecond).Format("2006-01-02")
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
	page, err := h.gate.Orgs(r.Context(), scope(r).Principal, 1, "")
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
	switch {
	case errors.Is(err, domain.ErrNotFound):
		h.notFound(w, r)
		return
	case errors.Is(err, access.ErrForbidden):
		h.errorPage(w, r, http.StatusForbidden, "web.error.forbidden")
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
	sh := &Shell{Title: i18n.T(msg), scope: &access.Scope{Principal: access.From(r.Context())}, loc: time.UTC}
	h.render(w, r, status, "error", &errorData{Shell: sh, Status: status, Message: msg})
}
