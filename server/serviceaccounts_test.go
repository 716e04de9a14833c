package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

type serviceAccount struct {
	ClientID string `json:"clientId"`
	Name     string
	Roles    []string
	Secrets  []secret
}

type secret struct {
	ID                string `json:"id"`
	Secret            string
	MaskedSecretValue string
	CreatedAt         time.Time
	ExpiresAt         time.Time
}

func TestOrgServiceAccounts(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	accounts := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts"

	created := a.post(accounts, map[string]any{"name": "ci rotation", "description": "Rotates certificates", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 720})
	requireStatus(t, http.StatusCreated, created)
	assert.Equal(t, "application/vnd.atlas.2024-08-05+json;charset=utf-8", created.Header.Get("Content-Type"))
	var sa serviceAccount
	created.json(t, &sa)
	assert.Regexp(t, `^mdb_sa_id_[a-f0-9]{24}$`, sa.ClientID)
	require.Len(t, sa.Secrets, 1)
	s := sa.Secrets[0]
	assert.Regexp(t, `^mdb_sa_sk_[A-Za-z0-9_-]{40}$`, s.Secret, "shown in full once")
	assert.Equal(t, "mdb_sa_sk_..."+s.Secret[len(s.Secret)-4:], s.MaskedSecretValue)
	assert.Equal(t, 720*time.Hour, s.ExpiresAt.Sub(s.CreatedAt))

	got := a.get(accounts + "/" + sa.ClientID)
	requireStatus(t, http.StatusOK, got)
	assert.NotContains(t, string(got.body), s.Secret)
	assert.Contains(t, string(got.body), s.MaskedSecretValue)
	assert.Equal(t, float64(2), a.get(accounts).object(t)["totalCount"], "with the bootstrap account")

	updated := a.patch(accounts+"/"+sa.ClientID, map[string]any{"name": "renamed", "roles": []string{"ORG_READ_ONLY"}}).object(t)
	assert.Equal(t, "renamed", updated["name"])
	assert.Equal(t, "Rotates certificates", updated["description"], "a PATCH keeps what it does not name")
	assert.Equal(t, []any{"ORG_READ_ONLY"}, updated["roles"])

	for name, body := range map[string]map[string]any{
		"too short a secret": {"name": "x", "description": "x", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 7},
		"too long a secret":  {"name": "x", "description": "x", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 8761},
	} {
		t.Run(name, func(t *testing.T) {
			requireAPIError(t, http.StatusBadRequest, "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION", a.post(accounts, body))
		})
	}
	requireAPIError(t, http.StatusBadRequest, "INVALID_ENUM_VALUE", a.post(accounts, map[string]any{"name": "x", "description": "x", "roles": []string{"GROUP_OWNER"}, "secretExpiresAfterHours": 8}))
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", a.post(accounts, map[string]any{"name": "no/slash", "description": "x", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 8}))
	requireAPIError(t, http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND", a.get(accounts+"/mdb_sa_id_000000000000000000000000"))
	requireAPIError(t, http.StatusBadRequest, "INVALID_PATH_PARAMETER", a.get(accounts+"/not-a-client-id"))

	// The organization's limit on secret lifetimes applies to new secrets.
	requireStatus(t, http.StatusOK, a.patch("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/settings", map[string]any{"maxServiceAccountSecretValidityInHours": 48}))
	requireAPIError(t, http.StatusBadRequest, "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION", a.post(accounts+"/"+sa.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 49}))

	requireStatus(t, http.StatusNoContent, a.delete(accounts+"/"+sa.ClientID))
	requireAPIError(t, http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND", a.get(accounts+"/"+sa.ClientID))
}

func TestSecretRotation(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	accounts := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts"
	var sa serviceAccount
	created := a.post(accounts, map[string]any{"name": "rotating", "description": "rotates", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 8760})
	requireStatus(t, http.StatusCreated, created)
	created.json(t, &sa)
	old := sa.Secrets[0]
	secrets := accounts + "/" + sa.ClientID + "/secrets"

	stub.Advance(24 * time.Hour)
	second := a.post(secrets, map[string]any{"secretExpiresAfterHours": 720})
	requireStatus(t, http.StatusCreated, second)
	var fresh secret
	second.json(t, &fresh)
	assert.NotEmpty(t, fresh.Secret)
	assert.Equal(t, 720*time.Hour, fresh.ExpiresAt.Sub(fresh.CreatedAt))

	var after serviceAccount
	a.get(accounts+"/"+sa.ClientID).json(t, &after)
	require.Len(t, after.Secrets, 2)
	assert.Equal(t, fresh.CreatedAt.Add(7*24*time.Hour), after.Secrets[0].ExpiresAt, "the old secret now expires seven days after the new one was made")

	e := requireAPIError(t, http.StatusBadRequest, "SERVICE_ACCOUNT_SECRET_LIMIT_EXCEEDED", a.post(secrets, map[string]any{"secretExpiresAfterHours": 24}))
	assert.Equal(t, []any{float64(2)}, e["parameters"])

	// Both secrets mint tokens until the old one's shortened life ends.
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientID, old.Secret, "grant_type=client_credentials"))
	stub.Advance(7*24*time.Hour + time.Minute)
	requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", postToken(t, stub, sa.ClientID, old.Secret, "grant_type=client_credentials"))
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientID, fresh.Secret, "grant_type=client_credentials"))

	// A secret with less than seven days left keeps its own expiry.
	requireStatus(t, http.StatusNoContent, a.delete(secrets+"/"+old.ID))
	requireAPIError(t, http.StatusNotFound, "SERVICE_ACCOUNT_SECRET_NOT_FOUND", a.delete(secrets+"/"+old.ID))
	stub.Advance(17 * 24 * time.Hour)
	requireStatus(t, http.StatusCreated, a.post(secrets, map[string]any{"secretExpiresAfterHours": 720}))
	var current serviceAccount
	a.get(accounts+"/"+sa.ClientID).json(t, &current)
	require.Len(t, current.Secrets, 2)
	assert.Equal(t, fresh.ExpiresAt, current.Secrets[0].ExpiresAt)
}

