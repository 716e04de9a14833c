package client

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/atlasstub/atlasstub/openapi"
)

// specRouter finds the operation of a request in openapi/atlas.yaml, on any host.
var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi.LoadAtlas()
	if err != nil {
		return nil, err
	}
	doc.Servers = nil
	return gorillamux.NewRouter(doc)
})

var specValidation = &openapi3filter.Options{
	MultiError:                 true,
	ExcludeReadOnlyValidations: true, // the stub accepts read-only fields; the client sends none
	AuthenticationFunc:         openapi3filter.NoopAuthenticationFunc,
}

// specTransport is the transport under the client in these tests: every request the client
// sends (each of the two of a Digest exchange, token requests included) must be a request of the
// specification, valid against it, with the Accept header of its operation's version. It counts
// the requests of each operation.
type specTransport struct {
	t    testing.TB
	next http.RoundTripper
	// versionDate is the date the client was built with; empty for each operation's own version.
	versionDate string

	mu   sync.Mutex
	seen map[string]int
	// expected are operations whose requests break the contract on purpose, and violations what
	// the validator said about them.
	expected   map[string]bool
	violations map[string][]string
}

func newSpecTransport(t testing.TB, next http.RoundTripper) *specTransport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &specTransport{t: t, next: next, seen: map[string]int{}, expected: map[string]bool{}, violations: map[string][]string{}}
}

// expectViolation lets the requests of an operation break the contract: a test that provokes a
// 400 from the server does so on purpose, and checks that the validator saw it too.
func (s *specTransport) expectViolation(operationID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expected[operationID] = true
}

// count returns how many requests of an operation went out.
func (s *specTransport) count(operationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[operationID]
}

// operations returns the operations that requests went out for, sorted.
func (s *specTransport) operations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.seen))
	for id := range s.seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (s *specTransport) violationsOf(operationID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations[operationID])
}

func (s *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	router, err := specRouter()
	if err != nil {
		return nil, err
	}
	route, pathParams, err := router.FindRoute(req)
	if err != nil {
		s.t.Errorf("%s %s is no operation of the specification: %v", req.Method, req.URL, err)
		return s.next.RoundTrip(req)
	}
	op := route.Operation
	s.checkMediaTypes(req, op)

	// The validator reads the body, so it gets a copy and the request keeps its own.
	checked := req.Clone(req.Context())
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		checked.Body = io.NopCloser(bytes.NewReader(body))
	}
	err = openapi3filter.ValidateRequest(req.Context(), &openapi3filter.RequestValidationInput{
		Request: checked, PathParams: pathParams, Route: route, Options: specValidation,
	})

	s.mu.Lock()
	s.seen[op.OperationID]++
	switch {
	case err == nil:
	case s.expected[op.OperationID]:
		s.violations[op.OperationID] = append(s.violations[op.OperationID], err.Error())
	default:
		s.t.Errorf("%s %s (%s) breaks the specification: %v", req.Method, req.URL, op.OperationID, err)
	}
	s.mu.Unlock()
	return s.next.RoundTrip(req)
}

// checkMediaTypes checks the Accept header, worked out here from the specification on its own:
// the versioned type of the operation's newest version (or of the client's date) and of its
// success format; application/json on unversioned paths.
func (s *specTransport) checkMediaTypes(req *http.Request, op *openapi3.Operation) {
	versions, _ := op.Extensions["x-atlas-versions"].([]any)
	want := "application/json"
	if len(versions) > 0 {
		date := s.versionDate
		if date == "" {
			date = versions[len(versions)-1].(string)
		}
		format := "json"
		for _, response := range op.Responses.Map() {
			for mediaType := range response.Value.Content {
				if strings.HasSuffix(mediaType, "+x-pem-file") {
					format = "x-pem-file"
				}
			}
		}
		want = "application/vnd.atlas." + date + "+" + format
	}
	if got := req.Header.Get("Accept"); got != want {
		s.t.Errorf("%s %s (%s) asks for Accept %q, want %q", req.Method, req.URL, op.OperationID, got, want)
	}
	if req.Body != nil && len(versions) > 0 && op.RequestBody.Value.Content.Get("application/json") != nil &&
		!strings.HasPrefix(req.Header.Get("Content-Type"), "application/vnd.atlas.") {
		s.t.Errorf("%s %s (%s) sends its body as %q, not as a versioned type", req.Method, req.URL, op.OperationID, req.Header.Get("Content-Type"))
	}
}
