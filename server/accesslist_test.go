package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

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
