package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// upload posts a file as the import form does (multipart/form-data).
func (s *site) upload(path, name, content string) *httptest.ResponseRecorder {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		s.t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w
}

func controlCount(t *testing.T, o *store.OrgStore) int {
	t.Helper()
	_, total, err := o.ListControls(context.Background(), domain.ControlFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

var inlineCode = regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<script>|\son[a-z]+=|\sstyle=|<style`)

func TestReferencePage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()

		// The empty dashboard and the library lead to the reference set and the import.
		wantBody(t, s.get("/orgs/acme/"), `href="/orgs/acme/controls/reference"`, `href="/orgs/acme/controls/import"`,
			i18n.T("web.dashboard.start_text"))
		wantBody(t, s.get("/orgs/acme/controls"), `id="controls-reference"`, `id="controls-import"`)

		w := s.get("/orgs/acme/controls/reference")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.reference.subtitle", len(storetest.Catalog.Reference), 0),
			storetest.Catalog.ThemeTitle("physical"), `name="ids" value="REF-GOV-01"`, `data-select="all"`,
			`href="/catalog/iso42001-2023/A.2.2?org=acme"`, `href="/catalog/iso27001-2022/A.5.1?org=acme"`, i18n.T("web.reference.adopt"))
		if m := inlineCode.FindString(w.Body.String()); m != "" {
			t.Errorf("reference page has inline code: %q", m)
		}
		if n := strings.Count(w.Body.String(), `name="ids"`); n != len(storetest.Catalog.Reference) {
			t.Errorf("%d checkboxes for %d reference controls", n, len(storetest.Catalog.Reference))
		}
		// Filters narrow it in the page.
		w = s.get("/orgs/acme/controls/reference?theme=physical&q=media")
		wantBody(t, w, "REF-PHYS-06")
		wantNoBody(t, w, "REF-GOV-01", `id="theme-governance"`)
		wantBody(t, s.get("/orgs/acme/controls/reference?q=zzzz"), i18n.T("web.reference.none_match"))

		// Nothing ticked: said inline, nothing written.
		w = s.post("/orgs/acme/controls/reference", url.Values{})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("web.reference.nothing_selected"))
		w = s.post("/orgs/acme/controls/reference", url.Values{"ids": {"REF-GOV-01", "REF-NOPE"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("error.unknown_reference", "REF-NOPE"))
		if n := controlCount(t, o); n != 0 {
			t.Fatalf("%d controls after refused adoptions", n)
		}

		// Adopt two, then one of them again with a third.
		w = s.post("/orgs/acme/controls/reference", url.Values{"ids": {"REF-GOV-01", "REF-ACCESS-01"}})
		wantStatus(t, w, http.StatusSeeOther)
		loc := w.Header().Get("Location")
		if loc != "/orgs/acme/controls/reference?created=2&skipped=0#result" {
			t.Fatalf("redirect to %q", loc)
		}
		// A browser does not send the fragment.
		follow := func(w *httptest.ResponseRecorder) *httptest.ResponseRecorder {
			t.Helper()
			loc, _, _ := strings.Cut(w.Header().Get("Location"), "#")
			return s.get(loc)
		}
		wantBody(t, follow(w), i18n.T("web.reference.result.other", 2))
		wantNoBody(t, follow(w), i18n.T("web.reference.skipped.other", 0))
		w = s.post("/orgs/acme/controls/reference", url.Values{"ids": {"REF-GOV-01", "REF-DATA-04"}})
		w = follow(w)
		wantBody(t, w, i18n.T("web.reference.result.one", 1), i18n.T("web.reference.skipped.one", 1), i18n.T("web.reference.subtitle", len(storetest.Catalog.Reference), 3),
			`<li class="ref-item is-adopted" id="REF-GOV-01">`, `href="/orgs/acme/controls/CTL-001">CTL-001</a>`)
		wantNoBody(t, w, `name="ids" value="REF-GOV-01"`)
		w = s.post("/orgs/acme/controls/reference", url.Values{"ids": {"REF-GOV-01"}})
		wantBody(t, follow(w), i18n.T("web.reference.result_none.one", 1))

		// The control says where it came from; its history says how it began.
		w = s.get("/orgs/acme/controls/CTL-001")
		wantBody(t, w, i18n.T("web.control.adopted_from"), `href="/orgs/acme/controls/reference#REF-GOV-01">REF-GOV-01</a>`,
			i18n.T("web.action.control.adopt"))
		if n := controlCount(t, o); n != 3 {
			t.Errorf("%d controls, want 3", n)
		}

		// A viewer browses the set but is offered nothing to adopt.
		s.as = s.user("vic@example.com", "Vic Viewer", false)
		if err := o.SetMembership(ctx, testActor, "vic@example.com", "viewer", nil); err != nil {
			t.Fatal(err)
		}
		w = s.get("/orgs/acme/controls/reference")
		wantStatus(t, w, http.StatusOK)
		wantNoBody(t, w, `name="ids"`, i18n.T("web.reference.adopt"), `data-select="all"`)
		wantNoBody(t, s.get("/orgs/acme/controls"), `id="controls-reference"`, `id="controls-import"`)
		wantStatus(t, s.post("/orgs/acme/controls/reference", url.Values{"ids": {"REF-OPS-01"}}), http.StatusForbidden)
		wantStatus(t, s.get("/orgs/acme/controls/import"), http.StatusForbidden)
	})
}

// register500 is a register of 500 controls (rows 2–501) in CSV with
// semicolons; with bad set, seven rows carry the problems badRows names.
func register500(bad bool) string {
	var b strings.Builder
	b.WriteString("\ufeffControl;Responsible;Status;ISO 27001;Description\n")
	broken := map[int]string{
		12:  ";Alex;Done;A.5.1;no title",
		77:  "Row 77;Alex;Mostly;A.5.1;",
		150: "Row 150;Alex;Done;A.5.99;",
		203: "Row 203;Alex;Done;Policies;",
		310: strings.Repeat("Long ", 41) + ";Alex;Done;A.5.1;",
		404: "Row 404;Alex;Done;42001 A.9.9;",
		499: "Row 499;Alex;Started;A.8.1, 8.99;",
	}
	for row := 2; row <= 501; row++ {
		if line, ok := broken[row]; ok && bad {
			b.WriteString(line + "\n")
			continue
		}
		fmt.Fprintf(&b, "Control %d;Owner %d;%s;\"A.5.%d; %d.%d\";Row %d of the register\n", row, row%7,
			[]string{"Done", "In progress", "Not started", "Planned"}[row%4], row%37+1, 8, row%34+1, row)
	}
	return b.String()
}

var badRows = []int{12, 77, 150, 203, 310, 404, 499}

func TestImportPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")

		w := s.get("/orgs/acme/controls/import")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `enctype="multipart/form-data"`, `name="file"`, i18n.T("web.import.upload"))
		if m := inlineCode.FindString(w.Body.String()); m != "" {
			t.Errorf("import page has inline code: %q", m)
		}

		// Unusable files are refused at the upload, inline.
		w = s.upload("/orgs/acme/controls/import", "empty.csv", "")
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="i-file-error"`, i18n.T("error.import_empty"))
		wantBody(t, s.upload("/orgs/acme/controls/import", "old.xls", "\xd0\xcf\x11\xe0rest"), i18n.T("error.import_xls"))

		// 500 rows with 7 bad ones: the mapping is guessed, every bad row
		// is named with its row number, and nothing is written.
		w = s.upload("/orgs/acme/controls/import", "register.csv", register500(true))
		wantStatus(t, w, http.StatusUnprocessableEntity)
		body := w.Body.String()
		if m := inlineCode.FindString(body); m != "" {
			t.Errorf("mapping page has inline code: %q", m)
		}
		wantBody(t, w, i18n.T("web.import.file_summary", "register.csv", 5, 500),
			`<option value="0" selected>Control</option>`, `<option value="1" selected>Responsible</option>`,
			`<option value="3" selected>ISO 27001</option>`, `<option value="4" selected>Description</option>`,
			`<option value="iso27001-2022" selected>`, i18n.T("web.import.summary_bad", 7, 500),
			i18n.T("error.import_status", "Mostly"), i18n.T("error.import_ref_unknown", "A.5.99"),
			i18n.T("error.import_ref_unreadable", "Policies"), i18n.T("error.import_ref_not_in", "A.9.9", "ISO/IEC 42001:2023"))
		for _, row := range badRows {
			if !strings.Contains(body, fmt.Sprintf("<td class=\"nowrap\">%s %d</td>", i18n.T("web.import.row"), row)) {
				t.Errorf("row %d is not named", row)
			}
		}
		wantNoBody(t, w, `id="import-commit"`)
		if n := controlCount(t, o); n != 0 {
			t.Fatalf("%d controls written before the commit", n)
		}
		id := regexp.MustCompile(`name="import" value="([0-9a-f]{32})"`).FindStringSubmatch(body)
		if id == nil {
			t.Fatal("no import id on the mapping page")
		}

		// Another mapping is checked on the stored file: without a title
		// column it is refused at the mapping.
		form := url.Values{"import": {id[1]}, "col_title": {""}, "col_owner": {"1"}, "default_standard": {"iso27001-2022"}}
		w = s.post("/orgs/acme/controls/import/preview", form)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="m-title-error"`, i18n.T("error.import_title_unmapped"))

		// A commit of the bad file is refused whole, whatever the browser sends.
		form = url.Values{"import": {id[1]}, "col_title": {"0"}, "col_owner": {"1"}, "col_status": {"2"},
			"col_requirements": {"3"}, "col_description": {"4"}, "default_standard": {"iso27001-2022"}}
		w = s.post("/orgs/acme/controls/import/commit", form)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, i18n.T("web.import.summary_bad", 7, 500))
		if n := controlCount(t, o); n != 0 {
			t.Fatalf("%d controls written by a refused commit", n)
		}

		// The corrected file: all valid, one commit writes all 500 rows.
		w = s.upload("/orgs/acme/controls/import", "register.csv", register500(false))
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, i18n.T("web.import.summary_ok", 500), i18n.T("web.import.commit", 500), i18n.T("web.import.preview_more", 480))
		good := regexp.MustCompile(`name="import" value="([0-9a-f]{32})"`).FindStringSubmatch(w.Body.String())
		form.Set("import", good[1])
		w = s.post("/orgs/acme/controls/import/commit", form)
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/controls?notice=imported" {
			t.Fatalf("commit redirects to %q", loc)
		}
		wantBody(t, s.get("/orgs/acme/controls?notice=imported"), i18n.T("web.notice.imported"), "500 controls")
		c, err := o.Control(context.Background(), "CTL-002")
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != "Control 3" || c.Owner != "Owner 3" || c.Status != domain.StatusPlanned ||
			strings.Join(c.Requirements, " ") != "iso27001-2022/A.5.4 iso27001-2022/A.8.4" || c.Description != "Row 3 of the register" {
			t.Errorf("row 3 became %+v", c)
		}
		wantBody(t, s.get("/orgs/acme/controls/CTL-002"), i18n.T("web.action.control.import"))

		// The upload is gone with the commit: a second commit (a double
		// click, a back button) imports nothing.
		w = s.post("/orgs/acme/controls/import/commit", form)
		wantStatus(t, w, http.StatusGone)
		wantBody(t, w, i18n.T("error.import_expired"))
		wantStatus(t, s.post("/orgs/acme/controls/import/preview", url.Values{"import": {"0123456789abcdef0123456789abcdef"}}), http.StatusGone)
		if n := controlCount(t, o); n != 500 {
			t.Errorf("%d controls, want 500", n)
		}

		// Someone else in the organization cannot use another person's upload.
		w = s.upload("/orgs/acme/controls/import", "small.csv", "Title\nOne\n")
		small := regexp.MustCompile(`name="import" value="([0-9a-f]{32})"`).FindStringSubmatch(w.Body.String())
		s.as = s.user("maria@example.com", "Maria Manager", false)
		if err := o.SetMembership(context.Background(), testActor, "maria@example.com", "manager", nil); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.post("/orgs/acme/controls/import/commit", url.Values{"import": {small[1]}, "col_title": {"0"}}), http.StatusGone)
	})
}
