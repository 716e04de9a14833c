package stubtest

import (
	"testing"
	"time"

	"github.com/atlasstub/atlasstub/server/faults"
)

// The fault helpers add rules to the stub's Atlas API, as POST /_stub/faults does, and fail the
// test when a rule is refused. Each returns the rule as the stub keeps it; FaultRule reads its
// counts later:
//
//	rule := stub.Fail(t, faults.Match{OperationID: "getGroup"}, 503, "SERVICE_UNAVAILABLE", stubtest.Times(2))
//	... // the next two getGroup calls answer 503, then the real answer
//	assert.Equal(t, 2, stub.FaultRule(t, rule.ID).Fired)

// FaultOption changes a rule before it is added.
type FaultOption func(*faults.Rule)

// Times makes the rule meet the next n matches, then no more.
func Times(n int) FaultOption { return func(r *faults.Rule) { r.Times = n } }

// After lets the first m matches through untouched.
func After(m int) FaultOption { return func(r *faults.Rule) { r.After = m } }

// WithProbability makes each due match meet the fault with chance p, drawn from seed, so that
// the test meets the same faults on every run.
func WithProbability(p float64, seed uint64) FaultOption {
	return func(r *faults.Rule) { r.Probability, r.Seed = p, seed }
}

// WithLatencyOf adds a wait before the rule's answer: least when most is no later, else drawn
// from [least, most].
func WithLatencyOf(least, most time.Duration) FaultOption {
	return func(r *faults.Rule) { r.Latency = latency(least, most) }
}

// RetryAfter sends Retry-After with the rule's error.
func RetryAfter(d time.Duration) FaultOption {
	return func(r *faults.Rule) { atlasError(r).RetryAfter = d }
}

// Detail sets the detail of the rule's error (the status text by default).
func Detail(detail string) FaultOption {
	return func(r *faults.Rule) { atlasError(r).Detail = detail }
}

// atlasError is the rule's error, made when the rule has none: a rule without a status is then
// refused, rather than the option lost.
func atlasError(r *faults.Rule) *faults.AtlasError {
	if r.Error == nil {
		r.Error = &faults.AtlasError{}
	}
	return r.Error
}

func latency(least, most time.Duration) faults.Latency {
	return faults.Latency{Min: least, Max: max(least, most)}
}

// Fail makes the requests that match answer with an Atlas error.
func (s *Stub) Fail(t testing.TB, match faults.Match, status int, errorCode string, opts ...FaultOption) faults.Rule {
	t.Helper()
	return s.addFault(t, faults.Rule{Match: match, Error: &faults.AtlasError{Status: status, ErrorCode: errorCode}}, opts)
}

// Delay makes the requests that match wait before they are handled: least when most is no
// later, else a wait drawn from [least, most].
func (s *Stub) Delay(t testing.TB, match faults.Match, least, most time.Duration, opts ...FaultOption) faults.Rule {
	t.Helper()
	return s.addFault(t, faults.Rule{Match: match, Latency: latency(least, most)}, opts)
}

// SlowBody spreads the answers' bodies over d: the headers go out at once.
func (s *Stub) SlowBody(t testing.TB, match faults.Match, d time.Duration, opts ...FaultOption) faults.Rule {
	t.Helper()
	return s.addFault(t, faults.Rule{Match: match, SlowBody: d}, opts)
}

// DropConnection closes the connection of the requests that match without an answer:
// faults.DropBefore before they are handled, faults.DropAfter after (what they changed stays).
func (s *Stub) DropConnection(t testing.TB, match faults.Match, when faults.Drop, opts ...FaultOption) faults.Rule {
	t.Helper()
	return s.addFault(t, faults.Rule{Match: match, DropConnection: when}, opts)
}

// AddFault adds a rule written in full.
func (s *Stub) AddFault(t testing.TB, rule faults.Rule) faults.Rule {
	t.Helper()
	return s.addFault(t, rule, nil)
}

func (s *Stub) addFault(t testing.TB, rule faults.Rule, opts []FaultOption) faults.Rule {
	t.Helper()
	for _, opt := range opts {
		opt(&rule)
	}
	added, err := s.Server.Faults().Add(rule)
	if err != nil {
		t.Fatalf("stubtest: add the fault rule: %v", err)
	}
	return added
}

// FaultRule returns the rule with id as it is now, with its counts; the test fails when there
// is none.
func (s *Stub) FaultRule(t testing.TB, id string) faults.Rule {
	t.Helper()
	rule, ok := s.Server.Faults().Rule(id)
	if !ok {
		t.Fatalf("stubtest: no fault rule %s", id)
	}
	return rule
}

// RemoveFault removes the rule with id; the test fails when there is none.
func (s *Stub) RemoveFault(t testing.TB, id string) {
	t.Helper()
	if !s.Server.Faults().Remove(id) {
		t.Fatalf("stubtest: no fault rule %s", id)
	}
}
