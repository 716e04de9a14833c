package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// serveFrom serves a request in-process as if it came from the TCP peer remoteAddr: tests never
// reach a stub through an address other than loopback.
func serveFrom(stub *stubtest.Stub, remoteAddr, method, target string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = remoteAddr
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	stub.Server.ServeHTTP(rec, req)
	return rec
}

// requireRecordedError fails the test unless a recorded response is an Atlas error of status
// and code.
func requireRecordedError(t *testing.T, status int, code string, rec *httptest.ResponseRecorder) {
	t.Helper()
	res := rec.Result()
	res.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	requireAPIError(t, status, code, response{Response: res, body: rec.Body.Bytes()})
}

// controlPaths are the control API's operations, and a path under it that does not exist.
var controlPaths = []struct{ method, path string }{
	{http.MethodGet, "/_stub/credentials"},
	{http.MethodPost, "/_stub/reset"},
	{http.MethodGet, "/_stub/clock"},
	{http.MethodPost, "/_stub/clock/advance"},
	{http.MethodGet, "/_stub/groups/0123456789abcdef01234567/ca"},
	{http.MethodGet, "/_stub/nowhere"},
}

// TestControlAPIAnswersLoopbackCallersOnly: a caller on another host gets 403 on every path
// of the control API, and never the bootstrap credentials; the Atlas API serves it as before.
func TestControlAPIAnswersLoopbackCallersOnly(t *testing.T) {
	stub := stubtest.New(t)
	for _, op := range controlPaths {
		for _, remote := range []string{"203.0.113.7:40000", "[2001:db8::7]:40000", "[::ffff:203.0.113.7]:40000", "@"} {
			rec := serveFrom(stub, remote, op.method, "http://127.0.0.1"+op.path)
			requireRecordedError(t, http.StatusForbidden, "CONTROL_API_LOOPBACK_ONLY", rec)
			assert.NotContains(t, rec.Body.String(), stub.Credentials.ApiKey.PrivateKey)
		}
	}
	for _, loopback := range []string{"127.0.0.1:40000", "127.8.9.10:40000", "[::1]:40000", "[::ffff:127.0.0.1]:40000"} {
		rec := serveFrom(stub, loopback, http.MethodGet, "http://127.0.0.1/_stub/credentials")
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", loopback, rec.Body)
		assert.Contains(t, rec.Body.String(), stub.Credentials.ApiKey.PrivateKey)
	}

	rec := serveFrom(stub, "203.0.113.7:40000", http.MethodGet, "http://127.0.0.1/api/atlas/v2/groups", "Accept", latestAccept)
	requireRecordedError(t, http.StatusUnauthorized, "UNEXPECTED_ERROR", rec)
}

// TestControlAPIAnswersRemoteCallersWhenAllowed: with RemoteControl, another host may use it.
func TestControlAPIAnswersRemoteCallersWhenAllowed(t *testing.T) {
	stub := stubtest.New(t, func(c *server.Config) { c.RemoteControl = true })
	rec := serveFrom(stub, "203.0.113.7:40000", http.MethodGet, "http://198.51.100.1:8080/_stub/credentials")
	require.Equal(t, http.StatusOK, rec.Code, "%s", rec.Body)
	assert.Contains(t, rec.Body.String(), stub.Credentials.ApiKey.PrivateKey)
}

// TestControlAPIChecksTheForwardedCallerToo: behind a trusted proxy, the caller that
// X-Forwarded-For names must be on loopback too, and so must the proxy.
func TestControlAPIChecksTheForwardedCallerToo(t *testing.T) {
	stub := stubtest.New(t, func(c *server.Config) { c.TrustForwardedFor = true })
	rec := serveFrom(stub, "127.0.0.1:40000", http.MethodGet, "http://127.0.0.1/_stub/credentials", "X-Forwarded-For", "203.0.113.7")
	requireRecordedError(t, http.StatusForbidden, "CONTROL_API_LOOPBACK_ONLY", rec)
	assert.Contains(t, rec.Body.String(), "203.0.113.7", "the refusal names the forwarded caller")
	rec = serveFrom(stub, "203.0.113.7:40000", http.MethodGet, "http://127.0.0.1/_stub/credentials", "X-Forwarded-For", "127.0.0.1")
	requireRecordedError(t, http.StatusForbidden, "CONTROL_API_LOOPBACK_ONLY", rec)
	rec = serveFrom(stub, "127.0.0.1:40000", http.MethodGet, "http://127.0.0.1/_stub/credentials", "X-Forwarded-For", "::1")
	assert.Equal(t, http.StatusOK, rec.Code, "%s", rec.Body)
}

