package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// The model card and the impact assessment are laid out once, as a
// document of sections (facts, text, tables), and written from that as
// Markdown or PDF, so that both formats always say the same.

type aiDoc struct {
	Title, Subtitle string
	Facts           [][2]string
	Sections        []aiSection
	Footer          string
	Org             string
	Generated       time.Time
}

type aiSection struct {
	Title  string
	Banner string // a warning shown first (a stale assessment)
	Facts  [][2]string
	Text   string
	Table  *aiTable
	Empty  string // shown when the section has nothing else
}

type aiTable struct {
	Titles []string
	Spans  []int // PDF column widths in percent
	Rows   [][]string
}

func fact(id, value string) [2]string { return [2]string{i18n.T(id), orNone(value)} }

func t(id string, args ...any) string { return i18n.T(id, args...) }

// modelCardDoc assembles the model card from the live records.
func modelCardDoc(c domain.ModelCard) aiDoc {
	s := c.System
	d := aiDoc{Title: t("report.ai.card.title", s.Name), Subtitle: t("report.ai.card.subtitle", s.Ref, c.CardVersion()),
		Org: c.OrgName, Generated: c.GeneratedAt}
	d.Facts = [][2]string{fact("report.ai.card.org", c.OrgName), fact("report.ai.card.version", c.CardVersion()),
		fact("report.ai.col.stage", valueLabel("ai.stage.", s.Stage)), fact("report.ai.col.class", valueLabel("ai.class.", s.EUAIActClass)),
		fact("report.ai.col.owner", s.Owner), fact("report.ai.card.generated", c.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"))}
	d.Footer = c.OrgName + " · " + d.Title + " · " + c.CardVersion()

	d.Sections = append(d.Sections,
		aiSection{Title: t("report.ai.card.purpose"), Facts: [][2]string{fact("report.ai.col.purpose", s.Purpose),
			fact("report.ai.col.intended_use", s.IntendedUse), fact("report.ai.col.users", s.Users),
			fact("report.ai.col.affected", strings.TrimSpace(strings.Join(valueLabels("report.risk.party.", s.AffectedParties), ", ")+" "+s.Affected))}},
		aiSection{Title: t("report.ai.card.limits"), Facts: [][2]string{fact("report.ai.col.misuse", s.Misuse),
			fact("report.ai.col.class", valueLabel("ai.class.", s.EUAIActClass)), fact("report.ai.col.class_reason", s.EUAIActReason)}})

	supplier := ""
	if c.Supplier != nil {
		supplier = c.Supplier.Name + " (" + c.Supplier.Ref + ")"
	}
	d.Sections = append(d.Sections, aiSection{Title: t("report.ai.card.model"), Facts: [][2]string{
		fact("report.ai.col.model_type", s.ModelType), fact("report.ai.col.model_version", s.ModelVersion),
		fact("report.ai.col.sourcing", valueLabel("ai.sourcing.", s.Sourcing)), fact("report.ai.col.supplier", supplier),
		fact("report.ai.col.role", valueLabel("ai.role.", s.Role)), fact("report.ai.col.deployed_on", s.DeployedOn)}})

	data := aiSection{Title: t("report.ai.card.data"), Empty: t("report.ai.card.no_data")}
	if len(c.Datasets) > 0 {
		data.Table = &aiTable{Titles: []string{t("report.ai.col.ref"), t("report.ai.col.name"), t("report.ai.col.source"),
			t("report.ai.col.licence"), t("report.ai.col.personal_data"), t("report.ai.col.quality"), t("report.ai.col.known_bias")},
			Spans: []int{8, 18, 18, 14, 10, 12, 20}}
		for _, ds := range c.Datasets {
			data.Table.Rows = append(data.Table.Rows, []string{ds.Ref, ds.Name, ds.Source, ds.Licence, yesNo(ds.PersonalData),
				valueLabel("ai.quality.", ds.Quality), ds.KnownBias})
		}
	}
	d.Sections = append(d.Sections, data)

	eval := aiSection{Title: t("report.ai.card.evaluation"), Empty: t("report.ai.card.no_tests")}
	if len(c.Trends) > 0 {
		eval.Table = &aiTable{Titles: []string{t("report.ai.col.metric"), t("report.ai.col.slice"), t("report.ai.col.threshold"),
			t("report.ai.col.latest"), t("report.ai.col.result"), t("report.ai.col.runs"), t("report.ai.col.tested_on")},
			Spans: []int{22, 20, 12, 12, 12, 8, 14}}
		for _, tr := range c.Trends {
			last := tr.Points[len(tr.Points)-1]
			verdict := t("report.ai.pass")
			if !last.Passed {
				verdict = t("report.ai.fail")
			}
			eval.Table.Rows = append(eval.Table.Rows, []string{tr.Metric, orNone(tr.Slice), tr.Comparator + " " + domain.FormatMeasure(tr.Threshold),
				domain.FormatMeasure(last.Result), verdict, strconv.Itoa(len(tr.Points)), last.TestedOn})
		}
	}
	d.Sections = append(d.Sections, eval)

	imp := aiSection{Title: t("report.ai.card.impact"), Empty: t("report.ai.card.no_assessment")}
	if a := c.Assessment; a != nil {
		imp = assessmentSection(*a)
		imp.Title = t("report.ai.card.impact")
	}
	d.Sections = append(d.Sections, imp)

	over := aiSection{Title: t("report.ai.card.oversight"), Facts: [][2]string{
		fact("report.ai.col.autonomy", valueLabel("ai.autonomy.", s.Autonomy)), fact("report.ai.col.oversight", s.Oversight),
		fact("report.ai.col.monitoring_plan", s.MonitoringPlan), fact("report.ai.col.monitoring_days", days(s.MonitoringDays)),
		fact("report.ai.col.monitoring_due", dueText(s))}}
	if len(c.Oversight) > 0 {
		over.Table = &aiTable{Titles: []string{t("report.ai.col.checked_on"), t("report.ai.col.kind"), t("report.ai.col.outcome"),
			t("report.ai.col.summary"), t("report.ai.col.performed_by")}, Spans: []int{12, 14, 12, 44, 18}}
		for _, m := range c.Oversight {
			over.Table.Rows = append(over.Table.Rows, []string{m.CheckedOn, valueLabel("ai.kind.", m.Kind),
				valueLabel("ai.outcome.", m.Outcome), m.Summary, m.PerformedBy})
		}
	}
	d.Sections = append(d.Sections, over,
		aiSection{Title: t("report.ai.card.contact"), Facts: [][2]string{fact("report.ai.col.owner", s.Owner),
			fact("report.ai.col.business_unit", s.BusinessUnit), fact("report.ai.card.org", c.OrgName)}})
	return d
}

func days(n int) string {
	if n == 0 {
		return ""
	}
	return t("report.ai.days", n)
}

func dueText(s domain.AISystem) string {
	if s.MonitoringOverdue {
		return s.MonitoringDue + " — " + t("report.ai.overdue")
	}
	return s.MonitoringDue
}

// assessmentSection is the summary of an assessment: status (with why it
// is stale), conclusion, residual judgement and the impacts.
func assessmentSection(a domain.ImpactAssessment) aiSection {
	sec := aiSection{Title: t("report.ai.aia.impacts")}
	if a.Status == domain.AssessmentStale {
		sec.Banner = t("report.ai.aia.stale", strings.Join(valueLabels("ai.stale.", a.StaleReason), ", "))
	}
	approved := ""
	if a.ApprovedAt != nil {
		approved = a.ApprovedBy + " · " + a.ApprovedAt.UTC().Format("2006-01-02")
	}
	sec.Facts = [][2]string{fact("report.ai.aia.ref", fmt.Sprintf("%s (%s)", a.Ref, t("report.ai.aia.number", a.Number))),
		fact("report.ai.aia.status", valueLabel("ai.assessment.", a.Status)),
		fact("report.ai.aia.conclusion", valueLabel("ai.conclusion.", a.Conclusion)),
		fact("report.ai.aia.residual", a.Residual), fact("report.ai.aia.approved", approved),
		fact("report.ai.aia.model_version", a.ModelVersion), fact("report.ai.aia.review_date", a.ReviewDate)}
	if len(a.Impacts) > 0 {
		sec.Table = &aiTable{Titles: []string{"#", t("report.ai.aia.category"), t("report.ai.aia.description"), t("report.ai.aia.severity"),
			t("report.ai.aia.likelihood"), t("report.ai.aia.level"), t("report.ai.aia.mitigation"), t("report.ai.aia.links")},
			Spans: []int{4, 14, 26, 8, 9, 9, 18, 12}}
		for _, imp := range a.Impacts {
			links := joinList(imp.Controls)
			if imp.Risk != "" {
				links = strings.TrimSpace(links + " " + t("report.ai.aia.risk", imp.Risk))
			}
			sec.Table.Rows = append(sec.Table.Rows, []string{strconv.Itoa(imp.Number), valueLabel("ai.category.", imp.Category),
				imp.Description, strconv.Itoa(imp.Severity), strconv.Itoa(imp.Likelihood), imp.Level, imp.Mitigation, links})
		}
	}
	return sec
}

// assessmentDoc is the whole impact assessment of a system.
func assessmentDoc(a domain.ImpactAssessment, s domain.AISystem, org string, gen time.Time) aiDoc {
	d := aiDoc{Title: t("report.ai.aia.title", s.Name), Subtitle: t("report.ai.aia.subtitle", a.Ref, s.Ref), Org: org, Generated: gen}
	d.Footer = org + " · " + d.Title + " · " + a.Ref
	d.Facts = [][2]string{fact("report.ai.card.org", org), fact("report.ai.aia.status", valueLabel("ai.assessment.", a.Status)),
		fact("report.ai.aia.assessor", a.Assessor), fact("report.ai.aia.reviewer", a.Reviewer),
		fact("report.ai.col.model_version", s.ModelVersion), fact("report.ai.card.generated", gen.UTC().Format("2006-01-02 15:04 UTC"))}
	d.Sections = append(d.Sections, aiSection{Title: t("report.ai.aia.affected"), Facts: [][2]string{
		fact("report.ai.aia.individuals", a.Individuals), fact("report.ai.aia.groups", a.Groups), fact("report.ai.aia.society", a.Society)}})
	sec := assessmentSection(a)
	if sec.Table == nil {
		sec.Empty = t("report.ai.aia.no_impacts")
	}
	d.Sections = append(d.Sections, sec)
	return d
}

// ModelCardMarkdown writes the model card as Markdown.
func ModelCardMarkdown(w io.Writer, c domain.ModelCard) error { return modelCardDoc(c).markdown(w) }

// ModelCardPDF lays out the model card on A4.
func ModelCardPDF(c domain.ModelCard) ([]byte, error) { return modelCardDoc(c).pdf() }

// ImpactAssessmentPDF lays out an impact assessment on A4.
func ImpactAssessmentPDF(a domain.ImpactAssessment, s domain.AISystem, org string) ([]byte, error) {
	return assessmentDoc(a, s, org, time.Now()).pdf()
}

func (d aiDoc) markdown(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n_%s_\n\n", mdText(d.Title), mdText(d.Subtitle))
	writeFacts := func(facts [][2]string) {
		for _, f := range facts {
			fmt.Fprintf(&b, "- **%s:** %s\n", mdText(f[0]), mdText(f[1]))
		}
		b.WriteString("\n")
	}
	writeFacts(d.Facts)
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "## %s\n\n", mdText(s.Title))
		if s.Banner != "" {
			fmt.Fprintf(&b, "> **%s**\n\n", mdText(s.Banner))
		}
		if len(s.Facts) > 0 {
			writeFacts(s.Facts)
		}
		if s.Table != nil {
			cells := make([]string, len(s.Table.Titles))
			for i, h := range s.Table.Titles {
				cells[i] = mdCell(h)
			}
			fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(cells, " | "), strings.Repeat(" --- |", len(cells)))
			for _, r := range s.Table.Rows {
				for i := range r {
					cells[i] = mdCell(r[i])
				}
				fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
			}
			b.WriteString("\n")
		} else if s.Empty != "" && len(s.Facts) == 0 {
			fmt.Fprintf(&b, "%s\n\n", mdText(s.Empty))
		}
	}
	fmt.Fprintf(&b, "---\n%s\n", t("report.generated_by", d.Generated.UTC().Format("2006-01-02 15:04 UTC")))
	_, err := w.Write(b.Bytes())
	return err
}

