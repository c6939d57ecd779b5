package readiness

import (
	"slices"

	"tandem/internal/catalog"
	"tandem/internal/domain"
)

// RequirementChange is what a control change does to one requirement.
type RequirementChange struct {
	Key      string `json:"key"`
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Kind     string `json:"kind"`
	Link     string `json:"link,omitempty" enum:"added,removed" doc:"The change links or unlinks this requirement"`
	Before   string `json:"before" doc:"Implementation state before"`
	After    string `json:"after" doc:"Implementation state after"`
	Excluded bool   `json:"excluded" doc:"The Annex A control is excluded in the SoA; readiness does not count it"`
	SoARow   bool   `json:"soa_row" doc:"The requirement is an Annex A control: its SoA row changes"`
}

// StandardImpact is what the change does to one standard.
type StandardImpact struct {
	ID      string              `json:"id"`
	Title   string              `json:"title"`
	Changes []RequirementChange `json:"changes"`
	Before  Tally               `json:"before"`
	After   Tally               `json:"after"`
}

// Impact is what a change to a control does in each standard.
type Impact struct {
	Control   string           `json:"control"`
	Standards []StandardImpact `json:"standards"`
	// SharedDropped is set when a control that serves both standards is
	// marked not implemented: both SoAs flag it.
	SharedDropped bool `json:"shared_dropped"`
}

// Empty reports whether the change touches no requirement's link or state.
func (im Impact) Empty() bool {
	for _, s := range im.Standards {
		if len(s.Changes) > 0 {
			return false
		}
	}
	return !im.SharedDropped
}

// ImpactOf compares the coverage with the control as before (zero Ref: it
// is new) and as after (zero Ref: it is deleted). cov is the coverage as it
// is now, including before.
func ImpactOf(cat *catalog.Catalog, cov Coverage, excluded Excluded, before, after domain.Control) Impact {
	ref := after.Ref
	if ref == "" {
		ref = before.Ref
	}
	next := Coverage{}
	touched := []string{}
	for _, k := range append(append([]string{}, before.Requirements...), after.Requirements...) {
		if _, seen := next[k]; seen {
			continue
		}
		touched = append(touched, k)
		list := []domain.SoAControl{}
		for _, c := range cov[k] {
			if c.Ref != before.Ref || before.Ref == "" {
				list = append(list, c)
			}
		}
		if after.Ref != "" && slices.Contains(after.Requirements, k) {
			list = append(list, domain.SoAControl{Ref: after.Ref, Title: after.Title, Owner: after.Owner, Status: after.Status, Scope: after.Scope})
		}
		next[k] = list
	}
	merged := Coverage{}
	for k, v := range cov {
		merged[k] = v
	}
	for k, v := range next {
		merged[k] = v
	}
	cat.SortKeys(touched)

	im := Impact{Control: ref, Standards: []StandardImpact{}}
	for _, std := range cat.Standards {
		si := StandardImpact{ID: std.ID, Title: std.Title, Changes: []RequirementChange{}}
		for _, k := range touched {
			r := cat.Requirement(k)
			if r == nil || r.Standard != std.ID {
				continue
			}
			ch := RequirementChange{Key: k, Ref: r.Ref, Title: r.Title, Kind: r.Kind, Before: cov.StateOf(k), After: merged.StateOf(k),
				Excluded: excluded[k], SoARow: r.Kind == catalog.KindAnnex}
			wasLinked, isLinked := slices.Contains(before.Requirements, k), slices.Contains(after.Requirements, k)
			switch {
			case isLinked && !wasLinked:
				ch.Link = "added"
			case wasLinked && !isLinked:
				ch.Link = "removed"
			}
			if ch.Link != "" || ch.Before != ch.After {
				si.Changes = append(si.Changes, ch)
			}
		}
		si.Before = Compute(cat, std.ID, cov, excluded).Overall
		si.After = Compute(cat, std.ID, merged, excluded).Overall
		im.Standards = append(im.Standards, si)
	}
	im.SharedDropped = after.Scope == domain.ScopeShared && after.Status == domain.StatusNotImplemented &&
		(before.Status != domain.StatusNotImplemented || before.Scope != domain.ScopeShared)
	return im
}
