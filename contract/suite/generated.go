package suite

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/openapi/synth"
)

// The catalog has a recipe for each operation of our specification. The official operations
// that ours does not declare, which the kit checks with Config.Official, have none: the kit builds
// their requests from the specification. A body is a value of its schema, with the examples of
// its properties, and a fresh name where a create names what it creates. A query parameter the
// operation requires takes a value of its schema. A path parameter that names a resource gets one
// the kit creates through the operation that creates its kind (a cluster for {clusterName},
// POST /groups/{groupId}/clusters), in the kit's project or organization; further parameters
// after the same collection take the created resource's values
// ({databaseName}/{collectionName}/{indexName} of a search index); any other parameter takes a
// value of its schema (an enum's first value for {cloudProvider}). A resource that no operation
// creates (an event, an alert, an invoice: Atlas makes them) cannot be named: the checks that
// need the operation to succeed skip it, and say so.

// recipeOf returns the recipe of an operation: the catalog's, or for an official operation ours
// does not declare, one generated from the specification.
func recipeOf(op contract.Operation) recipe {
	if op.Official {
		return generatedRecipe(op)
	}
	return catalog[op.OperationID]
}

func generatedRecipe(op contract.Operation) recipe {
	rec := recipe{
		generated: true,
		resolve:   func(ctx context.Context, f *fixture, fresh bool) (params, error) { return f.resolve(ctx, op, fresh) },
		query:     requiredQuery(op),
	}
	if schema := jsonRequestSchema(op); schema != nil {
		rec.body = func(f *fixture, _ params) any { return f.generatedBody(op, schema) }
	}
	if body, ok := generatedBodies[op.OperationID]; ok {
		rec.body = func(f *fixture, _ params) any { return body(f) }
	}
	if op.Method == http.MethodDelete || op.Method == http.MethodPatch || op.Method == http.MethodPut {
		// A delete uses up what it acts on, and a change may rename it: each request gets a
		// resource of its own, so that the shared ones stay as the kit made them.
		rec.fresh = func(ctx context.Context, f *fixture) (params, error) { return f.resolve(ctx, op, true) }
	}
	return rec
}

func jsonRequestSchema(op contract.Operation) *openapi3.SchemaRef {
	if op.RequestBody == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
		return nil
	}
	return op.RequestBody.Value.Content.Get("application/json").Schema
}

// requiredQuery gives each query parameter an operation requires a value of its schema.
func requiredQuery(op contract.Operation) url.Values {
	query := url.Values{}
	for _, ref := range op.Parameters {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery || !p.Required || p.Schema == nil {
			continue
		}
		schema := p.Schema
		if schema.Value.Type.Is(openapi3.TypeArray) && schema.Value.Items != nil { // one value of a list
			schema = schema.Value.Items
		}
		value := synth.Value(schema, schema.Value.Example, synth.Options{Direction: synth.Request, Now: time.Now()})
		query.Set(p.Name, fmt.Sprint(value))
	}
	return query
}

// beyondGeneration are the official operations that the kit does not send valid requests of, and
// why: their bodies name state that a generated request cannot make, or they would change the
// organization, which is the user's.
var beyondGeneration = map[string]string{
	"addOrgTeamUser":                     "its body names a user of the team's organization by id",
	"removeOrgTeamUser":                  "its body names a member of the team by id",
	"removeOrgTeamUserFromTeam":          "its path names a member of the team, whom a body names by id when added",
	"getGroupTeam":                       "its path names a team assigned to the project, which a body names by id",
	"updateGroupTeam":                    "its path names a team assigned to the project, which a body names by id",
	"removeGroupTeam":                    "its path names a team assigned to the project, which a body names by id",
	"createGroupClusterBackupRestoreJob": "its body names a completed snapshot by id",
	"tenantGroupFlexClusterUpgrade":      "its body names a flex cluster to upgrade",
	"upgradeGroupClusterTenantUpgrade":   "its body names a shared-tier cluster to upgrade",
	"createOrg":                          "it would create an organization",
	"updateOrg":                          "it would rename the organization, which is the user's",
	"deleteOrg":                          "it would delete the organization, which is the user's",
}

