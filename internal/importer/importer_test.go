package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

var cat = catalog.MustLoad()

func mustRead(t *testing.T, name string, data []byte) *Table {
	t.Helper()
	tab, err := Read(name, data)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return tab
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		headers []string
		rows    [][]string
		numbers []int
	}{
		{"comma", "Control,Owner,Annex A\nAccess reviews,CISO,A.5.18\n",
			[]string{"Control", "Owner", "Annex A"}, [][]string{{"Access reviews", "CISO", "A.5.18"}}, []int{2}},
		{"semicolon with commas inside", "Control;Owner;Annex A\nAccess reviews, yearly;CISO;A.5.18, A.5.15\n",
			[]string{"Control", "Owner", "Annex A"}, [][]string{{"Access reviews, yearly", "CISO", "A.5.18, A.5.15"}}, []int{2}},
		{"tab", "Control\tOwner\nBackups\tIT\n", []string{"Control", "Owner"}, [][]string{{"Backups", "IT"}}, []int{2}},
		{"byte-order mark and CRLF", "\ufeffTitle,Status\r\nBackups,Done\r\n", []string{"Title", "Status"}, [][]string{{"Backups", "Done"}}, []int{2}},
		{"quoted header with separators", "\"Control; name\",Owner\nX,Y\n", []string{"Control; name", "Owner"}, [][]string{{"X", "Y"}}, []int{2}},
		{"blank lines count as rows, a cell over two lines does not", "\n\nTitle,Notes\n\"First\",\"line one\nline two\"\n\nSecond,x\n",
			[]string{"Title", "Notes"}, [][]string{{"First", "line one\nline two"}, {"Second", "x"}}, []int{4, 6}},
		{"empty header named by its letter", "Title,,Owner\nA,B,C\n", []string{"Title", "Column B", "Owner"}, [][]string{{"A", "B", "C"}}, []int{2}},
		{"wider rows than the header", "Title\nA,extra\n", []string{"Title", "Column B"}, [][]string{{"A", "extra"}}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := mustRead(t, "r.csv", []byte(tt.data))
			if strings.Join(tab.Headers, "|") != strings.Join(tt.headers, "|") {
				t.Errorf("headers %q, want %q", tab.Headers, tt.headers)
			}
			if len(tab.Rows) != len(tt.rows) {
				t.Fatalf("%d rows, want %d: %+v", len(tab.Rows), len(tt.rows), tab.Rows)
			}
			for i, r := range tab.Rows {
				if strings.Join(r.Cells, "|") != strings.Join(tt.rows[i], "|") || r.Number != tt.numbers[i] {
					t.Errorf("row %d = %d %q, want %d %q", i, r.Number, r.Cells, tt.numbers[i], tt.rows[i])
				}
			}
		})
	}
}

func TestReadWindows1252(t *testing.T) {
	// "Contrôle;Propriétaire" as older Excel versions save CSV.
	data := []byte("Contr\xf4le;Propri\xe9taire\nSauvegardes;\xc9quipe IT\n")
	tab := mustRead(t, "r.csv", data)
	if tab.Headers[0] != "Contrôle" || tab.Rows[0].Cells[1] != "Équipe IT" {
		t.Errorf("decoded %q %q", tab.Headers, tab.Rows[0].Cells)
	}
}

func TestReadProblems(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		code       string
	}{
		{"empty", "r.csv", []byte("  \n"), "error.import_empty"},
		{"header only", "r.csv", []byte("Title,Owner\n\n"), "error.import_no_rows"},
		{"old excel", "r.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 1, 2}, "error.import_xls"},
		{"broken workbook", "r.xlsx", []byte("PK\x03\x04garbage"), "error.import_unreadable"},
		{"too many rows", "r.csv", []byte("Title\n" + strings.Repeat("x\n", domain.MaxImportRows+1)), "error.import_too_many_rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.file, tt.data)
			v, ok := domain.AsValidation(err)
			if !ok || len(v.Fields) != 1 || v.Fields[0].Field != "file" || v.Fields[0].Code != tt.code {
				t.Errorf("err = %v, want %s on file", err, tt.code)
			}
		})
	}
}