func TestProjectServiceAccounts(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	projectAccounts := "/api/atlas/v2/groups/" + gid + "/serviceAccounts"

	created := a.post(projectAccounts, map[string]any{"name": "project bot", "description": "manages users", "roles": []string{"GROUP_DATABASE_ACCESS_ADMIN"}, "secretExpiresAfterHours": 24})
	requireStatus(t, http.StatusCreated, created)
	var sa serviceAccount
	created.json(t, &sa)
	assert.Equal(t, []string{"GROUP_DATABASE_ACCESS_ADMIN"}, sa.Roles)
	requireAPIError(t, http.StatusBadRequest, "INVALID_ROLE_FOR_GROUP", a.post(projectAccounts, map[string]any{"name": "x", "description": "x", "roles": []string{"ORG_OWNER"}, "secretExpiresAfterHours": 24}))

	orgView := a.get("/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts/" + sa.ClientID).object(t)
	assert.Empty(t, orgView["roles"], "a project account is an organization member without organization roles")
	groups := a.get("/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts/" + sa.ClientID + "/groups").object(t)
	assert.Equal(t, []any{map[string]any{"groupId": gid}}, groups["results"])

	// Its token can manage database users of the project and nothing more.
	bot := asAccount(t, stub, sa)
	requireStatus(t, http.StatusCreated, bot.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{"groupId": gid, "databaseName": "$external", "username": "by-bot", "x509Type": "MANAGED"}))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", bot.delete("/api/atlas/v2/groups/"+gid))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", bot.post("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/apiKeys", map[string]any{"desc": "escalation", "roles": []string{"ORG_OWNER"}}))

	updated := a.patch(projectAccounts+"/"+sa.ClientID, map[string]any{"roles": []string{"GROUP_READ_ONLY"}}).object(t)
	assert.Equal(t, []any{"GROUP_READ_ONLY"}, updated["roles"])
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", bot.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{"groupId": gid, "databaseName": "$external", "username": "refused", "x509Type": "MANAGED"}))

	secretPath := projectAccounts + "/" + sa.ClientID + "/secrets"
	requireStatus(t, http.StatusCreated, a.post(secretPath, map[string]any{"secretExpiresAfterHours": 24}))
	list := a.post(projectAccounts+"/"+sa.ClientID+"/accessList", []map[string]any{{"cidrBlock": "127.0.0.0/8"}})
	requireStatus(t, http.StatusOK, list)
	assert.Equal(t, float64(1), list.object(t)["totalCount"])
	requireStatus(t, http.StatusOK, a.get(projectAccounts+"/"+sa.ClientID+"/accessList"))
	requireStatus(t, http.StatusNoContent, a.delete(projectAccounts+"/"+sa.ClientID+"/accessList/127.0.0.0%2F8"))

	// Removing it from the project leaves it in the organization, with working secrets.
	requireStatus(t, http.StatusNoContent, a.delete(projectAccounts+"/"+sa.ClientID))
	requireAPIError(t, http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND", a.get(projectAccounts+"/"+sa.ClientID))
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/serviceAccounts/"+sa.ClientID))
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientID, sa.Secrets[0].Secret, "grant_type=client_credentials"))
	requireAPIError(t, http.StatusUnauthorized, "USER_UNAUTHORIZED", bot.get("/api/atlas/v2/groups/"+gid))

	// :invite assigns it again, with new roles.
	invited := a.post(projectAccounts+"/"+sa.ClientID+":invite", map[string]any{"roles": []string{"GROUP_OWNER"}})
	requireStatus(t, http.StatusOK, invited)
	assert.Equal(t, []any{"GROUP_OWNER"}, invited.object(t)["roles"])
	requireStatus(t, http.StatusOK, bot.get("/api/atlas/v2/groups/"+gid))
	requireAPIError(t, http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND", a.post(projectAccounts+"/mdb_sa_id_000000000000000000000000:invite", map[string]any{"roles": []string{"GROUP_OWNER"}}))
}

