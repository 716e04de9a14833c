package openapi_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
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

// TestOperationInventory pins every operation of the Atlas subset with its versions, roles and
// error statuses, so that removing one, or dropping its roles extension, versioned media type or
// error responses, fails. Run `go test ./openapi -update` after a deliberate change.
func TestOperationInventory(t *testing.T) {
	doc := loadAtlas(t)
	var lines []string
	for _, op := range operations(doc) {
		var errs []string
		for code := range op.Responses.Map() {
			if code >= "400" {
				errs = append(errs, code)
			}
		}
		sort.Strings(errs)
		lines = append(lines, fmt.Sprintf("%s %s %s versions=%s roles=%s errors=%s",
			op.OperationID, op.method, op.path, strings.Join(op.versions(), ","),
			strings.Join(op.roles(), ","), strings.Join(errs, ",")))
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	const golden = "testdata/operations.golden"
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got, "the operations differ from %s", golden)
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
	doc := loadAtlas(t)
	for _, op := range operations(doc) {
		versions := op.versions()
		if !strings.HasPrefix(op.path, "/api/atlas/v2/") {
			assert.Empty(t, versions, "%s is not a v2 path and speaks plain application/json", op.OperationID)
			for _, mediaType := range op.successMediaTypes() {
				assert.NotRegexp(t, versionedMediaType, mediaType, op.OperationID)
			}
			continue
		}
		require.NotEmpty(t, versions, "%s has no x-atlas-versions", op.OperationID)
		assert.NotNil(t, op.Responses.Value("406"), "%s must declare 406 for a bad version", op.OperationID)
		for _, mediaType := range op.successMediaTypes() {
			m := versionedMediaType.FindStringSubmatch(mediaType)
			require.NotNil(t, m, "%s answers %s, which names no version", op.OperationID, mediaType)
			assert.Contains(t, versions, m[1], "%s answers a version it does not declare", op.OperationID)
		}
		if op.RequestBody != nil {
			for mediaType := range op.RequestBody.Value.Content {
				if mediaType == "application/json" {
					continue
				}
				m := versionedMediaType.FindStringSubmatch(mediaType)
				require.NotNil(t, m, "%s accepts %s, which names no version", op.OperationID, mediaType)
				assert.Contains(t, versions, m[1], op.OperationID)
			}
		}
	}
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
				assert.Equal(t, "#/components/schemas/"+wantSchema, content.Schema.Ref, "%s %s", op.OperationID, code)
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

// generatedTypes maps each schema that carries an example to the generated Go type that holds it.
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
	"stub:ApiError":                           func() any { return new(stubapi.ApiError) },
	"stub:Clock":                              func() any { return new(stubapi.Clock) },
	"stub:ClockAdvance":                       func() any { return new(stubapi.ClockAdvance) },
	"stub:Credentials":                        func() any { return new(stubapi.Credentials) },
}

// TestExamplesRoundTripThroughGeneratedTypes decodes every documented example into its generated
// type and encodes it again: a field the generated type drops or renames shows as a difference.
func TestExamplesRoundTripThroughGeneratedTypes(t *testing.T) {
	specs := map[string]*openapi3.T{"atlas": loadAtlas(t), "stub": loadStub(t)}
	seen := map[string]bool{}
	for prefix, doc := range specs {
		for _, ex := range examples(doc) {
			if ex.component == "" {
				continue
			}
			key := prefix + ":" + ex.component
			seen[key] = true
			newValue, ok := generatedTypes[key]
			if !assert.True(t, ok, "add the generated type of %s to generatedTypes", key) {
				continue
			}
			original, err := json.Marshal(ex.value)
			require.NoError(t, err)
			value := newValue()
			require.NoError(t, json.Unmarshal(original, value), "decode the example of %s (%s)", key, ex.name)
			again, err := json.Marshal(value)
			require.NoError(t, err)
			assert.JSONEq(t, string(original), string(again), "example of %s (%s) does not survive the generated type", key, ex.name)
		}
	}
	for key := range generatedTypes {
		assert.True(t, seen[key], "generatedTypes lists %s, which has no example", key)
	}
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
		if code < "300" {
			for mediaType := range response.Value.Content {
				types = append(types, mediaType)
			}
		}
	}
	return types
}

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
// specifications declare: JSON types decode as JSON, the others need a registered decoder.
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
				for mediaType := range content {
					if strings.HasSuffix(mediaType, "json") {
						continue
					}
					assert.NotNil(t, openapi3filter.RegisteredBodyDecoder(mediaType), "%s: no body decoder for %s", op.OperationID, mediaType)
				}
			}
		}
	}
}
