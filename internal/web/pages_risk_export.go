package web

import "net/http"

// registerRiskExports registers the routes of: Register exports and the risk treatment plan report.
func (h *handler) registerRiskExports(mux *http.ServeMux) {}
