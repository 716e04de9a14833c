package compat

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestResilienceCurlRecipes runs the curl recipes of docs/resilience.md as written, host aside,
// against a stub with Atlas's rate limits, and checks what each printed.
func TestResilienceCurlRecipes(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	out := string(newRecipeShell(t, nil).run(shellRecipes(t, "../../docs/resilience.md", "Recipes with curl", stub.URL)))
	lines := strings.Split(out, "\n")
	next := 0
	// expect finds the next line that matches, after those found so far.
	expect := func(what string, pattern string) []string {
		t.Helper()
		re := regexp.MustCompile(pattern)
		for i := next; i < len(lines); i++ {
			if m := re.FindStringSubmatch(lines[i]); m != nil {
				next = i + 1
				return m
			}
		}
		require.Failf(t, "a recipe did not print what it should", "%s: no line matches %q after line %d of:\n%s", what, pattern, next, out)
		return nil
	}
	statuses := func(what string, want ...string) {
		t.Helper()
		for i, status := range want {
			expect(what+" #"+strconv.Itoa(i+1), "^"+status+"$")
		}
	}

	statuses("1. ten tokens", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200")
	expect("1. the eleventh", `^HTTP/1\.1 429`)
	retryAfter, err := strconv.Atoi(expect("1. Retry-After", `^Retry-After: (\d+)`)[1])
	require.NoError(t, err)
	assert.True(t, retryAfter > 50 && retryAfter <= 60, "Retry-After: %d", retryAfter)
	expect("1. Atlas's body", `"errorCode":"RATE_LIMITED","detail":"Resource /api/oauth/token is limited to 10 requests every 1 minutes\."`)

	expect("2. the limit", `(?i)^ratelimit-limit: 1200`)
	expect("2. what is left", `(?i)^ratelimit-remaining: 1199`)

	statuses("3. two 503s, then the real answer", "503", "503", "200")
	expect("3. the rule's counts", `"fired":2,.*"matched":3`)

	statuses("4. after two, two 429s", "200", "200", "429", "429", "200")

	took, err := strconv.ParseFloat(expect("5. latency", `^listed in ([0-9.]+)s$`)[1], 64)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, 0.2)

	slow := expect("6. slow body", `^headers after ([0-9.]+)s, body after ([0-9.]+)s$`)
	headers, err := strconv.ParseFloat(slow[1], 64)
	require.NoError(t, err)
	body, err := strconv.ParseFloat(slow[2], 64)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, body-headers, 0.9, "the body came a second after the headers")

	expect("7. no answer", `^curl exit 52: no answer$`)
	statuses("7. the project exists", "200")
	var dropped struct{ ID string }
	require.Equal(t, http.StatusOK, stubAPI(t, stub, "/api/atlas/v2/groups/byName/dropped", &dropped))

	statuses("8. the reads that seed 42 fails, on every run", "500", "200", "200", "200", "500", "500")
	rules := expect("9. the rules", `^\[.*\]$`)[0]
	assert.Contains(t, rules, `"probability":0.33,"seed":42`)
	assert.Contains(t, rules, `"fired":3,"id":"6","match":{"method":"GET","path":"/api/atlas/v2/groups/*/databaseUsers"},"matched":6`,
		"the rule of recipe 8 met the three reads that answered 500")
	assert.Empty(t, stub.Server.Faults().Rules(), "9. removed them all")
}
