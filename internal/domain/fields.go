package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// checkText adds a field error when a required text is empty or a text
// runs over max characters.
func checkText(v *ValidationError, field, value string, required bool, max int) {
	switch n := utf8.RuneCountInString(value); {
	case required && n == 0:
		v.Add(field, "error.required", nil)
	case n > max:
		v.Add(field, "error.too_long", nil, max)
	}
}

// checkDate adds a field error when a date is not YYYY-MM-DD (or is
// missing while required).
func checkDate(v *ValidationError, field, value string, required bool) {
	if value == "" {
		if required {
			v.Add(field, "error.required", nil)
		}
		return
	}
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		v.Add(field, "error.date", value)
	}
}

// checkOneOf adds a field error when value is not in list.
func checkOneOf(v *ValidationError, field, value string, list []string) {
	if !oneOf(value, list) {
		v.Add(field, "error.one_of", value, strings.Join(list, ", "))
	}
}

// AddDays returns the date (YYYY-MM-DD) n days after date, or "" when
// date is not one.
func AddDays(date string, n int) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

func setText(pairs ...struct {
	src *string
	dst *string
}) {
	for _, p := range pairs {
		if p.src != nil {
			*p.dst = strings.TrimSpace(*p.src)
		}
	}
}

type textPair = struct {
	src *string
	dst *string
}
