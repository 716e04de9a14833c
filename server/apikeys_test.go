package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// apiKey is a created key with its credentials.
type apiKey struct {
	ID         string `json:"id"`
	PublicKey  string `json:"publicKey"`
	PrivateKey string `json:"privateKey"`
}

func createOrgKey(t *testing.T, a *api, roles ...string) apiKey {
	t.Helper()
	r := a.post("/api/atlas/v2/orgs/"+a.stub.Credentials.OrgId+"/apiKeys", map[string]any{"desc": "test key", "roles": roles})
	requireStatus(t, http.StatusOK, r)
	var k apiKey
	r.json(t, &k)
	return k
}

// bootstrapKey is the bootstrap API key, an ORG_OWNER.
func bootstrapKey(stub *stubtest.Stub) apiKey {
	k := stub.Credentials.ApiKey
	return apiKey{ID: k.Id, PublicKey: k.PublicKey, PrivateKey: k.PrivateKey}
}

// asKey sends requests with an API key over Digest, from the loopback address from.
func asKey(t *testing.T, stub *stubtest.Stub, k apiKey, from string) *api {
	a := newAPI(t, stub).anonymous()
	a.client = &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(k.PublicKey, k.PrivateKey, transportFrom(from))}
	return a
}

// transportFrom dials the stub from another loopback address, such as 127.0.0.2.
func transportFrom(addr string) http.RoundTripper {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}}
	return &http.Transport{DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, address)
	}}
}

func TestOrgAPIKeys(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	keys := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/apiKeys"

	created := a.post(keys, map[string]any{"desc": "Terraform", "roles": []string{"ORG_MEMBER"}})
	requireStatus(t, http.StatusOK, created)
	var k struct {
		apiKey
		Desc  string
		Roles []map[string]string
	}
	created.json(t, &k)
	assert.Regexp(t, `^[a-z]{8}$`, k.PublicKey)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, k.PrivateKey, "shown in full once")
	assert.Equal(t, []map[string]string{{"orgId": stub.Credentials.OrgId, "roleName": "ORG_MEMBER"}}, k.Roles)

	got := a.get(keys + "/" + k.ID).object(t)
	assert.Equal(t, "********-****-****-"+k.PrivateKey[24:], got["privateKey"], "redacted afterwards")
	assert.Equal(t, float64(2), a.get(keys).object(t)["totalCount"], "with the bootstrap key")
	assert.NotContains(t, string(a.get(keys).body), k.PrivateKey)

	updated := a.patch(keys+"/"+k.ID, map[string]any{"roles": []string{"ORG_READ_ONLY"}}).object(t)
	assert.Equal(t, "Terraform", updated["desc"], "a PATCH keeps what it does not name")
	assert.Equal(t, "ORG_READ_ONLY", updated["roles"].([]any)[0].(map[string]any)["roleName"])
	requireAPIError(t, http.StatusBadRequest, "MISSING_ATTRIBUTE", a.patch(keys+"/"+k.ID, map[string]any{}))
	requireAPIError(t, http.StatusBadRequest, "MISSING_API_KEY_ROLES", a.patch(keys+"/"+k.ID, map[string]any{"roles": []string{}}))
	requireAPIError(t, http.StatusBadRequest, "INVALID_ENUM_VALUE", a.post(keys, map[string]any{"desc": "x", "roles": []string{"GROUP_OWNER"}}))
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", a.post(keys, map[string]any{"desc": "", "roles": []string{"ORG_MEMBER"}}))

	// The new key authenticates with Digest until it is deleted.
	requireStatus(t, http.StatusOK, asKey(t, stub, k.apiKey, "127.0.0.1").get("/api/atlas/v2/orgs/"+stub.Credentials.OrgId))
	requireStatus(t, http.StatusNoContent, a.delete(keys+"/"+k.ID))
	requireAPIError(t, http.StatusBadRequest, "API_KEY_NOT_FOUND", a.get(keys+"/"+k.ID))
	requireUnauthenticated(t, asKey(t, stub, k.apiKey, "127.0.0.1").get("/api/atlas/v2/orgs/"+stub.Credentials.OrgId))
}

