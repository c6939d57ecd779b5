// Package api is Tandem's JSON API under /api/v1. Operations are declared
// with huma, so the OpenAPI 3.1 document at /api/v1/openapi.json is generated
// from the same Go types that serve the requests, and input that does not
// fit the schema is refused with RFC 9457 problem details before a handler
// runs.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"tandem/internal/access"
	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// API serves the JSON API.
type API struct {
	store   *store.Store
	catalog *catalog.Catalog
	gate    *access.Gate
	log     *slog.Logger
}

// Register adds every API operation to mux and returns the huma API (whose
// OpenAPI document tests inspect).
func Register(mux *http.ServeMux, st *store.Store, cat *catalog.Catalog, gate *access.Gate, log *slog.Logger, version string) huma.API {
	config := huma.DefaultConfig("Tandem API", version)
	config.Info.Description = "One integrated management system for ISO/IEC 27001:2022 and ISO/IEC 42001:2023."
	config.OpenAPIPath = "/api/v1/openapi"
	config.DocsPath = ""    // no docs page: it would load scripts from a CDN
	config.SchemasPath = "" // responses carry no $schema links: the contract is plain JSON
	config.CreateHooks = nil
	config.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token (tdm_…) made in the UI or with `tandem token create`."},
	}
	h := humago.New(mux, config)
	a := &API{store: st, catalog: cat, gate: gate, log: log}
	h.UseMiddleware(a.authorize(h))
	a.registerCatalog(h)
	a.registerOrgs(h)
	a.registerControls(h)
	a.registerAssets(h)
	a.registerLibrary(h)
	a.registerTrail(h)
	a.registerMembers(h)
	a.registerSoA(h)
	a.registerReadiness(h)
	a.registerRiskMethod(h)
	a.registerRisks(h)
	a.registerActions(h)
	a.registerRegisterImports(h)
	a.registerRiskExport(h)
	a.registerAISystems(h)
	a.registerAIRecords(h)
	a.registerAIExports(h)
	return h
}

// ruleKey is where an operation keeps its access rule (huma metadata).
const ruleKey = "access"

// register adds an operation with its access rule. Every operation goes
// through here; one without a valid rule stops the program at start-up,
// and the authorize middleware refuses any that slipped past.
func register[I, O any](h huma.API, rule access.Rule, op huma.Operation, handler func(context.Context, *I) (*O, error)) {
	if !rule.Valid() {
		panic("api: operation " + op.OperationID + " has no access rule")
	}
	op.Metadata = map[string]any{ruleKey: rule}
	if rule != access.Public() {
		op.Security = []map[string][]string{{"bearer": {}}}
		op.Description = strings.TrimSpace(op.Description + "\n\nAccess: " + rule.String() + ".")
	}
	huma.Register(h, op, handler)
}

// Rule returns the access rule an operation declared.
func Rule(op *huma.Operation) (access.Rule, bool) {
	r, ok := op.Metadata[ruleKey].(access.Rule)
	return r, ok && r.Valid()
}

type scopeKey struct{}

// authorize answers every operation's rule through the gate before the
// handler (or input validation) runs: 401 without credentials, 404 for an
// organization the caller does not belong to, 403 for a forbidden action.
func (a *API) authorize(h huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		rule, ok := Rule(ctx.Operation())
		if !ok {
			huma.WriteErr(h, ctx, http.StatusForbidden, i18n.T("error.forbidden"))
			return
		}
		scope, err := a.gate.Check(ctx.Context(), access.From(ctx.Context()), rule, ctx.Param("org"))
		switch {
		case err == nil:
			next(huma.WithValue(ctx, scopeKey{}, scope))
		case errors.Is(err, access.ErrUnauthenticated):
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="tandem"`)
			huma.WriteErr(h, ctx, http.StatusUnauthorized, i18n.T("error.unauthenticated"))
		case errors.Is(err, access.ErrForbidden):
			huma.WriteErr(h, ctx, http.StatusForbidden, i18n.T("error.forbidden"))
		case errors.Is(err, domain.ErrNotFound):
			huma.WriteErr(h, ctx, http.StatusNotFound, i18n.T("error.not_found"))
		default:
			a.log.ErrorContext(ctx.Context(), "access check failed", "err", err)
			huma.WriteErr(h, ctx, http.StatusInternalServerError, i18n.T("error.internal"))
		}
	}
}

// scope is what the authorize middleware allowed this request.
func scope(ctx context.Context) *access.Scope {
	return ctx.Value(scopeKey{}).(*access.Scope)
}

// problem turns a domain error into the RFC 9457 answer. where is the
// location prefix of field errors: "body" for input records, "query" for
// list filters.
func (a *API) problem(ctx context.Context, err error, where string) error {
	if v, ok := domain.AsValidation(err); ok {
		details := make([]error, len(v.Fields))
		for i, f := range v.Fields {
			details[i] = &huma.ErrorDetail{Location: where + "." + f.Field, Message: f.Message, Value: f.Value}
		}
		return huma.Error422UnprocessableEntity(i18n.T("error.validation"), details...)
	}
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return huma.Error404NotFound(i18n.T("error.not_found"))
	case errors.Is(err, access.ErrForbidden):
		return huma.Error403Forbidden(i18n.T("error.forbidden"))
	case errors.Is(err, domain.ErrConflict):
		return huma.Error409Conflict(i18n.T("error.version_conflict"))
	case errors.Is(err, context.Canceled):
		return huma.NewError(499, i18n.T("error.canceled"))
	}
	a.log.ErrorContext(ctx, "api request failed", "err", err)
	return huma.Error500InternalServerError(i18n.T("error.internal"))
}

// fieldError is a one-field validation problem at where ("query", "body").
func (a *API) fieldError(ctx context.Context, where, field, code string, value any, args ...any) error {
	v := &domain.ValidationError{}
	v.Add(field, code, value, args...)
	return a.problem(ctx, v, where)
}

// etag is the entity tag of a record at a version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// parseIfMatch reads a version from an If-Match header ("3", W/"3" or 3).
func parseIfMatch(h string) (int64, bool) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "W/")
	n, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	return n, err == nil && n > 0
}
