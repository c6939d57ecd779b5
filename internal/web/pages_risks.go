package web

import "net/http"

// registerRiskPages registers the routes of: Register lists per register (security, ai) with filters and heat maps.
func (h *handler) registerRiskPages(mux *http.ServeMux) {}
