package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// The headers of recorded live responses: every versioned success names its version with
// ;charset=utf-8, 202 and 204 included; every error is application/json with X-Error-Code; every
// response carries Atlas's four security headers.

func TestVersionedSuccessesNameTheirVersionWithACharset(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	project := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
	const v2023, v2024 = "application/vnd.atlas.2023-01-01+json;charset=utf-8", "application/vnd.atlas.2024-08-05+json;charset=utf-8"
	user := map[string]any{"groupId": stub.Credentials.ProjectId, "databaseName": "$external", "username": "charset", "x509Type": "MANAGED"}

	// In order: the 204 deletes the user that the 201 creates.
	for _, tc := range []struct {
		name   string
		status int
		want   string
		send   func() response
	}{
		{"a 200", http.StatusOK, v2023, func() response { return a.get(project) }},
		{"a 201", http.StatusCreated, v2023, func() response { return a.post(project+"/databaseUsers", user) }},
		{"a 202", http.StatusAccepted, v2023, func() response {
			return a.patch(project+"/userSecurity", map[string]any{"ldap": map[string]any{"authenticationEnabled": false}})
		}},
		{"a 204, which has no body", http.StatusNoContent, v2023, func() response { return a.delete(project + "/databaseUsers/$external/charset") }},
		{"a later date, served by the operation's version", http.StatusOK, v2023, func() response {
			return a.get(project, "Accept", "application/vnd.atlas.2099-01-01+json")
		}},
		{"a service account's version", http.StatusOK, v2024, func() response {
			return a.get("/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts")
		}},
		{"a list with envelope=true", http.StatusOK, v2023, func() response { return a.get(project + "/databaseUsers?envelope=true") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.send()
			requireStatus(t, tc.status, r)
			assert.Equal(t, tc.want, r.Header.Get("Content-Type"))
		})
	}
}

func TestUnversionedSuccessesArePlainJSON(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	legacy := a.get("/api/atlas/v1.0/groups/" + stub.Credentials.ProjectId + "/userSecurity")
	requireStatus(t, http.StatusOK, legacy)
	assert.Equal(t, "application/json", legacy.Header.Get("Content-Type"))
}

func TestErrorsNameTheirCodeInXErrorCode(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	for code, r := range map[string]response{
		"GROUP_NOT_FOUND":         a.get("/api/atlas/v2/groups/111111111111111111111111"),
		"INVALID_VERSION_DATE":    a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId, "Accept", "application/json"),
		"RESOURCE_NOT_FOUND":      a.get("/api/atlas/v2/nothing/here"),
		"INVALID_QUERY_PARAMETER": a.get("/api/atlas/v2/groups?itemsPerPage=0"),
		"UNEXPECTED_ERROR":        a.anonymous().get("/api/atlas/v2/groups"), // Atlas's 401 to a missing credential
		"invalid_client":          postToken(t, stub, "mdb_sa_id_000000000000000000000000", "wrong", "grant_type=client_credentials"),
	} {
		t.Run(code, func(t *testing.T) {
			require.GreaterOrEqual(t, r.StatusCode, 400, "%s", r.body)
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.Equal(t, code, r.Header.Get("X-Error-Code"))
		})
	}
	assert.Empty(t, a.get("/api/atlas/v2/groups").Header.Get("X-Error-Code"), "a success names no error")
}

// TestRefusedCredentialsGetTheLive401 holds the 401 of a missing or wrong credential to the body
// recorded from live Atlas: errorCode UNEXPECTED_ERROR and no parameters, with a Digest challenge.
func TestRefusedCredentialsGetTheLive401(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	for name, authorization := range map[string]string{
		"no credential":     "",
		"a foreign token":   "Bearer eyJhbGciOiJFUzUxMiJ9.eyJzdWIiOiJub2JvZHkifQ.c2lnbmF0dXJl",
		"an unknown scheme": "Negotiate abc",
	} {
		t.Run(name, func(t *testing.T) {
			anonymous := a.anonymous()
			r := anonymous.get("/api/atlas/v2/groups", "Authorization", authorization)
			requireUnauthenticated(t, r)
			assert.Len(t, r.object(t), 4, "error, errorCode, detail and reason, as Atlas writes them: %s", r.body)
			assert.Contains(t, r.Header.Get("WWW-Authenticate"), `Digest realm="MMS Public API"`)
		})
	}
}

func TestEveryResponseCarriesAtlasSecurityHeaders(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	for name, r := range map[string]response{
		"a success":         a.get("/api/atlas/v2/groups/" + stub.Credentials.ProjectId),
		"a 204":             a.delete("/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/apiKeys/" + createOrgAPIKey(t, a)),
		"an error":          a.get("/api/atlas/v2/groups/111111111111111111111111"),
		"a 401":             a.anonymous().get("/api/atlas/v2/groups"),
		"an unknown path":   a.get("/nowhere"),
		"the token":         postToken(t, stub, stub.Credentials.ServiceAccount.ClientId, stub.Credentials.ServiceAccount.ClientSecret, "grant_type=client_credentials"),
		"the control API":   a.anonymous().get("/_stub/clock"),
		"a legacy v1.0 GET": a.get("/api/atlas/v1.0/groups/" + stub.Credentials.ProjectId + "/userSecurity"),
	} {
		t.Run(name, func(t *testing.T) {
			for header, want := range map[string]string{
				"X-Content-Type-Options":            "nosniff",
				"X-Frame-Options":                   "DENY",
				"Referrer-Policy":                   "strict-origin-when-cross-origin",
				"X-Permitted-Cross-Domain-Policies": "none",
			} {
				assert.Equal(t, want, r.Header.Get(header), header)
			}
		})
	}
}

// createOrgAPIKey creates an organization API key and returns its id.
func createOrgAPIKey(t *testing.T, a *api) string {
	t.Helper()
	r := a.post("/api/atlas/v2/orgs/"+a.stub.Credentials.OrgId+"/apiKeys", map[string]any{"desc": "headers", "roles": []string{"ORG_MEMBER"}})
	requireStatus(t, http.StatusOK, r)
	return r.object(t)["id"].(string)
}
