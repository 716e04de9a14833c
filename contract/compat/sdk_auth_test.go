package compat

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
	"go.mongodb.org/atlas-sdk/v20250312013/auth/clientcredentials"
	"golang.org/x/oauth2"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestSDKAuthenticationFailures checks the failures of the SDK's two ways of signing in, and
// revocation, as the SDK reports them.
func TestSDKAuthenticationFailures(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	ctx, creds := t.Context(), stub.Credentials

	t.Run("a wrong client secret fails at the token endpoint", func(t *testing.T) {
		client := newOAuthClient(t, stub.URL, creds.ServiceAccount.ClientId, "mdb_sa_sk_wrong")
		_, _, err := client.ProjectsApi.GetGroup(ctx, creds.ProjectId).Execute()
		var retrieve *oauth2.RetrieveError
		require.True(t, errors.As(err, &retrieve), "an OAuth error, not an Atlas one: %v", err)
		assert.Equal(t, "invalid_client", retrieve.ErrorCode)
		assert.Equal(t, http.StatusUnauthorized, retrieve.Response.StatusCode)
		_, isAPIError := admin.AsError(err)
		assert.False(t, isAPIError)
	})

	t.Run("a wrong private key is Atlas's 401 UNEXPECTED_ERROR", func(t *testing.T) {
		client := newDigestClient(t, stub.URL, creds.ApiKey.PublicKey, "00000000-0000-0000-0000-000000000000")
		_, _, err := client.ProjectsApi.GetGroup(ctx, creds.ProjectId).Execute()
		assert.True(t, admin.IsErrorCode(err, "UNEXPECTED_ERROR"), "%v", err)
		apiErr, ok := admin.AsError(err)
		require.True(t, ok)
		assert.Equal(t, http.StatusUnauthorized, apiErr.GetError())
	})

	t.Run("a revoked token is Atlas's 401 UNEXPECTED_ERROR", func(t *testing.T) {
		// The SDK's own client-credentials configuration mints and revokes tokens.
		conf := clientcredentials.NewConfig(creds.ServiceAccount.ClientId, creds.ServiceAccount.ClientSecret)
		conf.TokenURL = stub.URL + clientcredentials.TokenAPIPath
		conf.RevokeURL = stub.URL + clientcredentials.RevokeAPIPath
		token, err := conf.Token(ctx)
		require.NoError(t, err)
		assert.Equal(t, "Bearer", token.Type())
		require.NoError(t, conf.RevokeToken(ctx, token))

		client, err := admin.NewClient(admin.UseBaseURL(stub.URL),
			admin.UseHTTPClient(oauth2.NewClient(ctx, oauth2.StaticTokenSource(token))))
		require.NoError(t, err)
		_, _, err = client.ProjectsApi.GetGroup(ctx, creds.ProjectId).Execute()
		assert.True(t, admin.IsErrorCode(err, "UNEXPECTED_ERROR"), "%v", err)
	})
}
