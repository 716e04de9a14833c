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
	"github.com/atlasstub/atlasstub/openapi/pathrouter"
)

// Spec is the contract the kit checks traffic against: the document and a router that finds the
// operation of a request. With the official specification beside it, an operation that our
// document does not declare is the official one's, as the stub serves it.
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
	// Official is the official specification, for what Doc does not declare; nil when the kit
	// checks our document alone.
	Official       *openapi3.T
	officialRouter routers.Router
	// ops are the operations, listed once when the documents are loaded.
	ops []Operation
}

// LoadSpec loads the embedded Atlas subset specification.
func LoadSpec() (*Spec, error) {
	doc, err := openapi.LoadAtlas()
	if err != nil {
		return nil, err
	}
	return NewSpec(doc)
}

// LoadOfficialSpec loads our specification with the official one beside it: every operation of
// the official Atlas Administration API, ours where we declare it.
func LoadOfficialSpec() (*Spec, error) {
	spec, err := LoadSpec()
	if err != nil {
		return nil, err
	}
	official, err := openapi.LoadOfficial()
	if err != nil {
		return nil, err
	}
	official.Servers = nil
	spec.Official, spec.officialRouter = official, pathrouter.New(official)
	spec.ops = spec.operations()
	return spec, nil
}

// NewSpec compiles a document. The router ignores the document's servers, so that the same
// contract applies to any base URL.
func NewSpec(doc *openapi3.T) (*Spec, error) {
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: route the specification: %w", err)
	}
	spec := &Spec{Doc: doc, router: router}
	spec.ops = spec.operations()
	return spec, nil
}

// Route finds the operation of a request: ours, else the official one.
func (s *Spec) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := s.router.FindRoute(req)
	if err != nil && s.officialRouter != nil {
		if official, officialParams, officialErr := s.officialRouter.FindRoute(req); officialErr == nil {
			return official, officialParams, nil
		}
	}
	return route, params, err
}

// Operation is one operation of the specification with where it lives.
type Operation struct {
	*openapi3.Operation
	Method string
	Path   string
	// Official says that the operation is the official specification's, which ours does not
	// declare.
	Official bool
}

// Operations returns every operation, ordered by operationId: ours, and with the official
// specification beside ours, every official one that ours does not declare. The list is the
// Spec's own: callers must not change it.
func (s *Spec) Operations() []Operation {
	if s.ops != nil {
		return s.ops
	}
	return s.operations()
}

func (s *Spec) operations() []Operation {
	var ops []Operation
	for path, item := range s.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, Operation{Operation: op, Method: method, Path: path})
		}
	}
	if s.Official != nil {
		for path, item := range s.Official.Paths.Map() {
			for method, op := range item.Operations() {
				if ours := s.Doc.Paths.Value(path); ours == nil || ours.GetOperation(method) == nil {
					ops = append(ops, Operation{Operation: op, Method: method, Path: path, Official: true})
				}
			}
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
