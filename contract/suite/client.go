package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/mongodb-forks/digest"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/contract"
)

// auth says how a request authenticates.
type auth int

const (
	asServiceAccount auth = iota // a bearer token of the service account
	rawAuthorization             // the request's own Authorization header, or none
)

// request is one request of the kit, before it is sent.
type request struct {
	method string
	// path is escaped and may carry a query.
	path        string
	body        []byte
	contentType string
	accept      string
	auth        auth
	header      http.Header
	// shownCredentials are the curl flags that stand for the request's credentials when they are
	// not the kit's service account's (see curl.go).
	shownCredentials []string
	// invalid says that the request breaks the contract on purpose.
	invalid bool
}

// jsonRequest is a request of the service account with a JSON body (nil for none), accepting what
// the path serves (acceptFor).
func jsonRequest(method, path string, body any) request {
	r := request{method: method, path: path, auth: asServiceAccount, accept: acceptFor(path)}
	if body != nil {
		r.body, r.contentType = jsonBody(body), "application/json"
	}
	return r
}

// response is a received response with its body read, and the request it answered.
type response struct {
	request     *http.Request
	requestBody []byte
	status      int
	header      http.Header
	body        []byte
	curl        string
	// enveloped says that the request asked for envelope=true.
	enveloped bool
}

// object decodes a JSON object body; anything else is nil. With envelope=true, an entity comes
// as {"status", "content"}, and object is the content.
func (r response) object() map[string]any {
	var m map[string]any
	if json.Unmarshal(r.body, &m) != nil {
		return nil
	}
	if content, ok := m["content"].(map[string]any); ok && r.enveloped && len(m) == 2 && m["status"] != nil {
		return content
	}
	return m
}

// client sends the kit's requests through the validating transport, as the service account or
// with the credentials a request carries.
type client struct {
	spec *contract.Spec
	// network carries the kit's requests and waits out the target's rate limits (pacing);
	// direct carries them as they are, for the client under test of the resilience scenario,
	// which rides out the faults itself (resilience).
	network, direct http.RoundTripper
	resilience      func(http.RoundTripper) http.RoundTripper
	base            string
	creds           Credentials
	plain           *http.Client // contract.Transport over the network

	// ledger is what the kit's requests created and the kit must delete.
	ledger *ledger

	mu    sync.Mutex
	token string
	// others are the transports of the scenarios' own credentials.
	others []*contract.Transport
}

func newClient(spec *contract.Spec, cfg Config) *client {
	creds, direct, wait, resilience := cfg.Credentials, cfg.Network, cfg.Wait, cfg.Resilience
	if direct == nil {
		direct = http.DefaultTransport
	}
	if wait == nil {
		wait = sleepFor
	}
	if resilience == nil {
		resilience = kitRetries
	}
	network := pacing{next: direct, wait: wait}
	return &client{
		spec:       spec,
		network:    network,
		direct:     direct,
		resilience: resilience,
		base:       strings.TrimSuffix(creds.BaseURL, "/"),
		creds:      creds,
		plain:      &http.Client{Transport: contract.NewTransport(spec, network), CheckRedirect: noRedirects},
		ledger:     &ledger{orgID: creds.OrgID, spec: spec},
	}
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// transports returns every validating transport of the run.
func (c *client) transports() []*contract.Transport {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*contract.Transport{c.plain.Transport.(*contract.Transport)}, c.others...)
}

// violations returns what the transports found.
func (c *client) violations() []contract.Violation {
	var out []contract.Violation
	for _, t := range c.transports() {
		out = append(out, t.Violations()...)
	}
	return out
}

// exchanges returns what the transports saw.
func (c *client) exchanges() []contract.Exchange {
	var out []contract.Exchange
	for _, t := range c.transports() {
		out = append(out, t.Exchanges()...)
	}
	return out
}

// digestClient returns a client that signs in with an API key the kit made, over HTTP Digest,
// through a validating transport of its own.
func (c *client) digestClient(publicKey, privateKey string) *http.Client {
	t := contract.NewTransport(c.spec, digest.NewTransportWithHTTPRoundTripper(publicKey, privateKey, c.network))
	t.CurlCredentials = kitAPIKey(publicKey)
	c.mu.Lock()
	c.others = append(c.others, t)
	c.mu.Unlock()
	return &http.Client{Transport: t, CheckRedirect: noRedirects}
}

