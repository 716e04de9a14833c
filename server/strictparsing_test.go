package server_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestOAuthEndpointsRefuseRepeatedParameters: RFC 6749 §3.1 forbids a parameter twice in a
// request to the token or revoke endpoint, whatever the values; a pair that does not unescape
// is refused too. Either is 400 invalid_request, and mints or revokes nothing.
func TestOAuthEndpointsRefuseRepeatedParameters(t *testing.T) {
	stub := stubtest.New(t)
	sa := stub.Credentials.ServiceAccount
	for _, form := range []string{
		"grant_type=client_credentials&grant_type=client_credentials",
		"grant_type=client_credentials&grant_type=password",
		"grant_type=client_credentials&scope=a&scope=b",
		"grant_type=%ZZ",
		"grant_type=client_credentials;scope=a",
	} {
		requireOAuthError(t, http.StatusBadRequest, "invalid_request", "The provided credentials are not valid.", postToken(t, stub, sa.ClientId, sa.ClientSecret, form))
	}

	token := mintToken(t, stub, sa.ClientId, sa.ClientSecret)
	form := url.Values{"token": {token, token}}.Encode()
	requireOAuthError(t, http.StatusBadRequest, "invalid_request", "The provided credentials are not valid.", postOAuth(t, stub, "/api/oauth/revoke", sa.ClientId, sa.ClientSecret, form))
	r := newAPI(t, stub).anonymous().get("/api/atlas/v2/groups", "Authorization", "Bearer "+token)
	requireStatus(t, http.StatusOK, r)
}

// TestJSONBodiesAreOneValue: data after a body's JSON value is 400 MALFORMED_JSON, and the
// request does nothing; whitespace after it, such as the newline of a file, is fine.
func TestJSONBodiesAreOneValue(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	project := `{"name": "once", "orgId": "` + stub.Credentials.OrgId + `"}`
	for _, trailing := range []string{" xyz", `{"name": "twice"}`, "}", ",", " 1", "\n\x00"} {
		r := a.post("/api/atlas/v2/groups", project+trailing)
		e := requireAPIError(t, http.StatusBadRequest, "MALFORMED_JSON", r)
		assert.Contains(t, e["detail"], "data after the JSON value", "%q", trailing)
	}
	requireAPIError(t, http.StatusNotFound, "GROUP_NAME_NOT_FOUND", a.get("/api/atlas/v2/groups/byName/once"))
	requireAPIError(t, http.StatusBadRequest, "MALFORMED_JSON", a.post("/_stub/clock/advance", `{"duration": "1h"} {"duration": "2h"}`))
	assert.Equal(t, float64(0), a.get("/_stub/clock").object(t)["offsetSeconds"])

	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups", " \t"+project+"\r\n \n"))
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/byName/once"))
}
