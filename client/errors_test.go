package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

func TestAtlasErrorBecomesAPIError(t *testing.T) {
	for _, kind := range authKinds {
		t.Run(kind.name, func(t *testing.T) {
			c, _, _ := newStubClient(t, kind.option)
			const unknown = "0123456789abcdef01234567"
			_, err := c.GetGroup(context.Background(), unknown, nil)

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
			assert.Equal(t, "GROUP_NOT_FOUND", apiErr.ErrorCode)
			assert.Equal(t, "No group with ID "+unknown+" exists.", apiErr.Detail)
			assert.Equal(t, "Not Found", apiErr.Reason)
			assert.Equal(t, []any{unknown}, apiErr.Parameters)
			assert.Nil(t, apiErr.BadRequestDetail)
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.True(t, strings.HasSuffix(apiErr.URL, "/api/atlas/v2/groups/"+unknown), apiErr.URL)
			assert.Equal(t, "GET "+apiErr.URL+": 404 GROUP_NOT_FOUND: No group with ID "+unknown+" exists.", err.Error())
			assert.True(t, IsErrorCode(err, "GROUP_NOT_FOUND"))
			assert.False(t, IsErrorCode(err, "USERNAME_NOT_FOUND"))
			assert.True(t, IsStatus(err, http.StatusNotFound))
		})
	}
}

// TestBadRequestDetail sends a request that breaks the contract on purpose: the validating
// transport must see the violation, and the stub's 400 must list it.
func TestBadRequestDetail(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	spec.expectViolation("createGroupDatabaseUserCert")
	_, err := c.CreateGroupDatabaseUserCert(context.Background(), stub.Credentials.ProjectId, "alice", nil,
		atlasapi.UserCert{MonthsUntilExpiration: ptr(int32(25))})

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "CERT_EXPIRY_CANNOT_EXCEED_TWO_YEARS", apiErr.ErrorCode)
	require.NotNil(t, apiErr.BadRequestDetail)
	require.Len(t, apiErr.BadRequestDetail.Fields, 1)
	assert.Equal(t, "monthsUntilExpiration", apiErr.BadRequestDetail.Fields[0].Field)
	assert.NotEmpty(t, apiErr.BadRequestDetail.Fields[0].Description)
	assert.Contains(t, err.Error(), "(monthsUntilExpiration: "+apiErr.BadRequestDetail.Fields[0].Description+")")

	violations := spec.violationsOf("createGroupDatabaseUserCert")
	require.Len(t, violations, 1, "the client's validator saw the violation too")
	assert.Contains(t, violations[0], "monthsUntilExpiration")
}

func TestTokenEndpointErrorSurfacesRFC6749Error(t *testing.T) {
	stub := newTestStub(t)
	spec := newSpecTransport(t)
	c, err := New(stub.URL, WithHTTPClient(&http.Client{Transport: spec}),
		WithServiceAccount(stub.Credentials.ServiceAccount.ClientId, "mdb_sa_sk_not-the-secret"))
	require.NoError(t, err)

	t.Run("minting a token for a call", func(t *testing.T) {
		_, err := c.GetGroup(context.Background(), stub.Credentials.ProjectId, nil)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, "through the *url.Error of the transport")
		assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
		assert.Equal(t, "invalid_client", apiErr.ErrorCode)
		assert.Equal(t, "Invalid credentials provided.", apiErr.Detail)
		assert.Equal(t, http.MethodPost, apiErr.Method)
		assert.True(t, strings.HasSuffix(apiErr.URL, "/api/oauth/token"), apiErr.URL)
		assert.True(t, IsErrorCode(err, "invalid_client"))
		assert.Zero(t, spec.count("getGroup"), "no call without a token")
	})
	t.Run("createOAuthToken", func(t *testing.T) {
		_, err := c.CreateOAuthToken(context.Background(), stub.Credentials.ServiceAccount.ClientId, "mdb_sa_sk_not-the-secret")
		assert.True(t, IsErrorCode(err, "invalid_client"), "%v", err)
		assert.EqualError(t, err, "POST "+stub.URL+"/api/oauth/token: 401 invalid_client: Invalid credentials provided.")
	})
}

