// Package oauth serves the OAuth 2.0 token and revoke endpoints of service accounts.
package oauth

import (
	"context"
	"time"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/authz"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/store"
)

// Handlers serve the OAuth operations.
type Handlers struct {
	store  *store.Store
	tokens *auth.Tokens
}

// New returns the handlers over their state.
func New(s *store.Store, tokens *auth.Tokens) *Handlers { return &Handlers{store: s, tokens: tokens} }

// CreateOAuthToken mints an access token for the service account whose client credentials the
// gatekeeper checked. Tokens last an hour on the stub's clock and cannot be refreshed.
func (h *Handlers) CreateOAuthToken(ctx context.Context, req atlasapi.CreateOAuthTokenRequestObject) (atlasapi.CreateOAuthTokenResponseObject, error) {
	body, err := handlers.RequireBody(req.Body)
	if err != nil {
		return nil, apierror.OAuthInvalidRequest.New()
	}
	if body.GrantType != "client_credentials" {
		return nil, apierror.OAuthUnsupportedGrantType.New()
	}
	caller := authz.Caller(ctx)
	token, _, err := h.tokens.Mint(caller.ID, caller.SecretID)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateOAuthToken200JSONResponse{AccessToken: token, ExpiresIn: int(auth.TokenLifetime / time.Second), TokenType: atlasapi.Bearer}, nil
}

// RevokeOAuthToken revokes a token that the authenticating service account minted. As RFC 7009
// asks, a token that is unknown, invalid or another account's is answered the same way, 200.
func (h *Handlers) RevokeOAuthToken(ctx context.Context, req atlasapi.RevokeOAuthTokenRequestObject) (atlasapi.RevokeOAuthTokenResponseObject, error) {
	body, err := handlers.RequireBody(req.Body)
	if err != nil {
		return nil, apierror.OAuthInvalidRequest.New()
	}
	claims, err := h.tokens.Parse(body.Token)
	if err == nil && claims.Subject == authz.Caller(ctx).ID {
		err := h.store.Update(func(tx *store.Tx) error { return tx.RevokeToken(claims.ID, claims.ExpiresAt.Time) })
		if err != nil {
			return nil, err
		}
	}
	return atlasapi.RevokeOAuthToken200Response{}, nil
}