// unsendable says why the kit sends no valid request of an official operation, after base built
// one: its request is beyond generation, or names what nothing creates. "" when it sends one.
func (r *runner) unsendable(op contract.Operation) string {
	if reason, ok := beyondGeneration[op.OperationID]; ok && op.Official {
		return reason
	}
	return r.f.unreachable[op.OperationID]
}

// generatedBodies are the bodies of the few official requests whose schemas cannot say what makes
// them valid: a custom role needs an action or an inherited role, and an access-list entry is one
// kind of address, not the three its schema's examples give.
var generatedBodies = map[string]func(f *fixture) any{
	"createGroupCustomDbRoleRole": func(f *fixture) any {
		return map[string]any{"roleName": f.name(), "actions": []any{map[string]any{
			"action": "FIND", "resources": []any{map[string]any{"db": "sales", "collection": "", "cluster": false}}}}}
	},
	"createGroupAccessListEntry": func(f *fixture) any {
		return []any{map[string]any{"ipAddress": f.newAddress(), "comment": "atlasstub contract kit"}}
	},
}

// namingFields are the properties by which a create names what it makes; a generated create
// sets them to a name no other request uses, so that every create makes something new.
var namingFields = []string{"name", "roleName", "username", "teamName", "id"}

// generatedBody is a valid body of an operation: a value of its schema with the examples of its
// properties, and for a create, fresh names.
func (f *fixture) generatedBody(op contract.Operation, schema *openapi3.SchemaRef) any {
	body := synth.Value(schema, nil, synth.Options{Direction: synth.Request, Now: time.Now(), Optional: true})
	object, ok := body.(map[string]any)
	if !ok || op.Method != http.MethodPost {
		return body
	}
	for _, field := range append(namingFields, f.memberParam(op.Path)) {
		prop := propertyIn(schema, field, 0)
		if _, given := object[field].(string); field == "" || prop == nil || prop.Value == nil || !given {
			continue
		}
		name := f.name()
		if prop.Value.Format == "email" || strings.Contains(prop.Value.Pattern, "@") || field == "username" {
			name += "@example.com"
		}
		current, _ := object[field].(string)
		if like := f.freshLike(current); !fits(prop.Value, name) && fits(prop.Value, like) {
			name = like // vpce-3bf78b0ddee411ba1: the example's shape, new digits
		}
		if fits(prop.Value, name) {
			object[field] = name
		}
	}
	return object
}

// memberParam is the parameter by which the members of the collection at path are named, where
// a body may name a new one (a private network endpoint's endpointId).
// propertyIn is the schema of a property of an object schema, of its allOf parts' or of its
// alternatives' (an AWS private endpoint's id, in CreateEndpointRequest's first alternative).
func propertyIn(schema *openapi3.SchemaRef, name string, depth int) *openapi3.SchemaRef {
	if schema == nil || schema.Value == nil || depth > 4 {
		return nil
	}
	if prop := schema.Value.Properties[name]; prop != nil {
		return prop
	}
	for _, group := range []openapi3.SchemaRefs{schema.Value.AllOf, schema.Value.OneOf, schema.Value.AnyOf} {
		for _, part := range group {
			if prop := propertyIn(part, name, depth+1); prop != nil {
				return prop
			}
		}
	}
	return nil
}

func (f *fixture) memberParam(path string) string {
	for _, op := range f.c.spec.Operations() {
		if sameTemplate(op.Path, path+"/{}") {
			return paramName(op.Path)
		}
	}
	return ""
}

// freshLike is a value of an example's shape that no other request uses: its trailing
// hexadecimal digits replaced by the kit's next number.
func (f *fixture) freshLike(example string) string {
	digits := fmt.Sprintf("%x", f.next())
	end := len(example)
	start := end
	for start > 0 && end-start < len(digits) && strings.ContainsRune("0123456789abcdef", rune(example[start-1])) {
		start--
	}
	if end-start < len(digits) {
		return example
	}
	return example[:start] + digits
}

// fits reports whether a name keeps a string schema's pattern and length.
func fits(s *openapi3.Schema, name string) bool {
	if s.MaxLength != nil && uint64(len(name)) > *s.MaxLength {
		return false
	}
	if s.Pattern == "" {
		return true
	}
	re, err := regexp.Compile(s.Pattern)
	return err == nil && re.MatchString(name)
}

