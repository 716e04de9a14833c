package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/atlasstub/atlasstub/openapi"
)

// Transport is an http.RoundTripper that checks every exchange against the specification with
// kin-openapi: the request (request_conformance), and the response's status, content type,
// headers and body. It records what it finds and passes every exchange through unchanged.
type Transport struct {
	spec *Spec
	base http.RoundTripper

	// ValidateRequests checks requests too; off when the caller sends invalid requests on purpose.
	ValidateRequests bool
	// CurlCredentials are the curl flags that stand for credentials a lower transport adds
	// (Digest is answered below this transport, so the request here carries none).
	CurlCredentials []string
	// OnViolation, when set, hears about each violation as it is found.
	OnViolation func(Violation)
	// Now is the clock by which a version is past its sunset (time.Now when nil); a test against
	// a stub whose clock moved passes the stub's.
	Now func() time.Time

	mu         sync.Mutex
	violations []Violation
	exchanges  []Exchange
}

// Exchange is what the Transport saw of one request and its response, for coverage.
type Exchange struct {
	Operation string
	Method    string
	Path      string
	Status    int
	// Version is the date of the versioned media type the response was served as, if any.
	Version string
	// Injected says that a fault rule of the stub made the response up on purpose
	// (Atlasstub-Fault): it was not checked, and covers nothing.
	Injected bool
}

// NewTransport returns a validating transport over base (http.DefaultTransport when nil).
func NewTransport(spec *Spec, base http.RoundTripper) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &Transport{spec: spec, base: base, ValidateRequests: true}
}

type invalidKey struct{}

// Invalid marks the requests sent with ctx as breaking the contract on purpose: the Transport does
// not report them, and still checks their responses.
func Invalid(ctx context.Context) context.Context { return context.WithValue(ctx, invalidKey{}, true) }

// IsInvalid reports whether ctx marks its requests as breaking the contract on purpose.
func IsInvalid(ctx context.Context) bool { return ctx.Value(invalidKey{}) != nil }

// Violations returns what the Transport has found so far.
func (t *Transport) Violations() []Violation {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Violation(nil), t.violations...)
}

// Exchanges returns every exchange the Transport has seen.
func (t *Transport) Exchanges() []Exchange {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Exchange(nil), t.exchanges...)
}

// RoundTrip sends the request through the base transport and checks both directions.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := readAndRestore(&req.Body)
	if err != nil {
		return nil, err
	}
	if req.Body != nil {
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	}
	v := Violation{Method: req.Method, URL: req.URL.String(), Curl: t.Curl(req, reqBody), RequestBody: Captured(reqBody)}

	route, pathParams, routeErr := t.spec.Route(req)
	if routeErr != nil {
		v.Check, v.Message = CheckUndocumented, routeErr.Error()
		t.record(v)
	} else {
		v.Operation = route.Operation.OperationID
		if t.ValidateRequests && !IsInvalid(req.Context()) {
			if err := validateRequest(req, reqBody, route, pathParams); err != nil {
				v.Check, v.Message = CheckRequest, err.Error()
				t.record(v)
			}
		}
	}

	res, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resBody, err := readAndRestore(&res.Body)
	if err != nil {
		return nil, err
	}
	if route == nil {
		return res, nil
	}
	if res.Header.Get(openapi.FaultHeader) != "" {
		// The stub answered so because a test asked it to, not because of its contract.
		t.mu.Lock()
		t.exchanges = append(t.exchanges, Exchange{Operation: route.Operation.OperationID, Method: req.Method, Path: req.URL.Path, Status: res.StatusCode, Injected: true})
		t.mu.Unlock()
		return res, nil
	}
	v.Status, v.ContentType, v.ResponseBody = res.StatusCode, res.Header.Get("Content-Type"), Captured(resBody)
	version := exchangeVersion(route, req, res)
	problems := checkResponse(req, route, pathParams, res, resBody)
	if p, ok := checkDeprecationHeaders(route, version, res); !ok {
		problems = append(problems, p)
	}
	if p, ok := t.checkSunset(req, route, version); !ok && !IsInvalid(req.Context()) {
		problems = append(problems, p)
	}
	for _, problem := range problems {
		v.Check, v.Message = problem.check, problem.message
		t.record(v)
	}
	t.mu.Lock()
	t.exchanges = append(t.exchanges, Exchange{
		Operation: route.Operation.OperationID, Method: req.Method, Path: req.URL.Path, Status: res.StatusCode,
		Version: version,
	})
	t.mu.Unlock()
	return res, nil
}

// Curl returns a curl command that sends req again as the Transport's caller sent it: Curl's,
// with CurlCredentials for a request that carries no credentials of its own and was not sent
// WithCurlCredentials.
func (t *Transport) Curl(req *http.Request, body []byte) string {
	curl := Curl(req, body)
	if _, shown := curlCredentials(req.Context()); !shown && req.Header.Get("Authorization") == "" && len(t.CurlCredentials) > 0 {
		curl += " " + strings.Join(t.CurlCredentials, " ")
	}
	return curl
}

