package importer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

func TestGuessRegisters(t *testing.T) {
	tests := []struct {
		name    string
		kind    *Kind
		headers []string
		want    map[string]string // field → header
	}{
		{"security register", RiskKind(domain.RegisterSecurity),
			[]string{"Risk ID", "Risk", "Risk description", "Risk owner", "Likelihood", "Impact", "Residual likelihood",
				"Residual impact", "Treatment", "Status", "Review date", "Controls", "Asset(s)", "Threat", "Vulnerability", "CIA"},
			map[string]string{FieldTitle: "Risk", FieldDescription: "Risk description", FieldOwner: "Risk owner",
				FieldInherentLikelihood: "Likelihood", FieldInherentImpact: "Impact", FieldResidualLikelihood: "Residual likelihood",
				FieldResidualImpact: "Residual impact", FieldTreatment: "Treatment", FieldStatus: "Status", FieldNextReview: "Review date",
				FieldControls: "Controls", FieldAssets: "Asset(s)", FieldThreat: "Threat", FieldVulnerability: "Vulnerability", FieldCIA: "CIA"}},
		{"other words, residual first in the file", RiskKind(domain.RegisterSecurity),
			[]string{"Net probability", "Net consequence", "Title", "Probability", "Consequence", "Response", "Responsible", "Next review date", "Mitigating controls"},
			map[string]string{FieldResidualLikelihood: "Net probability", FieldResidualImpact: "Net consequence", FieldTitle: "Title",
				FieldInherentLikelihood: "Probability", FieldInherentImpact: "Consequence", FieldTreatment: "Response",
				FieldOwner: "Responsible", FieldNextReview: "Next review date", FieldControls: "Mitigating controls"}},
		{"inherent and residual spelled out", RiskKind(domain.RegisterAI),
			[]string{"Name", "Inherent likelihood", "Inherent impact", "Likelihood (residual)", "Impact (residual)", "Owner",
				"Treatment option", "AI system", "Risk source", "Affected parties"},
			map[string]string{FieldTitle: "Name", FieldInherentLikelihood: "Inherent likelihood", FieldInherentImpact: "Inherent impact",
				FieldResidualLikelihood: "Likelihood (residual)", FieldResidualImpact: "Impact (residual)", FieldOwner: "Owner",
				FieldTreatment: "Treatment option", FieldAISystems: "AI system", FieldSources: "Risk source", FieldParties: "Affected parties"}},
		{"the AI register has no asset column", RiskKind(domain.RegisterAI),
			[]string{"Risk", "Assets", "Source", "Affected"},
			map[string]string{FieldTitle: "Risk", FieldSources: "Source", FieldParties: "Affected"}},
		{"asset inventory", Assets,
			[]string{"Asset", "Asset type", "Asset owner", "Location", "Classification", "Confidentiality", "Integrity", "Availability", "Notes", "Linked controls"},
			map[string]string{FieldName: "Asset", FieldType: "Asset type", FieldOwner: "Asset owner", FieldLocation: "Location",
				FieldClassification: "Classification", FieldConfidentiality: "Confidentiality", FieldIntegrity: "Integrity",
				FieldAvailability: "Availability", FieldDescription: "Notes", FieldControls: "Linked controls"}},
		{"asset inventory, short headers", Assets,
			[]string{"Name", "Category", "C", "I", "A", "Sensitivity", "Custodian"},
			map[string]string{FieldName: "Name", FieldType: "Category", FieldConfidentiality: "C", FieldIntegrity: "I",
				FieldAvailability: "A", FieldClassification: "Sensitivity", FieldOwner: "Custodian"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := &Table{Headers: tt.headers}
			got := tt.kind.Guess(tt.headers).Names(tab)
			for field, header := range tt.want {
				if got[field] != header {
					t.Errorf("%s ← %q, want %q", field, got[field], header)
				}
			}
			for field, header := range got {
				if _, ok := tt.want[field]; !ok {
					t.Errorf("%s guessed from %q, want none", field, header)
				}
			}
		})
	}
}

