package store_test

import (
	"context"
	"strings"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// TestTrailTamperingIsCaught changes the trail behind the program's back, by
// SQL, and checks that verification names the first broken entry.
func TestTrailTamperingIsCaught(t *testing.T) {
	tests := []struct {
		name    string
		tamper  []string // SQL run against trail_entries of the org ($1 = org id)
		seq     int64
		because string
	}{
		{"intact", nil, 0, ""},
		{"altered content", []string{`UPDATE trail_entries SET after_json = '{"title":"forged"}' WHERE org_id = $1 AND seq = 3`}, 3, "altered"},
		{"altered actor", []string{`UPDATE trail_entries SET actor = 'user:someone-else' WHERE org_id = $1 AND seq = 2`}, 2, "altered"},
		{"removed", []string{`DELETE FROM trail_entries WHERE org_id = $1 AND seq = 3`}, 3, "missing"},
		{"removed newest", []string{`DELETE FROM trail_entries WHERE org_id = $1 AND seq = 4`}, 4, "newest entries were removed"},
		{"reordered", []string{
			`UPDATE trail_entries SET seq = 100 WHERE org_id = $1 AND seq = 3`,
			`UPDATE trail_entries SET seq = 3 WHERE org_id = $1 AND seq = 4`,
			`UPDATE trail_entries SET seq = 4 WHERE org_id = $1 AND seq = 100`,
		}, 3, "does not chain"},
		{"inserted", []string{
			`UPDATE trail_entries SET seq = seq + 100 WHERE org_id = $1 AND seq >= 3`,
			`UPDATE trail_entries SET seq = seq - 99 WHERE org_id = $1 AND seq >= 100`,
			`INSERT INTO trail_entries (org_id, seq, at, actor, action, resource_type, resource_ref, before_json, after_json, prev_hash, hash)
			 SELECT org_id, 3, at, actor, action, resource_type, resource_ref, before_json, after_json, hash, 'forged'
			 FROM trail_entries WHERE org_id = $1 AND seq = 2`,
		}, 3, "altered"},
	}
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx := context.Background()
				slug := strings.ReplaceAll(tt.name, " ", "-")
				o := newOrg(t, s, slug)
				other := newOrg(t, s, slug+"-other")
				for _, title := range []string{"One", "Two"} {
					create(t, o, title, domain.StatusPlanned)
					create(t, other, title, domain.StatusPlanned)
				}
				if _, err := o.UpdateControl(ctx, tester, "CTL-001", 1, domain.ControlInput{Status: ptr(domain.StatusImplemented)}); err != nil {
					t.Fatal(err)
				}
				for _, q := range tt.tamper {
					if _, err := s.DB().Exec(q, o.Org().ID); err != nil {
						t.Fatalf("tamper %q: %v", q, err)
					}
				}
				_, brk, err := o.VerifyTrail(ctx)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case tt.seq == 0 && brk != nil:
					t.Fatalf("intact chain reported broken: %v", brk)
				case tt.seq != 0 && brk == nil:
					t.Fatal("tampering not detected")
				case tt.seq != 0 && (brk.Seq != tt.seq || !strings.Contains(brk.Reason, tt.because)):
					t.Fatalf("got %v, want entry %d (%s)", brk, tt.seq, tt.because)
				}
				// Another organization's chain is untouched by it.
				if _, brk, _ := other.VerifyTrail(ctx); brk != nil {
					t.Fatalf("other org: %v", brk)
				}
			})
		}
	})
}
