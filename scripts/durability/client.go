package durability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
)

// accept is the versioned media type every request asks for.
const accept = "application/vnd.atlas.2025-02-19+json"

// Client sends requests to a stub as its bootstrap service account, with a bearer token that it
// mints again when the stub refuses it (the stub's clock moves, and tokens last an hour of it).
type Client struct {
	creds Credentials
	http  *http.Client

	mu    sync.Mutex
	token string
}

// NewClient returns a client of the stub that printed creds, signed in with token when given.
func NewClient(creds Credentials, token string) *Client {
	transport := &http.Transport{MaxIdleConnsPerHost: 128}
	return &Client{creds: creds, http: &http.Client{Transport: transport, Timeout: 30 * time.Second}, token: token}
}

// Token returns the bearer token the client uses, minting one first if it has none.
func (c *Client) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == "" {
		token, err := oauthtoken.Mint(ctx, c.http, c.creds.BaseURL, c.creds.ServiceAccount.ClientID, c.creds.ServiceAccount.ClientSecret)
		if err != nil {
			return "", err
		}
		c.token = token
	}
	return c.token, nil
}

// forget drops a token the stub refused, unless another request already replaced it.
func (c *Client) forget(token string) {
	c.mu.Lock()
	if c.token == token {
		c.token = ""
	}
	c.mu.Unlock()
}

// Response is a response read whole: a request whose response could not be read whole has an
// unknown outcome.
type Response struct {
	Status int
	Body   []byte
}

// ErrUnreachable wraps the failure of a request whose outcome is unknown: the stub did not
// answer, or its answer was cut off.
var ErrUnreachable = errors.New("no whole answer")

// Do sends a request with a JSON body (nil for none) and reads its whole response. A refused
// token is minted again and the request sent again, once: the stub refused it without acting.
func (c *Client) Do(ctx context.Context, method, path string, body any) (Response, error) {
	for attempt := 0; ; attempt++ {
		token, err := c.Token(ctx)
		if err != nil {
			return Response{}, fmt.Errorf("%w: mint a token: %w", ErrUnreachable, err)
		}
		r, err := c.send(ctx, method, path, body, "Bearer "+token)
		if err == nil && r.Status == http.StatusUnauthorized && attempt == 0 {
			c.forget(token)
			continue
		}
		return r, err
	}
}

// send sends one request with the Authorization header given.
func (c *Client) send(ctx context.Context, method, path string, body any, authorization string) (Response, error) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return Response{}, err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.creds.BaseURL+path, reader)
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("Accept", accept)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("%w: %s %s: %w", ErrUnreachable, method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%w: %s %s: %w", ErrUnreachable, method, path, err)
	}
	return Response{Status: res.StatusCode, Body: data}, nil
}

// WithToken sends a GET with a bearer token of its own, to see whether the stub takes it.
func (c *Client) WithToken(ctx context.Context, path, token string) (Response, error) {
	return c.send(ctx, http.MethodGet, path, nil, "Bearer "+token)
}

// OAuth posts a form to the token or revoke endpoint with a service account's client
// credentials over HTTP Basic.
func (c *Client) OAuth(ctx context.Context, path, clientID, secret, form string) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.creds.BaseURL+path, strings.NewReader(form))
	if err != nil {
		return Response{}, err
	}
	req.SetBasicAuth(clientID, secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("%w: POST %s: %w", ErrUnreachable, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%w: POST %s: %w", ErrUnreachable, path, err)
	}
	return Response{Status: res.StatusCode, Body: data}, nil
}

// Close closes the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }
