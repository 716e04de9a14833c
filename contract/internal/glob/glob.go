// Package glob matches the simple patterns of the contract's review files (exemptions and known
// upstream differences): `*` matches any run of characters, including `/`, and every other
// character matches itself. path.Match is not enough: its `*` stops at `/`, and API paths and
// Go symbols such as `(*Client).Get` are easier to write with one wildcard that means "anything".
package glob

import "strings"

// Match reports whether s matches pattern as a whole.
func Match(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(s, part)
		if i < 0 {
			return false
		}
		s = s[i+len(part):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}
