package server_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestAccessListEntriesNamedWithEscapedColons: clients that escape every reserved character
// (url.QueryEscape, Python's quote(safe="")) send an IPv6 entry's colons as %3A. The path names
// the same entry as with the colons as they are.
func TestAccessListEntriesNamedWithEscapedColons(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	orgID, gid := stub.Credentials.OrgId, stub.Credentials.ProjectId
	ipv6 := []map[string]any{{"cidrBlock": "::1/128"}, {"cidrBlock": "2001:db8::/32"}, {"ipAddress": "2001:db8:1::7"}}

	key := createOrgKey(t, a, "ORG_MEMBER")
	keyList := "/api/atlas/v2/orgs/" + orgID + "/apiKeys/" + key.ID + "/accessList/"
	requireStatus(t, http.StatusOK, a.post(keyList[:len(keyList)-1], ipv6))
	for _, name := range []string{"::1%2F128", "%3A%3A1%2F128", "%3a%3a1%2f128", "::1"} {
		assert.Equal(t, "::1/128", a.get(keyList + name).object(t)["cidrBlock"], name)
	}
	requireStatus(t, http.StatusNoContent, a.delete(keyList+"2001%3Adb8%3A%3A%2F32"))
	requireStatus(t, http.StatusNoContent, a.delete(keyList+"2001%3Adb8%3A1%3A%3A7"))
	requireAPIError(t, http.StatusNotFound, "ACCESS_LIST_ENTRY_NOT_FOUND", a.get(keyList+"2001%3Adb8%3A%3A%2F32"))
	requireAPIError(t, http.StatusBadRequest, "INVALID_PATH_PARAMETER", a.get(keyList+"%3Cscript%3E"))

	account := createAccount(t, a, "ORG_MEMBER")
	orgList := "/api/atlas/v2/orgs/" + orgID + "/serviceAccounts/" + account.ClientID + "/accessList"
	requireStatus(t, http.StatusOK, a.post(orgList, ipv6))
	requireStatus(t, http.StatusNoContent, a.delete(orgList+"/%3A%3A1%2F128"))
	requireStatus(t, http.StatusNoContent, a.delete(orgList+"/2001%3Adb8%3A1%3A%3A7"))

	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/groups/"+gid+"/serviceAccounts/"+account.ClientID+":invite", map[string]any{"roles": []string{"GROUP_READ_ONLY"}}))
	projectList := "/api/atlas/v2/groups/" + gid + "/serviceAccounts/" + account.ClientID + "/accessList"
	requireStatus(t, http.StatusNoContent, a.delete(projectList+"/2001%3Adb8%3A%3A%2F32"))
	assert.Equal(t, float64(0), a.get(projectList).object(t)["totalCount"])
}

