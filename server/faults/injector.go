// Package faults injects the faults a client must survive against Atlas: Atlas errors (a 503, a
// 429 with Retry-After), latency, slow bodies and dropped connections. Rules come from the
// control API (/_stub/faults) or a test's stubtest helpers, match requests by operationId, tag,
// method and path, and meet the next N of them, the ones after the first M, or each with a
// seeded probability. The whole API can also be slowed down (atlasstub serve --latency).
package faults

import (
	"math"
	"math/rand/v2"
	"path"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Injector holds the fault rules of a stub.
type Injector struct {
	known func() (vocabulary, error)
	// latency slows down every request of the Atlas API.
	latency Latency

	mu     sync.Mutex
	rules  []*rule
	lastID int        // ids are never reused, not even after Clear
	draw   *rand.Rand // the seeds of rules that name none, and the global latency
}

// rule is a Rule with the generator of its probability.
type rule struct {
	Rule
	chance *rand.Rand
}

// vocabulary is what rules may name: the operations and tags of the specification.
type vocabulary struct {
	operations, tags map[string]bool
}

// A Document returns a specification whose operations and tags rules may name.
type Document func() (*openapi3.T, error)

// NewInjector returns an injector without rules whose rules may name the operations and tags of
// docs, and which slows down every request by latency. The documents are read when the first
// rule is added, so that a stub that injects no faults never waits for the official
// specification to load.
func NewInjector(latency Latency, docs ...Document) *Injector {
	known := sync.OnceValues(func() (vocabulary, error) {
		known := vocabulary{operations: map[string]bool{}, tags: map[string]bool{}}
		for _, load := range docs {
			doc, err := load()
			if err != nil {
				return vocabulary{}, err
			}
			for _, item := range doc.Paths.Map() {
				for _, op := range item.Operations() {
					known.operations[op.OperationID] = true
					for _, tag := range op.Tags {
						known.tags[tag] = true
					}
				}
			}
		}
		return known, nil
	})
	return &Injector{known: known, latency: latency, draw: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
}

// Latency returns the latency of every request.
func (in *Injector) Latency() Latency { return in.latency }

// Add checks a rule and adds it after the others; it returns the rule with its id, its seed and
// its probability as they are kept. An invalid rule is an *apierror.Error naming its field.
func (in *Injector) Add(r Rule) (Rule, error) {
	known, err := in.known()
	if err != nil {
		return Rule{}, err
	}
	if err := r.check(known); err != nil {
		return Rule{}, err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.lastID++
	r.ID = strconv.Itoa(in.lastID)
	r.Matched, r.Fired = 0, 0
	if r.Probability == 0 {
		r.Probability = 1
	}
	if r.Seed == 0 {
		r.Seed = 1 + in.draw.Uint64N(math.MaxInt64) // from 1 to what an int64 holds, as the control API shows it
	}
	in.rules = append(in.rules, &rule{Rule: r, chance: rand.New(rand.NewPCG(r.Seed, r.Seed))})
	return r, nil
}

// Rules returns the rules in the order they are tried, with their counts.
func (in *Injector) Rules() []Rule {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]Rule, 0, len(in.rules))
	for _, r := range in.rules {
		out = append(out, r.Rule)
	}
	return out
}

// Rule returns the rule with id.
func (in *Injector) Rule(id string) (Rule, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, r := range in.rules {
		if r.ID == id {
			return r.Rule, true
		}
	}
	return Rule{}, false
}

// Remove removes the rule with id, and reports whether there was one.
func (in *Injector) Remove(id string) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	before := len(in.rules)
	in.rules = slices.DeleteFunc(in.rules, func(r *rule) bool { return r.ID == id })
	return len(in.rules) < before
}

// Clear removes every rule, as POST /_stub/reset does. The latency of every request stays: it is
// configuration, not state.
func (in *Injector) Clear() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = nil
}

// request is what the rules match: the operation the request was routed to and its path.
type request struct {
	operationID string
	tags        []string
	method      string
	template    string // the operation's path template
	path        string // the request's path
}

// decision is what the injector does to one request: the latency to add, and the rule that
// meets it with its fault, if one does.
type decision struct {
	latency time.Duration
	rule    *Rule
}

// decide counts the request on every rule that matches it, and lets the first rule that is due
// (past its After, within its Times, and lucky by its Probability) meet it. Only that rule draws
// and fires, so that a run with the same requests meets the same faults.
func (in *Injector) decide(req request) decision {
	in.mu.Lock()
	defer in.mu.Unlock()
	d := decision{latency: in.latency.draw(in.draw)}
	for _, r := range in.rules {
		if !r.matches(req) {
			continue
		}
		r.Matched++
		if d.rule != nil || r.Matched <= r.After || r.Times > 0 && r.Fired >= r.Times {
			continue
		}
		if r.Probability < 1 && r.chance.Float64() >= r.Probability {
			continue
		}
		r.Fired++
		fired := r.Rule
		d.rule = &fired
		d.latency += r.Latency.draw(r.chance)
	}
	return d
}

func (r *rule) matches(req request) bool {
	m := r.Match
	if m.OperationID != "" && m.OperationID != req.operationID ||
		m.Tag != "" && !slices.Contains(req.tags, m.Tag) ||
		m.Method != "" && m.Method != req.method {
		return false
	}
	if m.Path == "" || m.Path == req.template {
		return true
	}
	matched, _ := path.Match(m.Path, req.path) // Add checked the pattern
	return matched
}

// draw draws a wait from the latency.
func (l Latency) draw(r *rand.Rand) time.Duration {
	if l.Max <= l.Min {
		return l.Min
	}
	return l.Min + time.Duration(r.Int64N(int64(l.Max-l.Min)+1))
}
