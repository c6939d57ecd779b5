package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
)

func sampleCard() domain.ModelCard {
	approved := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	sys := domain.AISystem{Ref: "AIS-001", Name: "Loan scorer", Purpose: "Rank consumer loan applications | for officers",
		IntendedUse: "Advice to loan officers", Misuse: "Automatic refusal without review", Owner: "Dana Owner",
		BusinessUnit: "Retail credit", Stage: "operation", Role: "provider", ModelType: "Gradient boosting", ModelVersion: "2.0",
		Sourcing: "mixed", Supplier: "SUP-001", Autonomy: "human_in_the_loop", Oversight: "An officer signs every decision",
		AffectedParties: []string{"individuals"}, EUAIActClass: "high", EUAIActReason: "Creditworthiness of natural persons",
		DeployedOn: "2025-11-01", MonitoringPlan: "Monthly drift review", MonitoringDays: 30, MonitoringDue: "2026-02-01",
		MonitoringOverdue: true, Assessment: "stale", AssessmentRef: "AIA-001", Version: 7}
	return domain.ModelCard{System: sys, OrgName: "Northwind", GeneratedAt: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		Supplier: &domain.Supplier{Ref: "SUP-001", Name: "ModelCo"},
		Datasets: []domain.Dataset{{Ref: "DS-001", Name: "Applications 2020–2025", Source: "Core banking", PersonalData: true,
			Quality: "passed_with_issues", KnownBias: "Few applicants under 25"}},
		Trends: []domain.AITrend{{Metric: "AUC", Comparator: ">=", Threshold: 0.8, Points: []domain.AITest{
			{Result: 0.91, Passed: true, TestedOn: "2025-12-01"}, {Result: 0.78, Passed: false, TestedOn: "2026-02-01"}}}},
		Assessment: &domain.ImpactAssessment{Ref: "AIA-001", Number: 1, Status: "stale", StaleReason: []string{"model_version"},
			Conclusion: "acceptable_with_conditions", Residual: "Acceptable with quarterly fairness tests", ApprovedBy: "Sofia",
			ApprovedAt: &approved, ModelVersion: "1.0", Assessor: "Dana Owner", Reviewer: "Sam",
			Impacts: []domain.AssessedImpact{{Number: 1, Category: "fairness_bias", Description: "Younger applicants refused more often",
				Severity: 4, Likelihood: 3, Level: "high", Controls: []string{"CTL-004"}, Risk: "RSK-021"}}},
		Oversight: []domain.MonitoringRecord{{CheckedOn: "2026-01-02", Kind: "monitoring", Outcome: "concern", Summary: "AUC fell", PerformedBy: "Dana"}},
	}
}

func TestModelCardMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := ModelCardMarkdown(&b, sampleCard()); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"# Model card: Loan scorer", "v7 · model 2.0", "## Purpose and intended use", "## Data",
		"| DS-001 | Applications 2020–2025 |", "## Evaluation results", "| AUC |", "0.8", "0.78", "Fail",
		"## Impact assessment", "STALE", "the model version changed", "Younger applicants", "risk RSK-021",
		"## Human oversight and monitoring", "overdue", "High risk", `Rank consumer loan applications \| for officers`, "## Contact"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestAIPDFs(t *testing.T) {
	card := sampleCard()
	cases := []struct {
		name string
		make func() ([]byte, error)
		want []string
	}{
		{"model-card", func() ([]byte, error) { return ModelCardPDF(card) }, []string{"Model card: Loan scorer", "DS-001", "AUC", "STALE"}},
		{"impact-assessment", func() ([]byte, error) { return ImpactAssessmentPDF(*card.Assessment, card.System, "Northwind") },
			[]string{"AI system impact assessment: Loan scorer", "Younger applicants", "STALE", "Sofia"}},
	}
	dir := t.TempDir()
	if shots := os.Getenv("TANDEM_SCREENSHOTS"); shots != "" {
		dir = shots
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.make()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(out, []byte("%PDF")) {
				t.Fatal("not a PDF")
			}
			path := filepath.Join(dir, tc.name+".pdf")
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("pdftotext is not installed")
			}
			text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.want {
				if !strings.Contains(string(text), want) {
					t.Errorf("PDF text lacks %q", want)
				}
			}
		})
	}
}

func TestAIRegisterExports(t *testing.T) {
	sys := sampleCard().System
	sys.Name = "=HYPERLINK(\"x\")"
	sup := domain.Supplier{Ref: "SUP-001", Name: "ModelCo", Services: "Scoring", ProvidesAI: true, Criticality: "high", Status: "active",
		NextReview: "2026-01-01", ReviewDue: true, AISystems: []string{"AIS-001"}}
	var csvOut bytes.Buffer
	if err := AIInventoryCSV(&csvOut, []domain.AISystem{sys}, "Northwind"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvOut.String(), `"'=HYPERLINK(""x"")"`) || !strings.Contains(csvOut.String(), "Operation and monitoring") {
		t.Errorf("inventory CSV: %s", csvOut.String())
	}
	csvOut.Reset()
	if err := SupplierRegisterCSV(&csvOut, []domain.Supplier{sup}, "Northwind"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvOut.String(), "2026-01-01 (due)") || !strings.Contains(csvOut.String(), "AIS-001") {
		t.Errorf("supplier CSV: %s", csvOut.String())
	}
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
		sheet string
		cell  string
		want  string
	}{
		{"inventory", func(b *bytes.Buffer) error { return AIInventoryXLSX(b, []domain.AISystem{sys}, "Northwind") }, "AI inventory", "B4", sys.Name},
		{"suppliers", func(b *bytes.Buffer) error { return SupplierRegisterXLSX(b, []domain.Supplier{sup}, "Northwind") }, "Suppliers", "B4", "ModelCo"},
	} {
		var b bytes.Buffer
		if err := tc.write(&b); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.GetCellValue(tc.sheet, tc.cell)
		head, _ := f.GetCellValue(tc.sheet, "A3")
		if got != tc.want || head != "Ref" {
			t.Errorf("%s: %s = %q, header %q", tc.name, tc.cell, got, head)
		}
		if formula, _ := f.GetCellFormula(tc.sheet, tc.cell); formula != "" {
			t.Errorf("%s: a cell became a formula", tc.name)
		}
	}
}
