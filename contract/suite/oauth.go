package suite

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/atlasstub/atlasstub/contract"
)

// The two OAuth endpoints take a form and HTTP Basic client credentials instead of JSON and a
// token, so the checks build their requests here.

// oauthForm is a valid form for an OAuth endpoint: a grant for the token endpoint, a fresh token
// to revoke for the revoke endpoint.
func (r *runner) oauthForm(ctx context.Context, op contract.Operation) (url.Values, error) {
	if op.OperationID == "revokeOAuthToken" {
		token, err := r.c.mintToken(ctx, r.c.creds.ServiceAccount.ClientId, r.c.creds.ServiceAccount.ClientSecret)
		return url.Values{"token": {token}, "token_type_hint": {"access_token"}}, err
	}
	return url.Values{"grant_type": {"client_credentials"}}, nil
}

// sendOAuth posts a form to an OAuth endpoint with the given Authorization header ("" for none),
// which its curl command shows as shown (nil for the variables of contract.Curl); invalid says
// that the form breaks the contract on purpose.
func (r *runner) sendOAuth(ctx context.Context, op contract.Operation, form url.Values, authorization string, shown []string, invalid bool) (response, error) {
	header := http.Header{}
	if authorization != "" {
		header.Set("Authorization", authorization)
	}
	return r.c.send(ctx, request{
		method: op.Method, path: op.Path, body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded",
		accept: "application/json", auth: rawAuthorization, header: header, shownCredentials: shown, invalid: invalid,
	})
}

// basic is the Authorization header of client credentials.
func basic(clientID, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID)+":"+url.QueryEscape(secret)))
}
