package web

import (
	"encoding/json"
	"strings"
	"time"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/i18n"
)

// historyItem is one trail entry as the control page shows it.
type historyItem struct {
	At      time.Time
	Actor   string
	Action  string // message id
	Changes []fieldChange
}

// fieldChange says how one field changed; Detail is false for long text
// (the description), whose old and new values would not fit a list.
type fieldChange struct {
	Label   string // message id
	From    string
	To      string
	Detail  bool
	Added   []*catalog.Requirement
	Removed []*catalog.Requirement
}

func (h *handler) history(entries []domain.TrailEntry) []historyItem {
	out := make([]historyItem, 0, len(entries))
	for _, e := range entries {
		item := historyItem{At: e.At, Actor: actorLabel(e.Actor), Action: "web.action." + e.Action}
		if !i18n.Has(item.Action) {
			item.Action = "web.action.other"
		}
		var before, after domain.Control
		// A record that did not exist (or no longer does) is JSON null and
		// leaves the zero value; an entry we cannot read shows no detail.
		_ = json.Unmarshal(e.Before, &before)
		_ = json.Unmarshal(e.After, &after)
		if len(e.Before) > 0 && string(e.Before) != "null" && len(e.After) > 0 && string(e.After) != "null" {
			item.Changes = h.changes(before, after)
		}
		out = append(out, item)
	}
	return out
}

func (h *handler) changes(a, b domain.Control) []fieldChange {
	var out []fieldChange
	if a.Title != b.Title {
		out = append(out, fieldChange{Label: "web.field.title", From: a.Title, To: b.Title, Detail: true})
	}
	if a.Status != b.Status {
		out = append(out, fieldChange{Label: "web.field.status", Detail: true,
			From: i18n.T("web.status." + a.Status), To: i18n.T("web.status." + b.Status)})
	}
	if a.Owner != b.Owner {
		out = append(out, fieldChange{Label: "web.field.owner", From: a.Owner, To: b.Owner, Detail: true})
	}
	if a.Description != b.Description {
		out = append(out, fieldChange{Label: "web.field.description"})
	}
	added, removed := diffKeys(a.Requirements, b.Requirements)
	if len(added)+len(removed) > 0 {
		out = append(out, fieldChange{Label: "web.field.requirements",
			Added: h.requirements(added), Removed: h.requirements(removed)})
	}
	return out
}

// actorLabel is how a trail actor reads: people and tokens by name, the
// program itself (demo seeding) and anonymous writes (before sign-in exists)
// by a translated word instead of "system:demo" or "anonymous:web".
func actorLabel(a string) string {
	kind, name, _ := strings.Cut(a, ":")
	switch kind {
	case "anonymous":
		return i18n.T("web.actor.anonymous")
	case "system":
		return i18n.T("web.actor.system", name)
	case "user", "token":
		return name
	}
	return a
}
