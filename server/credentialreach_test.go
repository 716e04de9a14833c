package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// projectAccount creates a service account that holds roles only in the project, as a project
// owner would.
func projectAccount(t *testing.T, a *api, projectID string, roles ...string) serviceAccount {
	t.Helper()
	r := a.post("/api/atlas/v2/groups/"+projectID+"/serviceAccounts", map[string]any{
		"name": "project account", "description": "project roles only", "roles": roles, "secretExpiresAfterHours": 24,
	})
	requireStatus(t, http.StatusCreated, r)
	var sa serviceAccount
	r.json(t, &sa)
	return sa
}

// startWithAProjectOwner starts a stub in which admin signs in as the bootstrap organization
// owner, and owner as a service account that owns the bootstrap project and holds no other role.
func startWithAProjectOwner(t *testing.T) (stub *stubtest.Stub, admin, owner *api) {
	t.Helper()
	stub = stubtest.New(t)
	admin = newAPI(t, stub)
	owner = asAccount(t, stub, projectAccount(t, admin, stub.Credentials.ProjectId, "GROUP_OWNER"))
	return stub, admin, owner
}

// TestAProjectOwnerCannotTakeOverAnOrganizationOwner follows the escalation a project owner would
// try: assign an ORG_OWNER service account to its project, give it a secret, and mint ORG_OWNER
// tokens with it. Every step that changes the account is refused; reading it is not.
func TestAProjectOwnerCannotTakeOverAnOrganizationOwner(t *testing.T) {
	stub, admin, owner := startWithAProjectOwner(t)
	gid := stub.Credentials.ProjectId
	target := createAccount(t, admin, "ORG_OWNER")
	accounts := "/api/atlas/v2/groups/" + gid + "/serviceAccounts/"

	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.post(accounts+target.ClientID+":invite", map[string]any{"roles": []string{"GROUP_OWNER"}}))

	// Assigned to the project by an organization owner, the account is still out of the project
	// owner's reach.
	requireStatus(t, http.StatusOK, admin.post(accounts+target.ClientID+":invite", map[string]any{"roles": []string{"GROUP_READ_ONLY"}}))
	requireStatus(t, http.StatusOK, admin.post(accounts+target.ClientID+"/accessList", []map[string]any{{"cidrBlock": "127.0.0.0/8"}}))
	secrets := accounts + target.ClientID + "/secrets"
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.post(secrets, map[string]any{"secretExpiresAfterHours": 24}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.delete(secrets+"/"+target.Secrets[0].ID))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.post(accounts+target.ClientID+"/accessList", []map[string]any{{"ipAddress": "198.51.100.1"}}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.delete(accounts+target.ClientID+"/accessList/127.0.0.0%2F8"))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.patch(accounts+target.ClientID, map[string]any{"name": "mine now"}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.post(accounts+target.ClientID+":invite", map[string]any{"roles": []string{"GROUP_OWNER"}}))

	requireStatus(t, http.StatusOK, owner.get(accounts+target.ClientID))
	requireStatus(t, http.StatusOK, owner.get(accounts+target.ClientID+"/accessList"))
	var unchanged serviceAccount
	admin.get("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/serviceAccounts/"+target.ClientID).json(t, &unchanged)
	assert.Equal(t, "matrix", unchanged.Name)
	assert.Len(t, unchanged.Secrets, 1)

	// Removing it from the project touches only the project, which the project owner manages.
	requireStatus(t, http.StatusNoContent, owner.delete(accounts+target.ClientID))

	// An organization owner can do all of it on the same paths.
	requireStatus(t, http.StatusOK, admin.post(accounts+target.ClientID+":invite", map[string]any{"roles": []string{"GROUP_OWNER"}}))
	created := admin.post(secrets, map[string]any{"secretExpiresAfterHours": 24})
	requireStatus(t, http.StatusCreated, created)
	requireStatus(t, http.StatusNoContent, admin.delete(secrets+"/"+created.object(t)["id"].(string)))
	requireStatus(t, http.StatusOK, admin.patch(accounts+target.ClientID, map[string]any{"name": "renamed by the owner"}))
	requireStatus(t, http.StatusNoContent, admin.delete(accounts+target.ClientID+"/accessList/127.0.0.0%2F8"))
}

