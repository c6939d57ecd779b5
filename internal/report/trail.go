package report

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"tandem/internal/domain"
)

// TrailColumns is the header row of a trail export. The names are the
// fields of the API's trail entries, so that a file and a JSON answer read
// alike; they are identifiers for tools, not prose.
var TrailColumns = []string{"seq", "at", "actor", "action", "resource_type", "resource_ref", "before", "after", "prev_hash", "hash"}

// TrailPages fetches one page of trail entries after cursor ("" for the
// first page).
type TrailPages func(ctx context.Context, cursor string) (domain.Page[domain.TrailEntry], error)

// WriteTrailCSV writes the header row and then every entry the pages hold,
// newest first, one page at a time: first is the page already read (so a
// caller can refuse a bad filter before anything is written), next reads
// the following ones. Only one page is in memory at a time, and each is
// flushed to w before the next is read. Times are UTC in RFC 3339 with
// microseconds, the precision the trail keeps; before and after are the
// records as JSON.
func WriteTrailCSV(ctx context.Context, w io.Writer, first domain.Page[domain.TrailEntry], next TrailPages) error {
	keepWriting(w)
	c := NewCSV(w)
	if err := c.Write(TrailColumns...); err != nil {
		return err
	}
	page := first
	for {
		for _, e := range page.Items {
			if err := c.Write(TrailRecord(e)...); err != nil {
				return err
			}
		}
		if err := c.Flush(); err != nil {
			return err
		}
		if page.Next == nil {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		keepWriting(w)
		var err error
		if page, err = next(ctx, *page.Next); err != nil {
			return err
		}
	}
}

// TrailRecord is one entry as the cells of a row, in TrailColumns order.
func TrailRecord(e domain.TrailEntry) []string {
	return []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
		e.Actor, e.Action, e.ResourceType, e.ResourceRef,
		string(e.Before), string(e.After), e.PrevHash, e.Hash,
	}
}

// pageTime is how long one page of a streamed export may take to reach
// the client. Before each page the server's write deadline is moved on by
// this much, so a long export is not cut off by the server's write timeout
// while a stalled client still is.
const pageTime = time.Minute

// keepWriting extends the write deadline of an HTTP response (other writers
// are left alone).
func keepWriting(w io.Writer) {
	if rw, ok := w.(http.ResponseWriter); ok {
		_ = http.NewResponseController(rw).SetWriteDeadline(time.Now().Add(pageTime))
	}
}
