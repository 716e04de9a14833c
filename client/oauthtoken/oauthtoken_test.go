package oauthtoken_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestMintedTokensOpenTheAPI mints a token of the stub's service account and calls the API with it.
func TestMintedTokensOpenTheAPI(t *testing.T) {
	stub := stubtest.New(t)
	account := stub.Credentials.ServiceAccount
	token, err := oauthtoken.Mint(context.Background(), http.DefaultClient, stub.URL+"/", account.ClientId, account.ClientSecret)
	require.NoError(t, err)

	req, err := http.NewRequest(http.MethodGet, stub.URL+"/api/atlas/v2/orgs/"+stub.Credentials.OrgId, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
}

// TestAWrongSecretIsRefusedWithTheOAuthError asks the stub with a secret it never issued.
func TestAWrongSecretIsRefusedWithTheOAuthError(t *testing.T) {
	stub := stubtest.New(t)
	_, err := oauthtoken.Mint(context.Background(), http.DefaultClient, stub.URL, stub.Credentials.ServiceAccount.ClientId, "mdb_sa_sk_wrong")

	var refused *oauthtoken.Error
	require.ErrorAs(t, err, &refused)
	assert.Equal(t, http.StatusUnauthorized, refused.StatusCode)
	assert.Equal(t, "invalid_client", refused.Code)
	assert.True(t, strings.HasPrefix(err.Error(), "the token endpoint answered 401 invalid_client"), err.Error())
}

// TestTheRequestIsAClientCredentialsGrant records the request: a form with the grant, and the
// client id and secret over HTTP Basic, each form-encoded (RFC 6749 section 2.3.1).
func TestTheRequestIsAClientCredentialsGrant(t *testing.T) {
	var got *http.Request
	var form string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got, form = r, string(body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"abc","expires_in":3600,"token_type":"Bearer"}`)
	}))
	t.Cleanup(server.Close)

	token, err := oauthtoken.Mint(context.Background(), server.Client(), server.URL, "id:with space", "secret&more")
	require.NoError(t, err)
	assert.Equal(t, "abc", token)
	assert.Equal(t, http.MethodPost, got.Method)
	assert.Equal(t, "/api/oauth/token", got.URL.Path)
	assert.Equal(t, "grant_type=client_credentials", form)
	assert.Equal(t, "application/x-www-form-urlencoded", got.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	id, secret, ok := got.BasicAuth()
	require.True(t, ok)
	assert.Equal(t, url.QueryEscape("id:with space"), id)
	assert.Equal(t, url.QueryEscape("secret&more"), secret)
}

// TestAnswersThatAreNoTokenAreErrors: a refusal that is not an RFC 6749 error (Atlas answers its
// rate limit in its own shape) keeps the start of its body, and a 200 without a token is no token.
func TestAnswersThatAreNoTokenAreErrors(t *testing.T) {
	status, body := 0, ""
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(server.Close)
	mint := func() error {
		_, err := oauthtoken.Mint(context.Background(), server.Client(), server.URL, "id", "secret")
		return err
	}

	status, body = http.StatusTooManyRequests, `{"error": 429, "errorCode": "RATE_LIMITED", "detail": "slow down"}`
	err := mint()
	var refused *oauthtoken.Error
	require.True(t, errors.As(err, &refused), "%v", err)
	assert.Equal(t, &oauthtoken.Error{StatusCode: 429, Description: `{"error": 429, "errorCode": "RATE_LIMITED", "detail": "slow down"}`}, refused)

	status, body = http.StatusOK, `{"token_type":"Bearer"}`
	assert.EqualError(t, mint(), `the token endpoint answered 200 without an access token: {"token_type":"Bearer"}`)
}