func TestProjectAPIKeys(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	projectKeys := "/api/atlas/v2/groups/" + gid + "/apiKeys"

	created := a.post(projectKeys, map[string]any{"desc": "project automation", "roles": []string{"GROUP_READ_ONLY"}})
	requireStatus(t, http.StatusOK, created)
	var k apiKey
	created.json(t, &k)
	requireAPIError(t, http.StatusBadRequest, "INVALID_ROLE_FOR_GROUP", a.post(projectKeys, map[string]any{"desc": "x", "roles": []string{"ORG_OWNER"}}))

	list := a.get(projectKeys).object(t)
	require.Len(t, list["results"], 1, "the bootstrap key owns the project through its org role, not an assignment")

	reader := asKey(t, stub, k, "127.0.0.1")
	requireStatus(t, http.StatusOK, reader.get("/api/atlas/v2/groups/"+gid))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", reader.delete("/api/atlas/v2/groups/"+gid))

	// An organization key is assigned to the project, its roles are replaced, then it is removed.
	orgKey := createOrgKey(t, a, "ORG_MEMBER")
	other := asKey(t, stub, orgKey, "127.0.0.1")
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", other.get("/api/atlas/v2/groups/"+gid))
	requireStatus(t, http.StatusNoContent, a.post(projectKeys+"/"+orgKey.ID, []map[string]any{{"roles": []string{"GROUP_OWNER"}}}))
	requireStatus(t, http.StatusOK, other.get("/api/atlas/v2/groups/"+gid))
	updated := a.patch(projectKeys+"/"+orgKey.ID, map[string]any{"roles": []string{"GROUP_READ_ONLY"}})
	requireStatus(t, http.StatusOK, updated)
	assert.Contains(t, string(updated.body), `"groupId":"`+gid+`","roleName":"GROUP_READ_ONLY"`)
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", other.patch("/api/atlas/v2/groups/"+gid, map[string]any{"name": "renamed"}))
	requireAPIError(t, http.StatusBadRequest, "MISSING_API_KEY_ROLES", a.patch(projectKeys+"/"+orgKey.ID, map[string]any{"roles": []string{}}))
	requireStatus(t, http.StatusNoContent, a.delete(projectKeys+"/"+orgKey.ID))
	requireAPIError(t, http.StatusBadRequest, "API_KEY_NOT_FOUND", a.delete(projectKeys+"/"+orgKey.ID))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", other.get("/api/atlas/v2/groups/"+gid))
}

// TestProjectAPIKeysListTheirOrganizationMembership: live Atlas lists a project key's
// organization role, ORG_MEMBER, beside its project role, wherever it shows the key: creating it,
// listing the project's keys, after assigning it to another project, and in the organization's
// listing of the same key.
func TestProjectAPIKeysListTheirOrganizationMembership(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	org, gid := stub.Credentials.OrgId, stub.Credentials.ProjectId
	member := map[string]any{"orgId": org, "roleName": "ORG_MEMBER"}
	readOnly := map[string]any{"groupId": gid, "roleName": "GROUP_READ_ONLY"}

	created := a.post("/api/atlas/v2/groups/"+gid+"/apiKeys", map[string]any{"desc": "project key", "roles": []string{"GROUP_READ_ONLY"}})
	requireStatus(t, http.StatusOK, created)
	key := created.object(t)
	assert.Equal(t, []any{member, readOnly}, key["roles"])

	listed := a.get("/api/atlas/v2/groups/" + gid + "/apiKeys").object(t)["results"].([]any)
	require.Len(t, listed, 1)
	assert.Equal(t, []any{member, readOnly}, listed[0].(map[string]any)["roles"])

	other := createProject(t, a, "second home")
	requireStatus(t, http.StatusNoContent, a.post("/api/atlas/v2/groups/"+other+"/apiKeys/"+key["id"].(string), []map[string]any{{"roles": []string{"GROUP_OWNER"}}}))
	inOrg := a.get("/api/atlas/v2/orgs/" + org + "/apiKeys/" + key["id"].(string)).object(t)
	assert.ElementsMatch(t, []any{member, readOnly, map[string]any{"groupId": other, "roleName": "GROUP_OWNER"}}, inOrg["roles"])
	var orgListing []any
	for _, k := range a.get("/api/atlas/v2/orgs/" + org + "/apiKeys").object(t)["results"].([]any) {
		if k.(map[string]any)["id"] == key["id"] {
			orgListing = k.(map[string]any)["roles"].([]any)
		}
	}
	assert.Equal(t, inOrg["roles"], orgListing)

	// A key with an organization role of its own lists that one only.
	owner := a.get("/api/atlas/v2/orgs/" + org + "/apiKeys/" + stub.Credentials.ApiKey.Id).object(t)
	assert.Equal(t, []any{map[string]any{"orgId": org, "roleName": "ORG_OWNER"}}, owner["roles"])
}

