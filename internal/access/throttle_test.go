package access

import (
	"strconv"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle()
	th.now = func() time.Time { return now }

	// Five failures lock the account, not other accounts.
	for i := 0; i < 5; i++ {
		if !th.Allow("ada@example.com", "10.0.0.1") {
			t.Fatalf("attempt %d refused", i+1)
		}
		th.Fail("ada@example.com", "10.0.0.1")
	}
	if th.Allow("ada@example.com", "10.0.0.9") {
		t.Error("sixth attempt on the account allowed from another address")
	}
	if !th.Allow("bob@example.com", "10.0.0.1") {
		t.Error("another account refused after 5 failures from the address")
	}
	// The window slides: after 15 minutes the account may try again.
	now = now.Add(15*time.Minute + time.Second)
	if !th.Allow("ada@example.com", "10.0.0.1") {
		t.Error("account still locked after the window")
	}

	// Twenty failures from one address lock it for every account, and a
	// success on one account does not reset the address.
	for i := 0; i < 20; i++ {
		th.Fail("user"+string(rune('a'+i))+"@example.com", "10.0.0.2")
	}
	th.Succeed("usera@example.com")
	if th.Allow("fresh@example.com", "10.0.0.2") {
		t.Error("address not throttled after 20 failures")
	}
	if !th.Allow("fresh@example.com", "10.0.0.3") {
		t.Error("other address throttled")
	}

	// A correct sign-in clears the account's count.
	th.Fail("carol@example.com", "10.0.0.4")
	th.Fail("carol@example.com", "10.0.0.4")
	th.Succeed("carol@example.com")
	if n := len(th.recent("account:carol@example.com")); n != 0 {
		t.Errorf("%d failures kept after success", n)
	}
}

func TestThrottleBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle()
	th.now = func() time.Time { return now }
	for i := 0; i < maxKeys+10; i++ {
		th.Fail(strconv.Itoa(i), "addr")
		if len(th.fails) > maxKeys+1 {
			t.Fatalf("%d keys after %d failures", len(th.fails), i+1)
		}
	}
}
