package server_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestTheEleventhTokenOfAMinuteIsRateLimited is the token endpoint's limit as Atlas answers it:
// ten tokens a minute per caller address and service account, then 429 RATE_LIMITED in Atlas's
// ApiError shape with Retry-After; a minute of the stub's clock later, the next is let through.
func TestTheEleventhTokenOfAMinuteIsRateLimited(t *testing.T) {
	stub := stubtest.New(t)
	sa := stub.Credentials.ServiceAccount
	for range 10 {
		requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
	}
	stub.Advance(20 * time.Second)
	refused := postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials")
	requireAPIError(t, http.StatusTooManyRequests, "RATE_LIMITED", refused)
	assert.JSONEq(t, `{"error":429,"errorCode":"RATE_LIMITED","reason":"Too Many Requests",
		"detail":"Resource /api/oauth/token is limited to 10 requests every 1 minutes.",
		"parameters":["/api/oauth/token",10,1]}`, string(refused.body))
	assert.Equal(t, "40", refused.Header.Get("Retry-After"), "the window opened with the first token, 20 seconds ago")
	assert.Empty(t, refused.Header.Get(limits.HeaderLimit), "errors carry no Ratelimit headers")

	stub.Advance(39 * time.Second)
	requireAPIError(t, http.StatusTooManyRequests, "RATE_LIMITED", postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
	stub.Advance(time.Second)
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
}

// TestTheTokenLimitCountsPerServiceAccount: another account has a budget of its own; and the
// limit runs before authentication, so requests with a wrong secret use up the account's budget
// as Atlas's guard against guessing must.
func TestTheTokenLimitCountsPerServiceAccount(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub) // mints the first token of the bootstrap account
	other := createAccount(t, a, "ORG_MEMBER")
	sa := stub.Credentials.ServiceAccount
	for range 9 {
		requireStatus(t, http.StatusUnauthorized, postToken(t, stub, sa.ClientId, "mdb_sa_sk_wrong", "grant_type=client_credentials"))
	}
	requireAPIError(t, http.StatusTooManyRequests, "RATE_LIMITED", postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
	requireStatus(t, http.StatusOK, postToken(t, stub, other.ClientID, other.Secrets[0].Secret, "grant_type=client_credentials"))
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId)) // a token minted before keeps working
}

// TestSuccessesCarryTheirFamilysLimit: every v2 success says its family's limit and what is left
// of it in the caller's window; errors, the token endpoint and the legacy paths carry none.
func TestSuccessesCarryTheirFamilysLimit(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	org, project, key := stub.Credentials.OrgId, stub.Credentials.ProjectId, stub.Credentials.ApiKey.Id
	for path, limit := range map[string]string{
		"/api/atlas/v2/orgs":                                            "300",
		"/api/atlas/v2/orgs/" + org:                                     "500",
		"/api/atlas/v2/orgs/" + org + "/apiKeys":                        "500",
		"/api/atlas/v2/orgs/" + org + "/apiKeys/" + key + "/accessList": "500",
		"/api/atlas/v2/groups/" + project:                               "1200",
		"/api/atlas/v2/groups/" + project + "/apiKeys":                  "1200",
		"/api/atlas/v2/groups/" + project + "/databaseUsers":            "10000",
		"/api/atlas/v2/orgs/" + org + "/serviceAccounts":                "2000",
		"/api/atlas/v2/orgs/" + org + "/settings":                       "2000",
	} {
		t.Run(path, func(t *testing.T) {
			r := a.get(path)
			requireStatus(t, http.StatusOK, r)
			assert.Equal(t, limit, r.Header.Get(limits.HeaderLimit))
			remaining, err := strconv.Atoi(r.Header.Get(limits.HeaderRemaining))
			require.NoError(t, err)
			want, _ := strconv.Atoi(limit)
			assert.Less(t, remaining, want)
		})
	}

	first := a.get("/api/atlas/v2/groups/" + project)
	second := a.get("/api/atlas/v2/groups/" + project)
	assert.Equal(t, 1, remaining(t, first)-remaining(t, second), "each request uses one")
	other := createProject(t, a, "other")
	assert.Equal(t, "1199", a.get("/api/atlas/v2/groups/"+other).Header.Get(limits.HeaderRemaining), "each project has a budget of its own")

	for name, r := range map[string]response{
		"an error":       a.get("/api/atlas/v2/groups/000000000000000000000000"),
		"a token":        postToken(t, stub, stub.Credentials.ServiceAccount.ClientId, stub.Credentials.ServiceAccount.ClientSecret, "grant_type=client_credentials"),
		"the v1.0 paths": a.get("/api/atlas/v1.0/groups/" + project + "/userSecurity"),
	} {
		assert.Less(t, r.StatusCode, 500, name)
		assert.Empty(t, r.Header.Get(limits.HeaderLimit), name)
		assert.Empty(t, r.Header.Get(limits.HeaderRemaining), name)
	}
}

