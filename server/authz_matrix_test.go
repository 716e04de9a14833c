package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// matrixFixture is the state every row of the authorization matrix starts from: resources for
// every path parameter, and a principal for every way of failing.
type matrixFixture struct {
	params map[string]string // path parameter values, unescaped
	caPEM  string

	expiringToken  string // minted before the clock moves past its expiry
	revokedToken   string // its secret is deleted
	orphanToken    string // its service account is deleted
	lowRoleKey     apiKey // GROUP_READ_ONLY in another project only
	projectReader  apiKey // GROUP_READ_ONLY in the fixture's project
	orgReaderToken string // of a service account with ORG_READ_ONLY
	listedToken    string // ORG_OWNER, but only 192.0.2.0/24 is on its access list
	listedKey      apiKey // the same, an API key
	staleNonce     string // issued before the clock moves past its lifetime
}

// matrixRequest is a valid request of one operation.
type matrixRequest struct {
	path string // with {parameters}
	body any
}

// matrixRequests gives, for every operation, a request that succeeds on a fresh fixture.
func matrixRequests(f *matrixFixture) map[string]matrixRequest {
	gid, orgID := "{groupId}", "{orgId}"
	v2g, v2o := "/api/atlas/v2/groups/"+gid, "/api/atlas/v2/orgs/"+orgID
	user := map[string]any{"groupId": f.params["groupId"], "databaseName": "$external", "username": "matrix-new-user", "x509Type": "MANAGED"}
	legacyUser := map[string]any{"groupId": f.params["groupId"], "databaseName": "$external", "username": "matrix-legacy-user", "x509Type": "MANAGED"}
	newAccount := func(role string) map[string]any {
		return map[string]any{"name": "matrix account", "description": "matrix", "roles": []string{role}, "secretExpiresAfterHours": 24}
	}
	return map[string]matrixRequest{
		"listOrgs":          {path: "/api/atlas/v2/orgs"},
		"getOrg":            {path: v2o},
		"getOrgGroups":      {path: v2o + "/groups"},
		"getOrgSettings":    {path: v2o + "/settings"},
		"updateOrgSettings": {path: v2o + "/settings", body: map[string]any{"securityContact": "security@example.com"}},

		"listGroups":     {path: "/api/atlas/v2/groups"},
		"createGroup":    {path: "/api/atlas/v2/groups", body: map[string]any{"name": "matrix-new", "orgId": f.params["orgId"]}},
		"getGroup":       {path: v2g},
		"updateGroup":    {path: v2g, body: map[string]any{"name": "matrix-renamed"}},
		"deleteGroup":    {path: v2g},
		"getGroupByName": {path: "/api/atlas/v2/groups/byName/{groupName}"},

		"listGroupDatabaseUsers":  {path: v2g + "/databaseUsers"},
		"createGroupDatabaseUser": {path: v2g + "/databaseUsers", body: user},
		"getGroupDatabaseUser":    {path: v2g + "/databaseUsers/{databaseName}/{username}"},
		"updateGroupDatabaseUser": {path: v2g + "/databaseUsers/{databaseName}/{username}", body: map[string]any{
			"groupId": f.params["groupId"], "databaseName": "$external", "username": f.params["username"], "description": "changed"}},
		"deleteGroupDatabaseUser": {path: v2g + "/databaseUsers/{databaseName}/{username}"},

		"listGroupDatabaseUserCerts":           {path: v2g + "/databaseUsers/{username}/certs"},
		"createGroupDatabaseUserCert":          {path: v2g + "/databaseUsers/{username}/certs", body: map[string]any{"monthsUntilExpiration": 1}},
		"getGroupUserSecurity":                 {path: v2g + "/userSecurity"},
		"updateGroupUserSecurity":              {path: v2g + "/userSecurity", body: map[string]any{"customerX509": map[string]any{"cas": f.caPEM}}},
		"disableGroupUserSecurityCustomerX509": {path: v2g + "/userSecurity/customerX509"},

		"listOrgServiceAccounts":                 {path: v2o + "/serviceAccounts"},
		"createOrgServiceAccount":                {path: v2o + "/serviceAccounts", body: newAccount("ORG_MEMBER")},
		"getOrgServiceAccount":                   {path: v2o + "/serviceAccounts/{clientId}"},
		"updateOrgServiceAccount":                {path: v2o + "/serviceAccounts/{clientId}", body: map[string]any{"name": "renamed"}},
		"deleteOrgServiceAccount":                {path: v2o + "/serviceAccounts/{clientId}"},
		"listOrgServiceAccountAccessList":        {path: v2o + "/serviceAccounts/{clientId}/accessList"},
		"createOrgServiceAccountAccessList":      {path: v2o + "/serviceAccounts/{clientId}/accessList", body: []map[string]any{{"ipAddress": "198.51.100.1"}}},
		"deleteOrgServiceAccountAccessListEntry": {path: v2o + "/serviceAccounts/{clientId}/accessList/{ipAddress}"},
		"getOrgServiceAccountGroups":             {path: v2o + "/serviceAccounts/{clientId}/groups"},
		"createOrgServiceAccountSecret":          {path: v2o + "/serviceAccounts/{clientId}/secrets", body: map[string]any{"secretExpiresAfterHours": 24}},
		"deleteOrgServiceAccountSecret":          {path: v2o + "/serviceAccounts/{clientId}/secrets/{secretId}"},

		"listGroupServiceAccounts":                 {path: v2g + "/serviceAccounts"},
		"createGroupServiceAccount":                {path: v2g + "/serviceAccounts", body: newAccount("GROUP_READ_ONLY")},
		"getGroupServiceAccount":                   {path: v2g + "/serviceAccounts/{clientId}"},
		"updateGroupServiceAccount":                {path: v2g + "/serviceAccounts/{clientId}", body: map[string]any{"name": "renamed"}},
		"deleteGroupServiceAccount":                {path: v2g + "/serviceAccounts/{clientId}"},
		"listGroupServiceAccountAccessList":        {path: v2g + "/serviceAccounts/{clientId}/accessList"},
		"createGroupServiceAccountAccessList":      {path: v2g + "/serviceAccounts/{clientId}/accessList", body: []map[string]any{{"ipAddress": "198.51.100.1"}}},
		"deleteGroupServiceAccountAccessListEntry": {path: v2g + "/serviceAccounts/{clientId}/accessList/{ipAddress}"},
		"createGroupServiceAccountSecret":          {path: v2g + "/serviceAccounts/{clientId}/secrets", body: map[string]any{"secretExpiresAfterHours": 24}},
		"deleteGroupServiceAccountSecret":          {path: v2g + "/serviceAccounts/{clientId}/secrets/{secretId}"},
		"inviteGroupServiceAccount":                {path: v2g + "/serviceAccounts/{clientId}:invite", body: map[string]any{"roles": []string{"GROUP_OWNER"}}},

		"listOrgApiKeys":                 {path: v2o + "/apiKeys"},
		"createOrgApiKey":                {path: v2o + "/apiKeys", body: map[string]any{"desc": "matrix", "roles": []string{"ORG_MEMBER"}}},
		"getOrgApiKey":                   {path: v2o + "/apiKeys/{apiUserId}"},
		"updateOrgApiKey":                {path: v2o + "/apiKeys/{apiUserId}", body: map[string]any{"desc": "renamed"}},
		"deleteOrgApiKey":                {path: v2o + "/apiKeys/{apiUserId}"},
		"listOrgApiKeyAccessListEntries": {path: v2o + "/apiKeys/{apiUserId}/accessList"},
		"createOrgApiKeyAccessListEntry": {path: v2o + "/apiKeys/{apiUserId}/accessList", body: []map[string]any{{"ipAddress": "198.51.100.2"}}},
		"getOrgApiKeyAccessListEntry":    {path: v2o + "/apiKeys/{apiUserId}/accessList/{ipAddress}"},
		"deleteOrgApiKeyAccessListEntry": {path: v2o + "/apiKeys/{apiUserId}/accessList/{ipAddress}"},
		"listGroupApiKeys":               {path: v2g + "/apiKeys"},
		"createGroupApiKey":              {path: v2g + "/apiKeys", body: map[string]any{"desc": "matrix", "roles": []string{"GROUP_READ_ONLY"}}},
		"addGroupApiKey":                 {path: v2g + "/apiKeys/{apiUserId}", body: []map[string]any{{"roles": []string{"GROUP_OWNER"}}}},
		"updateGroupApiKeyRoles":         {path: v2g + "/apiKeys/{apiUserId}", body: map[string]any{"roles": []string{"GROUP_OWNER"}}},
		"removeGroupApiKey":              {path: v2g + "/apiKeys/{apiUserId}"},

		"createLegacyDatabaseUser":              {path: "/api/atlas/v1.0/groups/{groupId}/databaseUsers", body: legacyUser},
		"getLegacyDatabaseUser":                 {path: "/api/atlas/v1.0/groups/{groupId}/databaseUsers/{databaseName}/{username}"},
		"createLegacyDatabaseUserCert":          {path: "/api/atlas/v1.0/groups/{groupId}/databaseUsers/{username}/certs", body: map[string]any{"monthsUntilExpiration": 1}},
		"listLegacyDatabaseUserCerts":           {path: "/api/atlas/v1.0/groups/{groupId}/databaseUsers/{username}/certs"},
		"getLegacyUserSecurity":                 {path: "/api/atlas/v1.0/groups/{groupId}/userSecurity"},
		"updateLegacyUserSecurity":              {path: "/api/atlas/v1.0/groups/{groupId}/userSecurity", body: map[string]any{"customerX509": map[string]any{"cas": f.caPEM}}},
		"disableLegacyUserSecurityCustomerX509": {path: "/api/atlas/v1.0/groups/{groupId}/userSecurity/customerX509"},

		"getIpInfo": {path: "/api/private/ipinfo"},

		"createCloudManagerServiceAccount":       {path: "/api/public/v1.0/orgs/{orgId}/serviceAccounts", body: newAccount("ORG_MEMBER")},
		"createCloudManagerServiceAccountSecret": {path: "/api/public/v1.0/orgs/{orgId}/serviceAccounts/{clientId}/secrets", body: map[string]any{"secretExpiresAfterHours": 24}},
	}
}

