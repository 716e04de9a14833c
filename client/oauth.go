package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// The two OAuth endpoints authenticate with a service account's client id and secret over HTTP
// Basic, whatever credentials the client was built with, so their methods take them as arguments
// and are written here rather than generated with the others. A client built WithServiceAccount
// mints its own tokens; these are for handing a token to another program, checking a freshly
// rotated secret, or revoking a token.

// CreateOAuthToken calls createOAuthToken (POST /api/oauth/token): it mints an access token for
// a service account with the client-credentials grant. The token lasts an hour.
func (c *Client) CreateOAuthToken(ctx context.Context, clientID, clientSecret string) (*atlasapi.OAuthToken, error) {
	form := atlasapi.OAuthTokenRequest{GrantType: "client_credentials"}
	return decodeJSON[atlasapi.OAuthToken](c.api.CreateOAuthTokenWithFormdataBody(ctx, nil, form,
		c.headers("createOAuthToken"), basicAuth(clientID, clientSecret)))
}

// RevokeOAuthToken calls revokeOAuthToken (POST /api/oauth/revoke): it revokes an access token
// that the service account minted. Revoking an unknown token succeeds, as RFC 7009 asks.
func (c *Client) RevokeOAuthToken(ctx context.Context, clientID, clientSecret, accessToken string) error {
	hint := "access_token"
	form := atlasapi.OAuthRevokeRequest{Token: accessToken, TokenTypeHint: &hint}
	return checkSuccess(c.api.RevokeOAuthTokenWithFormdataBody(ctx, form,
		c.headers("revokeOAuthToken"), basicAuth(clientID, clientSecret)))
}

// basicAuth sends client credentials as golang.org/x/oauth2 does with AuthStyleInHeader: each part
// form-encoded, as RFC 6749 section 2.3.1 asks.
func basicAuth(clientID, clientSecret string) atlasapi.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(clientSecret))
		return nil
	}
}
