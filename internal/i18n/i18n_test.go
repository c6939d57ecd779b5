package i18n

import "testing"

func TestCatalog(t *testing.T) {
	tests := []struct {
		id   string
		args []any
		want string
	}{
		{"error.required", nil, "is required"},
		{"error.too_long", []any{200}, "must be at most 200 characters"},
		{"no.such.message", nil, "no.such.message"},
	}
	for _, tt := range tests {
		if got := T(tt.id, tt.args...); got != tt.want {
			t.Errorf("T(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
	if got := Lang("nl").T("error.required"); got != "is required" {
		t.Errorf("fallback to English: %q", got)
	}
	if len(IDs()) < 5 {
		t.Errorf("only %d messages", len(IDs()))
	}
}