// newMatrixFixture creates the fixture's state in a fresh stub.
func newMatrixFixture(t *testing.T, stub *stubtest.Stub) *matrixFixture {
	a := newAPI(t, stub)
	orgID, gid := stub.Credentials.OrgId, stub.Credentials.ProjectId
	f := &matrixFixture{params: map[string]string{
		"orgId": orgID, "groupId": gid, "groupName": "Project0", "databaseName": "$external", "username": "matrixUser", "ipAddress": "192.0.2.0/24",
	}}
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{"groupId": gid, "databaseName": "$external", "username": "matrixUser", "x509Type": "MANAGED"}))
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers/matrixUser/certs", map[string]any{}))
	f.caPEM = string(a.get("/_stub/groups/" + gid + "/ca").body)

	target := createOrgKey(t, a, "ORG_MEMBER")
	f.params["apiUserId"] = target.ID
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+orgID+"/apiKeys/"+target.ID+"/accessList", []map[string]any{{"cidrBlock": "192.0.2.0/24"}}))
	requireStatus(t, http.StatusNoContent, a.post("/api/atlas/v2/groups/"+gid+"/apiKeys/"+target.ID, []map[string]any{{"roles": []string{"GROUP_READ_ONLY"}}}))

	account := createAccount(t, a, "ORG_MEMBER")
	f.params["clientId"], f.params["secretId"] = account.ClientID, account.Secrets[0].ID
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/groups/"+gid+"/serviceAccounts/"+account.ClientID+":invite", map[string]any{"roles": []string{"GROUP_READ_ONLY"}}))
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+account.ClientID+"/accessList", []map[string]any{{"cidrBlock": "192.0.2.0/24"}}))

	expiring := createAccount(t, a, "ORG_OWNER")
	f.expiringToken = mintToken(t, stub, expiring.ClientID, expiring.Secrets[0].Secret)

	revoked := createAccount(t, a, "ORG_OWNER")
	f.revokedToken = mintToken(t, stub, revoked.ClientID, revoked.Secrets[0].Secret)
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+revoked.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 24}))
	requireStatus(t, http.StatusNoContent, a.delete("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+revoked.ClientID+"/secrets/"+revoked.Secrets[0].ID))

	orphan := createAccount(t, a, "ORG_OWNER")
	f.orphanToken = mintToken(t, stub, orphan.ClientID, orphan.Secrets[0].Secret)
	requireStatus(t, http.StatusNoContent, a.delete("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+orphan.ClientID))

	low := a.post("/api/atlas/v2/groups/"+createProject(t, a, "elsewhere")+"/apiKeys", map[string]any{"desc": "low", "roles": []string{"GROUP_READ_ONLY"}})
	requireStatus(t, http.StatusOK, low)
	low.json(t, &f.lowRoleKey)

	reader := a.post("/api/atlas/v2/groups/"+gid+"/apiKeys", map[string]any{"desc": "reader", "roles": []string{"GROUP_READ_ONLY"}})
	requireStatus(t, http.StatusOK, reader)
	reader.json(t, &f.projectReader)
	orgReader := createAccount(t, a, "ORG_READ_ONLY")
	f.orgReaderToken = mintToken(t, stub, orgReader.ClientID, orgReader.Secrets[0].Secret)

	listed := createAccount(t, a, "ORG_OWNER")
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+listed.ClientID+"/accessList", []map[string]any{{"cidrBlock": "192.0.2.0/24"}}))
	f.listedToken = mintToken(t, stub, listed.ClientID, listed.Secrets[0].Secret)
	f.listedKey = createOrgKey(t, a, "ORG_OWNER")
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+orgID+"/apiKeys/"+f.listedKey.ID+"/accessList", []map[string]any{{"cidrBlock": "192.0.2.0/24"}}))

	f.staleNonce = challengeOf(t, a.anonymous().get("/api/atlas/v2/orgs/"+orgID))["nonce"]
	return f
}

