// Package pipeline is the request's way through the stub: route it to its operation in the
// specification, negotiate the version, check the media type, validate it, and shape, check and
// log the response. Every step reads the operation that routing matched, once per request, from
// the Request it left in the request's context.
package pipeline

import (
	"context"
	"net/netip"
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/atlasstub/atlasstub/server/auth"
)

// Request is what the steps of the pipeline learn about a request and pass on.
type Request struct {
	// Route is the operation the request was routed to, in the document that declares it.
	Route *routers.Route
	// Official says that the operation is one of the official specification that the curated
	// one does not declare: the generic engine serves it.
	Official   bool
	PathParams map[string]string
	// BaseURL is the scheme and host the client reached the stub at, for absolute links.
	BaseURL string
	// URL is the URL of the request, whose path the links of a page keep.
	URL *url.URL
	// Query is the request's query string, parsed once for the validator, the links of a page
	// (which keep its parameters) and the shaping of the response. Steps only read it: clone it
	// to change it.
	Query url.Values
	// Version is the resource version negotiated for the request, which the response's
	// Content-Type names; empty for unversioned operations.
	Version string
	// Addr is the caller's address, which API access lists check.
	Addr netip.Addr
	// Principal is the authenticated caller; nil on the control API.
	Principal *auth.Principal
	// Fault is what an injected fault did to the request, for the access log and the shaping
	// step; nil when none did.
	Fault *Fault
	// RateLimited says that Atlas's rate limits answered the request (429 RATE_LIMITED). Atlas
	// limits every operation, also the many whose official specification declares no 429, so
	// strict mode does not check that answer against the specification.
	RateLimited bool

	// queryViolations are what is wrong with the query string, for the validation step to
	// report after authentication, like every other violation.
	queryViolations []violation
}

type requestKey struct{}

// RequestOf returns what the pipeline knows of the request of ctx. Handlers only run after
// routing, so it is there; elsewhere it is empty.
func RequestOf(ctx context.Context) *Request {
	if r, ok := ctx.Value(requestKey{}).(*Request); ok {
		return r
	}
	return &Request{}
}

// Operation returns the request's operation, or nil before routing found one.
func (r *Request) Operation() *openapi3.Operation {
	if r.Route == nil {
		return nil
	}
	return r.Route.Operation
}
