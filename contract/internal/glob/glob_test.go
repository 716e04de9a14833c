package glob_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/contract/internal/glob"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"createGroup", "createGroup", true},
		{"createGroup", "createGroups", false},
		{"/api/atlas/v1.0/*", "/api/atlas/v1.0/groups/{groupId}/userSecurity", true},
		{"/api/atlas/v1.0/*", "/api/atlas/v2/groups", false},
		{"*DeleteGroup*", "(*ClientWithResponses).DeleteGroupWithResponse", true},
		{"*DeleteGroup*", "(*Client).CreateGroup", false},
		{"*(?!*", `^((?!\.)[0-9.]+)$`, true},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"ab*ba", "aba", false},
		{"*", "", true},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, glob.Match(c.pattern, c.s), "Match(%q, %q)", c.pattern, c.s)
	}
}