func TestCellReaders(t *testing.T) {
	scale := domain.DefaultRiskMethod().Likelihood
	steps := []struct {
		cell string
		want int
		ok   bool
	}{
		{"3", 3, true}, {"3.0", 3, true}, {"4 - Likely", 4, true}, {"2 (Unlikely)", 2, true}, {"likely", 4, true},
		{"ALMOST CERTAIN", 5, true}, {"Likely (4)", 4, true}, {"9", 9, true}, {"2.5", 0, false}, {"Often", 0, false},
	}
	for _, s := range steps {
		if n, ok := scaleStep(s.cell, scale); n != s.want || ok != s.ok {
			t.Errorf("scaleStep(%q) = %d %v, want %d %v", s.cell, n, ok, s.want, s.ok)
		}
	}

	vocab := []struct {
		cell       string
		vocabulary map[string]string
		want       string
	}{
		{"Mitigate", treatmentWords, "modify"}, {"reduce", treatmentWords, "modify"}, {"Accept", treatmentWords, "retain"},
		{"Tolerate", treatmentWords, "retain"}, {"Terminate", treatmentWords, "avoid"}, {"Transfer", treatmentWords, "share"},
		{"Insure", treatmentWords, "share"}, {"Mitigate / Reduce", treatmentWords, "modify"}, {"accept or tolerate", treatmentWords, "retain"},
		{"Mitigate / Transfer", treatmentWords, ""}, {"share", treatmentWords, "share"},
		{"New", riskStatusWords, "open"}, {"In progress", riskStatusWords, "treating"}, {"Resolved", riskStatusWords, "closed"},
		{"Accepted", riskStatusWords, "accepted"},
		{"Data set", assetTypeWords, "dataset"}, {"AI model", assetTypeWords, "ai_model"}, {"ai_model", assetTypeWords, "ai_model"},
		{"Application", assetTypeWords, "software"}, {"Internal use only", classificationWords, "internal"},
		{"Strictly confidential", classificationWords, "restricted"}, {"High", levelWords, "3"}, {"med", levelWords, "2"},
	}
	for _, v := range vocab {
		got, ok := word(v.cell, v.vocabulary)
		if got != v.want || ok != (v.want != "") {
			t.Errorf("word(%q) = %q %v, want %q", v.cell, got, ok, v.want)
		}
	}

	lists := []struct {
		cell       string
		vocabulary map[string]string
		want, bad  string
	}{
		{ciaCell("C, I"), ciaWords, "confidentiality integrity", ""},
		{ciaCell("Confidentiality; Availability"), ciaWords, "confidentiality availability", ""},
		{ciaCell("CIA"), ciaWords, "confidentiality integrity availability", ""},
		{ciaCell("C/A"), ciaWords, "confidentiality availability", ""},
		{ciaCell("integrity and availability"), ciaWords, "integrity availability", ""},
		{ciaCell("C, X"), ciaWords, "confidentiality", "X"},
		{"Bias; Privacy", sourceWords, "bias_fairness privacy", ""},
		{"Bias and fairness, transparency", sourceWords, "bias_fairness transparency_explainability", ""},
		{"robustness_accuracy", sourceWords, "robustness_accuracy", ""},
		{"Individuals and groups", partyWords, "individuals groups", ""},
		{"society, aliens", partyWords, "society", "aliens"},
	}
	for _, l := range lists {
		got, bad := words(l.cell, l.vocabulary)
		if strings.Join(got, " ") != l.want || strings.Join(bad, " ") != l.bad {
			t.Errorf("words(%q) = %q %q, want %q %q", l.cell, got, bad, l.want, l.bad)
		}
	}

	refCells := []struct{ cell, want, bad string }{
		{"CTL-001, CTL-004", "CTL-001 CTL-004", ""},
		{"ctl-4; CTL 12\nCTL007", "CTL-004 CTL-012 CTL-007", ""},
		{"CTL-004 Backups, CTL-004", "CTL-004", ""},
		{"AST-1, backups", "AST-001", "backups"},
		{"", "", ""},
	}
	for _, r := range refCells {
		got, bad := refs(r.cell)
		if strings.Join(got, " ") != r.want || strings.Join(bad, " ") != r.bad {
			t.Errorf("refs(%q) = %q %q, want %q %q", r.cell, got, bad, r.want, r.bad)
		}
	}

	csv, xlsx := &Table{Format: FormatCSV}, &Table{Format: FormatXLSX}
	dates := []struct {
		cell, raw string
		t         *Table
		want      string
		ok        bool
	}{
		{"2026-03-01", "", csv, "2026-03-01", true},
		{"2026/3/1", "", csv, "2026-03-01", true},
		{"2026-03-01 00:00", "", xlsx, "2026-03-01", true},
		{"", "", csv, "", true},
		{"2026-02-30", "", csv, "", false},
		{"01/03/2026", "", csv, "", false},
		{"46082", "", csv, "", false},
		{"46082", "", xlsx, "2026-03-01", true},
		{"01/03/2026", "46082", xlsx, "2026-03-01", true}, // a date cell in a day-first format
		{"next spring", "", xlsx, "", false},
		{"2026", "", xlsx, "", false}, // a year is no day count
		{"3", "3.0", xlsx, "", false}, // a number shown as a number
		{"Q3", "", xlsx, "", false},
	}
	for _, d := range dates {
		got, ok := date(d.cell, d.raw, d.t)
		if got != d.want || ok != d.ok {
			t.Errorf("date(%q, %q, %s) = %q %v, want %q %v", d.cell, d.raw, d.t.Format, got, ok, d.want, d.ok)
		}
	}
}

