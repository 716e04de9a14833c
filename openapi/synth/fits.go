package synth

import (
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// stringFits reports whether a string keeps the schema's enum, length, pattern and format, so
// that a source value or an example is only kept where the schema accepts it.
func stringFits(s *openapi3.Schema, v string) bool {
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, any(v)) {
		return false
	}
	n := uint64(utf8.RuneCountInString(v))
	if n < s.MinLength || (s.MaxLength != nil && n > *s.MaxLength) {
		return false
	}
	if s.Pattern != "" {
		re, err := compiled(s.Pattern)
		if err != nil || !re.MatchString(v) {
			return false
		}
	}
	switch s.Format {
	case "date-time":
		_, err := time.Parse(time.RFC3339, v)
		return err == nil
	case "date":
		_, err := time.Parse(time.DateOnly, v)
		return err == nil
	}
	return true
}

func numberFits(s *openapi3.Schema, v float64, integer bool) bool {
	switch {
	case integer && v != math.Trunc(v):
		return false
	case s.Min != nil && (v < *s.Min || (s.ExclusiveMin.IsTrue() && v == *s.Min)):
		return false
	case s.Max != nil && (v > *s.Max || (s.ExclusiveMax.IsTrue() && v == *s.Max)):
		return false
	}
	return true
}

// patterns caches the compiled patterns of the specification, which are few and read often.
var patterns sync.Map // string -> *regexp.Regexp or error

func compiled(pattern string) (*regexp.Regexp, error) {
	if cached, ok := patterns.Load(pattern); ok {
		if re, isRegexp := cached.(*regexp.Regexp); isRegexp {
			return re, nil
		}
		return nil, cached.(error)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		patterns.Store(pattern, err)
		return nil, err
	}
	patterns.Store(pattern, re)
	return re, nil
}

// fromPattern returns a short string that the pattern matches: each repetition at its minimum,
// the first alternative, the first character of a class.
func fromPattern(pattern string) (string, bool) {
	re, err := compiled(pattern)
	if err != nil {
		return "", false
	}
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	generate(&b, parsed.Simplify())
	v := b.String()
	return v, re.MatchString(v)
}

func generate(b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		if len(re.Rune) > 0 {
			b.WriteRune(classRune(re.Rune))
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a')
	case syntax.OpCapture:
		generate(b, re.Sub[0])
	case syntax.OpPlus:
		generate(b, re.Sub[0])
	case syntax.OpRepeat:
		for range re.Min {
			generate(b, re.Sub[0])
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			generate(b, sub)
		}
	case syntax.OpAlternate:
		generate(b, re.Sub[0])
	}
	// Anchors, empty matches, stars and optional parts add nothing.
}

// classRune picks a readable character of a class given as ranges: a lowercase letter or a digit
// if the class has one, else its first character.
func classRune(ranges []rune) rune {
	for _, want := range []rune{'a', '0', 'A'} {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	return ranges[0]
}