// TestAServiceAccountCannotRemoveItsOwnAddress: on the organization's paths and on the project's,
// a service account cannot remove from its own list the entry that lets its address in; it can
// remove the others, and another caller can remove that one.
func TestAServiceAccountCannotRemoveItsOwnAddress(t *testing.T) {
	stub := stubtest.New(t)
	admin := newAPI(t, stub)
	orgID, gid := stub.Credentials.OrgId, stub.Credentials.ProjectId
	entries := []map[string]any{{"cidrBlock": "127.0.0.0/8"}, {"ipAddress": "192.0.2.1"}}

	orgOwner := createAccount(t, admin, "ORG_OWNER")
	orgList := "/api/atlas/v2/orgs/" + orgID + "/serviceAccounts/" + orgOwner.ClientID + "/accessList/"
	projectOwner := projectAccount(t, admin, gid, "GROUP_OWNER")
	projectList := "/api/atlas/v2/groups/" + gid + "/serviceAccounts/" + projectOwner.ClientID + "/accessList/"
	for name, c := range map[string]struct {
		account serviceAccount
		list    string
	}{
		"organization path": {orgOwner, orgList},
		"project path":      {projectOwner, projectList},
	} {
		t.Run(name, func(t *testing.T) {
			requireStatus(t, http.StatusOK, admin.post("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+c.account.ClientID+"/accessList", entries))
			self := asAccount(t, stub, c.account)
			e := requireAPIError(t, http.StatusBadRequest, "CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST", self.delete(c.list+"127.0.0.0%2F8"))
			assert.Equal(t, []any{"127.0.0.1"}, e["parameters"])
			requireStatus(t, http.StatusNoContent, self.delete(c.list+"192.0.2.1"))
			requireStatus(t, http.StatusNoContent, admin.delete(c.list+"127.0.0.0%2F8"))
		})
	}
}

// onIPv6Loopback serves the stub on a listener of [::1] as well, and returns it with that URL.
func onIPv6Loopback(t *testing.T, stub *stubtest.Stub, listener net.Listener) *stubtest.Stub {
	ts := httptest.NewUnstartedServer(stub.Server)
	require.NoError(t, ts.Listener.Close())
	ts.Listener = listener
	ts.Start()
	t.Cleanup(ts.Close)
	require.True(t, strings.HasPrefix(ts.URL, "http://[::1]:"), ts.URL)
	onIPv6 := *stub
	onIPv6.URL = ts.URL
	return &onIPv6
}

// TestIPv6CallersAndIPv6AccessLists runs a stub on [::1] and calls it from there: IPv6 entries
// let the caller in or keep it out as IPv4 entries do, and count and name its address.
func TestIPv6CallersAndIPv6AccessLists(t *testing.T) {
	listener, err := net.Listen("tcp6", "[::1]:0")
	if errors.Is(err, syscall.EAFNOSUPPORT) {
		t.Skipf("this kernel has no IPv6: %v", err)
	}
	require.NoError(t, err, "listen on [::1]")
	stub := onIPv6Loopback(t, stubtest.New(t), listener)
	admin := newAPI(t, stub)
	orgID := stub.Credentials.OrgId
	orgPath := "/api/atlas/v2/orgs/" + orgID

	allowed := createOrgKey(t, admin, "ORG_OWNER")
	allowedList := orgPath + "/apiKeys/" + allowed.ID + "/accessList"
	requireStatus(t, http.StatusOK, admin.post(allowedList, []map[string]any{{"ipAddress": "::1"}, {"cidrBlock": "2001:db8::/32"}}))
	key := asKey(t, stub, allowed, "::1")
	requireStatus(t, http.StatusOK, key.get(orgPath))
	entry := admin.get(allowedList + "/::1").object(t)
	assert.Equal(t, "::1/128", entry["cidrBlock"])
	assert.Equal(t, "::1", entry["lastUsedAddress"])
	assert.Equal(t, float64(1), entry["count"])
	e := requireAPIError(t, http.StatusBadRequest, "CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST", key.delete(allowedList+"/%3A%3A1"))
	assert.Equal(t, []any{"::1"}, e["parameters"])

	for _, outside := range [][]map[string]any{{{"cidrBlock": "2001:db8::/32"}}, {{"ipAddress": "127.0.0.1"}}} {
		refused := createOrgKey(t, admin, "ORG_OWNER")
		requireStatus(t, http.StatusOK, admin.post(orgPath+"/apiKeys/"+refused.ID+"/accessList", outside))
		e := requireAPIError(t, http.StatusForbidden, "IP_ADDRESS_NOT_ON_ACCESS_LIST", asKey(t, stub, refused, "::1").get(orgPath))
		assert.Equal(t, []any{"::1"}, e["parameters"])
	}

	account := createAccount(t, admin, "ORG_MEMBER")
	requireStatus(t, http.StatusOK, admin.post(orgPath+"/serviceAccounts/"+account.ClientID+"/accessList", []map[string]any{{"cidrBlock": "::/0"}}))
	requireStatus(t, http.StatusOK, asAccount(t, stub, account).get(orgPath))
}