var (
	docSection = pdfStyle{Size: 11, Style: fontstyle.Bold, Color: pdfHeading}
	docLabel   = pdfStyle{Size: 7.5, Style: fontstyle.Bold, Color: pdfMuted}
	docValue   = pdfStyle{Size: 8.5, Color: pdfInk}
	docBanner  = pdfStyle{Size: 9, Style: fontstyle.Bold, Color: rgb(stateColours["not_implemented"].Text), Fill: rgb(stateColours["not_implemented"].Fill)}
)

func (d aiDoc) pdf() ([]byte, error) {
	p, err := newRiskPDF(domain.Org{Name: d.Org}, d.Title, d.Generated, d.Footer)
	if err != nil {
		return nil, err
	}
	p.titleBlock(d.Title, d.Subtitle, d.Facts)
	for _, s := range d.Sections {
		p.space(4)
		if !p.fits(cellHeight(1, docSection) + cellHeight(3, docValue)) {
			p.newPage()
		}
		p.paragraph(s.Title, docSection)
		p.space(1)
		if s.Banner != "" {
			p.paragraph(s.Banner, docBanner)
			p.space(1)
		}
		for _, f := range s.Facts {
			r, h := pdfRow([]pdfCell{cellOf(18, f[0], docLabel), cellOf(82, f[1], docValue)}, pdfRule)
			if !p.fits(h) {
				p.newPage()
			}
			p.m.AddRows(r)
		}
		if s.Table != nil {
			if len(s.Facts) > 0 {
				p.space(2)
			}
			var rows [][]pdfCell
			for _, r := range s.Table.Rows {
				cells := make([]pdfCell, len(r))
				for i, v := range r {
					cells[i] = cellOf(s.Table.Spans[i], v, pdfStyle{Size: pdfBody, Color: pdfInk})
				}
				rows = append(rows, cells)
			}
			p.table(s.Table.Titles, s.Table.Spans, rows, t("report.risk.continued", s.Title))
		} else if s.Empty != "" && len(s.Facts) == 0 {
			p.paragraph(s.Empty, pdfStyle{Size: 8.5, Style: fontstyle.Italic, Color: pdfMuted})
		}
	}
	p.space(3)
	p.paragraph(t("report.generated_by", d.Generated.UTC().Format("2006-01-02 15:04 UTC")), pdfStyle{Size: 7, Style: fontstyle.Italic, Color: pdfMuted})
	var b bytes.Buffer
	err = p.write(&b, "AI document")
	return b.Bytes(), err
}
