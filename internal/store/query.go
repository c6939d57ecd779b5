package store

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"tandem/internal/domain"
)

// query builds one SQL statement with numbered placeholders ($1, $2 …),
// which both engines accept. Conditions are written with "?" and numbered
// as they are added, so filters compose without counting by hand.
type query struct {
	b    strings.Builder
	args []any
}

func newQuery(base string, args ...any) *query {
	q := &query{args: args}
	q.b.WriteString(base)
	return q
}

// where appends " AND cond"; every "?" in cond takes the next of args.
func (q *query) where(cond string, args ...any) {
	q.b.WriteString(" AND ")
	q.add(cond, args...)
}

// add appends text whose "?" placeholders take args in order.
func (q *query) add(text string, args ...any) {
	for _, part := range strings.SplitAfter(text, "?") {
		if strings.HasSuffix(part, "?") {
			q.args = append(q.args, args[0])
			args = args[1:]
			q.b.WriteString(part[:len(part)-1])
			q.b.WriteString("$" + strconv.Itoa(len(q.args)))
			continue
		}
		q.b.WriteString(part)
	}
}

func (q *query) sql() string { return q.b.String() }

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// trimPage cuts a list read with LIMIT limit+1 back to limit rows; the
// extra row, when there was one, means a next page, whose cursor is the
// position (seq) of the last row kept.
func trimPage[T any](items []T, limit int, seq func(T) int64) ([]T, *string) {
	if len(items) <= limit {
		return items, nil
	}
	next := encodeCursor(seq(items[limit-1]))
	return items[:limit], &next
}

// Cursors are opaque to clients: base64 of the last sequence number seen.
func encodeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seq, 10)))
}

func decodeCursor(c string) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		var n int64
		if n, err = strconv.ParseInt(string(raw), 10, 64); err == nil && n > 0 {
			return n, nil
		}
	}
	v := &domain.ValidationError{}
	v.Add("cursor", "error.cursor", c)
	return 0, v
}

// likePattern turns free text into a case-insensitive LIKE pattern with the
// wildcards of the text escaped.
func likePattern(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(text)) + "%"
}

// anySlice turns values into query arguments.
func anySlice[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// idPage runs q, with the conditions set so far, as one page of rows in
// the order of column (an ascending id) after the cursor: the paging that
// lists in creation order share.
func idPage[T any](ctx context.Context, db queryer, q *query, column string, limit int, cursor string,
	scan func(interface{ Scan(...any) error }) (T, error), id func(T) int64) (domain.Page[T], error) {
	page := domain.Page[T]{Items: []T{}}
	limit = clampLimit(limit)
	if cursor != "" {
		after, err := decodeCursor(cursor)
		if err != nil {
			return page, err
		}
		q.where(column+" > ?", after)
	}
	q.add(" ORDER BY "+column+" LIMIT ?", limit+1)
	rows, err := db.QueryContext(ctx, q.sql(), q.args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, item)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, id)
	return page, nil
}