// TestTokenEndpointRateLimit: Atlas answers a rate-limited token request in its own ApiError
// shape. The token request is retried with the client's policy, a POST though it is; when the
// attempts run out, the error is Atlas's.
func TestTokenEndpointRateLimit(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"detail":"Resource /api/oauth/token is limited to 10 requests every 1 minutes.","error":429,` +
			`"errorCode":"RATE_LIMITED","parameters":["/api/oauth/token",10,1],"reason":"Too Many Requests"}`))
	}))
	t.Cleanup(server.Close)
	for policy, attempts := range map[RetryPolicy]int{{}: 4, {MaxAttempts: 1}: 1} {
		spec := newSpecTransport(t).requestsOnly()
		c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: spec}), WithServiceAccount("mdb_sa_id_0123456789abcdef01234567", "mdb_sa_sk_x"), WithRetryPolicy(policy))
		require.NoError(t, err)
		var waits []time.Duration
		c.tokenRetries.sleep = func(_ context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		}

		_, err = c.ListGroups(context.Background(), nil)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "RATE_LIMITED", apiErr.ErrorCode)
		assert.Equal(t, []any{"/api/oauth/token", float64(10), float64(1)}, apiErr.Parameters)
		assert.Equal(t, attempts, spec.count("createOAuthToken"), "%+v", policy)
		assert.Len(t, waits, attempts-1, "%+v", policy)
		assert.Zero(t, spec.count("listGroups"), "no call without a token")
	}
}

func TestNonJSONErrorIsStillAnAPIError(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>\n  <body>upstream\tunavailable</body>\n</html>\n"))
	}))
	t.Cleanup(server.Close)
	spec := newSpecTransport(t).requestsOnly()
	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: spec}), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)

	_, err = c.ListOrgs(context.Background(), nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Empty(t, apiErr.ErrorCode)
	assert.Equal(t, "Bad Gateway", apiErr.Reason)
	assert.Equal(t, "<html> <body>upstream unavailable</body> </html>", apiErr.Detail)
	assert.EqualError(t, err, "GET "+server.URL+"/api/atlas/v2/orgs: 502 Bad Gateway: <html> <body>upstream unavailable</body> </html>")
}

func TestNewAPIErrorReadsEveryShape(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "https://user:pass@cloud.mongodb.com/api/atlas/v2/groups", nil)
	response := func(status int) *http.Response { return &http.Response{StatusCode: status, Request: req} }

	t.Run("JSON that is no error document", func(t *testing.T) {
		e := newAPIError(response(http.StatusBadRequest), []byte(`{"message":"Bad Request"}`))
		assert.Empty(t, e.ErrorCode)
		assert.Equal(t, `{"message":"Bad Request"}`, e.Detail)
		assert.Equal(t, "https://user:xxxxx@cloud.mongodb.com/api/atlas/v2/groups", e.URL, "no password in errors")
	})
	t.Run("a long body", func(t *testing.T) {
		e := newAPIError(response(http.StatusServiceUnavailable), []byte("x"+strings.Repeat("é", 600)))
		assert.True(t, strings.HasSuffix(e.Detail, "..."))
		assert.LessOrEqual(t, len(e.Detail), maxDetailOfText+len("..."))
		assert.True(t, utf8.ValidString(e.Detail), "cut between characters")
	})
	t.Run("an empty body", func(t *testing.T) {
		e := newAPIError(response(http.StatusForbidden), nil)
		assert.Equal(t, "POST https://user:xxxxx@cloud.mongodb.com/api/atlas/v2/groups: 403 Forbidden", e.Error())
	})
	t.Run("several violations", func(t *testing.T) {
		e := newAPIError(response(http.StatusBadRequest), []byte(`{"error":400,"errorCode":"INVALID_ATTRIBUTE","detail":"Invalid attribute name specified.",`+
			`"reason":"Bad Request","badRequestDetail":{"fields":[{"field":"name","description":"too long"},{"field":"orgId","description":"missing"}]}}`))
		assert.Equal(t, "POST https://user:xxxxx@cloud.mongodb.com/api/atlas/v2/groups: 400 INVALID_ATTRIBUTE: Invalid attribute name specified. "+
			"(name: too long; orgId: missing)", e.Error())
	})
	t.Run("wrapped", func(t *testing.T) {
		err := errors.Join(errors.New("context"), newAPIError(response(http.StatusConflict), []byte(`{"error":409,"errorCode":"GROUP_ALREADY_EXISTS"}`)))
		assert.True(t, IsErrorCode(err, "GROUP_ALREADY_EXISTS"))
		assert.True(t, IsStatus(err, http.StatusConflict))
		assert.False(t, IsStatus(errors.New("plain"), http.StatusConflict))
	})
}
