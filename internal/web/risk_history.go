package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// riskHistoryItem is one trail entry of a risk as its page shows it.
type riskHistoryItem struct {
	At      time.Time
	Actor   string
	Action  string // message id
	Changes []riskChange
}

// riskChange says how one field changed. Text fields too long for a list
// (description, threat …) only say that they changed; link sets list the
// refs added and removed.
type riskChange struct {
	Label   string // message id
	From    string
	To      string
	Detail  bool
	Note    string // said as a whole instead of from → to
	Added   []string
	Removed []string
}

// riskHistory reads trail entries of a risk; levels are named by the
// method in force (an entry's level ids are kept when it no longer has
// them).
func riskHistory(entries []domain.TrailEntry, m domain.RiskMethod) []riskHistoryItem {
	out := make([]riskHistoryItem, 0, len(entries))
	for _, e := range entries {
		item := riskHistoryItem{At: e.At, Actor: actorLabel(e.Actor), Action: "web.action." + e.Action}
		if !i18n.Has(item.Action) {
			item.Action = "web.action.other"
		}
		// A record that did not exist (or no longer does) is JSON null;
		// an entry we cannot read shows no detail.
		var before, after domain.Risk
		if trailRecord(e.Before) && trailRecord(e.After) &&
			json.Unmarshal(e.Before, &before) == nil && json.Unmarshal(e.After, &after) == nil {
			item.Changes = riskChanges(before, after, m)
		}
		out = append(out, item)
	}
	return out
}

func trailRecord(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }

func riskChanges(a, b domain.Risk, m domain.RiskMethod) []riskChange {
	var out []riskChange
	text := func(field, from, to string) {
		if from != to {
			out = append(out, riskChange{Label: field, From: from, To: to, Detail: true})
		}
	}
	long := func(field, from, to string) {
		if from != to {
			out = append(out, riskChange{Label: field})
		}
	}
	value := func(kind, v string) string {
		if v == "" {
			return ""
		}
		return i18n.T("web.risk_value." + kind + "." + v)
	}
	score := func(s domain.RiskScore) string {
		return fmt.Sprintf("%d × %d · %s", s.Likelihood, s.Impact, methodLevelOf(m, s.Level).Label)
	}
	text("web.field.title", a.Title, b.Title)
	text("web.field.owner", a.Owner, b.Owner)
	text("web.field.status", value("status", a.Status), value("status", b.Status))
	text("web.risk_page.treatment", value("treatment", a.Treatment), value("treatment", b.Treatment))
	if a.Inherent.Likelihood != b.Inherent.Likelihood || a.Inherent.Impact != b.Inherent.Impact {
		text("web.risk_page.inherent", score(a.Inherent), score(b.Inherent))
	}
	if a.Residual.Likelihood != b.Residual.Likelihood || a.Residual.Impact != b.Residual.Impact {
		text("web.risk_page.residual", score(a.Residual), score(b.Residual))
	}
	text("web.risk_page.next_review", a.NextReview, b.NextReview)
	long("web.field.description", a.Description, b.Description)
	long("web.risk_page.threat", a.Threat, b.Threat)
	long("web.risk_page.vulnerability", a.Vulnerability, b.Vulnerability)
	long("web.risk_page.ai_systems", a.AISystems, b.AISystems)
	set := func(field string, from, to []string) {
		added, removed := diffKeys(from, to)
		if len(added)+len(removed) > 0 {
			out = append(out, riskChange{Label: field, Added: added, Removed: removed})
		}
	}
	set("web.risk_page.controls", a.Controls, b.Controls)
	set("web.risk_page.assets", a.Assets, b.Assets)
	named := func(field, kind string, from, to []string) {
		if !slices.Equal(from, to) {
			text(field, riskValueList(kind, from), riskValueList(kind, to))
		}
	}
	named("web.risk_page.cia", "cia", a.CIA, b.CIA)
	named("web.risk_page.sources", "source", a.Sources, b.Sources)
	named("web.risk_page.parties", "party", a.Parties, b.Parties)
	if b.Acceptance != nil && (a.Acceptance == nil || *a.Acceptance != *b.Acceptance) {
		ac := b.Acceptance
		out = append(out, riskChange{Label: "web.risk_page.acceptance",
			Note: i18n.T("web.risk_page.history_accepted", ac.By, i18n.T("web.role."+ac.Role), methodLevelOf(m, ac.Level).Label, ac.Expires)})
	}
	return out
}

// valueList names the values of a list field, joined.
func riskValueList(kind string, values []string) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = i18n.T("web.risk_value." + kind + "." + v)
	}
	return strings.Join(names, ", ")
}
