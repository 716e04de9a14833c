package client

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"

	"github.com/mongodb-forks/digest"
)

// Authentication happens in the transport chain, below the retries (so that every attempt is
// authenticated afresh) and above the caller's transport. A request that already carries an
// Authorization header passes unchanged: the OAuth token and revoke endpoints authenticate with
// the service account's client id and secret over HTTP Basic, not with the client's credentials.

// digestTransport answers Atlas's Digest challenge with an API key (mongodb-forks/digest, the
// transport both Atlas Go SDKs use).
type digestTransport struct {
	digest *digest.Transport
	next   http.RoundTripper
}

func newDigestTransport(key credentials, next http.RoundTripper) *digestTransport {
	return &digestTransport{digest: digest.NewTransportWithHTTPRoundTripper(key.id, key.secret, next), next: next}
}

func (t *digestTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" {
		return t.next.RoundTrip(req)
	}
	return t.digest.RoundTrip(req)
}

// bearerTransport sends a service account's access token with every request.
//
// The token cache renews a token shortly before it expires by the client's clock, but the server's
// clock decides: a token can also be revoked, its secret deleted, or the server's clock ahead (the
// stub's clock can be advanced at will). So when a request with a cached token gets a 401 that
// refuses the credentials, the transport drops the token, mints a new one and sends the request
// once more. A 401 that says the caller lacks a role (USER_UNAUTHORIZED and the like) is returned
// as it is: a new token would not change it, and minting one costs a call to a rate-limited
// endpoint.
type bearerTransport struct {
	tokens *tokenCache
	next   http.RoundTripper
}

// authorizationErrorCodes are the errorCodes of the 401s Atlas answers to an authenticated caller
// that lacks the roles for a request.
var authorizationErrorCodes = []string{
	"USER_UNAUTHORIZED", "USER_CANNOT_ACCESS_ORG", "USER_CANNOT_ACCESS_GROUP",
	"NOT_ORG_GROUP_CREATOR", "NOT_ORG_OWNER", "NOT_IN_GROUP",
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" {
		return t.next.RoundTrip(req)
	}
	token, err := t.tokens.get(req.Context())
	if err != nil {
		return nil, err
	}
	resp, err := t.next.RoundTrip(withBearer(req, token.AccessToken))
	if err != nil || resp.StatusCode != http.StatusUnauthorized || req.Body != nil && req.GetBody == nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if refusesRole(body) {
		return resp, nil
	}
	t.tokens.drop(token)
	if token, err = t.tokens.get(req.Context()); err != nil {
		return nil, err
	}
	again := withBearer(req, token.AccessToken)
	if req.Body != nil {
		if again.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	return t.next.RoundTrip(again)
}

// refusesRole reports whether a 401's body says the caller is known but lacks a role.
func refusesRole(body []byte) bool {
	var apiError struct {
		ErrorCode string `json:"errorCode"`
	}
	return json.Unmarshal(body, &apiError) == nil && slices.Contains(authorizationErrorCodes, apiError.ErrorCode)
}

// withBearer returns a copy of req with the token; a RoundTripper must not change its request.
func withBearer(req *http.Request, accessToken string) *http.Request {
	authenticated := req.Clone(req.Context())
	authenticated.Header.Set("Authorization", "Bearer "+accessToken)
	return authenticated
}
