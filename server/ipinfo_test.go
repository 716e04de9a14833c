package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestIPInfoAnswersTheCallersAddress: clients ask GET /api/private/ipinfo, with their credentials
// and Accept: application/json, for the address to add to an access list; live Atlas answers
// {"currentIpv4Address": "<caller>"}.
func TestIPInfoAnswersTheCallersAddress(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	key := createOrgKey(t, a, "ORG_MEMBER")
	a.accept = "application/json" // as the MongoDB MCP server sends it
	address := func(r response) string {
		t.Helper()
		requireStatus(t, http.StatusOK, r)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		var info struct {
			CurrentIpv4Address string `json:"currentIpv4Address"`
		}
		r.json(t, &info)
		require.Len(t, r.object(t), 1, "%s", r.body)
		return info.CurrentIpv4Address
	}

	assert.Equal(t, "127.0.0.1", address(a.get("/api/private/ipinfo")), "with a service account's token")
	assert.Equal(t, "127.0.0.2", address(asKey(t, stub, key, "127.0.0.2").get("/api/private/ipinfo")), "with an API key over Digest, from another address")
	a.accept = ""
	assert.Equal(t, "127.0.0.1", address(a.get("/api/private/ipinfo")), "any Accept: the path has no versions")
	assert.Contains(t, string(a.get("/api/private/ipinfo?pretty=true").body), "{\n  \"currentIpv4Address\"")

	// It authenticates like every API path, and the credential's access list applies: its 403
	// names the address too.
	requireUnauthenticated(t, a.anonymous().get("/api/private/ipinfo"))
	a.accept = latestAccept
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/apiKeys/"+key.ID+"/accessList", []map[string]any{{"ipAddress": "127.0.0.2"}}))
	e := requireAPIError(t, http.StatusForbidden, "IP_ADDRESS_NOT_ON_ACCESS_LIST", asKey(t, stub, key, "127.0.0.3").get("/api/private/ipinfo"))
	assert.Equal(t, []any{"127.0.0.3"}, e["parameters"])
}

func TestIPInfoBehindATrustedProxy(t *testing.T) {
	stub := stubtest.New(t, func(c *serverConfig) { c.TrustForwardedFor = true })
	a := newAPI(t, stub)
	r := a.get("/api/private/ipinfo", "X-Forwarded-For", "203.0.113.9, 10.0.0.1")
	requireStatus(t, http.StatusOK, r)
	assert.Equal(t, "203.0.113.9", r.object(t)["currentIpv4Address"])
}
