package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// Client calls the operations of the Atlas Administration API subset that openapi/atlas.yaml
// describes. It is safe for concurrent use.
type Client struct {
	api        *atlasapi.Client
	mediaTypes map[string]mediaTypes
	// retries, tokenRetries and tokens are kept for the package's tests, which replace their
	// clocks.
	retries      *retryTransport
	tokenRetries *retryTransport
	tokens       *tokenCache
}

// New returns a client of the API at baseURL, such as https://cloud.mongodb.com or a stub's
// http://127.0.0.1:8080; the paths of the specification are appended to it. Without
// WithServiceAccount or WithAPIKey the requests carry no credentials.
func New(baseURL string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	server, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil || server.Scheme != "http" && server.Scheme != "https" || server.Host == "" {
		return nil, fmt.Errorf("client: base URL %q is not an http or https URL", baseURL)
	}
	if cfg.serviceAccount != nil && cfg.apiKey != nil {
		return nil, errors.New("client: WithServiceAccount and WithAPIKey exclude each other")
	}
	if cfg.versionDate != "" {
		if err := checkVersionDate(cfg.versionDate); err != nil {
			return nil, err
		}
	}
	c := &Client{mediaTypes: mediaTypesFor(specOperations, cfg.versionDate)}

	// The transport chain, from the outside in: retries, authentication, the user agent, and the
	// caller's transport. Token requests take the same retries and the same user agent over the
	// caller's transport.
	base := cfg.httpClient.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	var transport http.RoundTripper = &headerTransport{header: http.Header{"User-Agent": {cfg.userAgent}}, next: base}
	switch {
	case cfg.serviceAccount != nil:
		tokenClient := *cfg.httpClient
		c.tokenRetries = newRetryTransport(tokenRetryPolicy(cfg.retry),
			&headerTransport{header: http.Header{"User-Agent": {cfg.userAgent}, "Accept": {"application/json"}}, next: base})
		tokenClient.Transport = c.tokenRetries
		c.tokens = newTokenCache(server.String()+"/api/oauth/token", *cfg.serviceAccount, &tokenClient)
		transport = &bearerTransport{tokens: c.tokens, next: transport}
	case cfg.apiKey != nil:
		transport = newDigestTransport(*cfg.apiKey, transport)
	}
	c.retries = newRetryTransport(cfg.retry, transport)
	httpClient := *cfg.httpClient
	httpClient.Transport = c.retries

	if c.api, err = atlasapi.NewClient(server.String(), atlasapi.WithHTTPClient(&httpClient)); err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	return c, nil
}

// headerTransport sets headers on every request: the user agent, and for token requests, which
// golang.org/x/oauth2 sends without one, Accept.
type headerTransport struct {
	header http.Header
	next   http.RoundTripper
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	for name, values := range t.header {
		req.Header[name] = values
	}
	return t.next.RoundTrip(req)
}
