package faults

import (
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// Rule says which requests a fault meets and what the fault does to them.
type Rule struct {
	// ID names the rule; the injector gives it.
	ID string
	// Match selects the requests.
	Match Match

	// Error answers with an Atlas error instead of handling the request.
	Error *AtlasError
	// Latency waits before the request is handled (or answered with Error).
	Latency Latency
	// SlowBody spreads the answer's body over this long, headers first.
	SlowBody time.Duration
	// DropConnection closes the connection without an answer: before the request is handled,
	// or after (its changes stay, and the client never learns of them).
	DropConnection Drop

	// After lets the first After matches through untouched.
	After int
	// Times is how many matches the rule meets before it is spent; 0 is every match.
	Times int
	// Probability is the chance that an eligible match meets the fault, drawn from a generator
	// seeded with Seed, so that a run can be repeated; 0 is taken as 1. Without a Seed, the
	// injector draws one and shows it in the rule.
	Probability float64
	Seed        uint64

	// Matched and Fired count the requests the rule matched and those it met with its fault.
	Matched, Fired int
}

// Match selects requests; every field set must match, and at least one must be set.
type Match struct {
	// OperationID is an operationId of the specification, such as getGroup.
	OperationID string
	// Tag is a tag of the specification, such as Projects: every operation that has it.
	Tag string
	// Method is an HTTP method, such as GET.
	Method string
	// Path is the request's path, in which * stands for any part of one segment
	// (/api/atlas/v2/groups/*/databaseUsers), or an operation's path template
	// (/api/atlas/v2/groups/{groupId}).
	Path string
}

// AtlasError is the Atlas error a rule answers with.
type AtlasError struct {
	Status    int
	ErrorCode string
	// Detail defaults to the status text.
	Detail string
	// RetryAfter, when set, is sent as Retry-After in whole seconds, rounded up.
	RetryAfter time.Duration
}

// Drop says when a rule closes the connection.
type Drop string

const (
	// DropBefore closes the connection before the request is handled: nothing changes.
	DropBefore Drop = "before"
	// DropAfter handles the request, keeps what it changed, and closes the connection instead of
	// answering: the case that makes retrying a create unsafe.
	DropAfter Drop = "after"
)

// Latency is a wait: fixed (Min == Max) or drawn evenly from [Min, Max].
type Latency struct {
	Min, Max time.Duration
}

// ParseLatency reads a latency: one Go duration ("200ms") or a range of two ("20ms..80ms").
func ParseLatency(s string) (Latency, error) {
	low, high, isRange := strings.Cut(s, "..")
	from, err := parseDuration(low)
	if err != nil {
		return Latency{}, err
	}
	to := from
	if isRange {
		if to, err = parseDuration(high); err != nil {
			return Latency{}, err
		}
	}
	if to < from {
		return Latency{}, fmt.Errorf("latency %q: the range ends before it starts", s)
	}
	return Latency{Min: from, Max: to}, nil
}

func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a Go duration such as 200ms or 2s", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("latency %q is negative", s)
	}
	return d, nil
}

// String writes the latency as ParseLatency reads it; "" for none.
func (l Latency) String() string {
	switch {
	case l.Max == 0:
		return ""
	case l.Min == l.Max:
		return l.Min.String()
	}
	return l.Min.String() + ".." + l.Max.String()
}

// longest is the longest wait a rule may ask for: longer would hold a connection past every
// client's timeout and any test's patience.
const longest = 10 * time.Minute

// check validates a rule against the specification's vocabulary. It returns the Atlas error that
// names the first field at fault, as the control API answers it.
func (r Rule) check(known vocabulary) error {
	invalid := apierror.InvalidAttribute.ForField
	m := r.Match
	switch {
	case m == Match{}:
		return invalid("match", "name at least one of operationId, tag, method and path")
	case m.OperationID != "" && !known.operations[m.OperationID]:
		return invalid("match.operationId", fmt.Sprintf("the specification has no operation %q (operationIds are case-sensitive)", m.OperationID))
	case m.Tag != "" && !known.tags[m.Tag]:
		return invalid("match.tag", fmt.Sprintf("the specification has no tag %q", m.Tag))
	case m.Method != "" && !isMethod(m.Method):
		return invalid("match.method", fmt.Sprintf("%q is not an HTTP method of the specification", m.Method))
	case m.Path != "" && !strings.HasPrefix(m.Path, "/"):
		return invalid("match.path", "a path starts with /")
	case strings.HasPrefix(m.Path+"/", pipeline.ControlPrefix):
		return invalid("match.path", "the control API meets no faults, so that a rule can always be removed")
	}
	if _, err := path.Match(m.Path, "/"); err != nil {
		return invalid("match.path", fmt.Sprintf("%q is not a pattern: %v", m.Path, err))
	}
	if r.Error == nil && r.Latency == (Latency{}) && r.SlowBody == 0 && r.DropConnection == "" {
		return invalid("error", "say what the fault does: error, latency, slowBody or dropConnection")
	}
	if e := r.Error; e != nil {
		switch {
		case e.Status < 400 || e.Status > 599:
			return invalid("error.status", fmt.Sprintf("%d is not an error status (400 to 599)", e.Status))
		case !errorCode.MatchString(e.ErrorCode):
			return invalid("error.errorCode", fmt.Sprintf("%q is not an error code: letters, digits and _", e.ErrorCode))
		case e.RetryAfter < 0 || e.RetryAfter > longest:
			return invalid("error.retryAfterSeconds", fmt.Sprintf("%v is not between 0 and %v", e.RetryAfter, longest))
		}
	}
	switch {
	case r.Latency.Min < 0 || r.Latency.Max < r.Latency.Min || r.Latency.Max > longest:
		return invalid("latency", fmt.Sprintf("%q is not a latency between 0 and %v", r.Latency.String(), longest))
	case r.SlowBody < 0 || r.SlowBody > longest:
		return invalid("slowBody", fmt.Sprintf("%v is not between 0 and %v", r.SlowBody, longest))
	case r.DropConnection != "" && r.DropConnection != DropBefore && r.DropConnection != DropAfter:
		return invalid("dropConnection", fmt.Sprintf("%q: want %s or %s", r.DropConnection, DropBefore, DropAfter))
	case r.DropConnection != "" && (r.Error != nil || r.SlowBody != 0):
		return invalid("dropConnection", "a dropped connection answers nothing: no error, no slow body")
	case r.After < 0:
		return invalid("after", "must not be negative")
	case r.Times < 0:
		return invalid("times", "must not be negative; leave it out for every match")
	case r.Probability < 0 || r.Probability > 1:
		return invalid("probability", fmt.Sprintf("%v is not a probability between 0 and 1", r.Probability))
	}
	return nil
}

// errorCode is the form of Atlas's error codes (RATE_LIMITED) and of OAuth's (invalid_client).
var errorCode = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func isMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// Action says what the rule does, for the access log: "error 503 SERVICE_UNAVAILABLE",
// "latency 20ms..80ms, drop the connection after handling".
func (r Rule) Action() string {
	var parts []string
	if l := r.Latency.String(); l != "" {
		parts = append(parts, "latency "+l)
	}
	if e := r.Error; e != nil {
		parts = append(parts, "error "+strconv.Itoa(e.Status)+" "+e.ErrorCode)
	}
	if r.SlowBody > 0 {
		parts = append(parts, "slow body over "+r.SlowBody.String())
	}
	switch r.DropConnection {
	case DropBefore:
		parts = append(parts, "drop the connection before handling")
	case DropAfter:
		parts = append(parts, "drop the connection after handling")
	}
	return strings.Join(parts, ", ")
}
