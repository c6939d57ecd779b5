package web

import (
	"strings"

	"tandem/internal/catalog"
	"tandem/internal/i18n"
)

// reqColumn is one standard's side of the requirement picker: its clauses,
// then its annex controls by theme or objective group.
type reqColumn struct {
	Std      *catalog.Standard
	Sections []reqSection
	Checked  int
}

type reqSection struct {
	ID      string // element id, unique on the page
	Prefix  string // the annex number of a theme or group, e.g. "A.5"
	Title   string
	Items   []reqItem
	Checked int
}

type reqItem struct {
	Req     *catalog.Requirement
	Checked bool
	Depth   int // indentation of a subclause
}

func (h *handler) requirementColumns(checked []string) []reqColumn {
	on := map[string]bool{}
	for _, k := range checked {
		on[k] = true
	}
	cols := make([]reqColumn, 0, len(h.cat.Standards))
	for _, std := range h.cat.Standards {
		col := reqColumn{Std: std}
		clauses := reqSection{ID: stdShort(std.ID) + "-clauses", Title: i18n.T("web.catalog.clauses")}
		groups := make([]reqSection, len(std.Groups))
		index := map[string]int{}
		for i, g := range std.Groups {
			groups[i] = reqSection{ID: stdShort(std.ID) + "-" + g.ID, Title: g.Title}
			index[g.ID] = i
		}
		for _, req := range std.Requirements {
			item := reqItem{Req: req, Checked: on[req.Key]}
			sec := &clauses
			if req.Kind == catalog.KindClause {
				item.Depth = clauseDepth(req.Ref)
			} else if i, ok := index[req.Group]; ok {
				sec = &groups[i]
			}
			sec.Items = append(sec.Items, item)
			if item.Checked {
				sec.Checked++
				col.Checked++
			}
		}
		for i := range groups {
			if len(groups[i].Items) > 0 {
				groups[i].Prefix = annexPrefix(groups[i].Items[0].Req.Ref)
			}
		}
		col.Sections = append([]reqSection{clauses}, groups...)
		cols = append(cols, col)
	}
	return cols
}

// annexPrefix is the number of the annex section a control sits in, taken
// from its ref: "A.5" for A.5.15, "A.6" for A.6.2.4.
func annexPrefix(ref string) string {
	parts := strings.SplitN(ref, ".", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[0] + "." + parts[1]
}
