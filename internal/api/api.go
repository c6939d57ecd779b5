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

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
)

// API serves the JSON API.
type API struct {
	store   *store.Store
	catalog *catalog.Catalog
	log     *slog.Logger
}

// Register adds every API operation to mux and returns the huma API (whose
// OpenAPI document tests inspect).
func Register(mux *http.ServeMux, st *store.Store, cat *catalog.Catalog, log *slog.Logger, version string) huma.API {
	config := huma.DefaultConfig("Tandem API", version)
	config.Info.Description = "One integrated management system for ISO/IEC 27001:2022 and ISO/IEC 42001:2023."
	config.OpenAPIPath = "/api/v1/openapi"
	config.DocsPath = ""    // no docs page: it would load scripts from a CDN
	config.SchemasPath = "" // responses carry no $schema links: the contract is plain JSON
	config.CreateHooks = nil
	h := humago.New(mux, config)
	a := &API{store: st, catalog: cat, log: log}
	a.registerCatalog(h)
	a.registerOrgs(h)
	a.registerControls(h)
	a.registerTrail(h)
	return h
}

// actor is who performs API writes. Until sign-in exists every request is
// anonymous; identity will be decided here and nowhere else.
func actor(ctx context.Context) domain.Actor {
	return domain.Actor{Kind: "anonymous", Name: "api"}
}

// org resolves the organization of a request; an unknown slug is a 404.
func (a *API) org(ctx context.Context, slug string) (*store.OrgStore, error) {
	o, err := a.store.Org(ctx, slug)
	if err != nil {
		return nil, a.problem(ctx, err, "path")
	}
	return o, nil
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
