package client

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/contract"
)

// loadSpec compiles the specification once for all the tests.
var loadSpec = sync.OnceValues(contract.LoadSpec)

// specTransport is the transport under the client in these tests. The contract kit's Transport
// validates every request the client sends (each of the two of a Digest exchange, token requests
// and retries included) against the specification with kin-openapi, and every response; this
// wrapper adds what is particular to the client: every request must ask for its operation's
// version in Accept and send a JSON body as a versioned type, and tests count the requests of
// each operation. Violations fail the test when it ends.
type specTransport struct {
	t   testing.TB
	kit *contract.Transport
	// versionDate is the date the client was built with; empty for each operation's own version.
	versionDate string
	// checkResponses holds the server to the specification too: the stub must answer by it; the
	// tests' own servers (requestsOnly) answer whatever the test needs.
	checkResponses bool

	mu sync.Mutex
	// expected are operations whose requests break the contract on purpose: a test that provokes
	// a 400 does so deliberately, and checks that the validator saw it too.
	expected map[string]bool
}

func newSpecTransport(t testing.TB) *specTransport {
	spec, err := loadSpec()
	if err != nil {
		t.Fatalf("load the specification: %v", err)
	}
	s := &specTransport{t: t, kit: contract.NewTransport(spec, nil), checkResponses: true, expected: map[string]bool{}}
	t.Cleanup(func() {
		for _, v := range s.kit.Violations() {
			switch {
			case v.Check == contract.CheckRequest && s.isExpected(v.Operation):
			case v.Check == contract.CheckRequest, v.Check == contract.CheckUndocumented, s.checkResponses:
				t.Errorf("contract violation: %s", v)
			}
		}
	})
	return s
}

// requestsOnly stops checking the responses, for a test's own server.
func (s *specTransport) requestsOnly() *specTransport {
	s.checkResponses = false
	return s
}

func (s *specTransport) expectViolation(operationID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expected[operationID] = true
}

func (s *specTransport) isExpected(operationID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expected[operationID]
}

// violationsOf returns what the validator found wrong with the requests of an operation.
func (s *specTransport) violationsOf(operationID string) []string {
	var found []string
	for _, v := range s.kit.Violations() {
		if v.Check == contract.CheckRequest && v.Operation == operationID {
			found = append(found, v.Message)
		}
	}
	return found
}

// count returns how many requests of an operation went out.
func (s *specTransport) count(operationID string) int {
	n := 0
	for _, e := range s.kit.Exchanges() {
		if e.Operation == operationID {
			n++
		}
	}
	return n
}

// operations returns the operations that requests went out for, sorted.
func (s *specTransport) operations() []string {
	var ids []string
	for _, e := range s.kit.Exchanges() {
		if !slices.Contains(ids, e.Operation) {
			ids = append(ids, e.Operation)
		}
	}
	slices.Sort(ids)
	return ids
}

func (s *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	spec, err := loadSpec()
	if err != nil {
		return nil, err
	}
	if route, _, err := spec.Route(req); err == nil {
		s.checkMediaTypes(req, route.Operation)
	}
	return s.kit.RoundTrip(req)
}

// checkMediaTypes checks the Accept header, worked out here from the specification on its own:
// the versioned JSON type of the operation's newest version (or of the client's date), even for
// the PEM certificate, as the official SDK asks; application/json on unversioned paths.
func (s *specTransport) checkMediaTypes(req *http.Request, op *openapi3.Operation) {
	versions := contract.Operation{Operation: op}.Versions()
	want := "application/json"
	if len(versions) > 0 {
		date := s.versionDate
		if date == "" {
			date = versions[len(versions)-1]
		}
		want = "application/vnd.atlas." + date + "+json"
	}
	if got := req.Header.Get("Accept"); got != want {
		s.t.Errorf("%s %s (%s) asks for Accept %q, want %q", req.Method, req.URL, op.OperationID, got, want)
	}
	if req.Body != nil && len(versions) > 0 && op.RequestBody.Value.Content.Get("application/json") != nil &&
		!strings.HasPrefix(req.Header.Get("Content-Type"), "application/vnd.atlas.") {
		s.t.Errorf("%s %s (%s) sends its body as %q, not as a versioned type", req.Method, req.URL, op.OperationID, req.Header.Get("Content-Type"))
	}
}
