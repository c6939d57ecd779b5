package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/importer"
	"tandem/internal/store"
)

// Importing a control register takes three steps: upload the file, map its
// columns to the fields of a control, check every row and import them all.
//
// Between the steps the parsed file is kept on the server (store
// StashImport: the control_imports table, per organization and person,
// for an hour) and the browser carries only its random id and the mapping.
// So what is imported is exactly what was checked, whatever a browser sends
// back, and a person need not upload the file again to try another mapping.
// The commit checks every row once more and deletes the stash in the same
// transaction that creates the controls.

// maxUpload is the server's request limit (server.MaxBody), which also
// bounds the register file.
const maxUpload = 4 << 20

// importColumn is one column of the uploaded file, for the mapping menus.
type importColumn struct {
	Index  int
	Name   string
	Sample string // the first value below the header
}

// importField is one field of a control and the column it reads from.
type importField struct {
	Name   string
	Label  string // message id
	Column int
	Error  string
}

type importData struct {
	*Shell
	Step            string // "upload" or "map"
	ID              string
	FileName        string
	FileError       string
	Columns         []importColumn
	Fields          []importField
	DefaultStandard string
	Standards       []*catalog.Standard
	Rows            int
	Result          *importer.Result
	Problems        []importer.Problem
	MoreProblems    int
	Preview         []previewRow
	MorePreview     int
	MaxRows         int
}

// previewRow is one row of the file as the control it would become.
type previewRow struct {
	Row     int
	Control domain.Control
	Bad     bool // the row has a problem
}

// Display bounds of the check step.
const (
	problemsShown = 300
	previewShown  = 20
)

func (h *handler) importPage(w http.ResponseWriter, r *http.Request) {
	_, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderUpload(w, r, sh, http.StatusOK, "")
}

func (h *handler) renderUpload(w http.ResponseWriter, r *http.Request, sh *Shell, status int, fileError string) {
	sh.Title, sh.Section = i18n.T("web.import.title"), "controls"
	h.render(w, r, status, "import", &importData{Shell: sh, Step: "upload", FileError: fileError, MaxRows: domain.MaxImportRows})
}

// importUpload reads the file, keeps it on the server and shows the mapping
// step with the columns guessed from the headers, checked at once.
func (h *handler) importUpload(w http.ResponseWriter, r *http.Request) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.renderUpload(w, r, sh, http.StatusRequestEntityTooLarge, i18n.T("error.import_too_large"))
			return
		}
		h.renderUpload(w, r, sh, http.StatusUnprocessableEntity, i18n.T("error.import_no_file"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		h.renderUpload(w, r, sh, http.StatusUnprocessableEntity, i18n.T("error.import_no_file"))
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, maxUpload+1))
	file.Close()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(data) > maxUpload {
		h.renderUpload(w, r, sh, http.StatusRequestEntityTooLarge, i18n.T("error.import_too_large"))
		return
	}
	table, err := importer.Read(header.Filename, data)
	if v, ok := domain.AsValidation(err); ok {
		h.renderUpload(w, r, sh, http.StatusUnprocessableEntity, v.Fields[0].Message)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	raw, err := json.Marshal(table)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := o.StashImport(r.Context(), actor(r), header.Filename, raw)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := importer.Guess(table.Headers, h.cat)
	h.renderMapping(w, r, sh, id, header.Filename, table, m, nil)
}

// stashedImport is an upload kept between the steps, and where it is.
type stashedImport struct {
	o     *store.OrgStore
	sh    *Shell
	id    string
	name  string
	table *importer.Table
}

// stashed reads the upload a mapping or commit form names; a missing or
// expired one is answered with the upload step and a message.
func (h *handler) stashed(w http.ResponseWriter, r *http.Request) (*stashedImport, bool) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return nil, false
	}
	s := &stashedImport{o: o, sh: sh, id: r.PostForm.Get("import")}
	name, raw, err := o.StashedImport(r.Context(), actor(r), s.id)
	if errors.Is(err, domain.ErrNotFound) {
		h.renderUpload(w, r, sh, http.StatusGone, i18n.T("error.import_expired"))
		return nil, false
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	s.name, s.table = name, &importer.Table{}
	if err := json.Unmarshal(raw, s.table); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return s, true
}