// controlRequest sends a request to the control API over HTTP with a Host and headers of its own.
func controlRequest(t *testing.T, stub *stubtest.Stub, method, path, host string, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, stub.URL+path, strings.NewReader(""))
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(t, http.DefaultClient, req)
}

// TestControlAPIRefusesUnknownHosts: a page that rebinds its own name to 127.0.0.1 sends that
// name as the Host, and cannot read the credentials; the stub's own names and addresses work.
func TestControlAPIRefusesUnknownHosts(t *testing.T) {
	stub := stubtest.New(t, func(c *server.Config) { c.ControlHosts = []string{"atlasstub", "stub.internal."} })
	port := stub.URL[strings.LastIndex(stub.URL, ":"):]
	for _, host := range []string{"attacker.example" + port, "attacker.example", "localhost.attacker.example" + port, "127.0.0.1.nip.io" + port} {
		r := controlRequest(t, stub, http.MethodGet, "/_stub/credentials", host)
		requireAPIError(t, http.StatusForbidden, "CONTROL_API_UNKNOWN_HOST", r)
		assert.NotContains(t, string(r.body), stub.Credentials.ApiKey.PrivateKey)
	}
	for _, host := range []string{"127.0.0.1" + port, "localhost" + port, "LOCALHOST.", "[::1]" + port, "app.localhost" + port, "192.0.2.10" + port, "atlasstub" + port, "AtlasStub", "stub.internal" + port} {
		r := controlRequest(t, stub, http.MethodGet, "/_stub/credentials", host)
		requireStatus(t, http.StatusOK, r)
	}
	r := controlRequest(t, stub, http.MethodGet, "/api/atlas/v2/groups", "attacker.example", "Accept", latestAccept)
	requireUnauthenticated(t, r)
}

// TestControlAPIRefusesCrossOriginWrites posts the form that any web page can post to reset the
// stub, and other writes of other origins: each is 403 and changes nothing. Reads stay
// possible, and the stub lets no other origin read their answers (it sends no CORS headers).
func TestControlAPIRefusesCrossOriginWrites(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	requireStatus(t, http.StatusOK, a.post("/_stub/clock/advance", map[string]any{"duration": "1h"}))

	for name, headers := range map[string][]string{
		"form of another site":       {"Content-Type", "application/x-www-form-urlencoded", "Origin", "https://attacker.example", "Sec-Fetch-Site", "cross-site"},
		"another port of localhost":  {"Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site"},
		"old browser, other origin":  {"Origin", "https://attacker.example"},
		"old browser, opaque origin": {"Origin", "null"},
	} {
		r := controlRequest(t, stub, http.MethodPost, "/_stub/reset", "", headers...)
		requireAPIError(t, http.StatusForbidden, "CONTROL_API_CROSS_ORIGIN", r)
		assert.Equal(t, float64(3600), a.get("/_stub/clock").object(t)["offsetSeconds"], "%s: the stub was not reset", name)
	}

	r := controlRequest(t, stub, http.MethodGet, "/_stub/credentials", "", "Origin", "https://attacker.example", "Sec-Fetch-Site", "cross-site")
	requireStatus(t, http.StatusOK, r)
	assert.Empty(t, r.Header.Get("Access-Control-Allow-Origin"), "no other origin may read the answer")

	for name, headers := range map[string][]string{
		"curl":             nil,
		"the same origin":  {"Origin", stub.URL, "Sec-Fetch-Site", "same-origin"},
		"typed by a user":  {"Sec-Fetch-Site", "none"},
		"old browser, own": {"Origin", stub.URL},
	} {
		t.Run(name, func(t *testing.T) {
			requireStatus(t, http.StatusNoContent, controlRequest(t, stub, http.MethodPost, "/_stub/reset", "", headers...))
		})
	}
}