func remaining(t *testing.T, r response) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get(limits.HeaderRemaining))
	require.NoError(t, err, "Ratelimit-Remaining of %s %s", r.Request.Method, r.Request.URL)
	return n
}

// TestAFamilysBudgetRunsOut: listing organizations, the smallest family (300 a minute), answers
// 429 RATE_LIMITED once its budget is used up, until its window ends on the stub's clock.
func TestAFamilysBudgetRunsOut(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	var last response
	for range 300 {
		last = a.get("/api/atlas/v2/orgs")
		requireStatus(t, http.StatusOK, last)
	}
	assert.Equal(t, "0", last.Header.Get(limits.HeaderRemaining))
	refused := a.get("/api/atlas/v2/orgs")
	e := requireAPIError(t, http.StatusTooManyRequests, "RATE_LIMITED", refused)
	assert.Equal(t, "Resource /api/atlas/v2/orgs is limited to 300 requests every 1 minutes.", e["detail"])
	retryAfter, err := strconv.Atoi(refused.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.True(t, retryAfter >= 1 && retryAfter <= 60, "Retry-After %d", retryAfter)
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/orgs/"+stub.Credentials.OrgId)) // another family is untouched

	stub.Advance(time.Duration(retryAfter) * time.Second)
	assert.Equal(t, "299", a.get("/api/atlas/v2/orgs").Header.Get(limits.HeaderRemaining))
}

// TestAtlasLimitsOperationsThatDeclareNo429: the project IP access list, served by the engine
// from the official specification, declares no 429, yet Atlas limits it (500 a minute). The
// stub, strict here, answers the limit's 429 rather than report its own answer as a contract
// violation.
func TestAtlasLimitsOperationsThatDeclareNo429(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	accessList := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "/accessList"
	for range 500 {
		requireStatus(t, http.StatusOK, a.get(accessList))
	}
	requireAPIError(t, http.StatusTooManyRequests, "RATE_LIMITED", a.get(accessList))
}

// TestResetEndsTheWindows: POST /_stub/reset drops the rate limits' windows with the rest of the
// state.
func TestResetEndsTheWindows(t *testing.T) {
	stub := stubtest.New(t)
	sa := stub.Credentials.ServiceAccount
	for range 10 {
		mintToken(t, stub, sa.ClientId, sa.ClientSecret)
	}
	requireAPIError(t, http.StatusTooManyRequests, "RATE_LIMITED", postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
	res, err := http.Post(stub.URL+"/_stub/reset", "", nil)
	require.NoError(t, err)
	res.Body.Close()
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
}

// TestRateLimitsOff lets every request through, and says nothing of limits.
func TestRateLimitsOff(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithRateLimits(limits.Off))
	sa := stub.Credentials.ServiceAccount
	for range 11 {
		mintToken(t, stub, sa.ClientId, sa.ClientSecret)
	}
	r := newAPI(t, stub).get("/api/atlas/v2/orgs")
	requireStatus(t, http.StatusOK, r)
	assert.Empty(t, r.Header.Get(limits.HeaderLimit))
}