// xlsxOf writes a workbook with excelize: rows from A1 on the first sheet
// (a second sheet is there to show that only the first is read).
func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Notes"); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Notes", "A1", "Not a register")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := xlsxOf(t, [][]any{
		{},
		{"Control", "Responsible", "ISO 27001", "Status"},
		{"Access reviews", "CISO", "A.5.18; A.5.15", "Done"},
		{},
		{"Backups", "IT", "8.13", 1},
	})
	if Sniff(data) != FormatXLSX {
		t.Fatal("not sniffed as XLSX")
	}
	tab := mustRead(t, "register.xlsx", data)
	if strings.Join(tab.Headers, "|") != "Control|Responsible|ISO 27001|Status" {
		t.Errorf("headers %q", tab.Headers)
	}
	if len(tab.Rows) != 2 || tab.Rows[0].Number != 3 || tab.Rows[1].Number != 5 || tab.Rows[1].Cell(3) != "1" {
		t.Errorf("rows %+v", tab.Rows)
	}
	m := Guess(tab.Headers, cat)
	res := Check(tab, m, cat)
	if len(res.Problems) != 1 || res.Problems[0].Row != 5 || res.Problems[0].Field != FieldStatus {
		t.Errorf("problems %+v", res.Problems)
	}
	if got := strings.Join(res.Controls[0].Requirements, " "); got != "iso27001-2022/A.5.15 iso27001-2022/A.5.18" {
		t.Errorf("row 3 requirements %s", got)
	}
	if res.Controls[1].Requirements[0] != "iso27001-2022/A.8.13" {
		t.Errorf("row 5 requirements %v", res.Controls[1].Requirements)
	}
}

