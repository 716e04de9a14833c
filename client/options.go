package client

import (
	"net/http"
	"runtime"
)

// Option configures a Client at New.
type Option func(*config)

type config struct {
	serviceAccount *credentials
	apiKey         *credentials
	httpClient     *http.Client
	userAgent      string
	versionDate    string
	retry          RetryPolicy
}

// credentials are a pair of names and secrets: a service account's client id and secret, or an API
// key's public and private key.
type credentials struct{ id, secret string }

func defaultConfig() config {
	return config{
		httpClient: &http.Client{},
		userAgent:  "atlasstub-client (" + runtime.GOOS + ";" + runtime.GOARCH + ")",
	}
}

// WithServiceAccount authenticates with a service account: the client mints OAuth 2.0 access
// tokens with the client-credentials grant at <baseURL>/api/oauth/token, and sends them as
// bearer tokens. See docs/client.md for when it mints a new one.
func WithServiceAccount(clientID, clientSecret string) Option {
	return func(c *config) { c.serviceAccount = &credentials{clientID, clientSecret} }
}

// WithAPIKey authenticates with a programmatic API key over HTTP Digest, as the Atlas SDKs do:
// every request goes out twice, once for the challenge and once with the answer.
func WithAPIKey(publicKey, privateKey string) Option {
	return func(c *config) { c.apiKey = &credentials{publicKey, privateKey} }
}

// WithHTTPClient sends the requests, token requests included, with httpClient: its Transport
// (http.DefaultTransport when nil) carries every request after the client has added
// authentication and retries, and its Timeout, Jar and CheckRedirect apply as they are.
func WithHTTPClient(httpClient *http.Client) Option {
	return func(c *config) {
		if httpClient != nil {
			c.httpClient = httpClient
		}
	}
}

// WithUserAgent sets the User-Agent header of every request, token requests included.
func WithUserAgent(userAgent string) Option {
	return func(c *config) { c.userAgent = userAgent }
}

// WithVersionDate asks every versioned operation for the API as of date (YYYY-MM-DD) instead of
// its own newest version in the specification: Atlas serves the newest version not later than
// the date, and answers 406 INVALID_VERSION_DATE when the operation has none.
func WithVersionDate(date string) Option {
	return func(c *config) { c.versionDate = date }
}

// WithRetryPolicy replaces the default retry policy (see RetryPolicy).
func WithRetryPolicy(policy RetryPolicy) Option {
	return func(c *config) { c.retry = policy }
}
