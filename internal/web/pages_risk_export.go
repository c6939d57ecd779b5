package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/report"
	"tandem/internal/store"
)

// registerRiskExports registers the routes of: Register exports and the risk treatment plan report.
func (h *handler) registerRiskExports(mux *http.ServeMux) {
	read := access.Org(auth.ResRisk, auth.Read)
	h.handle(mux, "GET /orgs/{org}/risks/export", read, h.riskExport)
	h.handle(mux, "GET /orgs/{org}/risks/plan", read, h.riskPlan)
}

// riskExportTypes are the register's download formats and their media types.
var riskExportTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
	"pdf":  "application/pdf",
}

// exportRiskFilter reads the register page's filters for an export, with
// the same names and checks as the register page (registerQuery); an
// export always covers one register, named in the query.
func exportRiskFilter(q url.Values, m domain.RiskMethod) (domain.RiskFilter, *domain.ValidationError) {
	v := &domain.ValidationError{}
	if strings.TrimSpace(q.Get("register")) == "" {
		v.Add("register", "error.risk_export_register", nil)
		return domain.RiskFilter{}, v
	}
	f, bad := readRegisterQuery(q).filter(m)
	f.Cursor = ""
	if bad != nil {
		return f, bad
	}
	return f, v
}

// exportRefused answers 422 with what cannot be exported, field by field.
func (h *handler) exportRefused(w http.ResponseWriter, r *http.Request, sh *Shell, v *domain.ValidationError) {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	// The error page shows its message through the catalog; a text that is
	// no message id comes back as it is.
	msg := i18n.T("web.risk_export.refused", strings.Join(parts, "; "))
	sh.Title, sh.Section = i18n.T("web.risk_export.refused_title"), "risks"
	h.render(w, r, http.StatusUnprocessableEntity, "error", &errorData{Shell: sh, Status: http.StatusUnprocessableEntity, Message: msg})
}

// riskExport downloads every risk of one register matching the register
// page's filters (the cursor does not apply) as XLSX, CSV or PDF. XLSX and
// CSV are written a page of the store at a time; the PDF is laid out
// whole first.
func (h *handler) riskExport(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	method, err := o.RiskMethod(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, v := exportRiskFilter(r.URL.Query(), method)
	format := r.URL.Query().Get("format")
	if riskExportTypes[format] == "" {
		v.Add("format", "error.one_of", format, "xlsx, csv, pdf")
	}
	if v.Err() != nil {
		h.exportRefused(w, r, sh, v)
		return
	}
	f.Limit = store.MaxLimit
	// The first page is read before anything is written, so that a filter
	// the store refuses is still a clean answer.
	first, err := o.ListRisks(r.Context(), f)
	if v, ok := domain.AsValidation(err); ok {
		h.exportRefused(w, r, sh, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := time.Now()
	doc := report.RiskRegister{Org: *sh.Org, Register: f.Register, Method: method, Filter: f, GeneratedAt: now}
	name := report.RiskFilename(*sh.Org, f.Register, format, now)
	next := report.Paged(r.Context(), first, func(ctx context.Context, cursor string) (domain.Page[domain.Risk], error) {
		f.Cursor = cursor
		return o.ListRisks(ctx, f)
	})
	if format == "pdf" {
		var buf bytes.Buffer
		if err := report.RisksPDF(&buf, doc, next); err != nil {
			if v, ok := domain.AsValidation(err); ok {
				h.exportRefused(w, r, sh, v)
				return
			}
			h.fail(w, r, err)
			return
		}
		download(w, riskExportTypes[format], name, buf.Bytes())
		return
	}
	write := report.RisksCSV
	if format == "xlsx" {
		write = report.RisksXLSX
	}
	w.Header().Set("Content-Type", riskExportTypes[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if err := write(w, doc, next); err != nil {
		// The status is sent: break the connection, so the browser reports
		// a failed download instead of keeping a file cut short.
		h.log.Error("risk export failed", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// riskPlan downloads a register's risk treatment plan as PDF or XLSX.
func (h *handler) riskPlan(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	register, format := strings.TrimSpace(q.Get("register")), q.Get("format")
	v := &domain.ValidationError{}
	switch {
	case register == "":
		v.Add("register", "error.risk_export_register", nil)
	case !slices.Contains(domain.Registers, register):
		v.Add("register", "error.one_of", register, strings.Join(domain.Registers, ", "))
	}
	if format == "" {
		format = "pdf"
	}
	if format != "pdf" && format != "xlsx" {
		v.Add("format", "error.one_of", format, "pdf, xlsx")
	}
	if v.Err() != nil {
		h.exportRefused(w, r, sh, v)
		return
	}
	now := time.Now()
	plan, err := report.LoadTreatmentPlan(r.Context(), o, register, now)
	if v, ok := domain.AsValidation(err); ok {
		h.exportRefused(w, r, sh, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if format == "xlsx" {
		err = report.TreatmentPlanXLSX(&buf, plan)
	} else {
		err = report.TreatmentPlanPDF(&buf, plan)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	download(w, riskExportTypes[format], report.PlanFilename(*sh.Org, register, format, now), buf.Bytes())
}
