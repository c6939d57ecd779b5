package domain

import (
	"encoding/json"
	"time"
)

// Actor is who performs a write: a person, a token or the program itself.
type Actor struct {
	Kind string // "user", "token", "system", "anonymous"
	Name string
}

func (a Actor) String() string {
	if a.Name == "" {
		return a.Kind
	}
	return a.Kind + ":" + a.Name
}

// TrailEntry records one write: who did what to which record, with the
// record before and after, chained to the previous entry of the same
// organization by a SHA-256 hash so that tampering shows.
type TrailEntry struct {
	Seq          int64           `json:"seq"`
	At           time.Time       `json:"at"`
	Actor        string          `json:"actor"`
	Action       string          `json:"action"`
	ResourceType string          `json:"resource_type"`
	ResourceRef  string          `json:"resource_ref"`
	Before       json.RawMessage `json:"before"`
	After        json.RawMessage `json:"after"`
	PrevHash     string          `json:"prev_hash"`
	Hash         string          `json:"hash"`
}
