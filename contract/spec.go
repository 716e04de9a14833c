// Package contract checks HTTP traffic against the Atlas subset's specification. Its Transport
// validates every request and response that passes through it, around any client; the suite
// package builds the spec-driven checks, scenarios, coverage and reports on top of it.
package contract

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/atlasstub/atlasstub/openapi"
)

// Spec is the contract the kit checks traffic against: the document and a router that finds the
// operation of a request.
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
}

// LoadSpec loads the embedded Atlas subset specification.
func LoadSpec() (*Spec, error) {
	doc, err := openapi.LoadAtlas()
	if err != nil {
		return nil, err
	}
	return NewSpec(doc)
}

// NewSpec compiles a document. The router ignores the document's servers, so that the same
// contract applies to any base URL.
func NewSpec(doc *openapi3.T) (*Spec, error) {
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: route the specification: %w", err)
	}
	return &Spec{Doc: doc, router: router}, nil
}

// Route finds the operation of a request.
func (s *Spec) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	return s.router.FindRoute(req)
}

// Operation is one operation of the specification with where it lives.
type Operation struct {
	*openapi3.Operation
	Method string
	Path   string
}

// Operations returns every operation, ordered by operationId.
func (s *Spec) Operations() []Operation {
	var ops []Operation
	for path, item := range s.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, Operation{Operation: op, Method: method, Path: path})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].OperationID < ops[j].OperationID })
	return ops
}

// Versions returns the resource versions an operation serves, oldest first; none for the
// unversioned paths.
func (op Operation) Versions() []string { return openapi.Versions(op.Operation) }

// Roles returns the roles the operation's x-atlas-roles extension names.
func (op Operation) Roles() []string { return openapi.Roles(op.Operation) }

// OAuthErrors reports whether the operation answers errors as RFC 6749 bodies.
func (op Operation) OAuthErrors() bool { return openapi.OAuthErrors(op.Operation) }

// DeclaredStatuses returns the status codes the operation declares, in order.
func (op Operation) DeclaredStatuses() []string {
	var codes []string
	for code := range op.Responses.Map() {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return codes
}
