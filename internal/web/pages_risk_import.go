package web

import "net/http"

// registerImports registers the routes of: Import of risk registers and asset inventories.
func (h *handler) registerImports(mux *http.ServeMux) {}