func TestGuess(t *testing.T) {
	tests := []struct {
		headers []string
		want    map[string]int
		std     string
	}{
		{[]string{"ID", "Control", "Control owner", "Control description", "Annex A", "Implementation status"},
			map[string]int{FieldTitle: 1, FieldOwner: 2, FieldDescription: 3, FieldRequirements: 4, FieldStatus: 5, FieldStandard: -1}, ""},
		{[]string{"Name", "Responsible", "ISO 27001", "State"},
			map[string]int{FieldTitle: 0, FieldOwner: 1, FieldRequirements: 2, FieldStatus: 3, FieldDescription: -1}, "iso27001-2022"},
		{[]string{"Control Title", "Details", "Reference", "Standard", "Accountable"},
			map[string]int{FieldTitle: 0, FieldDescription: 1, FieldRequirements: 2, FieldStandard: 3, FieldOwner: 4}, ""},
		{[]string{"Measure", "Clause", "ISO/IEC 42001:2023 mapping"},
			map[string]int{FieldTitle: 0, FieldRequirements: 1}, ""},
		{[]string{"Safeguard", "ISO/IEC 42001 Annex A"},
			map[string]int{FieldTitle: 0, FieldRequirements: 1}, "iso42001-2023"},
		{[]string{"Something", "Else"}, map[string]int{FieldTitle: -1, FieldRequirements: -1}, ""},
	}
	for _, tt := range tests {
		m := Guess(tt.headers, cat)
		for f, want := range tt.want {
			if got := m.Column(f); got != want {
				t.Errorf("%q: %s → column %d, want %d", tt.headers, f, got, want)
			}
		}
		if m.DefaultStandard != tt.std {
			t.Errorf("%q: default standard %q, want %q", tt.headers, m.DefaultStandard, tt.std)
		}
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", domain.StatusPlanned, true},
		{"Planned", domain.StatusPlanned, true},
		{"Not started", domain.StatusPlanned, true},
		{"to-do", domain.StatusPlanned, true},
		{"In progress", domain.StatusInProgress, true},
		{"in_progress", domain.StatusInProgress, true},
		{"Partially implemented", domain.StatusInProgress, true},
		{"WIP", domain.StatusInProgress, true},
		{"Done", domain.StatusImplemented, true},
		{"Implemented", domain.StatusImplemented, true},
		{" completed ", domain.StatusImplemented, true},
		{"Not implemented", domain.StatusNotImplemented, true},
		{"not_implemented", domain.StatusNotImplemented, true},
		{"Won't do", domain.StatusNotImplemented, true},
		{"Mostly", "", false},
		{"N/A", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseStatus(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseStatus(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResolveRefs(t *testing.T) {
	tests := []struct {
		name         string
		cell, rowStd string
		defaultStd   string
		clauseColumn bool
		want         string // keys, space-separated
		problems     []string
	}{
		{"annex ref", "A.5.1", "", "", false, "iso27001-2022/A.5.1", nil},
		{"bare number is the annex control", "5.1", "", "iso27001-2022", false, "iso27001-2022/A.5.1", nil},
		{"bare number in a clause column", "5.1", "", "iso27001-2022", true, "iso27001-2022/5.1", nil},
		{"explicit clause", "Clause 6.1.2; cl. 9.2", "", "iso27001-2022", false, "iso27001-2022/6.1.2 iso27001-2022/9.2", nil},
		{"ref with its title", "A.5.1 Policies for information security", "", "iso27001-2022", false, "iso27001-2022/A.5.1", nil},
		{"ref with a colon and title", "A.8.24: Use of cryptography", "", "", false, "iso27001-2022/A.8.24", nil},
		{"key", "iso27001-2022/A.5.1", "", "", false, "iso27001-2022/A.5.1", nil},
		{"key with title", "iso42001-2023/A.6.2.4 verification", "", "", false, "iso42001-2023/A.6.2.4", nil},
		{"several, every separator", "A.5.1, A.5.2;A.5.3\nA.5.4", "", "iso27001-2022", false,
			"iso27001-2022/A.5.1 iso27001-2022/A.5.2 iso27001-2022/A.5.3 iso27001-2022/A.5.4", nil},
		{"standard named before the ref", "ISO 27001 A.5.1; 42001: A.2.2; ISO/IEC 42001:2023 A.6.2.4", "", "", false,
			"iso27001-2022/A.5.1 iso42001-2023/A.2.2 iso42001-2023/A.6.2.4", nil},
		{"unique to one standard without a default", "A.6.2.4; A.8.34", "", "", false, "iso42001-2023/A.6.2.4 iso27001-2022/A.8.34", nil},
		{"ambiguous without a default", "A.5.2", "", "", false, "", []string{"error.import_ref_ambiguous"}},
		{"default decides", "A.5.2", "", "iso42001-2023", false, "iso42001-2023/A.5.2", nil},
		{"default is a preference", "A.8.30", "", "iso42001-2023", false, "iso27001-2022/A.8.30", nil},
		{"row standard decides", "A.5.2", "iso27001-2022", "iso42001-2023", false, "iso27001-2022/A.5.2", nil},
		{"row standard is a rule", "A.8.30", "iso42001-2023", "", false, "", []string{"error.import_ref_not_in"}},
		{"unknown ref", "A.9.9", "", "iso27001-2022", false, "", []string{"error.import_ref_unknown"}},
		{"unknown ref in the named standard", "ISO 27001 A.9.9", "", "", false, "", []string{"error.import_ref_not_in"}},
		{"not a ref", "Policies", "", "", false, "", []string{"error.import_ref_unreadable"}},
		{"unknown standard named", "ISO 9001 8.5", "", "", false, "", []string{"error.import_ref_standard"}},
		{"good and bad together", "A.5.1, A.99.1, hello", "", "iso27001-2022", false, "iso27001-2022/A.5.1",
			[]string{"error.import_ref_unknown", "error.import_ref_unreadable"}},
		{"42001 clause", "6.1.4", "", "iso42001-2023", false, "iso42001-2023/6.1.4", nil},
		{"empty cell", "  ", "", "", false, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := refResolver{cat: cat, defaultStd: tt.defaultStd, clauseColumn: tt.clauseColumn}
			keys, problems := r.resolve(tt.cell, tt.rowStd)
			if strings.Join(keys, " ") != tt.want {
				t.Errorf("keys %q, want %q", keys, tt.want)
			}
			var codes []string
			for _, p := range problems {
				codes = append(codes, p.Code)
				if msg := i18n.T(p.Code, p.Args...); strings.Contains(msg, "%!") {
					t.Errorf("message %s is badly formatted: %s", p.Code, msg)
				}
			}
			if strings.Join(codes, " ") != strings.Join(tt.problems, " ") {
				t.Errorf("problems %v, want %v", codes, tt.problems)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	csv := "Control;Owner;Status;Annex A;Standard;Notes\n" +
		"Access reviews;CISO;Done;A.5.18, A.5.15;27001;Quarterly\n" +
		";CISO;Done;A.5.1;;\n" + // no title
		"Logging;IT;Sometimes;A.8.15;;\n" + // unknown status
		"AI policy;Board;Planned;A.2.2;ISO 9001;\n" + // unknown standard
		strings.Repeat("x", 201) + ";;;;;\n" + // title too long
		"Backups;IT;In progress;8.13, A.77;;\n" // unknown ref
	tab := mustRead(t, "r.csv", []byte(csv))
	m := Guess(tab.Headers, cat)
	if m.Column(FieldStandard) != 4 || m.Column(FieldDescription) != 5 {
		t.Fatalf("mapping %+v", m)
	}
	res := Check(tab, m, cat)
	want := []struct {
		row   int
		field string
		code  string
	}{
		{3, "title", "error.required"},
		{4, "status", "error.import_status"},
		{5, "standard", "error.import_standard"},
		{6, "title", "error.too_long"},
		{7, "requirements", "error.import_ref_unknown"},
	}
	if len(res.Problems) != len(want) || res.BadRows != 5 || res.OK() {
		t.Fatalf("problems %+v", res.Problems)
	}
	for i, w := range want {
		p := res.Problems[i]
		if p.Row != w.row || p.Field != w.field || p.Code != w.code || p.Message == "" {
			t.Errorf("problem %d = %+v, want row %d %s %s", i, p, w.row, w.field, w.code)
		}
	}
	first := res.Controls[0]
	if first.Title != "Access reviews" || first.Owner != "CISO" || first.Status != domain.StatusImplemented ||
		first.Description != "Quarterly" || strings.Join(first.Requirements, " ") != "iso27001-2022/A.5.15 iso27001-2022/A.5.18" {
		t.Errorf("row 2 = %+v", first)
	}
	v, _ := domain.AsValidation(res.Validation())
	if v == nil || v.For("rows[7].requirements") == "" || v.For("rows[3].title") == "" {
		t.Errorf("validation %v", v)
	}

	// A mapping without a title is refused before any row is read.
	m.Columns[FieldTitle] = -1
	if v, ok := domain.AsValidation(m.Validate(tab, cat)); !ok || v.For("mapping.title") == "" {
		t.Errorf("mapping without title: %v", v)
	}
}

func TestByName(t *testing.T) {
	tab := mustRead(t, "r.csv", []byte("Name,Who,Refs,Remarks\nA,B,A.5.1,C\n"))
	m, err := ByName(tab, map[string]string{"owner": "who", "description": "Remarks"}, "iso27001-2022", true, cat)
	if err != nil {
		t.Fatal(err)
	}
	if m.Column(FieldTitle) != 0 || m.Column(FieldOwner) != 1 || m.Column(FieldRequirements) != 2 || m.Column(FieldDescription) != 3 ||
		m.DefaultStandard != "iso27001-2022" {
		t.Errorf("mapping %+v", m)
	}
	if got := m.Names(tab); got["owner"] != "Who" || got["title"] != "Name" {
		t.Errorf("names %v", got)
	}
	_, err = ByName(tab, map[string]string{"colour": "Name", "owner": "Nobody"}, "", true, cat)
	v, ok := domain.AsValidation(err)
	if !ok || v.For("mapping.colour") == "" || v.For("mapping.owner") == "" {
		t.Errorf("bad names: %v", err)
	}
	if _, err := ByName(tab, nil, "iso9001", true, cat); err == nil {
		t.Error("unknown default standard accepted")
	}
}
