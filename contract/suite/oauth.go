package suite

import (
	"context"
	"encoding/base64"
	"net/url"

	"github.com/atlasstub/atlasstub/contract"
)

// The two OAuth endpoints take a form and HTTP Basic client credentials instead of JSON and a
// token: their valid calls are built here, and the service account signs them with its client
// id and secret.

// formMediaType is the media type of the OAuth endpoints' forms.
const formMediaType = "application/x-www-form-urlencoded"

// oauthForm is a valid form for an OAuth endpoint: a grant for the token endpoint, and for the
// revoke endpoint a form that revokes token.
func oauthForm(op contract.Operation, token string) url.Values {
	if op.OperationID == "revokeOAuthToken" {
		return url.Values{"token": {token}, "token_type_hint": {"access_token"}}
	}
	return url.Values{"grant_type": {"client_credentials"}}
}

// oauthCall is a valid call of an OAuth endpoint; a revoke gets a token of its own to revoke.
func (r *runner) oauthCall(ctx context.Context, op contract.Operation) (call, error) {
	token := ""
	if op.OperationID == "revokeOAuthToken" {
		var err error
		if token, err = r.c.mintToken(ctx, r.c.creds.ServiceAccount.ClientID, r.c.creds.ServiceAccount.ClientSecret); err != nil {
			return call{}, err
		}
	}
	return call{op: op, params: params{}, query: url.Values{}, form: oauthForm(op, token)}, nil
}

// clientCredentials is the Authorization header of the service account at the OAuth endpoints.
func (r *runner) clientCredentials() string {
	return basic(r.c.creds.ServiceAccount.ClientID, r.c.creds.ServiceAccount.ClientSecret)
}

// basic is the Authorization header of client credentials.
func basic(clientID, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID)+":"+url.QueryEscape(secret)))
}
