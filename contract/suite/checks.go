package suite

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/openapi"
)

// Check is one named check of the suite, run once per operation.
type Check struct {
	Name string
	// Doc says what the check asserts, for reports and documentation.
	Doc string
	// Destructive checks create, change or delete resources (the kit's own); they are skipped
	// with Config.SkipDestructive.
	Destructive bool
	run         func(ctx context.Context, r *runner, op contract.Operation) outcome
}

// outcome is what one check found on one operation.
type outcome struct {
	skipped  string // why the check does not apply, if it does not
	failures []Failure
}

// Failure is one thing a check found wrong, with a command that reproduces it and, when a
// response showed it, the exchange as it happened (bodies cut at contract.CapturedBodyLimit).
type Failure struct {
	Message      string `json:"message"`
	Curl         string `json:"curl,omitempty"`
	Method       string `json:"method,omitempty"`
	URL          string `json:"url,omitempty"`
	RequestBody  string `json:"requestBody,omitempty"`
	Status       int    `json:"status,omitempty"`
	ContentType  string `json:"contentType,omitempty"`
	ResponseBody string `json:"responseBody,omitempty"`
}

// failureOf is the failure a response shows.
func failureOf(res response, message string) Failure {
	f := Failure{Message: message, Curl: res.curl, Status: res.status, ResponseBody: contract.Captured(res.body)}
	if res.request != nil {
		f.Method, f.URL, f.RequestBody = res.request.Method, res.request.URL.String(), contract.Captured(res.requestBody)
	}
	if res.header != nil {
		f.ContentType = res.header.Get("Content-Type")
	}
	return f
}

func skip(reason string) outcome { return outcome{skipped: reason} }

func (o *outcome) fail(res response, format string, args ...any) {
	o.failures = append(o.failures, failureOf(res, fmt.Sprintf(format, args...)))
}

// failErr records an error that kept the check from sending or judging a request.
func (o *outcome) failErr(err error) {
	o.failures = append(o.failures, Failure{Message: err.Error()})
}

// Checks are the suite's checks that send requests, in the order they run. The Transport's own
// checks (not_a_server_error, status_code_conformance, content_type_conformance,
// response_schema_conformance, response_headers_conformance) judge every response these send.
var Checks = []Check{
	positiveDataAcceptance,
	negativeDataRejection,
	ignoredAuth,
	accessListEnforcement,
	versionNegotiation,
	missingResource,
	conflictDetection,
	ensureResourceAvailability,
	useAfterFree,
}

// ResponseChecks are the checks that the Transport applies to every response.
var ResponseChecks = []Check{
	{Name: contract.CheckNotAServerError, Doc: "No response is a 5xx."},
	{Name: contract.CheckStatusCode, Doc: "Every status is one the operation declares."},
	{Name: contract.CheckContentType, Doc: "Every Content-Type is declared for its status; a status declared without content has no body."},
	{Name: contract.CheckResponseSchema, Doc: "Every body validates against the schema of its status and media type."},
	{Name: contract.CheckResponseHeaders, Doc: "The headers a status declares are present when required, and valid; every response of a deprecated version carries its Deprecation and Sunset."},
	{Name: contract.CheckSunsetVersion, Doc: "No request asks for a version past its sunset, which Atlas no longer serves (410 VERSION_GONE)."},
}

// runner holds what the checks share during a run.
type runner struct {
	c   *client
	f   *fixture
	gen *generator
}

// base is a valid call of op: its recipe's body and the shared or fresh path parameters, or the
// form of an OAuth endpoint.
func (r *runner) base(ctx context.Context, op contract.Operation, fresh bool) (call, error) {
	if op.OAuthErrors() {
		return r.oauthCall(ctx, op)
	}
	rec := recipeOf(op)
	p := r.f.shared
	var err error
	switch {
	case fresh && rec.fresh != nil:
		p, err = rec.fresh(ctx, r.f)
	case rec.resolve != nil:
		p, err = rec.resolve(ctx, r.f, false)
	}
	if err != nil {
		return call{}, err
	}
	c := call{op: op, params: p, query: cloneValues(rec.query)}
	if rec.body != nil {
		c.body = rec.body(r.f, p)
	}
	return c, nil
}

// perform sends a fresh valid call of op as the service account, for a check that needs the
// operation to succeed before it can look at the result. When it does not, o records why
// (what names the operation's kind, such as "create") and ok is false.
func (r *runner) perform(ctx context.Context, op contract.Operation, what string, o *outcome) (c call, res response, ok bool) {
	c, err := r.base(ctx, op, true)
	if err != nil {
		o.failErr(err)
		return c, res, false
	}
	if reason := r.unsendable(op); reason != "" {
		*o = skip(reason)
		return c, res, false
	}
	if res, err = r.send(ctx, c); err != nil {
		o.failErr(err)
		return c, res, false
	}
	if !success(op, res.status) {
		o.fail(res, "the %s was refused with %d: %s", what, res.status, snippet(res.body))
		return c, res, false
	}
	return c, res, true
}

// send sends a call as the kit's service account: with its token, or at the OAuth endpoints
// with its client credentials.
func (r *runner) send(ctx context.Context, c call) (response, error) {
	if c.op.OAuthErrors() {
		return r.sendWithAuthorization(ctx, c, r.clientCredentials(), nil)
	}
	return r.c.send(ctx, r.request(c))
}

// sendWithAuthorization sends a call with an Authorization header of its own ("" for none),
// which its curl command shows as shown (nil for the variables of contract.Curl).
func (r *runner) sendWithAuthorization(ctx context.Context, c call, authorization string, shown []string) (response, error) {
	req := r.request(c)
	req.auth, req.shownCredentials = rawAuthorization, shown
	if authorization != "" {
		req.header = http.Header{"Authorization": {authorization}}
	}
	return r.c.send(ctx, req)
}

// request is the request of a call, as the service account.
func (r *runner) request(c call) request {
	req := request{method: c.op.Method, path: c.path(), auth: asServiceAccount, accept: acceptOf(c.op), invalid: c.broken != ""}
	req.body, req.contentType = c.content()
	return req
}

// operation is the specification's operation of an operationId; the catalog, which a test keeps in
// step with the specification, names every one the kit uses.
func (r *runner) operation(id string) contract.Operation {
	for _, op := range r.c.spec.Operations() {
		if op.OperationID == id {
			return op
		}
	}
	panic("suite: the specification has no operation " + id)
}

// acceptOf asks for the operation's newest version, or plain JSON on the unversioned paths.
func acceptOf(op contract.Operation) string {
	versions := op.Versions()
	if len(versions) == 0 {
		return "application/json"
	}
	return openapi.MediaType(slices.Max(versions), "json")
}

// success reports whether the status is a 2xx that the operation declares.
func success(op contract.Operation, status int) bool {
	return status >= 200 && status < 300 && op.Responses.Status(status) != nil
}

// hasResponse reports whether the operation declares the status.
func hasResponse(op contract.Operation, status int) bool { return op.Responses.Status(status) != nil }
