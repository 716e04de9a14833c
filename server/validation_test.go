package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestRequestsThatBreakTheContractGetAtlasErrors(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	users := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "/databaseUsers"
	valid := func() map[string]any {
		return map[string]any{"groupId": stub.Credentials.ProjectId, "databaseName": "$external", "username": "v", "x509Type": "MANAGED"}
	}
	with := func(key string, value any) map[string]any {
		body := valid()
		if value == nil {
			delete(body, key)
		} else {
			body[key] = value
		}
		return body
	}

	for _, tc := range []struct {
		name   string
		body   any
		code   string
		field  string
		detail string
	}{
		{"malformed JSON", `{"username": `, "MALFORMED_JSON", "body", "not valid JSON"},
		{"missing required attribute", with("username", nil), "MISSING_ATTRIBUTE", "username", "The required attribute username was not specified."},
		{"unknown attribute", with("colour", "blue"), "INVALID_ATTRIBUTE", "colour", "Invalid attribute colour specified."},
		{"unknown enum value", with("x509Type", "SELF"), "INVALID_ENUM_VALUE", "x509Type", "An invalid enumeration value SELF was specified."},
		{"wrong type", with("username", 42), "INVALID_ATTRIBUTE", "username", "Invalid attribute username specified."},
		{"nested violation", with("roles", []any{map[string]any{"roleName": "read"}}), "MISSING_ATTRIBUTE", "roles.0.databaseName", "roles.0.databaseName"},
		{"too long", with("description", strings.Repeat("d", 101)), "INVALID_ATTRIBUTE", "description", "description"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := requireAPIError(t, http.StatusBadRequest, tc.code, a.post(users, tc.body))
			assert.Contains(t, e["detail"], tc.detail)
			fields := e["badRequestDetail"].(map[string]any)["fields"].([]any)
			require.NotEmpty(t, fields)
			assert.Equal(t, tc.field, fields[0].(map[string]any)["field"])
			assert.NotEmpty(t, fields[0].(map[string]any)["description"])
		})
	}

	t.Run("every violation is listed", func(t *testing.T) {
		body := with("colour", "blue")
		body["x509Type"] = "SELF"
		e := requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", a.post(users, body))
		assert.Len(t, e["badRequestDetail"].(map[string]any)["fields"], 2)
	})
	t.Run("missing body", func(t *testing.T) {
		requireAPIError(t, http.StatusBadRequest, "MALFORMED_JSON", a.do(http.MethodPost, users, nil, "Content-Type", "application/json"))
	})
	t.Run("invalid path parameters", func(t *testing.T) {
		requireAPIError(t, http.StatusBadRequest, "INVALID_GROUP_ID", a.get("/api/atlas/v2/groups/not-an-id"))
		requireAPIError(t, http.StatusBadRequest, "INVALID_ORG_ID", a.get("/api/atlas/v2/orgs/ABCDEF"))
	})
	t.Run("invalid query parameter", func(t *testing.T) {
		requireAPIError(t, http.StatusBadRequest, "INVALID_QUERY_PARAMETER", a.get("/api/atlas/v2/groups?envelope=perhaps"))
	})
	t.Run("unknown path", func(t *testing.T) {
		e := requireAPIError(t, http.StatusNotFound, "RESOURCE_NOT_FOUND", a.get("/api/atlas/v2/nothingHere"))
		assert.Equal(t, []any{"/api/atlas/v2/nothingHere"}, e["parameters"])
		requireAPIError(t, http.StatusNotFound, "RESOURCE_NOT_FOUND", a.get("/"))
		requireAPIError(t, http.StatusNotFound, "RESOURCE_NOT_FOUND", a.get("/_stub/nothing"))
	})
	t.Run("wrong method", func(t *testing.T) {
		// Allow lists the methods the specification declares for the path.
		for path, allow := range map[string]string{
			"/api/atlas/v2/groups/" + stub.Credentials.ProjectId:       "GET, PATCH, DELETE",
			"/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "/": "GET, PATCH, DELETE",
			"/_stub/reset": "POST",
			// The curated specification declares GET, the official one PATCH and DELETE too.
			"/api/atlas/v2/orgs/" + stub.Credentials.OrgId: "GET, PATCH, DELETE",
		} {
			r := a.do(http.MethodPut, path, nil)
			requireAPIError(t, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", r)
			assert.Equal(t, allow, r.Header.Get("Allow"), path)
		}
	})
}

func TestReadOnlyFieldsInRequestsAreAcceptedAndIgnored(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	// What the official SDK sends for a new project: the read-only fields with zero values.
	r := a.post("/api/atlas/v2/groups", map[string]any{
		"name": "sdk-style", "orgId": stub.Credentials.OrgId, "clusterCount": 0, "created": "0001-01-01T00:00:00Z",
		"id": "ffffffffffffffffffffffff", "regionUsageRestrictions": "COMMERCIAL_FEDRAMP_REGIONS_ONLY", "withDefaultAlertsSettings": true,
	})
	requireStatus(t, http.StatusCreated, r)
	group := r.object(t)
	assert.NotEqual(t, "ffffffffffffffffffffffff", group["id"])
	assert.NotEqual(t, "0001-01-01T00:00:00Z", group["created"])
	assert.NotContains(t, group, "regionUsageRestrictions", "commercial Atlas never returns it")

	requireFieldViolation(t, "INVALID_ATTRIBUTE", "regionUsageRestrictions", a.post("/api/atlas/v2/groups", map[string]any{
		"name": "gov", "orgId": stub.Credentials.OrgId, "regionUsageRestrictions": "GOV_REGIONS_ONLY",
	}))
}

