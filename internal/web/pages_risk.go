package web

import "net/http"

// registerRiskForms registers the routes of: A risk's page, its forms, acceptance, treatment actions and the risk method.
func (h *handler) registerRiskForms(mux *http.ServeMux) {}
