package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestOrgReadOnlyReadsEverythingAndWritesNothing: ORG_READ_ONLY implies GROUP_READ_ONLY in every
// project of the organization, and nothing that writes.
func TestOrgReadOnlyReadsEverythingAndWritesNothing(t *testing.T) {
	stub := stubtest.New(t)
	admin := newAPI(t, stub)
	orgID, gid := stub.Credentials.OrgId, stub.Credentials.ProjectId
	other := createProject(t, admin, "other")
	reader := asKey(t, stub, createOrgKey(t, admin, "ORG_READ_ONLY"), "127.0.0.1")

	for _, path := range []string{
		"/api/atlas/v2/orgs/" + orgID,
		"/api/atlas/v2/orgs/" + orgID + "/settings",
		"/api/atlas/v2/orgs/" + orgID + "/serviceAccounts",
		"/api/atlas/v2/groups/" + gid,
		"/api/atlas/v2/groups/" + other + "/databaseUsers",
		"/api/atlas/v2/groups/" + other + "/serviceAccounts",
	} {
		requireStatus(t, http.StatusOK, reader.get(path))
	}
	assert.Equal(t, float64(2), reader.get("/api/atlas/v2/groups").object(t)["totalCount"], "it sees every project")

	user := map[string]any{"groupId": gid, "databaseName": "$external", "username": "refused", "x509Type": "MANAGED"}
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", reader.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", user))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", reader.patch("/api/atlas/v2/groups/"+other, map[string]any{"name": "renamed"}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", reader.patch("/api/atlas/v2/orgs/"+orgID+"/settings", map[string]any{"apiAccessListRequired": true}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", reader.post("/api/atlas/v2/orgs/"+orgID+"/apiKeys", map[string]any{"desc": "escalation", "roles": []string{"ORG_OWNER"}}))
	requireAPIError(t, http.StatusUnauthorized, "NOT_ORG_GROUP_CREATOR", reader.post("/api/atlas/v2/groups", map[string]any{"name": "refused", "orgId": orgID}))
	// A read that needs GROUP_OWNER.
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", reader.get("/api/atlas/v2/groups/"+gid+"/userSecurity"))
}

// TestOrgGroupCreatorOwnsTheProjectsItCreates: ORG_GROUP_CREATOR gives no project roles, but the
// key or service account that creates a project becomes its owner.
func TestOrgGroupCreatorOwnsTheProjectsItCreates(t *testing.T) {
	stub := stubtest.New(t)
	admin := newAPI(t, stub)
	orgID, gid := stub.Credentials.OrgId, stub.Credentials.ProjectId
	for name, creator := range map[string]*api{
		"API key":         asKey(t, stub, createOrgKey(t, admin, "ORG_GROUP_CREATOR"), "127.0.0.1"),
		"service account": asAccount(t, stub, createAccount(t, admin, "ORG_GROUP_CREATOR")),
	} {
		t.Run(name, func(t *testing.T) {
			requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", creator.get("/api/atlas/v2/groups/"+gid))
			own := createProject(t, creator, "created by "+name)
			projects := creator.get("/api/atlas/v2/groups").object(t)
			assert.Equal(t, float64(1), projects["totalCount"], "it sees the project it created, not the others")

			requireStatus(t, http.StatusOK, creator.get("/api/atlas/v2/groups/"+own+"/userSecurity"))
			requireStatus(t, http.StatusCreated, creator.post("/api/atlas/v2/groups/"+own+"/databaseUsers", map[string]any{
				"groupId": own, "databaseName": "$external", "username": "owned", "x509Type": "MANAGED"}))
			requireStatus(t, http.StatusOK, creator.patch("/api/atlas/v2/groups/"+own, map[string]any{"name": "renamed by " + name}))
			requireStatus(t, http.StatusAccepted, creator.delete("/api/atlas/v2/groups/"+own))
			requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", creator.patch("/api/atlas/v2/orgs/"+orgID+"/settings", map[string]any{"apiAccessListRequired": true}))
		})
	}
}

// TestMembersAndBillingAdminsCannotWrite: ORG_MEMBER and ORG_BILLING_ADMIN read the
// organization, and neither writes to it nor reaches its projects.
func TestMembersAndBillingAdminsCannotWrite(t *testing.T) {
	stub := stubtest.New(t)
	admin := newAPI(t, stub)
	orgID, gid := stub.Credentials.OrgId, stub.Credentials.ProjectId
	for _, role := range []string{"ORG_MEMBER", "ORG_BILLING_ADMIN"} {
		t.Run(role, func(t *testing.T) {
			caller := asKey(t, stub, createOrgKey(t, admin, role), "127.0.0.1")
			requireStatus(t, http.StatusOK, caller.get("/api/atlas/v2/orgs/"+orgID))
			requireStatus(t, http.StatusOK, caller.get("/api/atlas/v2/orgs/"+orgID+"/apiKeys"))
			assert.Equal(t, float64(0), caller.get("/api/atlas/v2/groups").object(t)["totalCount"], "no project roles")

			requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", caller.get("/api/atlas/v2/groups/"+gid))
			requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", caller.patch("/api/atlas/v2/orgs/"+orgID+"/settings", map[string]any{"securityContact": "x@example.com"}))
			requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", caller.post("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts", map[string]any{
				"name": "refused", "description": "refused", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 24}))
			requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", caller.delete("/api/atlas/v2/orgs/"+orgID+"/apiKeys/"+stub.Credentials.ApiKey.Id))
			requireAPIError(t, http.StatusUnauthorized, "NOT_ORG_GROUP_CREATOR", caller.post("/api/atlas/v2/groups", map[string]any{"name": "refused", "orgId": orgID}))
		})
	}
}
