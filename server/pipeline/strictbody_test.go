package pipeline

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTrailingData(t *testing.T) {
	for body, want := range map[string]int64{
		`{"a": 1} xyz`:     9,
		`{"a": 1}{"b": 2}`: 8,
		"[1, 2]\n\n]":      8,
		`"s" "t"`:          4,
		`123 456`:          4,
	} {
		offset, found := trailingData([]byte(body))
		assert.True(t, found, "%q", body)
		assert.Equal(t, want, offset, "%q", body)
	}
	for _, body := range []string{`{"a": 1}`, " {\"a\": 1}\r\n\t ", "[]", `"s"`, "", "{", "xyz", `{"a": }`} {
		_, found := trailingData([]byte(body))
		assert.False(t, found, "%q: one JSON value, or not even that", body)
	}
}

// FuzzTrailingData checks trailingData against encoding/json: what it finds starts after a
// complete JSON value and is not whitespace; what it does not find is a body that is one JSON
// value, or that json.Decoder cannot read a first value from.
func FuzzTrailingData(f *testing.F) {
	for _, seed := range []string{`{"a": 1} xyz`, `{"a":1}`, "[1]\n", `1 2`, `"a"x`, `{`, "", `{"a":"\u00e9"}}`, "nul\x00"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		offset, found := trailingData(body)
		if !found {
			if json.Valid(body) {
				return
			}
			var first json.RawMessage
			if json.NewDecoder(strings.NewReader(string(body))).Decode(&first) == nil {
				t.Fatalf("%q: a first JSON value with data after it went unnoticed", body)
			}
			return
		}
		if json.Valid(body) {
			t.Fatalf("%q is one JSON value, but trailing data was found at %d", body, offset)
		}
		if offset <= 0 || offset >= int64(len(body)) || !json.Valid(body[:offset]) || isJSONSpace(body[offset]) {
			t.Fatalf("%q: trailing data at %d does not follow a complete JSON value", body, offset)
		}
	})
}

// FuzzParsePairs checks the strict reading of forms and query strings against url.ParseQuery:
// without a violation it reads the same values, and a parameter that takes one value never
// comes back with two.
func FuzzParsePairs(f *testing.F) {
	for _, seed := range []string{"grant_type=client_credentials", "a=1&a=2", "a=%ZZ", "a=1;b=2", "&&a", "=x", "a=%41+b", "%zz=1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		parsed := parsePairs(raw, formRules)
		values, violations := parsed.values, parsed.violations
		for name, given := range values {
			if len(given) > 1 && len(violations) == 0 {
				t.Fatalf("%q: %q given %d times without a violation", raw, name, len(given))
			}
		}
		if len(violations) > 0 {
			return
		}
		lenient, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatalf("%q: url.ParseQuery fails (%v), but no violation was found", raw, err)
		}
		assert.Equal(t, lenient, values, "%q", raw)
	})
}
