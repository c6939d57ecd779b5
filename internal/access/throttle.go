package access

import (
	"sync"
	"time"
)

// Throttle limits failed sign-ins per account and per client address over
// a sliding window. It counts failures only, so a user who signs in
// correctly is never slowed down by their own earlier success.
type Throttle struct {
	Window     time.Duration
	PerAccount int // failures allowed per account within Window
	PerAddress int // failures allowed per client address within Window

	mu    sync.Mutex
	now   func() time.Time
	fails map[string][]time.Time
}

// maxKeys bounds the memory a flood of made-up accounts can take.
const maxKeys = 100_000

// NewThrottle allows 5 failures per account and 20 per address in 15
// minutes: enough for typos, far too few for guessing.
func NewThrottle() *Throttle {
	return &Throttle{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20, now: time.Now, fails: map[string][]time.Time{}}
}

// Allow reports whether another attempt may be made.
func (t *Throttle) Allow(account, addr string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent("account:"+account)) < t.PerAccount && len(t.recent("addr:"+addr)) < t.PerAddress
}

// Fail counts a failed attempt.
func (t *Throttle) Fail(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.fails) >= maxKeys {
		t.prune()
	}
	now := t.now()
	for _, k := range []string{"account:" + account, "addr:" + addr} {
		t.fails[k] = append(t.recent(k), now)
	}
}

// Succeed forgets the account's failures after a correct sign-in; the
// address keeps its count, so one valid account does not reset guessing
// at others from the same place.
func (t *Throttle) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, "account:"+account)
}

// recent returns the failures of key within the window (mu held).
func (t *Throttle) recent(key string) []time.Time {
	list := t.fails[key]
	cut := t.now().Add(-t.Window)
	i := 0
	for i < len(list) && !list[i].After(cut) {
		i++
	}
	if i == len(list) {
		delete(t.fails, key)
		return nil
	}
	return list[i:]
}

// prune drops keys whose failures are all outside the window; if a flood
// of fresh keys remains, it starts over rather than grow without bound.
func (t *Throttle) prune() {
	for k := range t.fails {
		t.recent(k)
	}
	if len(t.fails) >= maxKeys {
		t.fails = map[string][]time.Time{}
	}
}