func createAccount(t *testing.T, a *api, role string) serviceAccount {
	r := a.post("/api/atlas/v2/orgs/"+a.stub.Credentials.OrgId+"/serviceAccounts", map[string]any{
		"name": "matrix", "description": "matrix principal", "roles": []string{role}, "secretExpiresAfterHours": 720,
	})
	requireStatus(t, http.StatusCreated, r)
	var sa serviceAccount
	r.json(t, &sa)
	return sa
}

// expand fills the path parameters, escaped as clients send them.
func (f *matrixFixture) expand(path string) string {
	for name, value := range f.params {
		path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(value))
	}
	return path
}

// isReadRole reports whether a role is one that only reads: what a read-only credential holds.
func isReadRole(role string) bool {
	return role == "GROUP_READ_ONLY" || role == "ORG_READ_ONLY" || role == "ORG_MEMBER"
}

// TestAuthorizationMatrix sends every operation of the specification with every kind of
// credential and checks the status and errorCode the stub answers, as Atlas would. The
// operation succeeds twice: with the bootstrap API key over Digest, and with a bearer token.
// An operation that writes succeeds each time on a fresh fixture.
func TestAuthorizationMatrix(t *testing.T) {
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	ops := map[string]struct {
		method  string
		success int
		roles   []string
		legacy  bool
	}{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			success := 0
			for code := range op.Responses.Map() {
				if code < "300" {
					fmt.Sscan(code, &success)
				}
			}
			var roles []string
			for _, r := range op.Extensions["x-atlas-roles"].([]any) {
				roles = append(roles, r.(string))
			}
			ops[op.OperationID] = struct {
				method  string
				success int
				roles   []string
				legacy  bool
			}{method, success, roles, !strings.HasPrefix(path, "/api/atlas/v2/")}
		}
	}

	for id, op := range ops {
		if len(op.roles) == 0 {
			continue // the token endpoints: TestTokenEndpointMatrix
		}
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			stub := stubtest.New(t)
			f := newMatrixFixture(t, stub)
			req, ok := matrixRequests(f)[id]
			require.True(t, ok, "the matrix has no request for %s", id)
			path := f.expand(req.path)
			// withOpAccept gives a client the Accept header of the operation's kind of path.
			withOpAccept := func(a *api) *api {
				if op.legacy {
					a.accept = "application/json"
				}
				return a
			}
			anon, probe := withOpAccept(newAPI(t, stub).anonymous()), newAPI(t, stub).anonymous()
			send := func(authorization string) response {
				return anon.do(op.method, path, req.body, "Authorization", authorization)
			}
			withKey := func(k apiKey) response {
				return withOpAccept(asKey(t, stub, k, "127.0.0.1")).do(op.method, path, req.body)
			}
			key := stub.Credentials.ApiKey
			unauthorized := func(r response) {
				t.Helper()
				requireUnauthenticated(t, r)
				assert.NotEmpty(t, challengeOf(t, r)["nonce"], "a Digest challenge comes with every 401")
			}

			validOverDigest := func() {
				t.Run("valid with an API key over Digest", func(t *testing.T) {
					requireStatus(t, op.success, withKey(bootstrapKey(stub)))
				})
			}
			changesState := op.method != http.MethodGet
			if !changesState {
				validOverDigest() // a read changes nothing: the fixture serves the rows that follow
			}

			t.Run("no credentials", func(t *testing.T) { unauthorized(anon.do(op.method, path, req.body)) })
			t.Run("wrong password", func(t *testing.T) {
				nonce := challengeOf(t, probe.get("/api/atlas/v2/orgs/"+f.params["orgId"]))["nonce"]
				unauthorized(send(digestAuthorization("MD5", key.PublicKey, "00000000-0000-4000-8000-000000000000", op.method, path, nonce, 1)))
			})
			t.Run("replayed nonce count", func(t *testing.T) {
				org := "/api/atlas/v2/orgs/" + f.params["orgId"]
				nonce := challengeOf(t, probe.get(org))["nonce"]
				requireStatus(t, http.StatusOK, probe.get(org, "Authorization", digestAuthorization("MD5", key.PublicKey, key.PrivateKey, http.MethodGet, org, nonce, 1)))
				unauthorized(send(digestAuthorization("MD5", key.PublicKey, key.PrivateKey, op.method, path, nonce, 1)))
			})
			t.Run("revoked secret", func(t *testing.T) { unauthorized(send("Bearer " + f.revokedToken)) })
			t.Run("deleted service account", func(t *testing.T) { unauthorized(send("Bearer " + f.orphanToken)) })
			t.Run("IP not on the access list", func(t *testing.T) {
				for credential, r := range map[string]response{"bearer token": send("Bearer " + f.listedToken), "API key over Digest": withKey(f.listedKey)} {
					e := requireAPIError(t, http.StatusForbidden, "IP_ADDRESS_NOT_ON_ACCESS_LIST", r)
					assert.Equal(t, []any{"127.0.0.1"}, e["parameters"], credential)
				}
			})
			t.Run("insufficient role", func(t *testing.T) {
				r := withKey(f.lowRoleKey)
				switch {
				case slices.Equal(op.roles, []string{"ORG_MEMBER"}), id == "listGroups":
					requireStatus(t, op.success, r) // every credential of the organization is a member; lists show what it may see
				case id == "getGroupByName":
					requireAPIError(t, http.StatusUnauthorized, "USER_CANNOT_ACCESS_GROUP", r)
				case id == "createGroup":
					requireAPIError(t, http.StatusUnauthorized, "NOT_ORG_GROUP_CREATOR", r)
				default:
					requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", r)
				}
			})
			t.Run("read-only role", func(t *testing.T) {
				// GROUP_READ_ONLY in the operation's own project, or ORG_READ_ONLY elsewhere.
				var r response
				if strings.Contains(req.path, "{groupId}") {
					r = withKey(f.projectReader)
				} else {
					r = send("Bearer " + f.orgReaderToken)
				}
				reads := slices.ContainsFunc(op.roles, isReadRole)
				switch {
				case op.method != http.MethodGet:
					require.False(t, reads, "%s writes, yet x-atlas-roles lets a read-only role in: %v", id, op.roles)
					if id == "createGroup" {
						requireAPIError(t, http.StatusUnauthorized, "NOT_ORG_GROUP_CREATOR", r)
					} else {
						requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", r)
					}
				case reads:
					requireStatus(t, op.success, r)
				default:
					requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", r) // a read that needs more, such as userSecurity
				}
			})

			stub.Advance(61 * time.Minute)
			t.Run("expired token", func(t *testing.T) { unauthorized(send("Bearer " + f.expiringToken)) })
			t.Run("stale nonce", func(t *testing.T) {
				r := send(digestAuthorization("MD5", key.PublicKey, key.PrivateKey, op.method, path, f.staleNonce, 1))
				unauthorized(r)
				assert.Equal(t, "true", challengeOf(t, r)["stale"])
			})
			t.Run("valid with a bearer token", func(t *testing.T) {
				requireStatus(t, op.success, send("Bearer "+stub.Token(t)))
			})

			if changesState {
				// The first success changed the state (a delete, a create); the second one starts
				// again from the bootstrap state and a fresh fixture.
				requireStatus(t, http.StatusNoContent, anon.post("/_stub/reset", nil))
				f = newMatrixFixture(t, stub)
				req = matrixRequests(f)[id]
				path = f.expand(req.path)
				validOverDigest()
			}
			t.Run("organization requires access lists", func(t *testing.T) {
				settings := "/api/atlas/v2/orgs/" + f.params["orgId"] + "/settings"
				requireStatus(t, http.StatusOK, asKey(t, stub, bootstrapKey(stub), "127.0.0.1").patch(settings, map[string]any{"apiAccessListRequired": true}))
				for credential, r := range map[string]response{"API key over Digest": withKey(bootstrapKey(stub)), "bearer token": send("Bearer " + stub.Token(t))} {
					e := requireAPIError(t, http.StatusForbidden, "ORG_REQUIRES_ACCESS_LIST", r)
					assert.Equal(t, []any{"127.0.0.1"}, e["parameters"], credential)
				}
			})
		})
	}
}

