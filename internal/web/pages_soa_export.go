package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"time"

	"tandem/internal/domain"
	"tandem/internal/report"
)

// soaExportTypes are the SoA download formats and their media types.
var soaExportTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pdf":  "application/pdf",
	"csv":  "text/csv; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
}

// soaExport downloads one standard's SoA, the draft or an issued version
// (?version=N), as XLSX, PDF, CSV or Markdown.
func (h *handler) soaExport(w http.ResponseWriter, r *http.Request) {
	o, _, std, ok := h.soaScope(w, r)
	if !ok {
		return
	}
	format := r.URL.Query().Get("format")
	if soaExportTypes[format] == "" {
		h.notFound(w, r)
		return
	}
	doc := report.SoADocument{Org: o.Org(), Standard: std, GeneratedAt: time.Now()}
	name := o.Org().Slug + "-soa-" + std.ID
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			h.notFound(w, r)
			return
		}
		version, err := o.SoAVersion(r.Context(), std.ID, n)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		doc.Version, doc.Rows = &version, version.Rows
		name += "-v" + strconv.Itoa(n)
	} else {
		rows, err := o.SoA(r.Context(), std.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		doc.Rows = rows
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "xlsx":
		err = report.SoAXLSX(&buf, doc)
	case "pdf":
		err = report.SoAPDF(&buf, doc)
	case "csv":
		err = report.SoACSV(&buf, doc)
	case "md":
		err = report.SoAMarkdown(&buf, doc)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	download(w, soaExportTypes[format], name+"."+format, buf.Bytes())
}

// soaWorkbook downloads both SoAs (drafts) in one workbook.
func (h *handler) soaWorkbook(w http.ResponseWriter, r *http.Request) {
	o, _, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	var docs []report.SoADocument
	for _, std := range h.cat.Standards {
		rows, err := o.SoA(r.Context(), std.ID)
		if errors.Is(err, domain.ErrNotFound) {
			continue // a standard without Annex A has no SoA
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		docs = append(docs, report.SoADocument{Org: o.Org(), Standard: std, GeneratedAt: time.Now(), Rows: rows})
	}
	var buf bytes.Buffer
	if err := report.SoAXLSX(&buf, docs...); err != nil {
		h.fail(w, r, err)
		return
	}
	download(w, soaExportTypes["xlsx"], o.Org().Slug+"-soa.xlsx", buf.Bytes())
}

func download(w http.ResponseWriter, contentType, filename string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
