package engine

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/openapi/pathrouter"
)

// Spec is the official specification as the engine serves it: the document, its router, and a
// plan for every operation that the curated specification does not declare, read once from the
// paths and schemas.
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
	plans  map[*openapi3.Operation]*plan
	// collections are the collections of the document, by template (see collectionOf).
	collections map[string]*collection
}

// LoadSpec loads and plans the official specification, once per process: it takes about half a
// second, which the curated operations never wait for (the router asks for it only for requests
// the curated specification does not declare).
var LoadSpec = sync.OnceValues(func() (*Spec, error) {
	doc, err := openapi.LoadOfficial()
	if err != nil {
		return nil, err
	}
	curated, err := openapi.LoadAtlas()
	if err != nil {
		return nil, err
	}
	return newSpec(doc, curated), nil
})

// Routes returns the router of the official specification, loading it on first use.
func Routes() (routers.Router, error) {
	spec, err := LoadSpec()
	if err != nil {
		return nil, err
	}
	return spec.router, nil
}

// segments splits a path template, or a path, into its segments.
func segments(path string) []string {
	return strings.Split(strings.TrimPrefix(path, "/"), "/")
}

// apiRoot is the prefix of every official path.
const apiRoot = "/api/atlas/v2"

func newSpec(doc *openapi3.T, curated *openapi3.T) *Spec {
	doc.Servers = nil
	s := &Spec{Doc: doc, router: pathrouter.New(doc), plans: map[*openapi3.Operation]*plan{}, collections: map[string]*collection{}}
	isCurated := func(method, path string) bool {
		item := curated.Paths.Value(path)
		return item != nil && item.GetOperation(method) != nil
	}
	s.findCollections(isCurated)
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			if !isCurated(method, path) {
				s.plans[op] = s.planOf(method, path, op)
			}
		}
	}
	return s
}

// Curated reports whether the curated specification serves an official operation.
func (s *Spec) Curated(op *openapi3.Operation) bool { return s.plans[op] == nil }

// template is a path with its parameters' names dropped, `/api/atlas/v2/groups/{}/clusters`:
// paths that differ in those names only (`/serverless/{name}` and `/serverless/{clusterName}/...`)
// name the same things.
func template(path string) string {
	parts := segments(path)
	for i, part := range parts {
		if open, end := strings.IndexByte(part, '{'), strings.IndexByte(part, '}'); open >= 0 && end > open {
			parts[i] = part[:open] + "{}" + part[end+1:]
		}
	}
	return "/" + strings.Join(parts, "/")
}

// parent is the path without its last segment.
func parent(path string) string { return path[:strings.LastIndexByte(path, '/')] }

// lastSegment is the last segment of a path.
func lastSegment(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }

// isParam reports whether a segment is one parameter and nothing else.
func isParam(segment string) bool {
	return strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}") && strings.Count(segment, "{") == 1
}

func paramName(segment string) string { return strings.Trim(segment, "{}") }

// successOf returns the operation's success responses, lowest status first.
func successOf(op *openapi3.Operation) []int {
	var statuses []int
	for code := range op.Responses.Map() {
		var status int
		if _, err := fmt.Sscanf(code, "%d", &status); err == nil && status >= 200 && status < 300 {
			statuses = append(statuses, status)
		}
	}
	slices.Sort(statuses)
	return statuses
}

// responseSchema returns the JSON schema of an operation's response with status, or nil.
func responseSchema(op *openapi3.Operation, status int) *openapi3.SchemaRef {
	response := op.Responses.Status(status)
	if response == nil || response.Value == nil {
		return nil
	}
	for mediaType, content := range response.Value.Content {
		if strings.HasSuffix(mediaType, "json") && content.Schema != nil {
			return content.Schema
		}
	}
	return nil
}

// requestSchema returns the JSON schema of an operation's request body, or nil.
func requestSchema(op *openapi3.Operation) *openapi3.SchemaRef {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	for mediaType, content := range op.RequestBody.Value.Content {
		if strings.HasSuffix(mediaType, "json") && content.Schema != nil {
			return content.Schema
		}
	}
	return nil
}

// listItems returns the schema of one member of a list response: the items of its results (a
// page) or of the array itself; ok is false for a response that is no list.
func listItems(schema *openapi3.SchemaRef) (items *openapi3.SchemaRef, paged bool) {
	if schema == nil || schema.Value == nil {
		return nil, false
	}
	if schema.Value.Type.Is(openapi3.TypeArray) {
		return schema.Value.Items, false
	}
	if results := propertyOf(schema, "results"); results != nil && results.Value != nil && results.Value.Type.Is(openapi3.TypeArray) {
		return results.Value.Items, true
	}
	return nil, false
}

// propertyOf finds a property of an object schema, in its allOf parts too.
func propertyOf(schema *openapi3.SchemaRef, name string) *openapi3.SchemaRef {
	if schema == nil || schema.Value == nil {
		return nil
	}
	if p := schema.Value.Properties[name]; p != nil {
		return p
	}
	for _, part := range schema.Value.AllOf {
		if p := propertyOf(part, name); p != nil {
			return p
		}
	}
	return nil
}

// propertiesOf holds what properties found for each schema, which every request asks again
// and which the loaded specification never changes.
var propertiesOf sync.Map // *openapi3.SchemaRef -> []string

// properties lists the property names of an object schema, its allOf parts' and its
// alternatives' included, sorted. The list is shared: callers must not change it.
func properties(schema *openapi3.SchemaRef, depth int) []string {
	if schema == nil || schema.Value == nil || depth > 8 {
		return nil
	}
	if depth == 0 {
		if names, ok := propertiesOf.Load(schema); ok {
			return names.([]string)
		}
		names := slices.Clip(collectProperties(schema, 0))
		propertiesOf.Store(schema, names)
		return names
	}
	return collectProperties(schema, depth)
}

func collectProperties(schema *openapi3.SchemaRef, depth int) []string {
	if schema == nil || schema.Value == nil || depth > 8 {
		return nil
	}
	var names []string
	for name := range schema.Value.Properties {
		names = append(names, name)
	}
	for _, group := range []openapi3.SchemaRefs{schema.Value.AllOf, schema.Value.OneOf, schema.Value.AnyOf} {
		for _, part := range group {
			names = append(names, properties(part, depth+1)...)
		}
	}
	if schema.Value.Type.Is(openapi3.TypeArray) {
		names = append(names, properties(schema.Value.Items, depth+1)...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// isList reports whether an operation answers a list: a page or an array.
func isList(op *openapi3.Operation) bool { return isListSchema(successSchema(op)) }

// settingsSchema is the schema of a singleton: what its GET answers, else what the plan's
// operation answers.
func (s *Spec) settingsSchema(p *plan) *openapi3.SchemaRef {
	if get := s.Doc.Paths.Value(p.path).Get; get != nil {
		if schema := successSchema(get); schema != nil {
			return schema
		}
	}
	return p.response
}