// resolve returns the values of an operation's path parameters: the kit's project and
// organization, and for every other parameter, a resource the kit creates, or a value of the
// parameter's schema. Resources are made once per collection and shared, except the one a fresh
// call acts on, which is new. A parameter that names a resource nothing creates is written down
// in f.unreachable.
func (f *fixture) resolve(ctx context.Context, op contract.Operation, fresh bool) (params, error) {
	p := params{}
	parts := strings.Split(op.Path, "/")
	last := lastParam(parts)
	var member map[string]any // the resource the previous parameter named, for those after it
	collection := ""
	delete(f.unreachable, op.OperationID)
	for i, part := range parts {
		name, ok := paramIn(part)
		if !ok {
			continue
		}
		if i > 0 && (parts[i-1] == "groups" || parts[i-1] == "orgs") && f.shared[name] != "" {
			p[name] = f.shared[name] // the kit's project and organization
			continue
		}
		path := strings.TrimSuffix(strings.Join(parts[:i], "/"), "/byName") // /teams/byName/{teamName}: a team's name
		if i == last && op.Method == http.MethodPost && isEnum(op, name) && sameTemplate(op.Path, strings.Join(parts[:i+1], "/")) {
			if err := f.makeRoom(ctx, op, name, p); err != nil {
				return nil, err
			}
			continue
		}
		if path != collection || member == nil || (fresh && i == last) {
			collection = path
			created, err := f.member(ctx, op, path, strings.Join(parts[:i+1], "/"), p, fresh && i == last)
			if err != nil {
				return nil, err
			}
			member = created
			if created == nil && f.names(path) {
				f.unreachable[op.OperationID] = fmt.Sprintf("nothing the kit can call creates the {%s} it names", name)
			}
		}
		p[name] = valueOf(member, name)
		if other := otherIDOf(op, member, name, p[name]); other != "" {
			p[name] = other
		}
		if p[name] == "" {
			p[name] = schemaValue(op, name)
		}
	}
	return p, nil
}

// member returns a resource of the collection at path, creating it through the operation that
// creates its kind; nil when none does, or the target refused. A fresh one is not kept for
// others.
func (f *fixture) member(ctx context.Context, op contract.Operation, path, memberPath string, p params, fresh bool) (map[string]any, error) {
	key := expandPath(path, p)
	if m, ok := f.members[key]; ok && !fresh {
		return m, nil
	}
	create, ok := f.creator(path, memberPath)
	if !ok || (create.OperationID == op.OperationID && !fresh) {
		return nil, nil
	}
	createParams := p
	if name := paramName(create.Path); sameTemplate(create.Path, memberPath) && isEnum(create, name) {
		// A create at the member's path that names it by a kind: a kind no request has taken.
		createParams = p.with(name, "")
		if err := f.makeRoom(ctx, create, name, createParams); err != nil {
			return nil, err
		}
	} else if sameTemplate(create.Path, memberPath) { // a create at the member's path names it there
		value := f.nextValue(create, name)
		if fresh {
			// A fresh member is for a request that may consume it: it must not be the
			// shared one that a create of the same schema example named.
			value = f.freshLike(value)
		}
		createParams = p.with(name, value)
	}
	req := request{method: create.Method, path: expandPath(create.Path, createParams), auth: asServiceAccount, accept: acceptOf(create)}
	var sent any
	if rec := generatedRecipe(create); rec.body != nil {
		sent = rec.body(f, createParams)
		req.body, req.contentType = jsonBody(sent), "application/json"
	}
	res, err := f.c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	if res.status < 200 || res.status >= 300 {
		return nil, nil
	}
	m := res.object()
	if results, ok := m["results"].([]any); ok && len(results) > 0 {
		m = matching(results, sent) // a create that answers the whole list
	}
	if m != nil && sameTemplate(create.Path, memberPath) {
		// The create's path named the member: that name is the member's, whatever the body
		// answered (a create that answers the whole list may not tell which of it is new).
		name := paramName(create.Path)
		m[name] = createParams[name]
	}
	if !fresh {
		f.members[key] = m
		f.kept[expandPath(create.Path, createParams)] = true
	}
	return m, nil
}

