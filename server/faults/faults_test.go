package faults

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// atlasDocument is the specification, loaded once: loading it costs more than the tests.
var atlasDocument = sync.OnceValues(openapi.LoadAtlas)

func newTestInjector(t *testing.T) *Injector {
	t.Helper()
	return NewInjector(Latency{}, atlasDocument)
}

var getGroup = request{operationID: "getGroup", tags: []string{"Projects"}, method: "GET",
	template: "/api/atlas/v2/groups/{groupId}", path: "/api/atlas/v2/groups/5f0000000000000000000001"}

var unavailable = &AtlasError{Status: 503, ErrorCode: "SERVICE_UNAVAILABLE"}

// fired runs n requests through the injector and tells which met a fault (by rule id).
func fired(in *Injector, req request, n int) []string {
	var out []string
	for range n {
		id := ""
		if d := in.decide(req); d.rule != nil {
			id = d.rule.ID
		}
		out = append(out, id)
	}
	return out
}

func TestTimesAndAfter(t *testing.T) {
	in := newTestInjector(t)
	next2, err := in.Add(Rule{Match: Match{OperationID: "getGroup"}, Error: unavailable, Times: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{next2.ID, next2.ID, "", ""}, fired(in, getGroup, 4), "the next two calls, then the real answer")

	in.Clear()
	after3, err := in.Add(Rule{Match: Match{OperationID: "getGroup"}, Error: unavailable, After: 3, Times: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"", "", "", after3.ID, ""}, fired(in, getGroup, 5), "the fourth call only")
	got, ok := in.Rule(after3.ID)
	require.True(t, ok)
	assert.Equal(t, 5, got.Matched)
	assert.Equal(t, 1, got.Fired)
}

// TestTheFirstDueRuleAnswersAndEveryRuleCounts: rules are tried in the order they were added; the
// first that is due meets the request, and every rule that matches counts it, so that the After
// of a later rule counts every call.
func TestTheFirstDueRuleAnswersAndEveryRuleCounts(t *testing.T) {
	in := newTestInjector(t)
	first, err := in.Add(Rule{Match: Match{Tag: "Projects"}, Error: unavailable, Times: 1})
	require.NoError(t, err)
	second, err := in.Add(Rule{Match: Match{Method: "GET", Path: "/api/atlas/v2/groups/*"}, Error: &AtlasError{Status: 500, ErrorCode: "UNEXPECTED_ERROR"}, After: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{first.ID, second.ID, second.ID}, fired(in, getGroup, 3))
	rules := in.Rules()
	assert.Equal(t, []int{3, 3}, []int{rules[0].Matched, rules[1].Matched})
	assert.Equal(t, []int{1, 2}, []int{rules[0].Fired, rules[1].Fired})
}

func TestMatchFields(t *testing.T) {
	for name, tc := range map[string]struct {
		match   Match
		matches bool
	}{
		"operationId":            {Match{OperationID: "getGroup"}, true},
		"another operationId":    {Match{OperationID: "deleteGroup"}, false},
		"tag":                    {Match{Tag: "Projects"}, true},
		"another tag":            {Match{Tag: "Database Users"}, false},
		"method":                 {Match{Method: "GET"}, true},
		"another method":         {Match{Method: "DELETE"}, false},
		"template":               {Match{Path: "/api/atlas/v2/groups/{groupId}"}, true},
		"pattern":                {Match{Path: "/api/atlas/v2/groups/*"}, true},
		"literal path":           {Match{Path: getGroup.path}, true},
		"a star stays in a part": {Match{Path: "/api/atlas/v2/*"}, false},
		"all fields":             {Match{OperationID: "getGroup", Tag: "Projects", Method: "GET", Path: "/api/atlas/v2/groups/*"}, true},
		"all but one":            {Match{OperationID: "getGroup", Tag: "Projects", Method: "PATCH"}, false},
	} {
		t.Run(name, func(t *testing.T) {
			r := &rule{Rule: Rule{Match: tc.match}}
			assert.Equal(t, tc.matches, r.matches(getGroup))
		})
	}
}

// TestProbabilityIsSeeded: a rule with a probability meets about that share of its matches, and
// the same seed meets the same ones, so that a run can be repeated.
func TestProbabilityIsSeeded(t *testing.T) {
	pattern := func(seed uint64) []string {
		in := newTestInjector(t)
		_, err := in.Add(Rule{Match: Match{OperationID: "getGroup"}, Error: unavailable, Probability: 0.3, Seed: seed})
		require.NoError(t, err)
		return fired(in, getGroup, 1000)
	}
	first := pattern(7)
	assert.Equal(t, first, pattern(7), "the same seed meets the same calls")
	assert.NotEqual(t, first, pattern(8))
	met := 0
	for _, id := range first {
		if id != "" {
			met++
		}
	}
	assert.InDelta(t, 300, met, 60, "about three in ten of 1000 calls")

	in := newTestInjector(t)
	unseeded, err := in.Add(Rule{Match: Match{OperationID: "getGroup"}, Error: unavailable, Probability: 0.5})
	require.NoError(t, err)
	assert.NotZero(t, unseeded.Seed, "a rule without a seed shows the one it drew, to repeat the run with")
	assert.Less(t, unseeded.Seed, uint64(1)<<63)
	always, err := in.Add(Rule{Match: Match{OperationID: "getGroup"}, Error: unavailable})
	require.NoError(t, err)
	assert.Equal(t, 1.0, always.Probability)
}

func TestLatencyIsAddedAndDrawnWithinItsRange(t *testing.T) {
	in := newTestInjector(t)
	in.latency = Latency{Min: 20 * time.Millisecond, Max: 80 * time.Millisecond}
	_, err := in.Add(Rule{Match: Match{Tag: "Projects"}, Latency: Latency{Min: time.Second, Max: time.Second}})
	require.NoError(t, err)
	seen := map[time.Duration]bool{}
	for range 50 {
		d := in.decide(getGroup)
		require.NotNil(t, d.rule)
		assert.GreaterOrEqual(t, d.latency, time.Second+20*time.Millisecond)
		assert.LessOrEqual(t, d.latency, time.Second+80*time.Millisecond)
		seen[d.latency] = true
	}
	assert.Greater(t, len(seen), 1, "the latency is drawn, not fixed")
}

func TestParseLatency(t *testing.T) {
	for in, want := range map[string]Latency{
		"200ms":       {200 * time.Millisecond, 200 * time.Millisecond},
		"20ms..80ms":  {20 * time.Millisecond, 80 * time.Millisecond},
		"1s..1s":      {time.Second, time.Second},
		"0s":          {},
		" 5ms .. 1s ": {5 * time.Millisecond, time.Second},
	} {
		got, err := ParseLatency(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for in, says := range map[string]string{
		"":           "not a Go duration",
		"fast":       "not a Go duration",
		"80ms..20ms": "ends before it starts",
		"-5ms":       "negative",
		"20ms..":     "not a Go duration",
		"1s..2s..3s": "not a Go duration",
	} {
		_, err := ParseLatency(in)
		assert.ErrorContains(t, err, says, in)
	}
}

// FuzzParseLatency: whatever it reads, it writes back as it read it.
func FuzzParseLatency(f *testing.F) {
	for _, seed := range []string{"200ms", "20ms..80ms", "1h2m3s..4h", "0", "..", "1e3ms", "-1s..1s"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLatency(s)
		if err != nil {
			return
		}
		require.True(t, l.Min >= 0 && l.Min <= l.Max, "%q read as %+v", s, l)
		if l.Max == 0 {
			return
		}
		again, err := ParseLatency(l.String())
		require.NoError(t, err, "%q written as %q", s, l.String())
		require.Equal(t, l, again)
	})
}

// TestRulesAreChecked: every mistake is refused with the field it is in.
func TestRulesAreChecked(t *testing.T) {
	in := newTestInjector(t)
	ok := Rule{Match: Match{OperationID: "getGroup"}, Error: unavailable}
	for field, broken := range map[string]func(r *Rule){
		"match":                   func(r *Rule) { r.Match = Match{} },
		"match.operationId":       func(r *Rule) { r.Match.OperationID = "getgroup" },
		"match.tag":               func(r *Rule) { r.Match.Tag = "Project" },
		"match.method":            func(r *Rule) { r.Match.Method = "get" },
		"match.path":              func(r *Rule) { r.Match.Path = "api/atlas/v2/groups" },
		"error":                   func(r *Rule) { r.Error = nil },
		"error.status":            func(r *Rule) { r.Error = &AtlasError{Status: 200, ErrorCode: "OK"} },
		"error.errorCode":         func(r *Rule) { r.Error = &AtlasError{Status: 503, ErrorCode: "service unavailable"} },
		"error.retryAfterSeconds": func(r *Rule) { r.Error = &AtlasError{Status: 429, ErrorCode: "RATE_LIMITED", RetryAfter: time.Hour} },
		"latency":                 func(r *Rule) { r.Latency = Latency{Min: time.Hour, Max: time.Hour} },
		"slowBody":                func(r *Rule) { r.SlowBody = -time.Second },
		"dropConnection":          func(r *Rule) { r.DropConnection = "sometimes" },
		"after":                   func(r *Rule) { r.After = -1 },
		"times":                   func(r *Rule) { r.Times = -1 },
		"probability":             func(r *Rule) { r.Probability = 1.5 },
	} {
		t.Run(field, func(t *testing.T) {
			r := ok
			broken(&r)
			_, err := in.Add(r)
			require.Error(t, err)
			assert.True(t, apierror.InvalidAttribute.Is(err), "%v", err)
			assert.Equal(t, []any{field}, apierror.From(err).Parameters)
		})
	}
	for name, r := range map[string]Rule{
		"the control API":                 {Match: Match{Path: "/_stub/faults"}, Error: unavailable},
		"a pattern that does not compile": {Match: Match{Path: "/api/["}, Error: unavailable},
		"a drop with an error":            {Match: Match{Tag: "Projects"}, Error: unavailable, DropConnection: DropAfter},
		"a drop with a slow body":         {Match: Match{Tag: "Projects"}, SlowBody: time.Second, DropConnection: DropBefore},
	} {
		_, err := in.Add(r)
		assert.Error(t, err, name)
	}
	assert.Empty(t, in.Rules(), "no refused rule was added")
}

func TestRemoveAndClear(t *testing.T) {
	in := newTestInjector(t)
	a, err := in.Add(Rule{Match: Match{Tag: "Projects"}, Latency: Latency{Max: time.Millisecond}})
	require.NoError(t, err)
	b, err := in.Add(Rule{Match: Match{Tag: "Projects"}, Latency: Latency{Max: time.Millisecond}})
	require.NoError(t, err)
	assert.True(t, in.Remove(a.ID))
	assert.False(t, in.Remove(a.ID), "already gone")
	require.Len(t, in.Rules(), 1)
	assert.Equal(t, b.ID, in.Rules()[0].ID)
	in.Clear()
	assert.Empty(t, in.Rules())
	c, err := in.Add(Rule{Match: Match{Tag: "Projects"}, Latency: Latency{Max: time.Millisecond}})
	require.NoError(t, err)
	assert.NotContains(t, []string{a.ID, b.ID}, c.ID, "ids are never reused")
}

func TestAction(t *testing.T) {
	assert.Equal(t, "error 503 SERVICE_UNAVAILABLE", Rule{Error: unavailable}.Action())
	assert.Equal(t, "latency 20ms..80ms, drop the connection after handling",
		Rule{Latency: Latency{20 * time.Millisecond, 80 * time.Millisecond}, DropConnection: DropAfter}.Action())
	assert.Equal(t, "latency 1s, error 503 SERVICE_UNAVAILABLE, slow body over 2s",
		Rule{Latency: Latency{time.Second, time.Second}, Error: unavailable, SlowBody: 2 * time.Second}.Action())
}

// BenchmarkDecide is what the faults step adds to a request that no rule meets, with no rules
// and with ten that match other operations.
func BenchmarkDecide(b *testing.B) {
	for _, rules := range []int{0, 10} {
		b.Run(strconv.Itoa(rules)+" rules", func(b *testing.B) {
			in := NewInjector(Latency{}, atlasDocument)
			for range rules {
				_, err := in.Add(Rule{Match: Match{OperationID: "deleteGroup"}, Error: unavailable})
				require.NoError(b, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if in.decide(getGroup).rule != nil {
					b.Fatal("a rule met getGroup")
				}
			}
		})
	}
}