func TestAPIKeyAccessLists(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	owner := createOrgKey(t, a, "ORG_OWNER")
	list := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/apiKeys/" + owner.ID + "/accessList"
	fromLocal, fromOther := asKey(t, stub, owner, "127.0.0.1"), asKey(t, stub, owner, "127.0.0.2")
	orgPath := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId

	requireStatus(t, http.StatusOK, fromOther.get(orgPath)) // no list, no requirement: any address

	added := a.post(list, []map[string]any{{"ipAddress": "127.0.0.1"}, {"cidrBlock": "10.0.0.0/8"}, {"cidrBlock": "2001:db8::/32"}})
	requireStatus(t, http.StatusOK, added)
	page := added.object(t)
	assert.Equal(t, float64(3), page["totalCount"])
	first := page["results"].([]any)[0].(map[string]any)
	assert.Equal(t, "127.0.0.1", first["ipAddress"])
	assert.Equal(t, "127.0.0.1/32", first["cidrBlock"], "an address is stored as its /32 block too")
	for _, entry := range page["results"].([]any) {
		assert.Equal(t, float64(0), entry.(map[string]any)["count"], "a new entry counts 0 requests, as live Atlas shows it")
	}
	for _, entry := range a.get(list).object(t)["results"].([]any) {
		assert.Equal(t, float64(0), entry.(map[string]any)["count"], "listed too, before any request")
	}

	requireStatus(t, http.StatusOK, fromLocal.get(orgPath))
	e := requireAPIError(t, http.StatusForbidden, "IP_ADDRESS_NOT_ON_ACCESS_LIST", fromOther.get(orgPath))
	assert.Equal(t, []any{"127.0.0.2"}, e["parameters"])
	assert.Equal(t, "IP address 127.0.0.2 is not allowed to access this resource.", e["detail"])

	entry := a.get(list + "/" + url.PathEscape("10.0.0.0/8")).object(t)
	assert.Equal(t, "10.0.0.0/8", entry["cidrBlock"])
	requireStatus(t, http.StatusOK, a.get(list+"/10.0.0.0%2F8"))
	used := a.get(list + "/127.0.0.1").object(t)
	assert.Equal(t, float64(1), used["count"], "the entry counts the request it let in")
	assert.Equal(t, "127.0.0.1", used["lastUsedAddress"])
	requireAPIError(t, http.StatusNotFound, "ACCESS_LIST_ENTRY_NOT_FOUND", a.get(list+"/192.0.2.1"))

	for code, body := range map[string][]map[string]any{
		"MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY": {{"ipAddress": "192.0.2.1", "cidrBlock": "192.0.2.0/24"}},
		"MISSING_ATTRIBUTE":                   {{}},
		"INVALID_IP_ADDRESS_OR_CIDR_NOTATION": {{"ipAddress": "not-an-ip"}},
		"INVALID_CIDR_BLOCK":                  {{"cidrBlock": "10.0.0.0"}},
		"DUPLICATE_ADDRESSES_IN_INPUT":        {{"ipAddress": "192.0.2.1"}, {"cidrBlock": "192.0.2.1/32"}},
	} {
		requireAPIError(t, http.StatusBadRequest, code, a.post(list, body))
	}
	requireAPIError(t, http.StatusConflict, "ADDRESS_ALREADY_IN_ACCESS_LIST", a.post(list, []map[string]any{{"cidrBlock": "10.0.0.0/8"}}))

	// The key cannot remove the entry that lets itself in; another caller can.
	e = requireAPIError(t, http.StatusBadRequest, "CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST", fromLocal.delete(list+"/127.0.0.1"))
	assert.Equal(t, []any{"127.0.0.1"}, e["parameters"])
	requireStatus(t, http.StatusNoContent, fromLocal.delete(list+"/"+url.PathEscape("10.0.0.0/8")))
	requireStatus(t, http.StatusNoContent, a.delete(list+"/127.0.0.1"))
	requireAPIError(t, http.StatusNotFound, "ACCESS_LIST_ENTRY_NOT_FOUND", a.delete(list+"/127.0.0.1"))
	requireAPIError(t, http.StatusForbidden, "IP_ADDRESS_NOT_ON_ACCESS_LIST", fromLocal.get(orgPath)) // only the IPv6 range is left
}

