package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tandem/internal/i18n"
)

// SoAMarkdown writes the Statement of Applicability as Markdown (GitHub
// flavoured tables): a heading, the facts that identify it, a summary, and
// one table per theme or objective group. Cell text is escaped so that a
// pipe, a line break or markup typed into a justification cannot break the
// table or the page.
func SoAMarkdown(w io.Writer, doc SoADocument) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }

	p("# %s\n\n", mdText(doc.title()))
	for _, m := range doc.metadata() {
		p("- **%s:** %s\n", mdText(m[0]), mdText(m[1]))
	}
	if doc.Version == nil {
		p("\n> %s\n", mdText(i18n.T("report.soa.draft_note")))
	}

	sum := doc.summary()
	states := doc.summaryStates()
	p("\n## %s\n\n", mdText(i18n.T("report.soa.summary")))
	head := []string{i18n.T("report.soa.col.state")}
	for _, dec := range decisions {
		head = append(head, i18n.T("report.soa.decision."+dec))
	}
	head = append(head, i18n.T("report.soa.total"))
	mdRow(b, head...)
	mdRule(b, len(head), 1)
	for _, st := range states {
		cells := []string{stateLabel(st)}
		for _, dec := range decisions {
			cells = append(cells, strconv.Itoa(sum.Count[[2]string{dec, st}]))
		}
		mdRow(b, append(cells, strconv.Itoa(sum.State[st]))...)
	}
	total := []string{"**" + mdText(i18n.T("report.soa.total")) + "**"}
	for _, dec := range decisions {
		total = append(total, "**"+strconv.Itoa(sum.Decision[dec])+"**")
	}
	mdRowRaw(b, append(total, "**"+strconv.Itoa(sum.Total)+"**")...)

	p("\n### %s\n\n", mdText(i18n.T("report.soa.summary_groups")))
	head = []string{doc.groupLabel(), i18n.T("report.soa.controls_count")}
	for _, dec := range decisions {
		head = append(head, i18n.T("report.soa.decision."+dec))
	}
	mdRow(b, head...)
	mdRule(b, len(head), 1)
	for _, g := range sum.Groups {
		cells := []string{g.Title, strconv.Itoa(g.Total)}
		for _, dec := range decisions {
			cells = append(cells, strconv.Itoa(g.Decision[dec]))
		}
		mdRow(b, cells...)
	}

	p("\n### %s\n\n%s\n", mdText(i18n.T("report.soa.trace")), mdText(doc.traceLine()))
	if more := doc.untracedLine(); more != "" {
		p("\n**%s**\n", mdText(more))
	}

	// The group is the section, so its column is left out of the tables.
	header := doc.soaHeader()
	header = append(header[:colGroup:colGroup], header[colGroup+1:]...)
	names := doc.groupNames()
	for _, g := range doc.groups() {
		p("\n## %s\n\n", mdText(i18n.T("report.soa.group_count", g.Title, len(g.Rows))))
		mdRow(b, header...)
		mdRule(b, len(header), 0)
		for _, r := range g.Rows {
			c := doc.cells(r, names)
			cells := c.record("\n")
			mdRow(b, append(cells[:colGroup:colGroup], cells[colGroup+1:]...)...)
		}
	}
	p("\n---\n\n%s\n", mdText(i18n.T("report.generated_by", doc.moment(doc.generatedAt()))))
	return b.Flush()
}

// mdRow writes one table row of plain-text cells.
func mdRow(w io.Writer, cells ...string) {
	escaped := make([]string, len(cells))
	for i, c := range cells {
		escaped[i] = mdCell(c)
	}
	mdRowRaw(w, escaped...)
}

// mdRowRaw writes one table row of cells that are Markdown already.
func mdRowRaw(w io.Writer, cells ...string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// mdRule writes the line under a table's header; the last numeric columns
// are aligned right.
func mdRule(w io.Writer, n, left int) {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = "---"
		if left > 0 && i >= left {
			parts[i] = "--:"
		}
	}
	mdRowRaw(w, parts...)
}

// mdReplacer escapes what Markdown would read as markup: backslashes, the
// emphasis and code marks, links, raw HTML and, in tables, the pipe.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "#", `\#`,
)

// mdText is plain text made safe for a Markdown line: markup escaped and
// line breaks turned into spaces.
func mdText(s string) string {
	return mdReplacer.Replace(strings.Join(strings.Fields(s), " "))
}

// mdCell is plain text made safe for a table cell: markup and pipes
// escaped, its own line breaks kept as <br>.
func mdCell(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = mdText(l)
	}
	return strings.Join(lines, "<br>")
}
