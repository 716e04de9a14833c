package server_test

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// durableStub starts a stub whose state lives in the data directory dir.
func durableStub(t *testing.T, dir string, opts ...stubtest.Option) *stubtest.Stub {
	t.Helper()
	backend, err := store.OpenDataDir(dir)
	require.NoError(t, err)
	return stubtest.New(t, append([]stubtest.Option{func(c *server.Config) { c.Backend = backend }}, opts...)...)
}

// filled is what fillState did, for the checks after a restart or an import.
type filled struct {
	// picture is the state through the API, credentials the bootstrap credentials, and
	// bearer the bootstrap service account's token, of the stub that fillState filled.
	picture     map[string]any
	credentials server.Bootstrap
	bearer      string
	// project is a project with a user of every kind, user security and a certificate.
	project     string
	certificate *x509.Certificate
	key         apiKey
	// token works, revoked is revoked; both are the tokens of a service account.
	token, revoked string
}

// fillState builds a state of every kind in a stub: organization settings, a project (and a
// deleted one), user security, a SCRAM and a MANAGED user with a certificate, an API key and a
// service account with access lists, a token and a revoked token, and the clock ten minutes
// ahead.
func fillState(t *testing.T, a *api) filled {
	t.Helper()
	org := a.stub.Credentials.OrgId
	requireStatus(t, http.StatusOK, a.patch("/api/atlas/v2/orgs/"+org+"/settings", map[string]any{"maxServiceAccountSecretValidityInHours": 1000, "securityContact": "sec@example.com"}))
	f := filled{project: createProject(t, a, "kept")}
	requireStatus(t, http.StatusAccepted, a.delete("/api/atlas/v2/groups/"+createProject(t, a, "deleted")))
	group := "/api/atlas/v2/groups/" + f.project
	requireStatus(t, http.StatusAccepted, a.patch(group+"/userSecurity", map[string]any{"ldap": map[string]any{"authenticationEnabled": true, "hostname": "ldap.example.com"}}))
	requireStatus(t, http.StatusCreated, a.post(group+"/databaseUsers", map[string]any{
		"groupId": f.project, "databaseName": "admin", "username": "scram", "password": "correct-horse-battery-staple",
		"roles": []any{map[string]any{"databaseName": "admin", "roleName": "readAnyDatabase"}},
	}))
	requireStatus(t, http.StatusCreated, a.post(group+"/databaseUsers", map[string]any{
		"groupId": f.project, "databaseName": "$external", "username": "x509", "x509Type": "MANAGED",
	}))
	issued := a.post(group+"/databaseUsers/x509/certs", map[string]any{"monthsUntilExpiration": 2})
	requireStatus(t, http.StatusCreated, issued)
	f.certificate, _ = certificateAndKey(t, issued.body)
	f.key = createOrgKey(t, a, "ORG_MEMBER")
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+org+"/apiKeys/"+f.key.ID+"/accessList", []map[string]any{{"cidrBlock": "127.0.0.0/8"}}))
	requireStatus(t, http.StatusOK, asKey(t, a.stub, f.key, "127.0.0.1").get("/api/atlas/v2/orgs/"+org))
	account := createAccount(t, a, "ORG_READ_ONLY")
	requireStatus(t, http.StatusOK, a.post("/api/atlas/v2/orgs/"+org+"/serviceAccounts/"+account.ClientID+"/accessList", []map[string]any{{"ipAddress": "127.0.0.1"}}))
	f.token = mintToken(t, a.stub, account.ClientID, account.Secrets[0].Secret)
	f.revoked = mintToken(t, a.stub, account.ClientID, account.Secrets[0].Secret)
	requireStatus(t, http.StatusOK, postOAuth(t, a.stub, "/api/oauth/revoke", account.ClientID, account.Secrets[0].Secret, "token="+f.revoked))
	requireStatus(t, http.StatusOK, a.post("/_stub/clock/advance", map[string]any{"duration": "10m"}))
	f.picture = picture(t, a, f.project, a.stub.Credentials.ProjectId)
	f.credentials, f.bearer = a.stub.Credentials, a.token
	return f
}

// requireSameState checks that the stub of b holds what fillState built in another stub: the
// same state through the API and the same bootstrap credentials, the clock ten minutes ahead,
// the certificate verifying against the project's CA, the token working and the revoked one
// refused, the API keys (the bootstrap one included) signing in.
func requireSameState(t *testing.T, b *api, f filled) {
	t.Helper()
	b.token = f.bearer // minted by the other stub
	assert.Equal(t, f.picture, picture(t, b, f.project, f.credentials.ProjectId), "the state through the API")
	assert.Equal(t, f.credentials.OrgId, b.stub.Credentials.OrgId)
	assert.Equal(t, f.credentials.ApiKey, b.stub.Credentials.ApiKey, "the bootstrap credentials as issued")
	assert.Equal(t, f.credentials.ServiceAccount, b.stub.Credentials.ServiceAccount)
	assert.Len(t, b.get("/api/atlas/v2/orgs").object(t)["results"], 1, "no second bootstrap organization")

	org := "/api/atlas/v2/orgs/" + b.stub.Credentials.OrgId
	assert.Equal(t, float64(600), b.get("/_stub/clock").object(t)["offsetSeconds"], "the clock keeps its offset")
	block, _ := pem.Decode(b.get("/_stub/groups/" + f.project + "/ca").body)
	require.NotNil(t, block)
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.NoError(t, f.certificate.CheckSignatureFrom(ca), "a certificate issued before verifies against the CA after")
	requireStatus(t, http.StatusOK, send(t, http.DefaultClient, bearerRequest(t, b.stub.URL+org, f.token)))
	requireUnauthenticated(t, send(t, http.DefaultClient, bearerRequest(t, b.stub.URL+org, f.revoked)))
	requireStatus(t, http.StatusOK, asKey(t, b.stub, f.key, "127.0.0.1").get(org))
	requireStatus(t, http.StatusOK, asKey(t, b.stub, bootstrapKey(b.stub), "127.0.0.1").get(org))
	sa := b.stub.Credentials.ServiceAccount
	mintToken(t, b.stub, sa.ClientId, sa.ClientSecret)
}