// knownRefs is a lookup over a fixed set of refs, counting its calls.
func knownRefs(calls *int, have ...string) Known {
	return func(table string, refs []string) (map[string]bool, error) {
		*calls++
		out := map[string]bool{}
		for _, r := range refs {
			for _, h := range have {
				if r == h {
					out[r] = true
				}
			}
		}
		return out, nil
	}
}

func TestCheckRisks(t *testing.T) {
	method := domain.DefaultRiskMethod()
	data := "Risk,Owner,Likelihood,Impact,Residual likelihood,Residual impact,Treatment,Status,Review date,Controls,Assets,CIA,Threat\n" +
		"Laptop theft,IT,Likely,Major,2,2,Mitigate,In progress,2026-09-30,\"CTL-001, ctl-2\",AST-1,\"C, I\",Burglary\n" + // 2: fine
		"Phishing,Security,4,4,,,Accept,New,,,,,\n" + // 3: residual = inherent
		",Security,9,Huge,1,1,Pray,Sometimes,31/12/2026,CTL-099,AST-404,X,\n" + // 4: everything wrong
		"Closed high risk,IT,5,5,4,4,Reduce,Closed,,,,,\n" + // 5: above appetite, closed
		"Closed low risk,IT,5,5,1,1,Reduce,Closed,,,,,\n" // 6: fine, closed within appetite
	tab := mustRead(t, "risks.csv", []byte(data))
	kind := RiskKind(domain.RegisterSecurity)
	m := kind.Guess(tab.Headers)
	if err := m.Validate(tab, nil); err != nil {
		t.Fatal(err)
	}
	calls := 0
	res, err := CheckRisks(tab, m, RiskCheck{Register: domain.RegisterSecurity, Method: method, Known: knownRefs(&calls, "CTL-001", "CTL-002", "AST-001")})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("%d ref lookups, want one per table", calls)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, fmt.Sprintf("%d.%s=%s", p.Row, p.Field, p.Code))
	}
	want := []string{"4.inherent_impact=error.import_risk_step", "4.treatment=error.import_risk_treatment",
		"4.status=error.import_risk_status", "4.next_review=error.import_date", "4.controls=error.unknown_control",
		"4.assets=error.unknown_asset", "4.cia=error.import_cia", "4.title=error.required", "4.inherent_likelihood=error.risk_step",
		"5.status=error.import_risk_acceptance"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems\n %v\nwant\n %v", got, want)
	}
	if res.BadRows != 2 || res.OK() {
		t.Errorf("bad rows %d", res.BadRows)
	}
	for _, p := range res.Problems {
		if p.Row == 5 && p.Message != i18n.T("error.import_risk_acceptance", "Critical", "closed") {
			t.Errorf("acceptance message %q", p.Message)
		}
		if p.Field == "inherent_likelihood" && p.Value != "9" {
			t.Errorf("the bad step is not quoted: %+v", p)
		}
	}
	r := res.Risks[0]
	if r.Title != "Laptop theft" || r.Inherent.Likelihood != 4 || r.Inherent.Impact != 4 || r.Inherent.Level != "critical" ||
		r.Residual.Level != "medium" || r.Treatment != "modify" || r.Status != "treating" || r.NextReview != "2026-09-30" ||
		strings.Join(r.Controls, " ") != "CTL-001 CTL-002" || strings.Join(r.Assets, " ") != "AST-001" ||
		strings.Join(r.CIA, " ") != "confidentiality integrity" || r.Threat != "Burglary" || r.Register != "security" {
		t.Errorf("row 2 became %+v", r)
	}
	if r := res.Risks[1]; r.Residual.Likelihood != 4 || r.Residual.Impact != 4 || r.Treatment != "retain" || r.Status != "open" {
		t.Errorf("row 3 became %+v", r)
	}
	if res.Rows[0].Row != 2 || *res.Rows[0].Risk.Register != "security" {
		t.Errorf("row numbers %+v", res.Rows[0])
	}

	// Unmapped required fields are refused at the mapping.
	bad := kind.NewMapping()
	bad.Columns[FieldTitle] = 0
	v, _ := domain.AsValidation(bad.Validate(tab, nil))
	for _, f := range []string{"owner", "inherent_likelihood", "inherent_impact", "treatment"} {
		if v.For("mapping."+f) != i18n.T("error.import_required_unmapped") {
			t.Errorf("mapping.%s: %v", f, v)
		}
	}
}