// TestAProjectOwnerCannotTakeOverAnotherProjectsCredential: a service account or API key with
// roles in another project is as far out of reach as an organization owner.
func TestAProjectOwnerCannotTakeOverAnotherProjectsCredential(t *testing.T) {
	stub, admin, owner := startWithAProjectOwner(t)
	gid, other := stub.Credentials.ProjectId, createProject(t, admin, "other")
	elsewhere := projectAccount(t, admin, other, "GROUP_OWNER")

	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.post("/api/atlas/v2/groups/"+gid+"/serviceAccounts/"+elsewhere.ClientID+":invite", map[string]any{"roles": []string{"GROUP_READ_ONLY"}}))

	key := createOrgKey(t, admin, "ORG_MEMBER")
	requireStatus(t, http.StatusNoContent, admin.post("/api/atlas/v2/groups/"+other+"/apiKeys/"+key.ID, []map[string]any{{"roles": []string{"GROUP_OWNER"}}}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.post("/api/atlas/v2/groups/"+gid+"/apiKeys/"+key.ID, []map[string]any{{"roles": []string{"GROUP_READ_ONLY"}}}))
}

// TestAProjectOwnerCannotChangeAnOrganizationOwnersAPIKey: on the project's API key paths, an
// ORG_OWNER key can be listed but not assigned, renamed or given new roles.
func TestAProjectOwnerCannotChangeAnOrganizationOwnersAPIKey(t *testing.T) {
	stub, admin, owner := startWithAProjectOwner(t)
	gid := stub.Credentials.ProjectId
	orgOwnerKey := createOrgKey(t, admin, "ORG_OWNER")
	projectKeys := "/api/atlas/v2/groups/" + gid + "/apiKeys/"

	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.post(projectKeys+orgOwnerKey.ID, []map[string]any{{"roles": []string{"GROUP_READ_ONLY"}}}))
	requireStatus(t, http.StatusNoContent, admin.post(projectKeys+orgOwnerKey.ID, []map[string]any{{"roles": []string{"GROUP_READ_ONLY"}}}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", owner.patch(projectKeys+orgOwnerKey.ID, map[string]any{"desc": "mine now", "roles": []string{"GROUP_OWNER"}}))
	assert.Contains(t, string(owner.get(projectKeys[:len(projectKeys)-1]).body), orgOwnerKey.ID, "it can be read")
	assert.Equal(t, "test key", admin.get("/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/apiKeys/" + orgOwnerKey.ID).object(t)["desc"])
	requireStatus(t, http.StatusOK, admin.patch(projectKeys+orgOwnerKey.ID, map[string]any{"desc": "renamed by the owner", "roles": []string{"GROUP_OWNER"}}))
	// Removing it from the project touches only the project.
	requireStatus(t, http.StatusNoContent, owner.delete(projectKeys+orgOwnerKey.ID))
}

// TestAProjectOwnerManagesItsProjectsCredentials: credentials that hold nothing beyond the
// project, and the caller itself, stay the project owner's to change.
func TestAProjectOwnerManagesItsProjectsCredentials(t *testing.T) {
	stub := stubtest.New(t)
	admin := newAPI(t, stub)
	gid, other := stub.Credentials.ProjectId, createProject(t, admin, "other")
	ownerAccount := projectAccount(t, admin, gid, "GROUP_OWNER")
	owner := asAccount(t, stub, ownerAccount)
	accounts := "/api/atlas/v2/groups/" + gid + "/serviceAccounts/"

	reader := projectAccount(t, owner, gid, "GROUP_READ_ONLY")
	requireStatus(t, http.StatusCreated, owner.post(accounts+reader.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 24}))
	requireStatus(t, http.StatusOK, owner.patch(accounts+reader.ClientID, map[string]any{"roles": []string{"GROUP_DATA_ACCESS_READ_ONLY"}}))
	member := createAccount(t, admin, "ORG_MEMBER")
	requireStatus(t, http.StatusOK, owner.post(accounts+member.ClientID+":invite", map[string]any{"roles": []string{"GROUP_READ_ONLY"}}))
	key := createOrgKey(t, admin, "ORG_MEMBER")
	requireStatus(t, http.StatusNoContent, owner.post("/api/atlas/v2/groups/"+gid+"/apiKeys/"+key.ID, []map[string]any{{"roles": []string{"GROUP_READ_ONLY"}}}))

	// Given roles in another project as well, the owner still rotates its own secret.
	requireStatus(t, http.StatusOK, admin.post("/api/atlas/v2/groups/"+other+"/serviceAccounts/"+ownerAccount.ClientID+":invite", map[string]any{"roles": []string{"GROUP_OWNER"}}))
	rotated := owner.post(accounts+ownerAccount.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 24})
	requireStatus(t, http.StatusCreated, rotated)
	require.NotEmpty(t, rotated.object(t)["secret"])
}
