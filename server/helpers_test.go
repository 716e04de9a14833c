package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// latestAccept is what the documented curl recipes send.
const latestAccept = "application/vnd.atlas.2025-02-19+json"

// api sends requests to a stub over real HTTP; by default as a service account, with a bearer
// token that it mints again when the stub's clock has moved past its expiry.
//
// The stubs of these tests apply Atlas's rate limits, and the tests stay within them: an api
// mints one token and keeps it, so no test comes near ten tokens a minute for one account,
// except limits_test.go, which means to.
type api struct {
	t    *testing.T
	stub *stubtest.Stub
	// accept is the Accept header of every request; empty sends none.
	accept string
	// authorization, when set, replaces the bearer token (e.g. "" with anonymous).
	authorization func() string
	token         string
	retried       bool
	// client sends the requests; nil means http.DefaultClient.
	client *http.Client
}

type serverConfig = server.Config

// newAPI returns a client that signs in as the bootstrap service account.
func newAPI(t *testing.T, stub *stubtest.Stub) *api {
	sa := stub.Credentials.ServiceAccount
	return asClient(t, stub, sa.ClientId, sa.ClientSecret)
}

// asAccount returns a client that signs in as a service account, with its first secret.
func asAccount(t *testing.T, stub *stubtest.Stub, sa serviceAccount) *api {
	return asClient(t, stub, sa.ClientID, sa.Secrets[0].Secret)
}

// asClient returns a client that signs in with bearer tokens minted from the client credentials.
func asClient(t *testing.T, stub *stubtest.Stub, clientID, secret string) *api {
	a := &api{t: t, stub: stub, accept: latestAccept}
	a.authorization = func() string {
		if a.token == "" {
			a.token = mintToken(t, stub, clientID, secret)
		}
		return "Bearer " + a.token
	}
	return a
}

// anonymous returns a client that sends no credentials.
func (a *api) anonymous() *api {
	return &api{t: a.t, stub: a.stub, accept: a.accept, authorization: func() string { return "" }}
}

// mintToken gets an access token for a service account from the token endpoint.
func mintToken(t *testing.T, stub *stubtest.Stub, clientID, secret string) string {
	t.Helper()
	r := postToken(t, stub, clientID, secret, "grant_type=client_credentials")
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.body)
	var token struct {
		AccessToken string `json:"access_token"`
	}
	r.json(t, &token)
	return token.AccessToken
}

// postToken asks the token endpoint for a token with HTTP Basic client credentials and a form.
func postToken(t *testing.T, stub *stubtest.Stub, clientID, secret, form string) response {
	t.Helper()
	return postOAuth(t, stub, "/api/oauth/token", clientID, secret, form)
}

// postOAuth posts a form to an OAuth endpoint, path with any query, with HTTP Basic client
// credentials; an empty clientID sends none.
func postOAuth(t *testing.T, stub *stubtest.Stub, path, clientID, secret, form string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, stub.URL+path, strings.NewReader(form))
	require.NoError(t, err)
	if clientID != "" {
		req.SetBasicAuth(clientID, secret)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(t, http.DefaultClient, req)
}

// createProject creates a project in the bootstrap organization and returns its id.
func createProject(t *testing.T, a *api, name string) string {
	t.Helper()
	r := a.post("/api/atlas/v2/groups", map[string]any{"name": name, "orgId": a.stub.Credentials.OrgId})
	requireStatus(t, http.StatusCreated, r)
	return r.object(t)["id"].(string)
}

// response is a received response with its body read.
type response struct {
	*http.Response
	body []byte
}

// json decodes the body into v.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// object decodes the body as a JSON object.
func (r response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

func send(t *testing.T, client *http.Client, req *http.Request) response {
	t.Helper()
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{Response: res, body: data}
}

func (a *api) do(method, path string, body any, headers ...string) response {
	a.t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		require.NoError(a.t, err)
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.stub.URL+path, reader)
	require.NoError(a.t, err)
	if a.accept != "" {
		req.Header.Set("Accept", a.accept)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization := a.authorization(); authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := a.client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	require.NoError(a.t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(a.t, err)
	if res.StatusCode == http.StatusUnauthorized && a.token != "" && !a.retried && refusesCredentials(data) {
		// The stub's clock may have passed the token's expiry: mint a new one, once.
		a.token, a.retried = "", true
		defer func() { a.retried = false }()
		return a.do(method, path, body, headers...)
	}
	return response{Response: res, body: data}
}

// refusesCredentials reports whether a 401 refuses the credentials themselves, as Atlas does with
// errorCode UNEXPECTED_ERROR; the other 401 codes (USER_UNAUTHORIZED, ...) refuse what the caller
// may do, which another token would not change.
func refusesCredentials(body []byte) bool {
	var e struct{ ErrorCode string }
	return json.Unmarshal(body, &e) == nil && e.ErrorCode == "UNEXPECTED_ERROR"
}

func (a *api) get(path string, headers ...string) response {
	return a.do(http.MethodGet, path, nil, headers...)
}
func (a *api) post(path string, body any, headers ...string) response {
	return a.do(http.MethodPost, path, body, headers...)
}
func (a *api) patch(path string, body any, headers ...string) response {
	return a.do(http.MethodPatch, path, body, headers...)
}
func (a *api) delete(path string, headers ...string) response {
	return a.do(http.MethodDelete, path, nil, headers...)
}

// requireStatus fails the test unless the response has the status.
func requireStatus(t *testing.T, want int, r response) {
	t.Helper()
	require.Equal(t, want, r.StatusCode, "%s %s: %s", r.Request.Method, r.Request.URL, r.body)
}

// requireAPIError fails the test unless the response is an Atlas error with status and code.
func requireAPIError(t *testing.T, status int, code string, r response) map[string]any {
	t.Helper()
	requireStatus(t, status, r)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	e := r.object(t)
	require.Equal(t, float64(status), e["error"], "%s", r.body)
	require.Equal(t, code, e["errorCode"], "%s", r.body)
	require.NotEmpty(t, e["detail"])
	require.Equal(t, http.StatusText(status), e["reason"])
	return e
}

// requireUnauthenticated fails the test unless the response is Atlas's 401 to missing or wrong
// credentials, as live Atlas answers it: errorCode UNEXPECTED_ERROR, its detail, no parameters.
func requireUnauthenticated(t *testing.T, r response) map[string]any {
	t.Helper()
	e := requireAPIError(t, http.StatusUnauthorized, "UNEXPECTED_ERROR", r)
	require.Equal(t, "You are not authorized for this resource.", e["detail"], "%s", r.body)
	require.NotContains(t, e, "parameters", "%s", r.body)
	return e
}

// requireFieldViolation fails the test unless the response is a 400 of code about one field of
// the request: the field is the error's only parameter, and badRequestDetail.fields names it and
// says why it is rejected, as for every violation of the specification.
func requireFieldViolation(t *testing.T, code, field string, r response) {
	t.Helper()
	e := requireAPIError(t, http.StatusBadRequest, code, r)
	require.Equal(t, []any{field}, e["parameters"], "%s", r.body)
	var body struct {
		BadRequestDetail struct {
			Fields []struct{ Field, Description string }
		}
	}
	r.json(t, &body)
	require.Len(t, body.BadRequestDetail.Fields, 1, "%s", r.body)
	require.Equal(t, field, body.BadRequestDetail.Fields[0].Field, "%s", r.body)
	require.NotEmpty(t, body.BadRequestDetail.Fields[0].Description, "%s", r.body)
}
