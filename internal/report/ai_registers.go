package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The AI inventory and the supplier register as CSV and XLSX: one column
// list per register, so both formats carry the same columns.

type listColumn[T any] struct {
	id    string // message id suffix of the header
	width float64
	value func(T) string
}

func joinList(l []string) string { return strings.Join(l, ", ") }

var aiInventoryColumns = []listColumn[domain.AISystem]{
	{"ref", 9, func(s domain.AISystem) string { return s.Ref }},
	{"name", 28, func(s domain.AISystem) string { return s.Name }},
	{"purpose", 40, func(s domain.AISystem) string { return s.Purpose }},
	{"intended_use", 32, func(s domain.AISystem) string { return s.IntendedUse }},
	{"misuse", 32, func(s domain.AISystem) string { return s.Misuse }},
	{"owner", 20, func(s domain.AISystem) string { return s.Owner }},
	{"business_unit", 16, func(s domain.AISystem) string { return s.BusinessUnit }},
	{"stage", 18, func(s domain.AISystem) string { return valueLabel("ai.stage.", s.Stage) }},
	{"role", 12, func(s domain.AISystem) string { return valueLabel("ai.role.", s.Role) }},
	{"model_type", 18, func(s domain.AISystem) string { return s.ModelType }},
	{"model_version", 12, func(s domain.AISystem) string { return s.ModelVersion }},
	{"sourcing", 12, func(s domain.AISystem) string { return valueLabel("ai.sourcing.", s.Sourcing) }},
	{"supplier", 10, func(s domain.AISystem) string { return s.Supplier }},
	{"datasets", 16, func(s domain.AISystem) string { return joinList(s.Datasets) }},
	{"autonomy", 16, func(s domain.AISystem) string { return valueLabel("ai.autonomy.", s.Autonomy) }},
	{"oversight", 32, func(s domain.AISystem) string { return s.Oversight }},
	{"users", 24, func(s domain.AISystem) string { return s.Users }},
	{"affected", 24, func(s domain.AISystem) string {
		return strings.TrimSpace(strings.Join(valueLabels("report.risk.party.", s.AffectedParties), ", ") + " " + s.Affected)
	}},
	{"class", 14, func(s domain.AISystem) string { return valueLabel("ai.class.", s.EUAIActClass) }},
	{"class_reason", 32, func(s domain.AISystem) string { return s.EUAIActReason }},
	{"deployed_on", 12, func(s domain.AISystem) string { return s.DeployedOn }},
	{"monitoring_plan", 32, func(s domain.AISystem) string { return s.MonitoringPlan }},
	{"monitoring_days", 10, func(s domain.AISystem) string {
		if s.MonitoringDays == 0 {
			return ""
		}
		return strconv.Itoa(s.MonitoringDays)
	}},
	{"monitoring_due", 12, func(s domain.AISystem) string {
		if s.MonitoringOverdue {
			return s.MonitoringDue + " (" + i18n.T("report.ai.overdue") + ")"
		}
		return s.MonitoringDue
	}},
	{"assessment", 16, func(s domain.AISystem) string {
		return strings.TrimSpace(valueLabel("ai.assessment.", s.Assessment) + " " + s.AssessmentRef)
	}},
	{"status", 12, func(s domain.AISystem) string { return valueLabel("ai.status.", s.Status) }},
}