func (t *Transport) record(v Violation) {
	t.mu.Lock()
	t.violations = append(t.violations, v)
	t.mu.Unlock()
	if t.OnViolation != nil {
		t.OnViolation(v)
	}
}

// problem is one failed check of a response.
type problem struct{ check, message string }

// checkResponse applies the response checks in order; the schema is checked only when the
// status, content type and headers are right, since otherwise there is no schema to check.
func checkResponse(req *http.Request, route *routers.Route, pathParams map[string]string, res *http.Response, body []byte) []problem {
	var problems []problem
	if res.StatusCode >= 500 {
		problems = append(problems, problem{CheckNotAServerError, fmt.Sprintf("the server answered %d: %s", res.StatusCode, Snippet(body, 200))})
	}
	responses := route.Operation.Responses
	declared := responses.Status(res.StatusCode)
	if declared == nil {
		declared = responses.Default()
	}
	if declared == nil || declared.Value == nil {
		return append(problems, problem{CheckStatusCode, fmt.Sprintf("status %d is not declared; declared: %s", res.StatusCode, strings.Join(Operation{Operation: route.Operation}.DeclaredStatuses(), ", "))})
	}
	if p, ok := checkContentType(declared.Value, res, body); !ok {
		return append(problems, p)
	}
	if p, ok := checkHeaders(declared.Value, res); !ok {
		return append(problems, p)
	}
	body, p, ok := unwrapEnvelope(req, route, res, body)
	if !ok {
		return append(problems, p)
	}
	err := openapi3filter.ValidateResponse(context.WithoutCancel(req.Context()), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: responseOptions},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                responseOptions,
	})
	if err != nil {
		problems = append(problems, problem{CheckResponseSchema, describeSchemaError(err)})
	}
	return problems
}

// unwrapEnvelope returns the body that the schema describes. With envelope=true, on an operation
// that declares the parameter, Atlas wraps a 2xx entity as {"status", "content"} and adds
// "status" to a list; the status must be the response's.
func unwrapEnvelope(req *http.Request, route *routers.Route, res *http.Response, body []byte) ([]byte, problem, bool) {
	enveloped, _ := strconv.ParseBool(req.URL.Query().Get("envelope"))
	if !enveloped || route.Operation.Parameters.GetByInAndName("query", "envelope") == nil || res.StatusCode >= 300 || len(body) == 0 {
		return body, problem{}, true
	}
	var wrapper map[string]json.RawMessage
	if err := json.Unmarshal(body, &wrapper); err != nil {
		return body, problem{}, true // not JSON: the schema check says what is wrong
	}
	var status int
	if err := json.Unmarshal(wrapper["status"], &status); err != nil || status != res.StatusCode {
		return nil, problem{CheckResponseSchema, fmt.Sprintf("envelope=true: the body's status is %s, want %d", wrapper["status"], res.StatusCode)}, false
	}
	if content, ok := wrapper["content"]; ok && len(wrapper) == 2 {
		return content, problem{}, true
	}
	delete(wrapper, "status")
	unwrapped, err := json.Marshal(wrapper)
	if err != nil {
		return nil, problem{CheckResponseSchema, err.Error()}, false
	}
	return unwrapped, problem{}, true
}

// describeSchemaError says briefly where each value broke its schema, without the schema itself.
func describeSchemaError(err error) string {
	var resErr *openapi3filter.ResponseError
	if errors.As(err, &resErr) && resErr.Err != nil {
		return resErr.Reason + ": " + describeSchemaError(resErr.Err)
	}
	if multi, ok := err.(openapi3.MultiError); ok {
		parts := make([]string, 0, len(multi))
		for _, e := range multi {
			parts = append(parts, describeSchemaError(e))
		}
		return strings.Join(parts, "; ")
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		return fmt.Sprintf("at /%s: %s", strings.Join(schemaErr.JSONPointer(), "/"), schemaErr.Reason)
	}
	return err.Error()
}

var responseOptions = &openapi3filter.Options{
	IncludeResponseStatus: true,
	MultiError:            true,
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
}

var requestOptions = &openapi3filter.Options{
	MultiError:                 true,
	ExcludeReadOnlyValidations: true,
	SkipSettingDefaults:        true,
	AuthenticationFunc:         openapi3filter.NoopAuthenticationFunc,
}

// ValidateRequest checks a request and its body against the specification as the Transport's
// request_conformance does.
func (s *Spec) ValidateRequest(req *http.Request, body []byte) error {
	route, pathParams, err := s.Route(req)
	if err != nil {
		return err
	}
	return validateRequest(req, body, route, pathParams)
}

// validateRequest checks a copy of the request, so that the validator cannot change what is sent.
// It reads the request as Atlas does: an optional query parameter given empty is absent
// (openapi.AbsentWhenEmpty), and so is null for an optional property of the body that is not
// nullable (openapi.WithoutAbsentNulls), which clients generated from the official specification
// send for what they leave unset.
func validateRequest(req *http.Request, body []byte, route *routers.Route, pathParams map[string]string) error {
	clone := req.Clone(req.Context())
	body, _ = openapi.WithoutAbsentNulls(openapi.RequestBodySchema(route.Operation, req.Header.Get("Content-Type")), body)
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	clone.ContentLength = int64(len(body))
	return openapi3filter.ValidateRequest(req.Context(), &openapi3filter.RequestValidationInput{
		Request: clone, PathParams: pathParams, Route: route, Options: requestOptions,
		QueryParams: openapi.WithoutAbsentQuery(route.Operation, route.PathItem, clone.URL.Query()),
	})
}