func TestTrailingSlashIsIgnored(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"))
}

// TestQueryStringsThatHideParameters sends query strings that a parser would silently read
// otherwise than meant: each is a 400 INVALID_QUERY_PARAMETER naming the parameter.
func TestQueryStringsThatHideParameters(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	project := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
	for query, parameter := range map[string]string{
		"/api/atlas/v2/groups?itemsPerPage=1&itemsPerPage=2": "itemsPerPage",
		"/api/atlas/v2/groups?envelope=true&envelope=true":   "envelope",
		"/api/atlas/v2/groups?pageNum=%ZZ":                   "pageNum",
		"/api/atlas/v2/groups?pageNum=1;itemsPerPage=2":      "pageNum",
		"/api/atlas/v2/groups?includeCount=false&%ZZ=1":      "%ZZ",
		project + "?pretty=true&undeclared=%G0":              "undeclared",
	} {
		t.Run(query, func(t *testing.T) {
			requireFieldViolation(t, "INVALID_QUERY_PARAMETER", parameter, a.get(query))
		})
	}

	// Every violation is listed; the first decides the error.
	r := a.get("/api/atlas/v2/groups?pageNum=1&pageNum=2&itemsPerPage=%ZZ")
	e := requireAPIError(t, http.StatusBadRequest, "INVALID_QUERY_PARAMETER", r)
	assert.Equal(t, []any{"itemsPerPage"}, e["parameters"])
	assert.Equal(t, []string{"itemsPerPage", "pageNum"}, violatedFields(e))
	// The body's violations too, after the query string's.
	r = a.post("/api/atlas/v2/groups?pretty=%ZZ", map[string]any{"orgId": stub.Credentials.OrgId})
	e = requireAPIError(t, http.StatusBadRequest, "INVALID_QUERY_PARAMETER", r)
	assert.Equal(t, []string{"pretty", "name"}, violatedFields(e))

	// Parameters the operation does not declare are ignored, however often they come.
	requireStatus(t, http.StatusOK, a.get(project+"?tag=a&tag=b"))
	// The token endpoint refuses it too, in its own RFC 6749 shape.
	sa := stub.Credentials.ServiceAccount
	token := postOAuth(t, stub, "/api/oauth/token?scope=%ZZ", sa.ClientId, sa.ClientSecret, "grant_type=client_credentials")
	requireStatus(t, http.StatusBadRequest, token)
	assert.Equal(t, "invalid_request", token.object(t)["error"])
}

// violatedFields returns the fields that an error's badRequestDetail names, in its order.
func violatedFields(e map[string]any) []string {
	var fields []string
	for _, f := range e["badRequestDetail"].(map[string]any)["fields"].([]any) {
		fields = append(fields, f.(map[string]any)["field"].(string))
	}
	return fields
}

// TestEmptyOptionalQueryParametersAreAbsent: a client that leaves an option unset may still send
// its name (`?projectOwnerId=`); live Atlas creates the project. Every optional query parameter
// given empty is absent, and its default applies.
func TestEmptyOptionalQueryParametersAreAbsent(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)

	// Over Digest, which signs the request URI as sent, empty parameter included.
	body := strings.NewReader(`{"name": "owner-left-empty", "orgId": "` + stub.Credentials.OrgId + `"}`)
	req, err := http.NewRequest(http.MethodPost, stub.URL+"/api/atlas/v2/groups?projectOwnerId=", body)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
	req.Header.Set("Content-Type", "application/json")
	created := send(t, stub.DigestClient(), req)
	requireStatus(t, http.StatusCreated, created)
	assert.Equal(t, "owner-left-empty", created.object(t)["name"])

	list := a.get("/api/atlas/v2/groups?pageNum=&itemsPerPage=&includeCount=&envelope=&pretty")
	requireStatus(t, http.StatusOK, list)
	page := list.object(t)
	assert.Equal(t, float64(2), page["totalCount"], "includeCount defaults to true: %s", list.body)
	assert.NotContains(t, page, "status", "envelope defaults to false")
	assert.NotContains(t, string(list.body), "\n  ", "pretty defaults to false")
	self := page["links"].([]any)[0].(map[string]any)["href"].(string)
	assert.Equal(t, stub.URL+"/api/atlas/v2/groups?itemsPerPage=100&pageNum=1", self, "links leave the empty parameters out")

	// An empty value beside a given one: the given one counts, and is no repetition.
	one := a.get("/api/atlas/v2/groups?itemsPerPage=&itemsPerPage=1")
	requireStatus(t, http.StatusOK, one)
	assert.Len(t, one.object(t)["results"], 1)
	// A value that is there must still be valid.
	requireFieldViolation(t, "INVALID_QUERY_PARAMETER", "projectOwnerId", a.post("/api/atlas/v2/groups?projectOwnerId=nobody",
		map[string]any{"name": "owner-invalid", "orgId": stub.Credentials.OrgId}))
}
