package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
)

func TestGuardCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"CTL-001", "CTL-001"},
		{"=1+2", "'=1+2"},
		{`=HYPERLINK("http://evil.example","x")`, `'=HYPERLINK("http://evil.example","x")`},
		{"+31 20 123", "'+31 20 123"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{" =1", " =1"}, // only the first character counts
		{"a=1", "a=1"},
		{"'quoted", "'quoted"},
		{"{\"title\":\"=1\"}", "{\"title\":\"=1\"}"},
	}
	for _, tt := range tests {
		if got := GuardCell(tt.in); got != tt.want {
			t.Errorf("GuardCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	c := NewCSV(&buf)
	if err := c.Write("a", "=b", "with, comma", "with \"quotes\"", "two\nlines"); err != nil {
		t.Fatal(err)
	}
	if err := c.Write("-1", "ok"); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "a,'=b,\"with, comma\",\"with \"\"quotes\"\"\",\"two\r\nlines\"\r\n'-1,ok\r\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
	// It reads back as the guarded values.
	r := csv.NewReader(strings.NewReader(buf.String()))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || rows[0][1] != "'=b" || rows[0][4] != "two\nlines" || rows[1][0] != "'-1" {
		t.Fatalf("read back %q (%v)", rows, err)
	}
}

// fakeTrail serves n entries, newest first, in pages of size.
func fakeTrail(n, size int) (domain.Page[domain.TrailEntry], TrailPages, *[]string) {
	var asked []string
	page := func(before int) domain.Page[domain.TrailEntry] {
		p := domain.Page[domain.TrailEntry]{Items: []domain.TrailEntry{}}
		for seq := before - 1; seq >= 1 && len(p.Items) < size; seq-- {
			p.Items = append(p.Items, domain.TrailEntry{Seq: int64(seq), At: time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.FixedZone("CET", 3600)),
				Actor: "user:ada@example.com", Action: "control.update", ResourceType: "control", ResourceRef: "-" + strconv.Itoa(seq),
				Before: json.RawMessage(`null`), After: json.RawMessage(`{"title":"=x"}`), PrevHash: "p", Hash: "h"})
		}
		if last := len(p.Items); last > 0 && p.Items[last-1].Seq > 1 {
			next := strconv.FormatInt(p.Items[last-1].Seq, 10)
			p.Next = &next
		}
		return p
	}
	next := func(_ context.Context, cursor string) (domain.Page[domain.TrailEntry], error) {
		asked = append(asked, cursor)
		before, _ := strconv.Atoi(cursor)
		return page(before), nil
	}
	return page(n + 1), next, &asked
}

func TestWriteTrailCSV(t *testing.T) {
	var buf bytes.Buffer
	first, next, asked := fakeTrail(7, 3)
	if err := WriteTrailCSV(context.Background(), &buf, first, next); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(*asked, ","); got != "5,2" {
		t.Errorf("pages asked after %s, want 5,2", got)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 || strings.Join(rows[0], ",") != strings.Join(TrailColumns, ",") {
		t.Fatalf("rows %q", rows)
	}
	want := []string{"7", "2026-03-01T08:30:00.123456Z", "user:ada@example.com", "control.update", "control", "'-7", "null", `{"title":"=x"}`, "p", "h"}
	if strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Errorf("first row %q\nwant      %q", rows[1], want)
	}
	if rows[7][0] != "1" {
		t.Errorf("last row %q", rows[7])
	}

	// An empty trail is the header alone.
	buf.Reset()
	if err := WriteTrailCSV(context.Background(), &buf, domain.Page[domain.TrailEntry]{}, next); err != nil || buf.String() != strings.Join(TrailColumns, ",")+"\r\n" {
		t.Errorf("empty: %q %v", buf.String(), err)
	}

	// A failing page stops the export with its error.
	broken := errors.New("database gone")
	first, _, _ = fakeTrail(7, 3)
	err = WriteTrailCSV(context.Background(), &buf, first, func(context.Context, string) (domain.Page[domain.TrailEntry], error) {
		return domain.Page[domain.TrailEntry]{}, broken
	})
	if !errors.Is(err, broken) {
		t.Errorf("failing page: %v", err)
	}
	// So does a request that has gone away.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	first, next, asked = fakeTrail(7, 3)
	if err := WriteTrailCSV(ctx, &buf, first, next); !errors.Is(err, context.Canceled) || len(*asked) != 0 {
		t.Errorf("canceled: %v after %d pages", err, len(*asked))
	}
}