// matching is the member of a list that a create body made: the one that has every string the
// body has, else the last.
func matching(results []any, sent any) map[string]any {
	if list, ok := sent.([]any); ok && len(list) > 0 {
		sent = list[0]
	}
	body, _ := sent.(map[string]any)
	for _, result := range results {
		m, _ := result.(map[string]any)
		agrees := m != nil
		for name, value := range body {
			if text, isText := value.(string); isText && m[name] != nil && m[name] != text {
				agrees = false
			}
		}
		if agrees && len(body) > 0 {
			return m
		}
	}
	last, _ := results[len(results)-1].(map[string]any)
	return last
}

// nextValue is a value of a path parameter that names a new member at its own path: an enum's
// values in turn (the integrations of a project, one of each type), else a value of its schema.
func (f *fixture) nextValue(op contract.Operation, name string) string {
	param := op.Parameters.GetByInAndName(openapi3.ParameterInPath, name)
	if param != nil && param.Schema != nil && len(param.Schema.Value.Enum) > 0 {
		enum := param.Schema.Value.Enum
		f.enumCursor++
		return fmt.Sprint(enum[f.enumCursor%len(enum)])
	}
	return schemaValue(op, name)
}

// makeRoom picks the kind a create names what it makes by (a project's integration of one type),
// each in turn, and deletes what a previous request made of that kind, so that this request
// creates it anew; the kinds of the resources the kit keeps for other requests are passed over.
func (f *fixture) makeRoom(ctx context.Context, op contract.Operation, name string, p params) error {
	param := op.Parameters.GetByInAndName(openapi3.ParameterInPath, name)
	for range param.Schema.Value.Enum {
		p[name] = f.nextValue(op, name)
		if !f.kept[expandPath(op.Path, p)] {
			break
		}
	}
	_, err := f.c.send(ctx, request{method: http.MethodDelete, path: expandPath(op.Path, p), auth: asServiceAccount, accept: acceptOf(op)})
	return err
}

// isEnum reports whether a path parameter takes the values of an enum.
func isEnum(op contract.Operation, name string) bool {
	param := op.Parameters.GetByInAndName(openapi3.ParameterInPath, name)
	return param != nil && param.Schema != nil && param.Schema.Value != nil && len(param.Schema.Value.Enum) > 0
}

// creator finds the operation that creates a member of the collection at path: a POST on it, else
// a POST or PUT on the member's own path, whatever its parameter is called there, else a PATCH
// there, which sets a member of a collection nothing else adds to (a project's limits).
func (f *fixture) creator(path, memberPath string) (contract.Operation, bool) {
	wants := []struct{ method, path string }{{http.MethodPost, path}, {http.MethodPost, memberPath}, {http.MethodPut, memberPath}, {http.MethodPatch, memberPath}}
	for _, want := range wants {
		for _, op := range f.c.spec.Operations() {
			if op.Method == want.method && sameTemplate(op.Path, want.path) {
				return op, true
			}
		}
	}
	if elsewhere, ok := createdElsewhere[path]; ok {
		return f.creator(elsewhere, "")
	}
	return contract.Operation{}, false
}

// createdElsewhere are the collections whose members a POST on another path creates: a private
// endpoint service is created without its provider in the path, and lives under it.
var createdElsewhere = map[string]string{
	"/api/atlas/v2/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService": "/api/atlas/v2/groups/{groupId}/privateEndpoint/endpointService",
}

// names reports whether a parameter after path names a member of a collection there: an
// operation acts on the member's path, or the collection's GET lists. Nothing but a created member can be
// named there; a parameter elsewhere qualifies the path ({cloudProvider}) and takes any value of
// its schema.
func (f *fixture) names(path string) bool {
	for _, op := range f.c.spec.Operations() {
		if op.Method != http.MethodGet {
			continue
		}
		if op.Path == path && isListOperation(op) {
			return true
		}
	}
	for _, op := range f.c.spec.Operations() {
		if sameTemplate(op.Path, path+"/{}") {
			return true
		}
	}
	return false
}