var supplierColumns = []listColumn[domain.Supplier]{
	{"ref", 9, func(s domain.Supplier) string { return s.Ref }},
	{"name", 26, func(s domain.Supplier) string { return s.Name }},
	{"services", 36, func(s domain.Supplier) string { return s.Services }},
	{"provides_ai", 10, func(s domain.Supplier) string { return yesNo(s.ProvidesAI) }},
	{"ai_components", 28, func(s domain.Supplier) string { return s.AIComponents }},
	{"data_shared", 28, func(s domain.Supplier) string { return s.DataShared }},
	{"criticality", 11, func(s domain.Supplier) string { return valueLabel("ai.criticality.", s.Criticality) }},
	{"supplier_status", 11, func(s domain.Supplier) string { return valueLabel("ai.supplier_status.", s.Status) }},
	{"owner", 20, func(s domain.Supplier) string { return s.Owner }},
	{"contact", 20, func(s domain.Supplier) string { return s.Contact }},
	{"contract_start", 12, func(s domain.Supplier) string { return s.ContractStart }},
	{"contract_end", 12, func(s domain.Supplier) string { return s.ContractEnd }},
	{"last_assessment", 22, func(s domain.Supplier) string {
		if s.LastAssessedOn == "" {
			return ""
		}
		return s.LastAssessedOn + " · " + valueLabel("ai.result.", s.LastResult)
	}},
	{"next_review", 14, func(s domain.Supplier) string {
		if s.ReviewDue {
			return s.NextReview + " (" + i18n.T("report.ai.due") + ")"
		}
		return s.NextReview
	}},
	{"ai_systems", 16, func(s domain.Supplier) string { return joinList(s.AISystems) }},
	{"assets", 16, func(s domain.Supplier) string { return joinList(s.Assets) }},
	{"risks", 16, func(s domain.Supplier) string { return joinList(s.Risks) }},
	{"controls", 16, func(s domain.Supplier) string { return joinList(s.Controls) }},
}

func writeListCSV[T any](w io.Writer, cols []listColumn[T], items []T) error {
	c := NewCSV(w)
	head := make([]string, len(cols))
	for i, col := range cols {
		head[i] = i18n.T("report.ai.col." + col.id)
	}
	if err := c.Write(head...); err != nil {
		return err
	}
	row := make([]string, len(cols))
	for _, it := range items {
		for i, col := range cols {
			row[i] = col.value(it)
		}
		if err := c.Write(row...); err != nil {
			return err
		}
	}
	return c.Flush()
}

// writeListXLSX writes one sheet: a title line, a frozen header row with
// filters, and one row per record; every cell is text, never a formula.
func writeListXLSX[T any](w io.Writer, sheet, title string, cols []listColumn[T], items []T) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{xlHeaderFill}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	body, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, "A1", xlText(title)); err != nil {
		return err
	}
	_ = f.SetCellStyle(sheet, "A1", "A1", titleStyle)
	for i, col := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, col.width); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, name+"3", i18n.T("report.ai.col."+col.id)); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	_ = f.SetCellStyle(sheet, "A3", last+"3", head)
	for r, it := range items {
		for i, col := range cols {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+4)
			if err := f.SetCellStr(sheet, cell, xlText(col.value(it))); err != nil {
				return err
			}
		}
	}
	if len(items) > 0 {
		_ = f.SetCellStyle(sheet, "A4", fmt.Sprintf("%s%d", last, len(items)+3), body)
	}
	if err := f.AutoFilter(sheet, fmt.Sprintf("A3:%s%d", last, max(len(items)+3, 4)), nil); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 3, XSplit: 1, TopLeftCell: "B4", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	return f.Write(w)
}

// AIInventoryCSV writes the AI system inventory as CSV.
func AIInventoryCSV(w io.Writer, items []domain.AISystem, org string) error {
	return writeListCSV(w, aiInventoryColumns, items)
}

// AIInventoryXLSX writes the AI system inventory as a workbook.
func AIInventoryXLSX(w io.Writer, items []domain.AISystem, org string) error {
	return writeListXLSX(w, i18n.T("report.ai.inventory_sheet"), i18n.T("report.ai.inventory_title", org), aiInventoryColumns, items)
}

// SupplierRegisterCSV writes the supplier register as CSV.
func SupplierRegisterCSV(w io.Writer, items []domain.Supplier, org string) error {
	return writeListCSV(w, supplierColumns, items)
}

// SupplierRegisterXLSX writes the supplier register as a workbook.
func SupplierRegisterXLSX(w io.Writer, items []domain.Supplier, org string) error {
	return writeListXLSX(w, i18n.T("report.ai.supplier_sheet"), i18n.T("report.ai.supplier_title", org), supplierColumns, items)
}
