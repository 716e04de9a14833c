package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// renewBefore is how long before its expiry (by the client's clock) a cached access token is
// replaced by a new one, so that a token does not expire on its way to the server.
const renewBefore = time.Minute

// tokenCache mints a service account's access tokens with the OAuth 2.0 client-credentials grant
// and reuses each until renewBefore its expiry. Concurrent requests wait for one mint rather than
// each minting its own.
type tokenCache struct {
	config clientcredentials.Config
	// httpClient sends the token requests: the caller's transport with the user agent, without
	// the client's authentication and retries.
	httpClient *http.Client
	now        func() time.Time

	mu      sync.Mutex
	current *oauth2.Token
}

func newTokenCache(tokenURL string, account credentials, httpClient *http.Client) *tokenCache {
	return &tokenCache{
		config: clientcredentials.Config{
			ClientID:     account.id,
			ClientSecret: account.secret,
			TokenURL:     tokenURL,
			AuthStyle:    oauth2.AuthStyleInHeader, // Atlas takes HTTP Basic only
		},
		httpClient: httpClient,
		now:        time.Now,
	}
}

// get returns the cached token, or mints one when there is none or it is about to expire. A
// token without an expiry is kept until the server refuses it.
func (c *tokenCache) get(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current != nil && (c.current.Expiry.IsZero() || c.now().Before(c.current.Expiry.Add(-renewBefore))) {
		return c.current, nil
	}
	token, err := c.config.Token(context.WithValue(ctx, oauth2.HTTPClient, c.httpClient))
	if err != nil {
		return nil, tokenError(err)
	}
	c.current = token
	return token, nil
}

// drop forgets token, unless another request has already replaced it.
func (c *tokenCache) drop(token *oauth2.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current == token {
		c.current = nil
	}
}

// tokenError turns the token endpoint's refusal into an *APIError with its RFC 6749 error (or the
// ApiError of Atlas's rate limit, which answers 429 in Atlas's own shape).
func tokenError(err error) error {
	var refused *oauth2.RetrieveError
	if errors.As(err, &refused) && refused.Response != nil {
		return newAPIError(refused.Response, refused.Body)
	}
	return fmt.Errorf("client: mint an access token: %w", err)
}
