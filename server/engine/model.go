package engine

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// The engine reads the specification's paths as resources. A collection is a path that ends in a
// literal segment and either has members (`/groups/{groupId}/clusters` with
// `/groups/{groupId}/clusters/{clusterName}`) or lists them (its GET answers a page or an array).
// A member lives at the collection's path and its id. A path that is no collection and no member
// is a singleton, which exists with the defaults of its schema (`/groups/{groupId}/settings`).
// Everything else is an action: a POST that changes something and answers (`:pause`,
// `/restartPrimaries`).

// collection is one kind of resource and the path template that holds its members.
type collection struct {
	template string // with the parameters' names dropped (see template)
	path     string // one path of the specification, for messages
	// itemParam is the parameter that names a member in the member's paths ("" when members are
	// not addressed one by one).
	itemParam string
	// item is the schema of one member, and created what its create answers, which may be
	// another (a cost explorer query answers its token, and is read as its result).
	item    *openapi3.SchemaRef
	created *openapi3.SchemaRef
	// idSchema is the schema of the member parameter, whose pattern and length a generated id
	// keeps.
	idSchema *openapi3.Schema
	// creatable says that a member can be created: by a POST on the collection, or a PUT or POST
	// on a member's path. A collection that cannot is read-only: it stays empty, and its members
	// are not checked as parents (processes, events, invoices).
	creatable bool
	// upserts says that a PATCH of a member that does not exist creates it: a collection without
	// a create whose members are written in place (a project's limits).
	upserts bool
	// curated says that the curated specification serves the collection (projects,
	// organizations): its members are records of the curated store.
	curated bool
	// nameField is the property of a create request whose value names the new member
	// (clusterName <- name); "" when the engine generates an ObjectId.
	nameField string
	// shownID is the property of a member that shows a generated id ("id", "_id", "roleId").
	shownID string
	// lifecycle is the states a member goes through, or nil.
	lifecycle *lifecycle
	// notFound and conflict are the errors of a missing member and of a name taken twice.
	notFound apierror.Code
	conflict apierror.Code
	// hook shapes the members of a family of collections where the generic rules would lie.
	hook *hook
}

// kind is what a plan does.
type kind string

const (
	kindList     kind = "list"     // GET a collection, or its members that match parameters
	kindCreate   kind = "create"   // POST a collection, or PUT/POST a member's path
	kindRead     kind = "read"     // GET a member
	kindUpdate   kind = "update"   // PATCH a member: merge
	kindReplace  kind = "replace"  // PUT a member: replace, or create it
	kindDelete   kind = "delete"   // DELETE a member
	kindSettings kind = "settings" // a singleton: GET reads, PATCH merges, PUT and POST replace, DELETE resets
	kindAction   kind = "action"   // anything else: answered from the request and the resource it acts on
)

// plan is what the engine does for one official operation.
type plan struct {
	op           *openapi3.Operation
	method, path string
	kind         kind
	// coll is the collection a list, create or member operation acts on.
	coll *collection
	// depth is the number of segments, after the API's root, of the collection's path (or of a
	// singleton's own path): the request's first depth segments are where the resources live.
	depth int
	// idParam names the member of a member operation; filters are further parameters that a
	// member's properties must match (`{databaseName}/{collectionName}` of a search index).
	idParam string
	filters []string
	// parents are the resources the path names before its subject, each of which must exist.
	parents []parentRef
	// status is the success status answered, response its JSON schema (nil for none).
	status   int
	response *openapi3.SchemaRef
	request  *openapi3.SchemaRef
	// hook serves the operation in place of the generic rules, or is nil.
	hook *hook
}

// parentRef is a parameter of a path that names a member of a collection.
type parentRef struct {
	coll  *collection
	param string
	depth int // segments of the parent collection's path
	// byProperty is the property of the parent that the parameter gives, when it names the parent
	// by another of its ids than the one it is stored by (an identity provider's legacy 20-digit
	// id, in its metadata.xml path); "" for its id.
	byProperty string
}

