package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Writes the risk exports for a person to look at, when asked:
// TANDEM_REPORT_SAMPLES=/tmp/report-samples go test -run RiskSamples ./internal/report
func TestWriteRiskSamples(t *testing.T) {
	dir := os.Getenv("TANDEM_REPORT_SAMPLES")
	if dir == "" {
		t.Skip("TANDEM_REPORT_SAMPLES is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, render func(*bytes.Buffer) error) {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, reg := range []string{"security", "ai"} {
		doc := testRegister(reg)
		write(reg+"-risks.pdf", func(w *bytes.Buffer) error { return RisksPDF(w, doc, pagesOf(testRisks(reg, 30), 7).next) })
		write(reg+"-risks.xlsx", func(w *bytes.Buffer) error { return RisksXLSX(w, doc, pagesOf(testRisks(reg, 30), 7).next) })
		write(reg+"-risks.csv", func(w *bytes.Buffer) error { return RisksCSV(w, doc, pagesOf(testRisks(reg, 30), 7).next) })
		write(reg+"-plan.pdf", func(w *bytes.Buffer) error { return TreatmentPlanPDF(w, testPlan(reg, 30)) })
		write(reg+"-plan.xlsx", func(w *bytes.Buffer) error { return TreatmentPlanXLSX(w, testPlan(reg, 30)) })
	}
}