// send sends a request; a service-account request whose token was refused is sent again once
// with a new token, since tokens expire. A 401 refuses the token when it challenges the client to
// authenticate (WWW-Authenticate), as Atlas's 401 to missing or wrong credentials does; a 401 for
// a missing role does not, and another token would not change it.
func (c *client) send(ctx context.Context, r request) (response, error) {
	res, err := c.sendOnce(ctx, r)
	if err == nil && r.auth == asServiceAccount && res.status == http.StatusUnauthorized && res.header.Get("WWW-Authenticate") != "" {
		c.mu.Lock()
		c.token = ""
		c.mu.Unlock()
		return c.sendOnce(ctx, r)
	}
	return res, err
}

func (c *client) sendOnce(ctx context.Context, r request) (response, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	if r.invalid {
		ctx = contract.Invalid(ctx)
	}
	if r.shownCredentials != nil {
		ctx = contract.WithCurlCredentials(ctx, r.shownCredentials...)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, body)
	if err != nil {
		return response{}, err
	}
	for name, values := range r.header {
		req.Header[name] = values
	}
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.auth == asServiceAccount {
		token, err := c.bearer(ctx)
		if err != nil {
			return response{}, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := do(c.plain, req, r.body)
	if err == nil {
		if route, _, routeErr := c.spec.Route(req); routeErr == nil {
			c.ledger.note(route.Operation.OperationID, req, res)
		}
	}
	return res, err
}

// sendWith sends a request with its own client, which authenticates it unless the request
// carries its own Authorization header.
func (c *client) sendWith(ctx context.Context, httpClient *http.Client, r request) (response, error) {
	if r.shownCredentials != nil {
		ctx = contract.WithCurlCredentials(ctx, r.shownCredentials...)
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, body)
	if err != nil {
		return response{}, err
	}
	for name, values := range r.header {
		req.Header[name] = values
	}
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	return do(httpClient, req, r.body)
}

// do sends a request with one of the kit's clients, each of which sends through a validating
// transport; the response's curl is that transport's, so that it shows the credentials that a
// lower transport (Digest) adds.
func do(httpClient *http.Client, req *http.Request, body []byte) (response, error) {
	res, err := httpClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	enveloped, _ := strconv.ParseBool(req.URL.Query().Get("envelope"))
	return response{request: req, requestBody: body, status: res.StatusCode, header: res.Header, body: data, curl: httpClient.Transport.(*contract.Transport).Curl(req, body), enveloped: enveloped}, nil
}

// bearer returns the service account's token, minting one at the token endpoint when there is none.
func (c *client) bearer(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" {
		return c.token, nil
	}
	token, err := c.mintToken(ctx, c.creds.ServiceAccount.ClientID, c.creds.ServiceAccount.ClientSecret)
	if err != nil {
		return "", err
	}
	c.token = token
	return token, nil
}

// mintToken asks the token endpoint for a token of a service account, through the validating
// transport. A service account other than the credentials file's is one the kit made, and its
// curl command says so instead of naming the file's.
func (c *client) mintToken(ctx context.Context, clientID, secret string) (string, error) {
	if clientID != c.creds.ServiceAccount.ClientID {
		ctx = contract.WithCurlCredentials(ctx, kitClientCredentials(clientID)...)
	}
	token, err := oauthtoken.Mint(ctx, c.plain, c.base, clientID, secret)
	if err != nil {
		return "", fmt.Errorf("mint a token for %s: %w", clientID, err)
	}
	return token, nil
}

// jsonBody encodes a request body.
func jsonBody(v any) []byte {
	if v == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("suite: encode a request body: %v", err))
	}
	return data
}

// expandPath fills the {parameters} of a path template, escaped as clients send them.
func expandPath(template string, params map[string]string) string {
	for name, value := range params {
		template = strings.ReplaceAll(template, "{"+name+"}", url.PathEscape(value))
	}
	return template
}

// decode decodes a JSON response body.
func decode(res response, v any) error {
	if err := json.Unmarshal(res.body, v); err != nil {
		return fmt.Errorf("decode the response: %w: %s", err, snippet(res.body))
	}
	return nil
}

// snippet is the start of a body for the suite's messages.
func snippet(body []byte) string { return contract.Snippet(body, 300) }