// TestARestartedStubKeepsItsWholeState builds a state of every kind in a stub over a data
// directory, stops it and starts another on the directory, which holds the same state.
func TestARestartedStubKeepsItsWholeState(t *testing.T) {
	dir := t.TempDir()
	first := durableStub(t, dir)
	assert.False(t, first.Server.Resumed(), "a new directory holds no state")
	a := newAPI(t, first)
	f := fillState(t, a)
	first.Close()

	second := durableStub(t, dir)
	assert.True(t, second.Server.Resumed())
	requireSameState(t, newAPI(t, second), f)
}

// picture reads the state through the API: the organization and its settings, keys and service
// accounts with their access lists, the projects, and in the projects given their database
// users, user security, certificates and CA. Absolute links name the stub's own address, which
// changes with a restart; the picture names it BASE.
func picture(t *testing.T, a *api, projects ...string) map[string]any {
	t.Helper()
	org := "/api/atlas/v2/orgs/" + a.stub.Credentials.OrgId
	paths := []string{org, org + "/settings", org + "/apiKeys", org + "/serviceAccounts", "/api/atlas/v2/groups", "/_stub/credentials"}
	read := func(path string) any {
		r := a.get(path)
		requireStatus(t, http.StatusOK, r)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/") || strings.HasSuffix(r.Header.Get("Content-Type"), "pem-file") {
			return string(r.body)
		}
		var v any
		require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(string(r.body), a.stub.URL, "BASE")), &v))
		return v
	}
	for _, key := range results(read(org + "/apiKeys")) {
		paths = append(paths, org+"/apiKeys/"+key["id"].(string)+"/accessList")
	}
	for _, sa := range results(read(org + "/serviceAccounts")) {
		paths = append(paths, org+"/serviceAccounts/"+sa["clientId"].(string)+"/accessList")
	}
	for _, p := range projects {
		group := "/api/atlas/v2/groups/" + p
		paths = append(paths, group, group+"/databaseUsers", group+"/userSecurity", "/_stub/groups/"+p+"/ca")
		for _, u := range results(read(group + "/databaseUsers")) {
			if u["x509Type"] == "MANAGED" {
				paths = append(paths, group+"/databaseUsers/"+u["username"].(string)+"/certs")
			}
		}
	}
	seen := map[string]any{}
	for _, path := range paths {
		seen[path] = read(path)
	}
	return seen
}

// results are the items of a list response.
func results(list any) []map[string]any {
	var out []map[string]any
	for _, item := range list.(map[string]any)["results"].([]any) {
		out = append(out, item.(map[string]any))
	}
	return out
}

func bearerRequest(t *testing.T, url, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", latestAccept)
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

// TestARestartedStubTakesNoOtherSeed restarts a stub on its data directory with the seed it
// was created with, which is fine, and with another, which is refused: a seed fixes the
// credentials of a new state only.
func TestARestartedStubTakesNoOtherSeed(t *testing.T) {
	dir := t.TempDir()
	seed := server.Bootstrap{OrgId: "aaaaaaaaaaaaaaaaaaaaaaaa"}
	durableStub(t, dir, stubtest.WithBootstrap(seed)).Close()
	again := durableStub(t, dir, stubtest.WithBootstrap(seed))
	assert.Equal(t, seed.OrgId, again.Credentials.OrgId)
	again.Close()

	backend, err := store.OpenDataDir(dir)
	require.NoError(t, err)
	defer backend.Close()
	other := seed
	other.OrgId = "bbbbbbbbbbbbbbbbbbbbbbbb"
	_, err = server.New(server.Config{Backend: backend, Bootstrap: other})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "orgId differs from the kept state's")
}

// TestResetInADataDirectoryIsKept resets a stub and restarts it: the reset state, the bootstrap
// state with the clock at real time, is what comes back.
func TestResetInADataDirectoryIsKept(t *testing.T) {
	dir := t.TempDir()
	first := durableStub(t, dir)
	a := newAPI(t, first)
	createProject(t, a, "dropped")
	requireStatus(t, http.StatusOK, a.post("/_stub/clock/advance", map[string]any{"duration": "1h"}))
	requireStatus(t, http.StatusNoContent, a.post("/_stub/reset", nil))
	first.Close()

	second := durableStub(t, dir)
	b := newAPI(t, second)
	groups := results(b.get("/api/atlas/v2/groups").object(t))
	require.Len(t, groups, 1)
	assert.Equal(t, second.Credentials.ProjectId, groups[0]["id"])
	assert.Equal(t, float64(0), b.get("/_stub/clock").object(t)["offsetSeconds"])
	var now struct{ Now time.Time }
	b.get("/_stub/clock").json(t, &now)
	assert.WithinDuration(t, time.Now(), now.Now, time.Minute)
}