// notParents are parameters that sit where a collection names its members but are no members:
// the logs path puts a host's name where clusters keep theirs.
var notParents = []string{"hostName"}

// findCollections finds the collections of the document and what each knows of its members.
func (s *Spec) findCollections(isCurated func(method, path string) bool) {
	paths := s.Doc.Paths.InMatchingOrder()
	for _, path := range paths {
		item := s.Doc.Paths.Value(path)
		last := lastSegment(path)
		switch {
		case isParam(last) && !isParam(lastSegment(parent(path))):
			c := s.collectionAt(parent(path))
			for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete, http.MethodPut} {
				op := item.GetOperation(method)
				if op == nil {
					continue
				}
				if c.itemParam == "" {
					c.itemParam = paramName(last)
				}
				if method == http.MethodGet && c.item == nil && !isList(op) {
					c.item = successSchema(op)
				}
			}
			if item.Put != nil || item.Post != nil {
				c.creatable = true
			}
			if item.Patch != nil {
				c.upserts = true // unless a POST creates members, below
			}
		case !strings.ContainsAny(last, "{:"):
			if item.Get != nil && isList(item.Get) {
				c := s.collectionAt(path)
				c.curated = c.curated || isCurated(http.MethodGet, path)
			}
		}
	}
	// A POST on a collection creates its members; the members' paths must be known first.
	for _, path := range paths {
		c := s.collections[template(path)]
		item := s.Doc.Paths.Value(path)
		if c == nil || item.Post == nil || c.template != template(path) {
			continue
		}
		c.creatable, c.upserts = true, false
		c.curated = c.curated || isCurated(http.MethodPost, path)
		if schema := successSchema(item.Post); schema != nil {
			if items, _ := listItems(schema); items != nil {
				schema = items
			}
			c.created = schema
			if c.item == nil {
				c.item = schema
			}
		}
		if c.nameField == "" {
			c.nameField = s.nameField(c, item.Post)
		}
	}
	for _, c := range s.collections {
		if c.upserts && !c.creatable {
			c.creatable = true
		}
		if item := s.Doc.Paths.Value(c.path); c.item == nil && item != nil && item.Get != nil {
			c.item, _ = listItems(successSchema(item.Get))
		}
		c.idSchema = s.idSchema(c)
		c.shownID = shownID(c)
		c.hook = hookOfCollection(c.template)
		c.lifecycle = lifecycleOf(c.item)
		c.notFound, c.conflict = errorsOf(c)
	}
}

// collectionAt returns the collection of a path, creating it on first sight.
func (s *Spec) collectionAt(path string) *collection {
	t := template(path)
	if c := s.collections[t]; c != nil {
		return c
	}
	c := &collection{template: t, path: path}
	s.collections[t] = c
	return c
}

// nameField finds the property of a create request that names the new member: the member
// parameter itself (`teamId`, `roleName`), else `name` for a parameter that is a name
// (`clusterName`, `tenantName`). A member parameter that is an ObjectId, or that no property
// matches, is generated.
func (s *Spec) nameField(c *collection, create *openapi3.Operation) string {
	if c.itemParam == "" {
		return ""
	}
	fields := properties(requestSchema(create), 0)
	switch {
	case slices.Contains(fields, c.itemParam):
		return c.itemParam
	case s.objectIDParam(c):
		return ""
	case (c.itemParam == "name" || strings.HasSuffix(c.itemParam, "Name")) && slices.Contains(fields, "name"):
		return "name"
	}
	return ""
}

// objectIDParam reports whether the member parameter of a collection is an ObjectId.
func (s *Spec) objectIDParam(c *collection) bool {
	schema := s.idSchema(c)
	return schema != nil && strings.Contains(schema.Pattern, "{24}")
}

