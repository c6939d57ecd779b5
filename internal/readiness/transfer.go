package readiness

import (
	"tandem/internal/catalog"
	"tandem/internal/domain"
)

// How a requirement of the target standard stands when an organization
// brings its management system of the source standard along.
const (
	InPlace   = "in_place"  // a control is linked to it already
	Transfers = "transfers" // an equivalent requirement is covered: link that control
	Extend    = "extend"    // an overlapping or related requirement is covered: extend that control
	NewWork   = "new"       // nothing covered maps to it
)

// TransferStatuses lists the statuses, most carried over first.
var TransferStatuses = []string{InPlace, Transfers, Extend, NewWork}

// Via is a covered requirement of the source standard that maps to a
// target requirement, with the controls that cover it.
type Via struct {
	From         *catalog.Requirement `json:"from"`
	Relationship string               `json:"relationship"`
	Rationale    string               `json:"rationale"`
	Controls     []domain.SoAControl  `json:"controls"`
}

// TransferItem is one requirement of the target standard.
type TransferItem struct {
	Requirement *catalog.Requirement `json:"requirement"`
	Status      string               `json:"status" enum:"in_place,transfers,extend,new"`
	State       string               `json:"state" doc:"Implementation state from the controls linked to it"`
	Via         []Via                `json:"via"`
	// Suggested are controls of the source standard that are not linked to
	// this requirement yet: linking one is the step the crosswalk suggests.
	Suggested []domain.SoAControl `json:"suggested"`
}

// Transfer is the whole picture from one standard to the other.
type Transfer struct {
	From   string         `json:"from"`
	To     string         `json:"to"`
	Counts map[string]int `json:"counts"`
	Items  []TransferItem `json:"items"`
}

// TransferOf works out what an organization's controls for the source
// standard carry over to the target standard through the crosswalk.
// Requirements of the target that are excluded, and clause headings, are
// left out, as in Compute.
func TransferOf(cat *catalog.Catalog, from, to string, cov Coverage, excluded Excluded) Transfer {
	target := cat.Standard(to)
	out := Transfer{From: from, To: to, Counts: map[string]int{}, Items: []TransferItem{}}
	for _, s := range TransferStatuses {
		out.Counts[s] = 0
	}
	counted := assessed(target)
	for _, r := range target.Requirements {
		if !counted[r.Key] || excluded[r.Key] {
			continue
		}
		item := TransferItem{Requirement: r, State: cov.StateOf(r.Key), Via: []Via{}, Suggested: []domain.SoAControl{}}
		linked := map[string]bool{}
		for _, c := range cov[r.Key] {
			linked[c.Ref] = true
		}
		best := NewWork
		for _, l := range cat.LinksOf(r.Key) {
			other := l.From
			if other == r.Key {
				other = l.To
			}
			src := cat.Requirement(other)
			if src == nil || src.Standard != from || len(cov[other]) == 0 {
				continue
			}
			item.Via = append(item.Via, Via{From: src, Relationship: l.Relationship, Rationale: l.Rationale, Controls: cov[other]})
			for _, c := range cov[other] {
				if !linked[c.Ref] {
					linked[c.Ref] = true
					item.Suggested = append(item.Suggested, c)
				}
			}
			if equivalent(l.Relationship) {
				best = Transfers
			} else if best == NewWork {
				best = Extend
			}
		}
		if len(cov[r.Key]) > 0 {
			best = InPlace
			item.Suggested = []domain.SoAControl{} // in place already: nothing to suggest
		}
		item.Status = best
		out.Counts[best]++
		out.Items = append(out.Items, item)
	}
	return out
}

// equivalent reports whether a crosswalk relationship means the two
// requirements ask for the same thing.
func equivalent(rel string) bool { return rel == "equivalent" || rel == "equal" }
