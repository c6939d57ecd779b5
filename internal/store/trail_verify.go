package store

import (
	"context"
	"fmt"
)

// TrailBreak names the first entry of a chain that does not hold.
type TrailBreak struct {
	Org    string
	Seq    int64
	Reason string
}

func (b *TrailBreak) Error() string {
	return fmt.Sprintf("trail of %s breaks at entry %d: %s", b.Org, b.Seq, b.Reason)
}

// VerifyTrail walks the organization's chain in order and returns the first
// break: an entry altered (its hash no longer matches), removed or inserted
// (a gap or a foreign link in the chain), or reordered; also a chain whose
// newest entries were cut off (the head no longer matches). Nil means intact.
func (o *OrgStore) VerifyTrail(ctx context.Context) (int64, *TrailBreak, error) {
	return o.s.verifyChain(ctx, o.org.ID, o.org.Slug)
}

// VerifyInstanceTrail checks the instance's own chain (users, tokens).
func (s *Store) VerifyInstanceTrail(ctx context.Context) (int64, *TrailBreak, error) {
	return s.verifyChain(ctx, InstanceChain, "the instance")
}

func (s *Store) verifyChain(ctx context.Context, chain int64, name string) (checked int64, brk *TrailBreak, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+trailColumns+` FROM trail_entries WHERE org_id = $1 ORDER BY seq`, chain)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	fail := func(seq int64, format string, args ...any) (int64, *TrailBreak, error) {
		return checked, &TrailBreak{Org: name, Seq: seq, Reason: fmt.Sprintf(format, args...)}, nil
	}
	var prev string
	for rows.Next() {
		e, err := scanTrail(rows)
		if err != nil {
			return checked, nil, err
		}
		want := checked + 1
		switch {
		case e.Seq != want:
			return fail(want, "entry %d is missing (next is %d)", want, e.Seq)
		case e.PrevHash != prev:
			return fail(e.Seq, "it does not chain to entry %d (removed, inserted or reordered)", e.Seq-1)
		case TrailHash(chain, e) != e.Hash:
			return fail(e.Seq, "its content was altered after it was written")
		}
		prev = e.Hash
		checked++
	}
	if err := rows.Err(); err != nil {
		return checked, nil, err
	}
	var headSeq int64
	var headHash string
	err = s.db.QueryRowContext(ctx, `SELECT seq, hash FROM trail_heads WHERE org_id = $1`, chain).Scan(&headSeq, &headHash)
	if notFound(err) {
		headSeq, headHash, err = 0, "", nil
	}
	if err != nil {
		return checked, nil, err
	}
	if headSeq != checked || headHash != prev {
		return fail(checked+1, "the newest entries were removed (the chain head is entry %d)", headSeq)
	}
	return checked, nil, nil
}