// isListOperation reports whether an operation answers a page or an array.
func isListOperation(op contract.Operation) bool {
	for status, response := range op.Responses.Map() {
		if !strings.HasPrefix(status, "2") || response.Value == nil {
			continue
		}
		for _, content := range response.Value.Content {
			if s := content.Schema; s != nil && s.Value != nil && (s.Value.Type.Is("array") || s.Value.Properties["results"] != nil) {
				return true
			}
		}
	}
	return false
}

// sameTemplate reports whether two path templates differ in their parameters' names only.
func sameTemplate(a, b string) bool {
	for {
		i, j := strings.IndexByte(a, '{'), strings.IndexByte(b, '{')
		if i < 0 || j < 0 {
			return i == j && a == b
		}
		if a[:i] != b[:j] {
			return false
		}
		ea, eb := strings.IndexByte(a[i:], '}'), strings.IndexByte(b[j:], '}')
		if ea < 0 || eb < 0 {
			return a == b
		}
		a, b = a[i+ea+1:], b[j+eb+1:]
	}
}

// paramName is the parameter of a path's last segment.
func paramName(path string) string {
	name, _ := paramIn(path[strings.LastIndexByte(path, '/')+1:])
	return name
}

// valueFields are the properties by which Atlas names a resource whose parameter says nothing of
// them: an access-list entry by its block.
var valueFields = map[string][]string{"entryValue": {"cidrBlock", "awsSecurityGroup"}}

// valueOf is the value by which a parameter names a resource: the property of the parameter's
// name (any case), of its name without "Name" (databaseName: database), else its name or id.
func valueOf(m map[string]any, param string) string {
	if m == nil {
		return ""
	}
	candidates := append([]string{param, strings.TrimSuffix(param, "Name")}, valueFields[param]...)
	if strings.HasSuffix(param, "Name") {
		candidates = append(candidates, "name")
	}
	candidates = append(candidates, "id", "_id")
	for _, candidate := range candidates {
		for key, value := range m {
			if strings.EqualFold(key, candidate) && value != nil {
				if _, isObject := value.(map[string]any); !isObject {
					return fmt.Sprint(value)
				}
			}
		}
	}
	return ""
}

// otherIDOf is, when the value by which a parameter names a resource does not match the
// parameter's pattern, a property of the resource whose value does: an identity provider's
// legacy 20-digit id (oktaIdpId), which its metadata.xml path takes; else "".
func otherIDOf(op contract.Operation, m map[string]any, name, value string) string {
	param := op.Parameters.GetByInAndName(openapi3.ParameterInPath, name)
	if m == nil || param == nil || param.Schema == nil || param.Schema.Value == nil || param.Schema.Value.Pattern == "" {
		return ""
	}
	pattern, err := regexp.Compile(param.Schema.Value.Pattern)
	if err != nil || pattern.MatchString(value) {
		return ""
	}
	keys := slices.Sorted(maps.Keys(m))
	for _, key := range keys {
		if text, ok := m[key].(string); ok && pattern.MatchString(text) {
			return text
		}
	}
	return ""
}

// schemaValue is a value of a path parameter's schema: its example or first enum value.
func schemaValue(op contract.Operation, name string) string {
	param := op.Parameters.GetByInAndName(openapi3.ParameterInPath, name)
	if param == nil || param.Schema == nil {
		return "x"
	}
	value := fmt.Sprint(synth.Value(param.Schema, param.Schema.Value.Example, synth.Options{Direction: synth.Request, Now: time.Now()}))
	if value == "" || strings.ContainsAny(value, " /") {
		return "x"
	}
	return value
}

// paramIn returns the name of the parameter a path segment holds (`{clusterName}`,
// `{clusterName}:pause`, `{logName}.gz`).
func paramIn(segment string) (string, bool) {
	open, end := strings.IndexByte(segment, '{'), strings.IndexByte(segment, '}')
	if open < 0 || end < open {
		return "", false
	}
	return segment[open+1 : end], true
}

// lastParam is the index of the last segment that holds a parameter.
func lastParam(parts []string) int {
	for i := len(parts) - 1; i >= 0; i-- {
		if _, ok := paramIn(parts[i]); ok {
			return i
		}
	}
	return -1
}