func TestOrganizationRequiresAccessLists(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	listed := createOrgKey(t, a, "ORG_OWNER")
	unlisted := createOrgKey(t, a, "ORG_OWNER")
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/apiKeys/"+listed.ID+"/accessList", []map[string]any{{"cidrBlock": "127.0.0.0/8"}}))
	requireStatus(t, http.StatusOK, asKey(t, stub, listed, "127.0.0.1").patch("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/settings", map[string]any{"apiAccessListRequired": true}))

	orgPath := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId
	requireStatus(t, http.StatusOK, asKey(t, stub, listed, "127.0.0.3").get(orgPath))
	e := requireAPIError(t, http.StatusForbidden, "ORG_REQUIRES_ACCESS_LIST", asKey(t, stub, unlisted, "127.0.0.1").get(orgPath))
	assert.Equal(t, []any{"127.0.0.1"}, e["parameters"])
	// Minting tokens is not subject to access lists; using them is.
	sa := stub.Credentials.ServiceAccount
	token := mintToken(t, stub, sa.ClientId, sa.ClientSecret)
	requireAPIError(t, http.StatusForbidden, "ORG_REQUIRES_ACCESS_LIST", a.anonymous().get(orgPath, "Authorization", "Bearer "+token))
}

func TestTrustForwardedFor(t *testing.T) {
	stub := stubtest.New(t, func(c *serverConfig) { c.TrustForwardedFor = true })
	a := newAPI(t, stub)
	k := createOrgKey(t, a, "ORG_OWNER")
	requireStatus(t, http.StatusOK, a.post(fmt.Sprintf("/api/atlas/v2/orgs/%s/apiKeys/%s/accessList", stub.Credentials.OrgId, k.ID), []map[string]any{{"ipAddress": "203.0.113.9"}}))
	key := asKey(t, stub, k, "127.0.0.1")
	orgPath := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId
	requireStatus(t, http.StatusOK, key.get(orgPath, "X-Forwarded-For", "203.0.113.9, 10.0.0.1"))
	e := requireAPIError(t, http.StatusForbidden, "IP_ADDRESS_NOT_ON_ACCESS_LIST", key.get(orgPath, "X-Forwarded-For", "198.51.100.7"))
	assert.Equal(t, []any{"198.51.100.7"}, e["parameters"])
	assert.True(t, strings.HasPrefix(stub.URL, "http://127.0.0.1:"))
}
