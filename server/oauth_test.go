package server_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

func requireOAuthError(t *testing.T, status int, code, description string, r response) {
	t.Helper()
	requireStatus(t, status, r)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var body map[string]string
	r.json(t, &body)
	assert.Equal(t, map[string]string{"error": code, "error_description": description}, body)
}

func TestTokenEndpoint(t *testing.T) {
	stub := stubtest.New(t)
	sa := stub.Credentials.ServiceAccount

	r := postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials")
	requireStatus(t, http.StatusOK, r)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var token struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	r.json(t, &token)
	assert.Equal(t, 3600, token.ExpiresIn)
	assert.Equal(t, "Bearer", token.TokenType)
	parts := strings.Split(token.AccessToken, ".")
	require.Len(t, parts, 3, "a JWT")
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.Contains(t, string(header), `"ES512"`)

	requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", postToken(t, stub, sa.ClientId, "mdb_sa_sk_wrong", "grant_type=client_credentials"))
	requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", postToken(t, stub, "mdb_sa_id_000000000000000000000000", sa.ClientSecret, "grant_type=client_credentials"))
	requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", postToken(t, stub, "", "", "grant_type=client_credentials"))
	requireOAuthError(t, 400, "unsupported_grant_type", "Invalid grant type.", postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=password"))
	requireOAuthError(t, 400, "invalid_request", "The provided credentials are not valid.", postToken(t, stub, sa.ClientId, sa.ClientSecret, "scope=x"))

	// The SDK's clientcredentials flow form-encodes the client id and secret in Basic.
	req, _ := http.NewRequest(http.MethodPost, stub.URL+"/api/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(sa.ClientId)+":"+url.QueryEscape(sa.ClientSecret))))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	requireStatus(t, http.StatusOK, send(t, http.DefaultClient, req))
}

func TestTokensWorkForAnHourOfTheStubClock(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	token := stub.Token(t)
	withToken := func() response { return a.anonymous().get("/api/atlas/v2/groups", "Authorization", "Bearer "+token) }

	requireStatus(t, http.StatusOK, withToken())
	stub.Advance(59 * time.Minute)
	requireStatus(t, http.StatusOK, withToken())
	stub.Advance(time.Minute)
	requireUnauthenticated(t, withToken())
}

func TestRevokingATokenOrItsSecretOrItsAccountEndsIt(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	orgID := stub.Credentials.OrgId
	created := a.post("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts", map[string]any{
		"name": "revocable", "description": "tokens to revoke", "roles": []string{"ORG_READ_ONLY"}, "secretExpiresAfterHours": 24,
	})
	requireStatus(t, http.StatusCreated, created)
	var sa struct {
		ClientID string `json:"clientId"`
		Secrets  []struct{ ID, Secret string }
	}
	created.json(t, &sa)
	secret := sa.Secrets[0]
	use := func(token string) response {
		return a.anonymous().get("/api/atlas/v2/orgs/"+orgID, "Authorization", "Bearer "+token)
	}

	revoked := mintToken(t, stub, sa.ClientID, secret.Secret)
	kept := mintToken(t, stub, sa.ClientID, secret.Secret)
	requireStatus(t, http.StatusOK, use(revoked))
	form := url.Values{"token": {revoked}, "token_type_hint": {"access_token"}}.Encode()
	revoke := func(clientID, clientSecret, form string) response {
		return postOAuth(t, stub, "/api/oauth/revoke", clientID, clientSecret, form)
	}
	requireStatus(t, http.StatusOK, revoke(sa.ClientID, secret.Secret, form))
	requireUnauthenticated(t, use(revoked))
	requireStatus(t, http.StatusOK, use(kept))                                           // revoking one token leaves the others
	requireStatus(t, http.StatusOK, revoke(sa.ClientID, secret.Secret, "token=garbage")) // unknown tokens revoke quietly
	requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", revoke(sa.ClientID, "mdb_sa_sk_wrong", form))

	// Another account cannot revoke this account's token.
	boot := stub.Credentials.ServiceAccount
	requireStatus(t, http.StatusOK, revoke(boot.ClientId, boot.ClientSecret, url.Values{"token": {kept}}.Encode()))
	requireStatus(t, http.StatusOK, use(kept))

	requireStatus(t, http.StatusNoContent, a.delete("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+sa.ClientID+"/secrets/"+secret.ID))
	requireUnauthenticated(t, use(kept)) // a deleted secret's tokens stop working
	requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", postToken(t, stub, sa.ClientID, secret.Secret, "grant_type=client_credentials"))

	second := a.post("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+sa.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 24})
	requireStatus(t, http.StatusCreated, second)
	var newSecret struct{ Secret string }
	second.json(t, &newSecret)
	token := mintToken(t, stub, sa.ClientID, newSecret.Secret)
	requireStatus(t, http.StatusOK, use(token))
	requireStatus(t, http.StatusNoContent, a.delete("/api/atlas/v2/orgs/"+orgID+"/serviceAccounts/"+sa.ClientID))
	requireUnauthenticated(t, use(token)) // a deleted account's tokens stop working
}

func TestExpiredSecretsMintNoTokens(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	created := a.post("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/serviceAccounts", map[string]any{
		"name": "short", "description": "short-lived", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 8,
	})
	requireStatus(t, http.StatusCreated, created)
	var sa struct {
		ClientID string `json:"clientId"`
		Secrets  []struct{ Secret string }
	}
	require.NoError(t, json.Unmarshal(created.body, &sa))
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientID, sa.Secrets[0].Secret, "grant_type=client_credentials"))
	stub.Advance(8 * time.Hour)
	requireOAuthError(t, 401, "invalid_client", "Invalid credentials provided.", postToken(t, stub, sa.ClientID, sa.Secrets[0].Secret, "grant_type=client_credentials"))
}

// TestTokenEndpointsAnswerOtherMethodsWithAnAPIError: a GET of the token or revoke endpoint is a
// route's other method, answered as every 405 is, with an Atlas ApiError rather than an RFC
// 6749 body: the OAuth error bodies belong to the POST operations.
func TestTokenEndpointsAnswerOtherMethodsWithAnAPIError(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub).anonymous()
	for _, path := range []string{"/api/oauth/token", "/api/oauth/revoke"} {
		e := requireAPIError(t, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", a.get(path))
		assert.NotContains(t, e, "error_description")
	}
}