// idSchema is the schema of a collection's member parameter, or nil.
func (s *Spec) idSchema(c *collection) *openapi3.Schema {
	item := s.Doc.Paths.Find(c.path + "/{" + c.itemParam + "}")
	if item == nil {
		return nil
	}
	for _, op := range item.Operations() {
		params := append(openapi3.Parameters{}, item.Parameters...)
		params = append(params, op.Parameters...)
		if p := params.GetByInAndName(openapi3.ParameterInPath, c.itemParam); p != nil && p.Schema != nil && p.Schema.Value != nil {
			return p.Schema.Value
		}
	}
	return nil
}

// shownID is the property of a member that shows its id: one whose pattern is the member
// parameter's (an identity provider's 20 hexadecimal digits, in oktaIdpId), else the member
// parameter's own name (`roleId`, `indexID`), else `id`, else `_id`; for a named member, the
// property that names it.
func shownID(c *collection) string {
	if c.nameField != "" {
		return c.nameField
	}
	if c.idSchema != nil && c.idSchema.Pattern != "" && !strings.Contains(c.idSchema.Pattern, "{24}") {
		for _, schema := range []*openapi3.SchemaRef{c.item, c.created} {
			if name := propertyWithPattern(schema, c.idSchema.Pattern); name != "" {
				return name
			}
		}
	}
	names := append(properties(c.item, 0), properties(c.created, 0)...)
	for _, name := range names {
		if c.itemParam != "" && strings.EqualFold(name, c.itemParam) {
			return name
		}
	}
	for _, candidate := range []string{"id", "_id"} {
		if slices.Contains(names, candidate) {
			return candidate
		}
	}
	return ""
}

// successSchema is the JSON schema of an operation's first success status.
func successSchema(op *openapi3.Operation) *openapi3.SchemaRef {
	statuses := successOf(op)
	if len(statuses) == 0 {
		return nil
	}
	return responseSchema(op, statuses[0])
}

// planOf reads what the engine does for an operation from its path and schemas.
func (s *Spec) planOf(method, path string, op *openapi3.Operation) *plan {
	p := &plan{op: op, method: method, path: path, request: requestSchema(op)}
	if statuses := successOf(op); len(statuses) > 0 {
		p.status = statuses[0]
		p.response = responseSchema(op, p.status)
	}
	relative := segments(strings.TrimPrefix(path, apiRoot))
	last := lastSegment(path)
	coll := s.collections[template(path)]
	switch {
	case strings.Contains(last, ":") || (coll != nil && coll.template == template(path) && method != http.MethodGet && method != http.MethodPost):
		p.kind, p.depth = kindAction, len(relative)
		if isParam(strings.Split(last, ":")[0]) || strings.HasPrefix(last, "{") {
			if c := s.collections[template(parent(path))]; c != nil {
				p.coll, p.depth, p.idParam = c, len(relative)-1, paramName(last[:strings.IndexByte(last, '}')+1])
			}
		}
	case coll != nil && coll.template == template(path):
		p.coll, p.depth = coll, len(relative)
		p.kind = kindList
		if method == http.MethodPost {
			p.kind = kindCreate
		} else if !isList(op) {
			p.kind = kindSettings
		}
	default:
		s.planMember(p, relative)
	}
	p.parents = s.parentsOf(p, relative)
	p.hook = hookOfOperation(op.OperationID)
	return p
}