func TestCheckAIRisks(t *testing.T) {
	data := "Risk,Owner,Likelihood,Impact,Treatment,AI system,Risk source,Affected parties\n" +
		"Biased scoring,Data science,Possible,Severe,Modify,Credit scoring model,Bias; Privacy,Individuals and groups\n" +
		"Opaque decisions,Data science,2,3,Share,Chatbot,Mystery,Martians\n"
	tab := mustRead(t, "ai.csv", []byte(data))
	res, err := CheckRisks(tab, RiskKind(domain.RegisterAI).Guess(tab.Headers),
		RiskCheck{Register: domain.RegisterAI, Method: domain.DefaultRiskMethod(), Known: knownRefs(new(int))})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Risks[0]
	if r.AISystems != "Credit scoring model" || strings.Join(r.Sources, " ") != "bias_fairness privacy" ||
		strings.Join(r.Parties, " ") != "individuals groups" || r.Inherent.Likelihood != 3 || r.Inherent.Impact != 5 {
		t.Errorf("row 2 became %+v", r)
	}
	if len(res.Problems) != 2 || res.Problems[0].Field != "sources" || res.Problems[1].Field != "parties" || res.Problems[1].Value != "Martians" {
		t.Errorf("problems %+v", res.Problems)
	}
}

func TestCheckAssets(t *testing.T) {
	data := "Asset;Type;Owner;Classification;C;I;A;Controls\n" +
		"Customer database;Data;DBA team;Confidential;High;3;Medium;CTL-001\n" +
		"Payroll app;Software;HR;Internal use;2;2;1;\n" +
		";Spaceship;;Top secret;4;;Huge;CTL-404\n"
	tab := mustRead(t, "assets.csv", []byte(data))
	m := Assets.Guess(tab.Headers)
	if err := m.Validate(tab, nil); err != nil {
		t.Fatal(err)
	}
	res, err := CheckAssets(tab, m, knownRefs(new(int), "CTL-001"))
	if err != nil {
		t.Fatal(err)
	}
	a := res.Assets[0]
	if a.Name != "Customer database" || a.Type != "information" || a.Classification != "confidential" || a.Confidentiality != 3 ||
		a.Integrity != 3 || a.Availability != 2 || strings.Join(a.Controls, " ") != "CTL-001" {
		t.Errorf("row 2 became %+v", a)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, fmt.Sprintf("%d.%s=%s", p.Row, p.Field, p.Code))
	}
	want := []string{"4.type=error.import_asset_type", "4.integrity=error.required", "4.availability=error.import_cia_level",
		"4.controls=error.unknown_control", "4.name=error.required", "4.confidentiality=error.one_of"}
	if strings.Join(got, " ") != strings.Join(want, " ") || res.BadRows != 1 {
		t.Errorf("problems\n %v\nwant\n %v", got, want)
	}
}

// TestReadXLSXDates reads dates from a workbook the ways Excel keeps them:
// a date cell in the short date format, one in a day-first custom format,
// a bare day count and an ISO text.
func TestReadXLSXDates(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	f.SetSheetRow(sheet, "A1", &[]any{"Risk", "Review"})
	short, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom := "dd/mm/yyyy"
	dayFirst, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	for i, v := range []any{46082, 46082, 46082, "2026-03-01"} {
		cell := fmt.Sprintf("B%d", i+2)
		f.SetCellValue(sheet, fmt.Sprintf("A%d", i+2), fmt.Sprint("Risk ", i))
		f.SetCellValue(sheet, cell, v)
		switch i {
		case 0:
			f.SetCellStyle(sheet, cell, cell, short)
		case 1:
			f.SetCellStyle(sheet, cell, cell, dayFirst)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	tab := mustRead(t, "r.xlsx", buf.Bytes())
	if tab.Format != FormatXLSX {
		t.Fatalf("format %q", tab.Format)
	}
	for i, row := range tab.Rows {
		got, ok := date(row.Cell(1), row.RawCell(1), tab)
		if !ok || got != "2026-03-01" {
			t.Errorf("row %d: %q (raw %q) read as %q %v", row.Number, row.Cell(1), row.RawCell(1), got, ok)
		}
		if i == 1 && row.Cell(1) != "01/03/2026" {
			t.Errorf("the day-first cell shows %q", row.Cell(1))
		}
	}
}