// formMapping reads the mapping menus: a column index per field ("" for
// none) and the default standard.
func formMapping(r *http.Request) importer.Mapping {
	m := importer.NewMapping()
	for _, f := range importer.Fields {
		if i, err := strconv.Atoi(r.PostForm.Get("col_" + f)); err == nil {
			m.Columns[f] = i
		}
	}
	m.DefaultStandard = r.PostForm.Get("default_standard")
	return m
}

func (h *handler) importPreview(w http.ResponseWriter, r *http.Request) {
	s, ok := h.stashed(w, r)
	if !ok {
		return
	}
	h.renderMapping(w, r, s.sh, s.id, s.name, s.table, formMapping(r), nil)
}

func (h *handler) importCommit(w http.ResponseWriter, r *http.Request) {
	s, ok := h.stashed(w, r)
	if !ok {
		return
	}
	sh, m := s.sh, formMapping(r)
	if m.Validate(s.table, h.cat) != nil {
		h.renderMapping(w, r, sh, s.id, s.name, s.table, m, nil)
		return
	}
	res := importer.Check(s.table, m, h.cat)
	if !res.OK() {
		h.renderMapping(w, r, sh, s.id, s.name, s.table, m, res)
		return
	}
	_, err := s.o.ImportControls(r.Context(), actor(r), s.id, res.Rows)
	switch v, invalid := domain.AsValidation(err); {
	case errors.Is(err, domain.ErrNotFound):
		h.renderUpload(w, r, sh, http.StatusGone, i18n.T("error.import_expired"))
		return
	case invalid:
		// The check above and the store agree; should they not, the
		// store's word is shown rather than lost.
		h.renderUpload(w, r, sh, http.StatusUnprocessableEntity, v.Fields[0].Message)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath("controls")+"?notice=imported", http.StatusSeeOther)
}

// renderMapping shows the mapping step and, when the mapping is complete,
// the check of every row: problems first, then a preview. A result already
// computed (by a refused commit) is shown as it is.
func (h *handler) renderMapping(w http.ResponseWriter, r *http.Request, sh *Shell, id, name string, t *importer.Table, m importer.Mapping, res *importer.Result) {
	sh.Title, sh.Section = i18n.T("web.import.title"), "controls"
	d := &importData{Shell: sh, Step: "map", ID: id, FileName: name, Rows: len(t.Rows), DefaultStandard: m.DefaultStandard,
		Standards: h.cat.Standards, MaxRows: domain.MaxImportRows}
	for i, header := range t.Headers {
		col := importColumn{Index: i, Name: header}
		for _, row := range t.Rows {
			if v := row.Cell(i); v != "" {
				col.Sample = v
				break
			}
		}
		d.Columns = append(d.Columns, col)
	}
	status := http.StatusOK
	bad, _ := domain.AsValidation(m.Validate(t, h.cat))
	if bad == nil {
		bad = &domain.ValidationError{}
	}
	for _, f := range importer.Fields {
		d.Fields = append(d.Fields, importField{Name: f, Label: "web.import.field." + f, Column: m.Column(f), Error: bad.For("mapping." + f)})
	}
	if msg := bad.For("mapping.default_standard"); msg != "" {
		d.DefaultStandard = ""
	}
	if len(bad.Fields) == 0 {
		if res == nil {
			res = importer.Check(t, m, h.cat)
		}
		d.Result = res
		d.Problems = res.Problems
		if len(d.Problems) > problemsShown {
			d.Problems, d.MoreProblems = d.Problems[:problemsShown], len(d.Problems)-problemsShown
		}
		badRows := map[int]bool{}
		for _, p := range res.Problems {
			badRows[p.Row] = true
		}
		for i, c := range res.Controls {
			if i == previewShown {
				d.MorePreview = len(res.Controls) - previewShown
				break
			}
			row := res.Rows[i].Row
			d.Preview = append(d.Preview, previewRow{Row: row, Control: c, Bad: badRows[row]})
		}
	}
	if len(bad.Fields) > 0 || (d.Result != nil && !d.Result.OK()) {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "import", d)
}
