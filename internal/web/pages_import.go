package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/importer"
	"tandem/internal/store"
)

// Importing a register — the control register, a risk register or the
// asset inventory — takes three steps: upload the file, map its columns
// to the fields of a record, check every row and import them all.
//
// Between the steps the parsed file is kept on the server (store
// StashRegister: per organization, person and kind of register, for an
// hour) and the browser carries only its random id and the mapping. So
// what is imported is exactly what was checked, whatever a browser sends
// back, and a person need not upload the file again to try another
// mapping. The commit checks every row once more and deletes the stash in
// the same transaction that creates the records.

// maxUpload is the server's request limit (server.MaxBody), which also
// bounds the register file.
const maxUpload = 4 << 20

// importFlow is one kind of register import: what it imports into, where
// its steps live and the texts that differ.
type importFlow struct {
	kind     *importer.Kind
	stash    string // the store's kind of upload
	register string // risks: the register the whole file goes to
	section  string
	base     []string // the upload step under the organization
	query    string   // added to every step's path ("?register=ai")
	// Message ids of the page's texts.
	title, intro, fileHint, mapHint, commit string
	// fieldLabels is the message id prefix of the field names.
	fieldLabels string
	// back is the register the page belongs to (path parts) and its name.
	back      []string
	backQuery string
	backLabel string
	// check reads every row of t through m; it is the flow's own rules.
	check func(ctx context.Context, o *store.OrgStore, t *importer.Table, m importer.Mapping) (*checkedFile, error)
	// guess maps the columns of a new upload from its headers.
	guess func(headers []string) importer.Mapping
}

// checkedFile is an upload checked through a mapping: its outcome, the
// preview of its rows and the import of them all.
type checkedFile struct {
	outcome *importer.Outcome
	preview func(d *importData, bad map[int]bool)
	commit  func(ctx context.Context, o *store.OrgStore, a domain.Actor, src store.ImportSource) error
	// done is where a committed import leads (path parts and query).
	done string
}

// controlImport is the control register's import.
func (h *handler) controlImport() *importFlow {
	return &importFlow{kind: importer.Controls, stash: store.ImportControlsKind, section: "controls",
		base: []string{"controls", "import"}, title: "web.import.title", intro: "web.import.intro",
		fileHint: "web.import.file_hint", mapHint: "web.import.map_hint", commit: "web.import.commit",
		fieldLabels: "web.import.field.", back: []string{"controls"}, backLabel: "web.reference.back",
		guess: func(headers []string) importer.Mapping { return importer.Guess(headers, h.cat) },
		check: func(ctx context.Context, o *store.OrgStore, t *importer.Table, m importer.Mapping) (*checkedFile, error) {
			res := importer.Check(t, m, h.cat)
			return &checkedFile{outcome: &res.Outcome, done: "controls?notice=imported",
				preview: func(d *importData, bad map[int]bool) {
					for i, c := range res.Controls {
						if i == previewShown {
							d.MorePreview = len(res.Controls) - previewShown
							break
						}
						row := res.Rows[i].Row
						d.Preview = append(d.Preview, previewRow{Row: row, Control: c, Bad: bad[row]})
					}
				},
				commit: func(ctx context.Context, o *store.OrgStore, a domain.Actor, src store.ImportSource) error {
					_, err := o.ImportControls(ctx, a, src.Stash, res.Rows)
					return err
				}}, nil
		}}
}

// path is a step's path in the organization of sh: the upload step, or
// one below it ("preview", "commit").
func (f *importFlow) path(sh *Shell, step ...string) string {
	return sh.OrgPath(append(append([]string(nil), f.base...), step...)...) + f.query
}

// importColumn is one column of the uploaded file, for the mapping menus.
type importColumn struct {
	Index  int
	Name   string
	Sample string // the first value below the header
}

// importField is one field of a record and the column it reads from.
type importField struct {
	Name     string
	Label    string // message id
	Required bool   // shown as required (the control titles say it themselves)
	Column   int
	Error    string
}

