package openapi_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/oapi-codegen/runtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/openapi"
)

var update = flag.Bool("update", false, "rewrite testdata/operations.golden from the specification")

func TestSpecificationsLoadAndValidate(t *testing.T) {
	atlas, err := openapi.LoadAtlas()
	require.NoError(t, err)
	stub, err := openapi.LoadStub()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(operations(atlas)), 60, "the Atlas subset covers at least 60 operations")
	assert.NotEmpty(t, operations(stub))
}

// TestOperationInventory pins every operation of the Atlas subset with its versions, roles, error
// statuses and media types, so that removing one, or dropping its roles extension, a versioned
// media type, a response's content or an error response, fails. Run `go test ./openapi -update`
// after a deliberate change.
func TestOperationInventory(t *testing.T) {
	got := inventory(loadAtlas(t))
	if *update {
		require.NoError(t, os.WriteFile(goldenInventory, []byte(got), 0o644))
	}
	assert.Equal(t, readGoldenInventory(t), got, "the operations differ from %s", goldenInventory)
}

const goldenInventory = "testdata/operations.golden"

func readGoldenInventory(t *testing.T) string {
	t.Helper()
	want, err := os.ReadFile(goldenInventory)
	require.NoError(t, err)
	return string(want)
}

// inventory is a line per operation, sorted.
func inventory(doc *openapi3.T) string {
	var lines []string
	for _, op := range operations(doc) {
		lines = append(lines, inventoryLine(op))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// inventoryLine records an operation: its place, versions, roles, error statuses, the media types
// of its request body, and each success status with its media types ("none" for no content).
func inventoryLine(op operation) string {
	var errs, successes []string
	for code, response := range op.Responses.Map() {
		switch {
		case code >= "400":
			errs = append(errs, code)
		case isSuccess(code):
			successes = append(successes, code+":"+mediaTypesOf(response.Value.Content))
		}
	}
	sort.Strings(errs)
	sort.Strings(successes)
	request := "none"
	if op.RequestBody != nil {
		request = mediaTypesOf(op.RequestBody.Value.Content)
	}
	return fmt.Sprintf("%s %s %s versions=%s roles=%s errors=%s request=%s success=%s",
		op.OperationID, op.method, op.path, strings.Join(op.versions(), ","),
		strings.Join(op.roles(), ","), strings.Join(errs, ","), request, strings.Join(successes, ";"))
}

// mediaTypesOf lists the media types of a content map, sorted, or "none".
func mediaTypesOf(content openapi3.Content) string {
	if len(content) == 0 {
		return "none"
	}
	types := slices.Sorted(maps.Keys(content))
	return strings.Join(types, ",")
}

func TestEveryOperationIsDocumented(t *testing.T) {
	for _, doc := range []*openapi3.T{loadAtlas(t), loadStub(t)} {
		declaredTags := map[string]bool{}
		for _, tag := range doc.Tags {
			declaredTags[tag.Name] = true
		}
		for _, op := range operations(doc) {
			assert.NotEmpty(t, op.OperationID, "%s %s has no operationId", op.method, op.path)
			assert.NotEmpty(t, op.Summary, "%s has no summary", op.OperationID)
			require.NotEmpty(t, op.Tags, "%s has no tag", op.OperationID)
			for _, tag := range op.Tags {
				assert.True(t, declaredTags[tag], "%s uses the undeclared tag %q", op.OperationID, tag)
			}
		}
	}
}

func TestEveryOperationNamesItsRoles(t *testing.T) {
	doc := loadAtlas(t)
	known := enumOf(t, doc, "AnyRole")
	for _, op := range operations(doc) {
		raw, ok := op.Extensions["x-atlas-roles"]
		require.True(t, ok, "%s has no x-atlas-roles", op.OperationID)
		roles := op.roles()
		assert.Len(t, roles, len(raw.([]any)), "%s: x-atlas-roles must be a list of role names", op.OperationID)
		if op.authenticatesWithClientCredentials() {
			assert.Empty(t, roles, "%s authenticates with client credentials and needs no role", op.OperationID)
			continue
		}
		assert.NotEmpty(t, roles, "%s names no role", op.OperationID)
		for _, role := range roles {
			assert.Contains(t, known, role, "%s names the unknown role %q", op.OperationID, role)
		}
	}
}

// TestProjectOperationsThatChangeACredentialSayWhich: every project operation that changes the
// service account or API key its path names carries x-atlas-changes-credential with that
// parameter, so that the stub keeps a project owner from changing a credential that reaches
// beyond the project. Reading the credential, and removing it from the project, need no mark.
func TestProjectOperationsThatChangeACredentialSayWhich(t *testing.T) {
	for _, op := range operations(loadAtlas(t)) {
		marked, _ := op.Extensions["x-atlas-changes-credential"].(string)
		var named string
		for _, param := range []string{"clientId", "apiUserId"} {
			if strings.Contains(op.path, "{"+param+"}") {
				named = param
			}
		}
		projectPath := strings.Contains(op.path, "{groupId}")
		removal := op.method == http.MethodDelete && strings.HasSuffix(op.path, "{"+named+"}")
		if projectPath && named != "" && op.method != http.MethodGet && !removal {
			assert.Equal(t, named, marked, "%s changes the credential of {%s}", op.OperationID, named)
		} else {
			assert.Empty(t, marked, "%s reads, removes from the project or is not on a project path", op.OperationID)
		}
	}
}

var versionedMediaType = regexp.MustCompile(`^application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+[a-z-]+$`)

func TestVersionedOperationsUseVersionedMediaTypes(t *testing.T) {
	for _, op := range operations(loadAtlas(t)) {
		assert.Empty(t, mediaTypeProblems(op), op.OperationID)
	}
}

// TestMediaTypeChecksCatchADroppedMediaType drops media types from a copy of the specification
// and makes sure both the inventory and the media-type rules notice.
func TestMediaTypeChecksCatchADroppedMediaType(t *testing.T) {
	golden := strings.Split(readGoldenInventory(t), "\n")
	mutations := map[string]func(doc *openapi3.T){
		"createGroup": func(doc *openapi3.T) {
			delete(doc.Paths.Value("/api/atlas/v2/groups").Post.RequestBody.Value.Content, "application/vnd.atlas.2023-01-01+json")
		},
		"getGroup": func(doc *openapi3.T) {
			doc.Paths.Value("/api/atlas/v2/groups/{groupId}").Get.Responses.Value("200").Value.Content = nil
		},
	}
	for operationID, mutate := range mutations {
		t.Run(operationID, func(t *testing.T) {
			doc := loadAtlas(t)
			mutate(doc)
			op := operationByID(t, doc, operationID)
			assert.NotContains(t, golden, inventoryLine(op), "the inventory must record the change")
			assert.NotEmpty(t, mediaTypeProblems(op), "the media-type rules must report it")
		})
	}
}

// mediaTypeProblems says where an operation's media types disagree with its versions. A v2
// operation declares x-atlas-versions and 406, takes its request body and answers every 2xx but
// 204 in the versioned media type of each declared version (a body may also come as
// application/json), and names no version it does not declare. The other paths speak plain
// application/json and declare no versions.
func mediaTypeProblems(op operation) []string {
	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	versions := op.versions()
	if !strings.HasPrefix(op.path, "/api/atlas/v2/") {
		if len(versions) > 0 {
			report("is not a v2 path and declares the versions %v", versions)
		}
		for _, mediaType := range op.successMediaTypes() {
			if versionedMediaType.MatchString(mediaType) {
				report("is not a v2 path and answers %s", mediaType)
			}
		}
		return problems
	}
	if len(versions) == 0 {
		report("has no x-atlas-versions")
	}
	if op.Responses.Value("406") == nil {
		report("must declare 406 for a bad version")
	}
	// checkDeclared reports the media types of content that name no declared version; plainJSON
	// lets application/json through, in which a request body may also come.
	checkDeclared := func(where string, content openapi3.Content, plainJSON bool) {
		for mediaType := range content {
			if plainJSON && mediaType == "application/json" {
				continue
			}
			m := versionedMediaType.FindStringSubmatch(mediaType)
			switch {
			case m == nil:
				report("%s: %s names no version", where, mediaType)
			case !slices.Contains(versions, m[1]):
				report("%s: %s names a version the operation does not declare", where, mediaType)
			}
		}
	}
	hasVersion := func(content openapi3.Content, version string) bool {
		for mediaType := range content {
			if m := versionedMediaType.FindStringSubmatch(mediaType); m != nil && m[1] == version {
				return true
			}
		}
		return false
	}
	for code, response := range op.Responses.Map() {
		if !isSuccess(code) {
			continue
		}
		where := "response " + code
		checkDeclared(where, response.Value.Content, false)
		for _, version := range versions {
			if code != "204" && !hasVersion(response.Value.Content, version) {
				report("%s has no media type of version %s", where, version)
			}
		}
	}
	if op.RequestBody != nil {
		content := op.RequestBody.Value.Content
		checkDeclared("request body", content, true)
		for _, version := range versions {
			if content.Get("application/vnd.atlas."+version+"+json") == nil {
				report("request body lacks application/vnd.atlas.%s+json", version)
			}
		}
	}
	sort.Strings(problems)
	return problems
}

func operationByID(t *testing.T, doc *openapi3.T, id string) operation {
	t.Helper()
	for _, op := range operations(doc) {
		if op.OperationID == id {
			return op
		}
	}
	require.Failf(t, "no such operation", "%s", id)
	return operation{}
}

func TestEveryErrorResponseHasAnErrorBody(t *testing.T) {
	for _, doc := range []*openapi3.T{loadAtlas(t), loadStub(t)} {
		for _, op := range operations(doc) {
			wantSchema := "ApiError"
			if op.Extensions["x-atlas-error-format"] == "oauth2" {
				wantSchema = "OAuthError"
			}
			for code, response := range op.Responses.Map() {
				if code < "400" {
					continue
				}
				content := response.Value.Content.Get("application/json")
				require.NotNil(t, content, "%s %s has no application/json body", op.OperationID, code)
				want := wantSchema
				if code == "429" {
					want = "ApiError" // Atlas answers its rate limit in its own shape, the token endpoint's too
				}
				assert.Equal(t, "#/components/schemas/"+want, content.Schema.Ref, "%s %s", op.OperationID, code)
			}
			if op.RequestBody != nil && op.RequestBody.Value.Content.Get("application/json") != nil {
				assert.NotNil(t, op.Responses.Value("415"), "%s takes JSON and must declare 415", op.OperationID)
			}
		}
	}
}

func TestExamplesValidateAgainstTheirSchemas(t *testing.T) {
	for _, doc := range []*openapi3.T{loadAtlas(t), loadStub(t)} {
		for _, ex := range examples(doc) {
			err := ex.schema.VisitJSON(ex.value, openapi3.DisableReadOnlyValidation(), openapi3.DisableWriteOnlyValidation())
			assert.NoError(t, err, "example of %s", ex.name)
		}
	}
}

// generatedTypes maps each schema that carries an example, or has a property that does, to the
// generated Go type that holds it.
var generatedTypes = map[string]func() any{
	"atlas:ApiError":                          func() any { return new(atlasapi.ApiError) },
	"atlas:OAuthError":                        func() any { return new(atlasapi.OAuthError) },
	"atlas:OAuthToken":                        func() any { return new(atlasapi.OAuthToken) },
	"atlas:AtlasOrganization":                 func() any { return new(atlasapi.AtlasOrganization) },
	"atlas:OrganizationSettings":              func() any { return new(atlasapi.OrganizationSettings) },
	"atlas:Group":                             func() any { return new(atlasapi.Group) },
	"atlas:GroupUpdate":                       func() any { return new(atlasapi.GroupUpdate) },
	"atlas:CloudDatabaseUser":                 func() any { return new(atlasapi.CloudDatabaseUser) },
	"atlas:UserCert":                          func() any { return new(atlasapi.UserCert) },
	"atlas:PaginatedUserCertView":             func() any { return new(atlasapi.PaginatedUserCertView) },
	"atlas:CertificatePEM":                    func() any { return new(atlasapi.CertificatePEM) },
	"atlas:UserSecurity":                      func() any { return new(atlasapi.UserSecurity) },
	"atlas:ServiceAccountSecret":              func() any { return new(atlasapi.ServiceAccountSecret) },
	"atlas:IPAddress":                         func() any { return new(atlasapi.IPAddress) },
	"atlas:CIDRBlock":                         func() any { return new(atlasapi.CIDRBlock) },
	"atlas:OrgServiceAccountRequest":          func() any { return new(atlasapi.OrgServiceAccountRequest) },
	"atlas:OrgServiceAccount":                 func() any { return new(atlasapi.OrgServiceAccount) },
	"atlas:GroupServiceAccountRequest":        func() any { return new(atlasapi.GroupServiceAccountRequest) },
	"atlas:GroupServiceAccountRoleAssignment": func() any { return new(atlasapi.GroupServiceAccountRoleAssignment) },
	"atlas:ServiceAccountIPAccessListEntry":   func() any { return new(atlasapi.ServiceAccountIPAccessListEntry) },
	"atlas:CreateAtlasOrganizationApiKey":     func() any { return new(atlasapi.CreateAtlasOrganizationApiKey) },
	"atlas:CreateAtlasProjectApiKey":          func() any { return new(atlasapi.CreateAtlasProjectApiKey) },
	"atlas:UpdateAtlasProjectApiKey":          func() any { return new(atlasapi.UpdateAtlasProjectApiKey) },
	"atlas:ApiKeyUserDetails":                 func() any { return new(atlasapi.ApiKeyUserDetails) },
	"atlas:UserAccessListRequest":             func() any { return new(atlasapi.UserAccessListRequest) },
	"atlas:UserAccessListResponse":            func() any { return new(atlasapi.UserAccessListResponse) },
	"atlas:Link":                              func() any { return new(atlasapi.Link) },
	"atlas:IpInfo":                            func() any { return new(atlasapi.IpInfo) },
	"atlas:OAuthTokenRequest":                 func() any { return new(atlasapi.OAuthTokenRequest) },
	"atlas:OAuthRevokeRequest":                func() any { return new(atlasapi.OAuthRevokeRequest) },
	"atlas:DatabaseUserRole":                  func() any { return new(atlasapi.DatabaseUserRole) },
	"atlas:ServiceAccountSecretRequest":       func() any { return new(atlasapi.ServiceAccountSecretRequest) },
	"atlas:CloudManagerSecretRequest":         func() any { return new(atlasapi.CloudManagerSecretRequest) },
	"stub:ApiError":                           func() any { return new(stubapi.ApiError) },
	"stub:Clock":                              func() any { return new(stubapi.Clock) },
	"stub:ClockAdvance":                       func() any { return new(stubapi.ClockAdvance) },
	"stub:Credentials":                        func() any { return new(stubapi.Credentials) },
	"stub:Health":                             func() any { return new(stubapi.Health) },
	"stub:FaultRuleRequest":                   func() any { return new(stubapi.FaultRuleRequest) },
	"stub:FaultRule":                          func() any { return new(stubapi.FaultRule) },
	"stub:FaultMatch":                         func() any { return new(stubapi.FaultMatch) },
	"stub:FaultError":                         func() any { return new(stubapi.FaultError) },
	"stub:FaultLatency":                       func() any { return new(stubapi.FaultLatency) },
	"stub:FaultSlowBody":                      func() any { return new(stubapi.FaultSlowBody) },
	"stub:State":                              func() any { return new(stubapi.State) },
}

// TestExamplesRoundTripThroughGeneratedTypes decodes every documented example into its generated
// type and encodes it again: a field the generated type drops or renames shows as a difference.
// A property's example goes through the type of its component schema, in an object that holds
// only that property; a property that refers to another component carries that component's
// example, which goes through as such. Examples written on a request body or an inline schema
// have no generated type of their own; TestExamplesValidateAgainstTheirSchemas checks them.
func TestExamplesRoundTripThroughGeneratedTypes(t *testing.T) {
	specs := map[string]*openapi3.T{"atlas": loadAtlas(t), "stub": loadStub(t)}
	seen := map[string]bool{}
	roundTrip := func(key, name string, document any) any {
		seen[key] = true
		newValue, ok := generatedTypes[key]
		if !assert.True(t, ok, "add the generated type of %s to generatedTypes", key) {
			return nil
		}
		original, err := json.Marshal(document)
		require.NoError(t, err)
		value := newValue()
		require.NoError(t, json.Unmarshal(original, value), "decode the example of %s (%s)", key, name)
		return normalized(t, value)
	}
	for prefix, doc := range specs {
		for _, ex := range examples(doc) {
			if ex.component == "" {
				continue
			}
			again := roundTrip(prefix+":"+ex.component, ex.name, ex.value)
			assert.Equal(t, normalized(t, ex.value), again, "example of %s (%s) does not survive the generated type", ex.component, ex.name)
		}
		for _, ex := range propertyExamples(doc) {
			name := ex.component + "." + strings.Join(ex.path, ".")
			again := roundTrip(prefix+":"+ex.component, name, nested(ex.path, ex.value))
			got, found := dig(again, ex.path)
			if assert.True(t, found, "%s is lost in the generated type", name) {
				assert.Equal(t, normalized(t, ex.value), got, "the example of %s does not survive the generated type", name)
			}
		}
	}
	for key := range generatedTypes {
		assert.True(t, seen[key], "generatedTypes lists %s, which has no example", key)
	}
}

// TestParameterAndHeaderExamplesRoundTripThroughTheGeneratedEncoding sends every path parameter
// and header example through the oapi-codegen runtime calls the generated code makes: the client
// styles a value into the request in the simple style (escaping path parameters), the server binds
// it back. Their generated Go types are plain strings, so the encoding is where an example could
// change. Query parameters go in the form style instead, in types of their own; none has an
// example, and one that gets an example fails here until this test sends it that way.
func TestParameterAndHeaderExamplesRoundTripThroughTheGeneratedEncoding(t *testing.T) {
	locations := map[string]runtime.ParamLocation{
		openapi3.ParameterInPath: runtime.ParamLocationPath, openapi3.ParameterInHeader: runtime.ParamLocationHeader,
	}
	type encoded struct {
		name     string
		location runtime.ParamLocation
		schema   *openapi3.Schema
	}
	var all []encoded
	for _, doc := range []*openapi3.T{loadAtlas(t), loadStub(t)} {
		for _, parameter := range doc.Components.Parameters {
			if parameter.Value.In == openapi3.ParameterInQuery {
				require.Nil(t, parameter.Value.Schema.Value.Example, "query parameter %s has an example: "+
					"add its round trip in the form style of the generated code, StyleParamWithOptions(\"form\", true, ...) "+
					"and BindQueryParameterWithOptions", parameter.Value.Name)
				continue
			}
			location, ok := locations[parameter.Value.In]
			require.True(t, ok, "parameter %s is in %s", parameter.Value.Name, parameter.Value.In)
			all = append(all, encoded{parameter.Value.Name, location, parameter.Value.Schema.Value})
		}
		for name, header := range doc.Components.Headers {
			all = append(all, encoded{name, runtime.ParamLocationHeader, header.Value.Schema.Value})
		}
	}
	tested := 0
	for _, e := range all {
		if e.schema.Example == nil {
			continue
		}
		tested++
		example, ok := e.schema.Example.(string)
		require.True(t, ok, "%s: the generated type is a string; its example is %T", e.name, e.schema.Example)
		styled, err := runtime.StyleParamWithOptions("simple", false, e.name, example,
			runtime.StyleParamOptions{ParamLocation: e.location, Type: "string", Required: true})
		require.NoError(t, err, e.name)
		var bound string
		err = runtime.BindStyledParameterWithOptions("simple", e.name, styled, &bound,
			runtime.BindStyledParameterOptions{ParamLocation: e.location, Type: "string", Required: true})
		require.NoError(t, err, e.name)
		assert.Equal(t, example, bound, "%s is sent as %q", e.name, styled)
	}
	assert.Positive(t, tested)
}

// propertyExample is the example of a property (or array item) inside a component schema.
type propertyExample struct {
	component string
	path      []string // property names from the component down; "[]" steps into array items
	value     any
}

// propertyExamples collects the examples of properties and array items of component schemas,
// down to the next reference to a component.
func propertyExamples(doc *openapi3.T) []propertyExample {
	var found []propertyExample
	var walk func(component string, path []string, schema *openapi3.SchemaRef)
	walk = func(component string, path []string, schema *openapi3.SchemaRef) {
		if len(path) > 0 {
			if schema.Ref != "" {
				return
			}
			if schema.Value.Example != nil {
				found = append(found, propertyExample{component, path, schema.Value.Example})
			}
		}
		for name, property := range schema.Value.Properties {
			walk(component, append(slices.Clone(path), name), property)
		}
		if schema.Value.Items != nil {
			walk(component, append(slices.Clone(path), "[]"), schema.Value.Items)
		}
	}
	for name, schema := range doc.Components.Schemas {
		walk(name, nil, schema)
	}
	return found
}

// nested wraps value in the objects and arrays that path names: ["a", "[]"] gives {"a": [value]}.
func nested(path []string, value any) any {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == "[]" {
			value = []any{value}
		} else {
			value = map[string]any{path[i]: value}
		}
	}
	return value
}

// dig returns what path names inside a decoded JSON document, the inverse of nested.
func dig(document any, path []string) (any, bool) {
	for _, step := range path {
		if step == "[]" {
			items, ok := document.([]any)
			if !ok || len(items) != 1 {
				return nil, false
			}
			document = items[0]
			continue
		}
		object, ok := document.(map[string]any)
		if !ok {
			return nil, false
		}
		if document, ok = object[step]; !ok {
			return nil, false
		}
	}
	return document, true
}

// normalized is a value as JSON decodes it: numbers become float64.
func normalized(t *testing.T, value any) any {
	t.Helper()
	data, err := json.Marshal(value)
	require.NoError(t, err)
	var decoded any
	require.NoError(t, json.Unmarshal(data, &decoded))
	return decoded
}

type operation struct {
	*openapi3.Operation
	method, path string
	doc          *openapi3.T
}

func (op operation) versions() []string { return stringList(op.Extensions["x-atlas-versions"]) }
func (op operation) roles() []string    { return stringList(op.Extensions["x-atlas-roles"]) }

func (op operation) authenticatesWithClientCredentials() bool {
	return op.Security != nil && len(*op.Security) == 1 && (*op.Security)[0]["ServiceAccountCredentials"] != nil
}

func (op operation) successMediaTypes() []string {
	var types []string
	for code, response := range op.Responses.Map() {
		if isSuccess(code) {
			for mediaType := range response.Value.Content {
				types = append(types, mediaType)
			}
		}
	}
	return types
}

// isSuccess says whether a response code of a specification is a 2xx status.
func isSuccess(code string) bool { return code >= "200" && code < "300" }

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			ops = append(ops, operation{Operation: op, method: method, path: path, doc: doc})
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.OperationID, b.OperationID) })
	return ops
}