// createCloudManagerAccount starts a stub and creates a service account with role, and a first
// secret that lasts hours, on cm: the Cloud Manager path of the bootstrap organization's service
// accounts. The client a calls that path as Cloud Manager clients do, with Accept:
// application/json, which is what the path answers.
func createCloudManagerAccount(t *testing.T, role string, hours int) (a *api, cm string, sa serviceAccount) {
	t.Helper()
	stub := stubtest.New(t)
	a = newAPI(t, stub)
	a.accept = "application/json"
	cm = "/api/public/v1.0/orgs/" + stub.Credentials.OrgId + "/serviceAccounts"
	created := a.post(cm, map[string]any{"name": "cm", "description": "cloud manager", "roles": []string{role}, "secretExpiresAfterHours": hours})
	requireStatus(t, http.StatusCreated, created)
	assert.Equal(t, "application/json", created.Header.Get("Content-Type"))
	created.json(t, &sa)
	return a, cm, sa
}

func TestCloudManagerServiceAccountPaths(t *testing.T) {
	a, cm, sa := createCloudManagerAccount(t, "ORG_OWNER", 8766)
	stub := a.stub

	// The Cloud Manager documentation writes the path with a trailing slash.
	secretResp := a.post(cm+"/"+sa.ClientID+"/secrets/", map[string]any{"secretExpiresAfterHours": 8766})
	requireStatus(t, http.StatusCreated, secretResp)
	var s secret
	secretResp.json(t, &s)
	assert.Equal(t, 8766*time.Hour, s.ExpiresAt.Sub(s.CreatedAt))
	requireAPIError(t, http.StatusBadRequest, "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION", a.post(cm+"/"+sa.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 8767}))
	requireAPIError(t, http.StatusBadRequest, "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION", a.post(cm+"/"+sa.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 7}))

	v2 := newAPI(t, stub).get("/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts/" + sa.ClientID)
	requireStatus(t, http.StatusOK, v2)
	assert.Len(t, v2.object(t)["secrets"], 2, "the same state as the Atlas path")
}

// TestCloudManagerSecretLifetimeAsAString: the Cloud Manager documentation gives
// secretExpiresAfterHours as a string ("3600"); its decimal digits are taken as the number.
func TestCloudManagerSecretLifetimeAsAString(t *testing.T) {
	a, cm, sa := createCloudManagerAccount(t, "ORG_MEMBER", 24)
	secrets := cm + "/" + sa.ClientID + "/secrets/"

	for _, refused := range []struct {
		hours any
		code  string
	}{
		{"7", "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION"},
		{"8767", "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION"},
		{"", "INVALID_ATTRIBUTE"},
		{"36.5", "INVALID_ATTRIBUTE"},
		{"-10", "INVALID_ATTRIBUTE"},
		{"3600 hours", "INVALID_ATTRIBUTE"},
		{"1e3", "INVALID_ATTRIBUTE"},
		{36.5, "INVALID_ATTRIBUTE"},
		{true, "INVALID_ATTRIBUTE"},
	} {
		e := requireAPIError(t, http.StatusBadRequest, refused.code, a.post(secrets, map[string]any{"secretExpiresAfterHours": refused.hours}))
		if refused.code == "INVALID_ATTRIBUTE" {
			assert.Equal(t, []any{"secretExpiresAfterHours"}, e["parameters"], "%v", refused.hours)
		}
	}
	// Whole numbers, which the specification's integer lets through, but not in decimal digits.
	for _, hours := range []json.Number{"1e3", "1000.0"} {
		requireFieldViolation(t, "INVALID_ATTRIBUTE", "secretExpiresAfterHours", a.post(secrets, map[string]any{"secretExpiresAfterHours": hours}))
	}

	r := a.post(secrets, map[string]any{"secretExpiresAfterHours": "3600"})
	requireStatus(t, http.StatusCreated, r)
	var s secret
	r.json(t, &s)
	assert.Equal(t, 3600*time.Hour, s.ExpiresAt.Sub(s.CreatedAt))
	requireStatus(t, http.StatusOK, postToken(t, a.stub, sa.ClientID, s.Secret, "grant_type=client_credentials"))
}