// TestTokenEndpointMatrix is the matrix of the two endpoints that take client credentials: no
// roles, no access lists, RFC 6749 errors.
func TestTokenEndpointMatrix(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	revoked, orphan, listed := createAccount(t, a, "ORG_MEMBER"), createAccount(t, a, "ORG_MEMBER"), createAccount(t, a, "ORG_MEMBER")
	orgAccounts := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts/"
	requireStatus(t, http.StatusCreated, a.post(orgAccounts+revoked.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 24}))
	requireStatus(t, http.StatusNoContent, a.delete(orgAccounts+revoked.ClientID+"/secrets/"+revoked.Secrets[0].ID))
	requireStatus(t, http.StatusNoContent, a.delete(orgAccounts+orphan.ClientID))
	requireStatus(t, http.StatusOK, a.post(orgAccounts+listed.ClientID+"/accessList", []map[string]any{{"cidrBlock": "192.0.2.0/24"}}))

	for _, endpoint := range []struct{ path, form string }{
		{"/api/oauth/token", "grant_type=client_credentials"},
		{"/api/oauth/revoke", "token=anything"},
	} {
		post := func(clientID, secret string) response {
			return postOAuth(t, stub, endpoint.path, clientID, secret, endpoint.form)
		}
		invalidClient := func(r response) {
			t.Helper()
			requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", r)
		}
		invalidClient(post("", ""))
		invalidClient(post(stub.Credentials.ServiceAccount.ClientId, "mdb_sa_sk_wrong"))
		invalidClient(post(revoked.ClientID, revoked.Secrets[0].Secret))
		invalidClient(post(orphan.ClientID, orphan.Secrets[0].Secret))
		requireStatus(t, http.StatusOK, post(listed.ClientID, listed.Secrets[0].Secret)) // access lists apply to using tokens, not to minting them
		requireStatus(t, http.StatusOK, post(stub.Credentials.ServiceAccount.ClientId, stub.Credentials.ServiceAccount.ClientSecret))
	}
}