type example struct {
	name      string // where the example is written
	component string // the component schema it belongs to, if any
	schema    *openapi3.Schema
	value     any
}

// examples collects the examples of component schemas, responses and media types.
func examples(doc *openapi3.T) []example {
	var found []example
	for name, schema := range doc.Components.Schemas {
		if schema.Value.Example != nil {
			found = append(found, example{"schema " + name, name, schema.Value, schema.Value.Example})
		}
	}
	for name, response := range doc.Components.Responses {
		for mediaType, content := range response.Value.Content {
			if content.Example != nil {
				component := strings.TrimPrefix(content.Schema.Ref, "#/components/schemas/")
				found = append(found, example{"response " + name + " " + mediaType, component, content.Schema.Value, content.Example})
			}
		}
	}
	for _, op := range operations(doc) {
		if op.RequestBody != nil {
			for mediaType, content := range op.RequestBody.Value.Content {
				if content.Example != nil {
					found = append(found, example{op.OperationID + " request " + mediaType, "", content.Schema.Value, content.Example})
				}
			}
		}
	}
	return found
}

func enumOf(t *testing.T, doc *openapi3.T, schema string) []string {
	ref := doc.Components.Schemas[schema]
	require.NotNil(t, ref, "no schema %s", schema)
	var values []string
	for _, v := range ref.Value.Enum {
		values = append(values, v.(string))
	}
	return values
}

func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func loadAtlas(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	return doc
}

func loadStub(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi.LoadStub()
	require.NoError(t, err)
	return doc
}

// TestEveryMediaTypeHasABodyDecoder makes sure the validators can read every body the
// specifications declare: raw bodies (openapi.IsRawBody) are read as they are, whatever their
// media type, JSON types decode as JSON, and the others need a registered decoder.
func TestEveryMediaTypeHasABodyDecoder(t *testing.T) {
	for _, doc := range []*openapi3.T{loadAtlas(t), loadStub(t)} {
		for _, op := range operations(doc) {
			var contents []openapi3.Content
			if op.RequestBody != nil {
				contents = append(contents, op.RequestBody.Value.Content)
			}
			for _, response := range op.Responses.Map() {
				contents = append(contents, response.Value.Content)
			}
			for _, content := range contents {
				for mediaType, media := range content {
					if openapi.IsRawBody(media.Schema) || strings.HasSuffix(mediaType, "json") {
						continue
					}
					assert.NotNil(t, openapi3filter.RegisteredBodyDecoder(mediaType), "%s: no body decoder for %s", op.OperationID, mediaType)
				}
			}
		}
	}
}