type importData struct {
	*Shell
	Kind            string // the kind's id: controls, risks:security, risks:ai, assets
	Register        string
	Step            string // "upload" or "map"
	ID              string
	FileName        string
	FileError       string
	Columns         []importColumn
	Fields          []importField
	Mapped          map[string]bool // the fields that have a column
	FieldLabels     string
	DefaultStandard string
	Standards       []*catalog.Standard
	Rows            int
	Result          *importer.Outcome
	Problems        []importer.Problem
	MoreProblems    int
	Preview         []previewRow
	RiskPreview     []riskPreviewRow
	AssetPreview    []assetPreviewRow
	MorePreview     int
	MaxRows         int
	// Paths and texts of the flow.
	Action, PreviewAction, CommitAction, BackPath string
	TitleID, IntroID, FileHintID, MapHintID       string
	CommitID, BackLabel                           string
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

func (f *importFlow) data(sh *Shell) *importData {
	sh.Title, sh.Section = i18n.T(f.title), f.section
	back := sh.OrgPath(f.back...) + f.backQuery
	return &importData{Shell: sh, Kind: f.kind.ID, Register: f.register, FieldLabels: f.fieldLabels, MaxRows: domain.MaxImportRows,
		Action: f.path(sh), PreviewAction: f.path(sh, "preview"), CommitAction: f.path(sh, "commit"), BackPath: back,
		TitleID: f.title, IntroID: f.intro, FileHintID: f.fileHint, MapHintID: f.mapHint, CommitID: f.commit, BackLabel: f.backLabel}
}

func (h *handler) importPage(w http.ResponseWriter, r *http.Request) {
	h.uploadPage(w, r, h.controlImport())
}

func (h *handler) importUpload(w http.ResponseWriter, r *http.Request) {
	h.upload(w, r, h.controlImport())
}

func (h *handler) importPreview(w http.ResponseWriter, r *http.Request) {
	h.preview(w, r, h.controlImport())
}

func (h *handler) importCommit(w http.ResponseWriter, r *http.Request) {
	h.commit(w, r, h.controlImport())
}

func (h *handler) uploadPage(w http.ResponseWriter, r *http.Request, f *importFlow) {
	_, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	h.renderUpload(w, r, f, sh, http.StatusOK, "")
}

func (h *handler) renderUpload(w http.ResponseWriter, r *http.Request, f *importFlow, sh *Shell, status int, fileError string) {
	d := f.data(sh)
	d.Step, d.FileError = "upload", fileError
	h.render(w, r, status, "import", d)
}

// upload reads the file, keeps it on the server and shows the mapping
// step with the columns guessed from the headers, checked at once.
func (h *handler) upload(w http.ResponseWriter, r *http.Request, f *importFlow) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return
	}
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.renderUpload(w, r, f, sh, http.StatusRequestEntityTooLarge, i18n.T("error.import_too_large"))
			return
		}
		h.renderUpload(w, r, f, sh, http.StatusUnprocessableEntity, i18n.T("error.import_no_file"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		h.renderUpload(w, r, f, sh, http.StatusUnprocessableEntity, i18n.T("error.import_no_file"))
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, maxUpload+1))
	file.Close()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(data) > maxUpload {
		h.renderUpload(w, r, f, sh, http.StatusRequestEntityTooLarge, i18n.T("error.import_too_large"))
		return
	}
	table, err := importer.Read(header.Filename, data)
	if v, ok := domain.AsValidation(err); ok {
		h.renderUpload(w, r, f, sh, http.StatusUnprocessableEntity, v.Fields[0].Message)
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
	id, err := o.StashRegister(r.Context(), actor(r), f.stash, header.Filename, raw)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := &stashedImport{o: o, sh: sh, id: id, name: header.Filename, table: table}
	h.renderMapping(w, r, f, s, f.guess(table.Headers), nil)
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
// expired one (or one uploaded for another register) is answered with the
// upload step and a message.
func (h *handler) stashed(w http.ResponseWriter, r *http.Request, f *importFlow) (*stashedImport, bool) {
	o, sh, ok := h.orgScope(w, r)
	if !ok {
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return nil, false
	}
	s := &stashedImport{o: o, sh: sh, id: r.PostForm.Get("import")}
	name, raw, err := o.StashedRegister(r.Context(), actor(r), f.stash, s.id)
	if errors.Is(err, domain.ErrNotFound) {
		h.renderUpload(w, r, f, sh, http.StatusGone, i18n.T("error.import_expired"))
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
// none) and (controls) the default standard.
func (f *importFlow) formMapping(r *http.Request) importer.Mapping {
	m := f.kind.NewMapping()
	for _, field := range f.kind.Fields {
		if i, err := strconv.Atoi(r.PostForm.Get("col_" + field)); err == nil {
			m.Columns[field] = i
		}
	}
	if f.kind == importer.Controls {
		m.DefaultStandard = r.PostForm.Get("default_standard")
	}
	return m
}

func (h *handler) preview(w http.ResponseWriter, r *http.Request, f *importFlow) {
	s, ok := h.stashed(w, r, f)
	if !ok {
		return
	}
	h.renderMapping(w, r, f, s, f.formMapping(r), nil)
}

func (h *handler) commit(w http.ResponseWriter, r *http.Request, f *importFlow) {
	s, ok := h.stashed(w, r, f)
	if !ok {
		return
	}
	sh, m := s.sh, f.formMapping(r)
	if m.Validate(s.table, h.cat) != nil {
		h.renderMapping(w, r, f, s, m, nil)
		return
	}
	c, err := f.check(r.Context(), s.o, s.table, m)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !c.outcome.OK() {
		h.renderMapping(w, r, f, s, m, c)
		return
	}
	err = c.commit(r.Context(), s.o, actor(r), store.ImportSource{Stash: s.id, File: s.name})
	switch v, invalid := domain.AsValidation(err); {
	case errors.Is(err, domain.ErrNotFound):
		h.renderUpload(w, r, f, sh, http.StatusGone, i18n.T("error.import_expired"))
		return
	case invalid:
		// The check above and the store agree; should they not (a control
		// deleted in between), the store's word is shown rather than lost.
		h.renderUpload(w, r, f, sh, http.StatusUnprocessableEntity, v.Fields[0].Message)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sh.OrgPath()+c.done, http.StatusSeeOther)
}

// renderMapping shows the mapping step and, when the mapping is complete,
// the check of every row: problems first, then a preview. A check already
// made (by a refused commit) is shown as it is.
func (h *handler) renderMapping(w http.ResponseWriter, r *http.Request, f *importFlow, s *stashedImport, m importer.Mapping, c *checkedFile) {
	t := s.table
	d := f.data(s.sh)
	d.Step, d.ID, d.FileName, d.Rows, d.DefaultStandard = "map", s.id, s.name, len(t.Rows), m.DefaultStandard
	if f.kind == importer.Controls {
		d.Standards = h.cat.Standards
	}
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
	d.Mapped = map[string]bool{}
	for _, field := range f.kind.Fields {
		d.Mapped[field] = m.Column(field) >= 0
		d.Fields = append(d.Fields, importField{Name: field, Label: f.fieldLabels + field, Column: m.Column(field),
			Required: f.kind != importer.Controls && slices.Contains(f.kind.Required, field), Error: bad.For("mapping." + field)})
	}
	if msg := bad.For("mapping.default_standard"); msg != "" {
		d.DefaultStandard = ""
	}
	if len(bad.Fields) == 0 {
		if c == nil {
			var err error
			if c, err = f.check(r.Context(), s.o, t, m); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		d.Result = c.outcome
		d.Problems = c.outcome.Problems
		if len(d.Problems) > problemsShown {
			d.Problems, d.MoreProblems = d.Problems[:problemsShown], len(d.Problems)-problemsShown
		}
		badRows := map[int]bool{}
		for _, p := range c.outcome.Problems {
			badRows[p.Row] = true
		}
		c.preview(d, badRows)
	}
	if len(bad.Fields) > 0 || (d.Result != nil && !d.Result.OK()) {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "import", d)
}
