package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/openapi/synth"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/store"
)

// list answers the members of a collection, or those that match the path's other parameters,
// as a page (results, totalCount, links) or an array, as the response's schema says.
func (cl *call) list() error {
	members, err := cl.members(cl.collectionPath(cl.plan.depth))
	if err != nil {
		return err
	}
	return cl.respondList(members)
}

// members returns the members of the collection at path that exist and match the filters.
func (cl *call) members(path string) ([]store.Resource, error) {
	all, err := cl.tx.Resources(path)
	if err != nil {
		return nil, err
	}
	var out []store.Resource
	for _, r := range all {
		if !gone(r, cl.now) && cl.matches(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (cl *call) respondList(members []store.Resource) error {
	items, paged := listItems(cl.plan.response)
	if !paged {
		docs := make([]any, 0, len(members))
		for _, r := range members {
			docs = append(docs, cl.shown(r))
		}
		if cl.plan.response == nil || items == nil {
			return cl.respond(docs)
		}
		return cl.respond(cl.render(cl.plan.response, docs))
	}
	page := handlers.PageOf(cl.queryInt("pageNum"), cl.queryInt("itemsPerPage"), cl.queryBool("includeCount"))
	results := []any{}
	for _, r := range handlers.Paginate(members, page) {
		results = append(results, cl.shown(r))
	}
	info := page.Info(cl.echo.Request().Context(), len(members))
	body := map[string]any{"results": results, "links": linkList(*info.Links)}
	if info.TotalCount != nil {
		body["totalCount"] = int(*info.TotalCount)
	}
	rendered := cl.render(cl.plan.response, body)
	if page, ok := rendered.(map[string]any); ok && info.TotalCount == nil {
		delete(page, "totalCount") // includeCount=false, which a count the schema fills would break
	}
	return cl.respond(rendered)
}

func (cl *call) queryInt(name string) *int {
	n, err := strconv.Atoi(cl.info.Query.Get(name))
	if err != nil {
		return nil
	}
	return &n
}

func (cl *call) queryBool(name string) *bool {
	b, err := strconv.ParseBool(cl.info.Query.Get(name))
	if err != nil {
		return nil
	}
	return &b
}

// create makes a member of the collection from the body, or one member of each element of a
// body that is an array (entries of an access list, teams of a project), and answers it, or the
// collection where the response is a list.
func (cl *call) create() error {
	path := cl.collectionPath(cl.plan.depth)
	body := cl.writable(cl.body)
	sources, isArray := body.([]any)
	if !isArray {
		sources = []any{body}
	}
	var created []store.Resource
	for _, source := range sources {
		doc, _ := source.(map[string]any)
		r, err := cl.createIn(cl.plan.coll, path, doc)
		if err != nil {
			return err
		}
		created = append(created, r)
	}
	if isListSchema(cl.plan.response) {
		members, err := cl.members(path)
		if err != nil {
			return err
		}
		return cl.respondList(members)
	}
	if len(created) == 0 {
		return cl.respond(cl.render(cl.plan.response, nil))
	}
	return cl.respond(cl.render(cl.plan.response, cl.shown(created[0])))
}

func isListSchema(schema *openapi3.SchemaRef) bool {
	items, _ := listItems(schema)
	return items != nil
}

// createIn stores a new member of the collection coll at path. Its id is the value the path
// names it by, or that of the request's naming property, else a new ObjectId; a name that a
// member holds already is the collection's conflict.
func (cl *call) createIn(coll *collection, path string, doc map[string]any) (store.Resource, error) {
	if doc == nil {
		doc = map[string]any{}
	}
	id := ""
	if h := coll.hook; h != nil && h.admit != nil {
		admitted, err := h.admit(cl, doc)
		if err != nil {
			return store.Resource{}, err
		}
		id = admitted
	}
	switch {
	case id != "":
	case cl.plan.idParam != "":
		id = cl.memberID()
		if coll.nameField != "" {
			doc[coll.nameField] = id
		}
	case coll.nameField != "":
		if name, ok := doc[coll.nameField]; ok && name != nil {
			id = fmt.Sprint(name)
		}
	}
	for _, param := range cl.plan.filters {
		if field := fieldFor(coll.item, param); field != "" {
			doc[field] = cl.params[param]
		}
	}
	if id == "" {
		id = cl.newIDFor(coll)
	}
	existing, found, err := cl.tx.Resource(path, id)
	if err != nil {
		return store.Resource{}, err
	}
	if found && !gone(existing, cl.now) {
		if h := coll.hook; cl.plan.kind == kindReplace || (h != nil && h.upsert) {
			return cl.replaceIn(coll, existing, doc)
		}
		return store.Resource{}, codeError(coll.conflict, id, cl.scope())
	}
	if found {
		// A deleted member whose deletion has ended: what lived under it went with it.
		if err := cl.tx.DeleteResource(path, id); err != nil {
			return store.Resource{}, err
		}
	}
	if coll.shownID != "" {
		doc[coll.shownID] = id
	}
	r := store.Resource{Collection: path, ID: id, Created: cl.now, Document: cl.document(coll.item, doc)}
	if coll.created != nil && coll.created != coll.item { // what the create answers, besides the member
		for name, value := range cl.document(coll.created, doc) {
			if _, kept := r.Document[name]; !kept {
				r.Document[name] = value
			}
		}
	}
	if coll.shownID != "" {
		r.Document[coll.shownID] = id
	}
	coll.lifecycle.begin(&r, phaseCreating, cl.now, cl.e.transition)
	return r, cl.store(coll, r)
}

// siblingPath is the path of a collection of the request's project (or organization):
// groups/<groupId>/<name>.
func (cl *call) siblingPath(name string) string { return cl.collectionPath(2) + "/" + name }

// document renders what a resource stores: the member's schema completed from doc, or doc
// itself where the collection knows no schema of its members. The properties that the path
// names (groupId, clusterName, cloudProvider) hold the path's values.
func (cl *call) document(schema *openapi3.SchemaRef, doc map[string]any) map[string]any {
	if schema == nil {
		schema = cl.plan.response
	}
	names := properties(schema, 0)
	for param, value := range cl.params {
		if slices.Contains(names, param) {
			doc[param] = value
		}
	}
	if rendered, ok := cl.render(schema, doc).(map[string]any); ok {
		return rendered
	}
	return doc
}

// read answers one member.
func (cl *call) read() error {
	r, err := cl.member()
	if err != nil {
		return err
	}
	return cl.respond(cl.render(cl.plan.response, cl.shown(r)))
}

// update merges the body into a member (PATCH), or replaces it (PUT), which creates a member
// that does not exist.
func (cl *call) update(replace bool) error {
	r, err := cl.member()
	switch {
	case err != nil && (replace || cl.plan.coll.upserts) && cl.plan.idParam != "" && apierror.From(err).Status == http.StatusNotFound:
		return cl.create()
	case err != nil:
		return err
	}
	doc, _ := cl.writable(cl.body).(map[string]any)
	if replace {
		r, err = cl.replaceIn(cl.plan.coll, r, doc)
	} else {
		r, err = cl.changeIn(cl.plan.coll, r, mergePatch(maps.Clone(r.Document), doc))
	}
	if err != nil {
		return err
	}
	if isListSchema(cl.plan.response) {
		members, err := cl.members(r.Collection)
		if err != nil {
			return err
		}
		return cl.respondList(members)
	}
	return cl.respond(cl.render(cl.plan.response, cl.shown(r)))
}

// replaceIn replaces what a client may set of a member of coll by doc; what the stub set (its
// id, dates, state) stays.
func (cl *call) replaceIn(coll *collection, r store.Resource, doc map[string]any) (store.Resource, error) {
	if doc == nil {
		doc = map[string]any{}
	}
	for name, value := range r.Document {
		if prop := propertyOf(coll.item, name); prop != nil && prop.Value != nil && prop.Value.ReadOnly {
			doc[name] = value
		}
	}
	return cl.changeIn(coll, r, doc)
}

// changeIn stores the changed document of a member of coll, which keeps its name, and starts
// its UPDATING transition.
func (cl *call) changeIn(coll *collection, r store.Resource, doc map[string]any) (store.Resource, error) {
	if name := coll.nameField; name != "" {
		if given, ok := doc[name]; ok && given != nil && fmt.Sprint(given) != r.ID {
			return r, apierror.InvalidAttribute.ForField(name, "names the resource and cannot be changed")
		}
	}
	if coll.shownID != "" {
		doc[coll.shownID] = r.ID
	}
	r.Document = cl.document(coll.item, doc)
	if r.Phase != phaseCreating || !cl.now.Before(r.PhaseEnds) {
		coll.lifecycle.begin(&r, phaseUpdating, cl.now, cl.e.transition)
	}
	return r, cl.store(coll, r)
}

// store keeps a new or changed member of coll, with what its hook derives, unless its hook's
// rules refuse it.
func (cl *call) store(coll *collection, r store.Resource) error {
	if h := coll.hook; h != nil {
		if h.derive != nil {
			h.derive(cl, &r)
		}
		if h.check != nil {
			if err := h.check(cl, r); err != nil {
				return err
			}
		}
	}
	return cl.tx.PutResource(r)
}

// remove deletes a member with what lives under it. A member whose schema has a DELETING state
// is DELETING until the transition ends, and then gone.
func (cl *call) remove() error {
	r, err := cl.member()
	if err != nil {
		return err
	}
	if err := cl.tx.DeleteResourcesUnder(store.ResourcePath(r.Collection, r.ID)); err != nil {
		return err
	}
	if cl.plan.coll.lifecycle.deletes(cl.e.transition) {
		if r.Phase != phaseDeleting {
			r.Phase, r.PhaseEnds = phaseDeleting, cl.now.Add(cl.e.transition)
		}
		if err := cl.tx.PutResource(r); err != nil {
			return err
		}
	} else if err := cl.tx.DeleteResource(r.Collection, r.ID); err != nil {
		return err
	}
	return cl.respond(cl.render(cl.plan.response, cl.shown(r)))
}

// member finds the member a path names: by its id and the properties its other parameters
// name; 404 with the collection's code when there is none.
func (cl *call) member() (store.Resource, error) {
	path := cl.collectionPath(cl.plan.depth)
	if cl.plan.idParam != "" {
		id := cl.memberID()
		r, ok, err := cl.tx.Resource(path, id)
		if err != nil {
			return r, err
		}
		if !ok || gone(r, cl.now) || !cl.matches(r) {
			return r, codeError(cl.plan.coll.notFound, id, cl.scope())
		}
		return r, nil
	}
	members, err := cl.members(path)
	if err != nil || len(members) > 0 {
		if len(members) > 0 {
			return members[0], nil
		}
		return store.Resource{}, err
	}
	named := ""
	if n := len(cl.plan.filters); n > 0 {
		named = cl.params[cl.plan.filters[n-1]]
	}
	return store.Resource{}, codeError(cl.plan.coll.notFound, named, cl.scope())
}

// memberID is the id of the member the path names.
func (cl *call) memberID() string {
	id := cl.params[cl.plan.idParam]
	if h := cl.plan.coll.hook; h != nil && h.key != nil {
		return h.key(id)
	}
	return id
}

// matches reports whether a member's properties have the values that the path's filter
// parameters give them, and, in a list, those its query parameters give them
// (/containers?providerName=AWS). A parameter whose property the member lacks filters nothing.
func (cl *call) matches(r store.Resource) bool {
	for _, param := range cl.plan.filters {
		if !hasValue(r.Document, fieldFor(cl.plan.coll.item, param), cl.params[param]) {
			return false
		}
	}
	if cl.plan.kind != kindList {
		return true
	}
	for _, ref := range cl.plan.op.Parameters {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery || !cl.info.Query.Has(p.Name) {
			continue
		}
		if !hasValue(r.Document, fieldFor(cl.plan.coll.item, p.Name), cl.info.Query.Get(p.Name)) {
			return false
		}
	}
	return true
}

// hasValue reports whether a document's property (none: "") has a value, written as text.
func hasValue(doc map[string]any, field, value string) bool {
	if field == "" {
		return true
	}
	got, ok := doc[field]
	return ok && fmt.Sprint(got) == value
}

// fieldFor is the property of a member that a path parameter names: the parameter's own name,
// its name without "Name" (databaseName -> database), or else `name` for a name
// (indexName -> name).
func fieldFor(schema *openapi3.SchemaRef, param string) string {
	names := properties(schema, 0)
	candidates := []string{param, strings.TrimSuffix(param, "Name")}
	if strings.HasSuffix(param, "Name") {
		candidates = append(candidates, "name")
	}
	for _, candidate := range candidates {
		if candidate != "" && slices.Contains(names, candidate) {
			return candidate
		}
	}
	return ""
}

// shown is a member of the plan's collection as the clock shows it, with its state and its self
// link.
func (cl *call) shown(r store.Resource) map[string]any { return cl.shownIn(cl.plan.coll, r) }

// shownIn is a member of coll as the clock shows it.
func (cl *call) shownIn(coll *collection, r store.Resource) map[string]any {
	if r.Document == nil {
		return nil
	}
	doc := maps.Clone(r.Document)
	r.Document = doc
	if coll != nil {
		coll.lifecycle.show(r, cl.now)
		if coll.hook != nil && coll.hook.show != nil {
			coll.hook.show(cl, r, doc)
		}
	}
	href := cl.info.BaseURL + apiRoot + "/" + store.ResourcePath(r.Collection, r.ID)
	doc["links"] = []any{map[string]any{"href": href, "rel": "self"}}
	return doc
}

// settings serves a resource that exists once at its path, with its schema's defaults until
// a client changes it: GET reads it, PATCH merges into it, PUT and POST replace it, DELETE
// resets it.
func (cl *call) settings() error {
	path := cl.collectionPath(cl.plan.depth)
	schema := cl.spec.settingsSchema(cl.plan)
	r, found, err := cl.tx.Resource(path, "")
	if err != nil {
		return err
	}
	if !found {
		r = store.Resource{Collection: path, Created: cl.now, Document: cl.defaults(schema)}
	}
	body, _ := cl.writable(cl.body).(map[string]any)
	switch cl.plan.method {
	case http.MethodGet:
	case http.MethodDelete:
		if err := cl.tx.DeleteResource(path, ""); err != nil {
			return err
		}
		r.Document = cl.defaults(schema)
	case http.MethodPatch:
		r.Document = cl.document(schema, mergePatch(maps.Clone(r.Document), body))
	default: // PUT, POST
		r.Document = cl.document(schema, body)
	}
	if cl.plan.method != http.MethodGet && cl.plan.method != http.MethodDelete {
		if err := cl.tx.PutResource(r); err != nil {
			return err
		}
	}
	doc := maps.Clone(r.Document)
	if doc == nil {
		doc = map[string]any{}
	}
	doc["links"] = []any{map[string]any{"href": cl.info.BaseURL + apiRoot + "/" + path, "rel": "self"}}
	return cl.respond(cl.render(cl.plan.response, doc))
}

// defaults is what a singleton holds before a client changes it: its schema's defaults, and
// identifiers derived from its path, so that every read shows the same.
func (cl *call) defaults(schema *openapi3.SchemaRef) map[string]any {
	path := cl.collectionPath(cl.plan.depth)
	n := 0
	newID := func() string {
		n++
		sum := sha256.Sum256([]byte(path + "#" + strconv.Itoa(n)))
		return hex.EncodeToString(sum[:12])
	}
	doc, _ := synth.Value(schema, nil, synth.Options{Direction: synth.Response, Now: cl.now, NewID: newID}).(map[string]any)
	return doc
}

// action answers an operation that acts on a resource rather than being one: from the member it
// acts on (a cluster it pauses), else the nearest resource its path names, with what the body
// sets; or the empty list it searches.
func (cl *call) action() error {
	source := map[string]any{}
	if cl.plan.coll != nil && cl.plan.idParam != "" && !cl.plan.coll.curated {
		r, err := cl.member()
		if err != nil {
			return err
		}
		source = cl.shown(r)
	} else if r, ok, err := cl.nearestParent(); err != nil {
		return err
	} else if ok {
		source = cl.shown(r)
	}
	if isListSchema(cl.plan.response) {
		return cl.respondList(nil)
	}
	if body, ok := cl.writable(cl.body).(map[string]any); ok {
		source = mergePatch(source, body)
	}
	return cl.respond(cl.render(cl.plan.response, source))
}

// nearestParent is the last resource the path names before its subject, which an action's
// answer describes when it answers in the resource's schema (a pipeline it pauses).
func (cl *call) nearestParent() (store.Resource, bool, error) {
	for i := len(cl.plan.parents) - 1; i >= 0; i-- {
		ref := cl.plan.parents[i]
		if ref.coll.curated || cl.plan.response == nil || ref.coll.item == nil || ref.coll.item.Ref != cl.plan.response.Ref {
			continue
		}
		r, ok, err := cl.tx.Resource(cl.collectionPath(ref.depth), cl.params[ref.param])
		return r, ok, err
	}
	return store.Resource{}, false, nil
}

// mergePatch applies a JSON merge patch (RFC 7386) to doc: objects merge, null removes, anything
// else replaces.
func mergePatch(doc, patch map[string]any) map[string]any {
	if doc == nil {
		doc = map[string]any{}
	}
	for name, value := range patch {
		switch v := value.(type) {
		case nil:
			delete(doc, name)
		case map[string]any:
			current, _ := doc[name].(map[string]any)
			doc[name] = mergePatch(maps.Clone(current), v)
		default:
			doc[name] = v
		}
	}
	return doc
}

// linkList is a page's links in the JSON shape of Link.
func linkList(links atlasapi.Links) []any {
	out := make([]any, 0, len(links))
	for _, l := range links {
		out = append(out, map[string]any{"href": deref(l.Href), "rel": deref(l.Rel)})
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