// planMember plans an operation on a path that ends with parameters after a collection: a member
// by its id, members by other properties, or else a singleton.
func (s *Spec) planMember(p *plan, relative []string) {
	for depth := len(relative) - 1; depth > 0; depth-- {
		trailing := relative[depth:]
		if !allParams(trailing) {
			break
		}
		c := s.collections[template(apiRoot+"/"+strings.Join(relative[:depth], "/"))]
		if c == nil {
			continue
		}
		p.coll, p.depth = c, depth
		params := make([]string, len(trailing))
		for i, segment := range trailing {
			params[i] = paramName(segment)
		}
		one := len(params) == 1 && (params[0] == c.itemParam || c.itemParam == "")
		switch {
		case p.method == http.MethodGet && isList(p.op):
			p.kind, p.filters = kindList, params
		case one:
			p.idParam = params[0]
			p.kind = map[string]kind{http.MethodGet: kindRead, http.MethodPatch: kindUpdate, http.MethodPut: kindReplace,
				http.MethodDelete: kindDelete, http.MethodPost: kindCreate}[p.method]
		case p.method == http.MethodPost:
			// A create at a path that names the new member otherwise (sampleDatasetLoad/{name}).
			p.kind, p.filters = kindCreate, params
		default:
			p.kind, p.filters = memberKinds[p.method], params
			if params[len(params)-1] == c.itemParam {
				p.idParam, p.filters = c.itemParam, params[:len(params)-1]
			}
		}
		return
	}
	p.kind, p.depth = kindSettings, len(relative)
	if p.method == http.MethodPost && s.Doc.Paths.Value(p.path).Get == nil {
		p.kind = kindAction
	}
}

var memberKinds = map[string]kind{http.MethodGet: kindRead, http.MethodPatch: kindUpdate, http.MethodPut: kindReplace, http.MethodDelete: kindDelete}

func allParams(parts []string) bool {
	for _, part := range parts {
		if !isParam(part) {
			return false
		}
	}
	return len(parts) > 0
}

// parentsOf lists the members a path names before the plan's subject: each parameter that
// sits where a collection names its members, unless the collection is read-only or the
// parameter is the plan's own id or filter.
func (s *Spec) parentsOf(p *plan, relative []string) []parentRef {
	var parents []parentRef
	for i, segment := range relative {
		name, _, _ := strings.Cut(segment, ":")
		if !isParam(name) {
			continue
		}
		param := paramName(name)
		if param == p.idParam || slices.Contains(p.filters, param) || slices.Contains(notParents, param) {
			continue
		}
		c := s.collections[template(apiRoot+"/"+strings.Join(relative[:i], "/"))]
		if c == nil || (!c.creatable && !c.curated) {
			continue
		}
		parents = append(parents, parentRef{coll: c, param: param, depth: i, byProperty: otherID(c, p.op, param)})
	}
	return parents
}

// otherID is the property of a collection's members whose pattern is that of the operation's
// parameter, when that pattern is not the collection's own ids' and asks for hexadecimal digits
// other than an ObjectId's 24; else "".
func otherID(c *collection, op *openapi3.Operation, param string) string {
	p := op.Parameters.GetByInAndName(openapi3.ParameterInPath, param)
	if p == nil || p.Schema == nil || p.Schema.Value == nil {
		return ""
	}
	pattern := p.Schema.Value.Pattern
	if !hexID.MatchString(pattern) || strings.Contains(pattern, "{24}") || (c.idSchema != nil && c.idSchema.Pattern == pattern) {
		return ""
	}
	for _, schema := range []*openapi3.SchemaRef{c.item, c.created} {
		if name := propertyWithPattern(schema, pattern); name != "" {
			return name
		}
	}
	return ""
}

// propertyWithPattern finds a property of an object schema, its allOf parts' or its
// alternatives' included, whose pattern is pattern.
func propertyWithPattern(schema *openapi3.SchemaRef, pattern string) string {
	if schema == nil || schema.Value == nil {
		return ""
	}
	for name, prop := range schema.Value.Properties {
		if prop.Value != nil && prop.Value.Pattern == pattern {
			return name
		}
	}
	for _, group := range []openapi3.SchemaRefs{schema.Value.AllOf, schema.Value.OneOf, schema.Value.AnyOf} {
		for _, part := range group {
			if name := propertyWithPattern(part, pattern); name != "" {
				return name
			}
		}
	}
	return ""
}