func checkContentType(declared *openapi3.Response, res *http.Response, body []byte) (problem, bool) {
	sent := res.Header.Get("Content-Type")
	if len(declared.Content) == 0 {
		if len(body) > 0 {
			return problem{CheckContentType, fmt.Sprintf("status %d declares no body, but the response has %d bytes (%s)", res.StatusCode, len(body), sent)}, false
		}
		return problem{}, true
	}
	mediaType, _, err := mime.ParseMediaType(sent)
	if err != nil || declared.Content.Get(mediaType) == nil {
		var want []string
		for mt := range declared.Content {
			want = append(want, mt)
		}
		return problem{CheckContentType, fmt.Sprintf("Content-Type %q is not declared for status %d; declared: %s", sent, res.StatusCode, strings.Join(want, ", "))}, false
	}
	return problem{}, true
}

func checkHeaders(declared *openapi3.Response, res *http.Response) (problem, bool) {
	for name, header := range declared.Headers {
		if strings.EqualFold(name, "Content-Type") || header.Value == nil {
			continue
		}
		value := res.Header.Get(name)
		if value == "" {
			if header.Value.Required {
				return problem{CheckResponseHeaders, fmt.Sprintf("the required header %s is missing", name)}, false
			}
			continue
		}
		if header.Value.Schema != nil {
			if err := header.Value.Schema.Value.VisitJSON(value); err != nil {
				return problem{CheckResponseHeaders, fmt.Sprintf("header %s: %v", name, err)}, false
			}
		}
	}
	return problem{}, true
}

// exchangeVersion is the version a response was served as: the date of its versioned
// Content-Type, or, for a 2xx without a body, the operation's newest version not after the date
// that the request's Accept asked for.
func exchangeVersion(route *routers.Route, req *http.Request, res *http.Response) string {
	if v := ServedVersion(res.Header.Get("Content-Type")); v != "" {
		return v
	}
	if res.StatusCode < 200 || res.StatusCode >= 300 {
		return ""
	}
	return askedVersion(route, req)
}

// askedVersion is the operation's newest version not after the date that the request's Accept
// asks for; none when it asks for no version, or one before every version.
func askedVersion(route *routers.Route, req *http.Request) string {
	asked := ServedVersion(req.Header.Get("Accept"))
	return openapi.NewestNotAfter(openapi.Versions(route.Operation), asked)
}

// checkSunset reports a request for a version that is past its sunset by the Transport's clock:
// the version the response was served as, or else the one the request asked for.
func (t *Transport) checkSunset(req *http.Request, route *routers.Route, served string) (problem, bool) {
	version := served
	if version == "" {
		version = askedVersion(route, req)
	}
	d, deprecated := openapi.VersionDeprecation(route.Operation, version)
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	if !deprecated || d.Sunset.IsZero() || now().Before(d.Sunset) {
		return problem{}, true
	}
	return problem{CheckSunsetVersion, fmt.Sprintf("version %s of %s was sunset on %s: Atlas no longer serves it and answers 410 VERSION_GONE; ask for a later version in Accept",
		version, route.Operation.OperationID, d.Sunset.Format(time.DateOnly))}, false
}

// checkDeprecationHeaders requires the headers of a deprecated version on every response it
// served, with the specification's dates, as Atlas writes them (openapi.Deprecation.Headers).
func checkDeprecationHeaders(route *routers.Route, version string, res *http.Response) (problem, bool) {
	d, deprecated := openapi.VersionDeprecation(route.Operation, version)
	if !deprecated {
		return problem{}, true
	}
	deprecation, sunset := d.Headers()
	want := map[string]string{"Deprecation": deprecation, "Sunset": sunset}
	for _, name := range []string{"Deprecation", "Sunset"} {
		if got := res.Header.Get(name); want[name] != "" && got != want[name] {
			return problem{CheckResponseHeaders, fmt.Sprintf("version %s is deprecated: header %s is %q, want %q", version, name, got, want[name])}, false
		}
	}
	return problem{}, true
}

// ServedVersion is the date of a versioned Content-Type, or "" for any other.
func ServedVersion(contentType string) string {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	version, _, _ := openapi.ParseMediaType(mediaType)
	return version
}

// readAndRestore reads a body and puts an equivalent reader back.
func readAndRestore(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(*body)
	(*body).Close()
	if err != nil {
		return nil, err
	}
	*body = io.NopCloser(bytes.NewReader(data))
	return data, nil
}

// Snippet is the start of a body for a one-line message: at most limit bytes, then "..." when it
// is cut, and without the newline that ends most JSON bodies.
func Snippet(body []byte, limit int) string {
	text := strings.TrimSpace(string(body))
	if len(text) > limit {
		return text[:limit] + "..."
	}
	return text
}
