package server_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// logBuffer lets the server's goroutines write the log while the test reads it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines decodes the JSON log, a record per line.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range bytes.Lines([]byte(b.String())) {
		var entry map[string]any
		require.NoError(t, json.Unmarshal(line, &entry), "%s", line)
		out = append(out, entry)
	}
	return out
}

func TestAccessLogNamesTheRequestAndItsTCPPeer(t *testing.T) {
	stub, logged := loggingStub(t)
	req, err := http.NewRequest(http.MethodGet, stub.URL+"/api/atlas/v2/groups", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	var peer string // the client's end of the connection: the server's TCP peer
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { peer = info.Conn.LocalAddr().String() }}
	res, err := http.DefaultClient.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)

	requests := logged.requests(t)
	require.Len(t, requests, 1)
	entry := requests[0]
	assert.Equal(t, res.Header.Get("X-Request-Id"), entry["id"])
	assert.Equal(t, "GET", entry["method"])
	assert.Equal(t, "/api/atlas/v2/groups", entry["path"])
	assert.Equal(t, float64(http.StatusUnauthorized), entry["status"])
	assert.Equal(t, "listGroups", entry["operationId"])
	assert.Equal(t, peer, entry["remote"], "the TCP peer, whatever X-Forwarded-For claims")
}

// loggingStub is a strict stub whose JSON log the test reads.
func loggingStub(t *testing.T) (*stubtest.Stub, *logBuffer) {
	t.Helper()
	logged := &logBuffer{}
	stub := stubtest.New(t, stubtest.WithLogger(slog.New(slog.NewJSONHandler(logged, nil))))
	return stub, logged
}

// requests returns the access log's records, oldest first.
func (b *logBuffer) requests(t *testing.T) []map[string]any {
	var out []map[string]any
	for _, entry := range b.lines(t) {
		if entry["msg"] == pipeline.AccessLogMessage {
			out = append(out, entry)
		}
	}
	return out
}

// TestAccessLogSaysWhy: each line has the query string, the duration in milliseconds, the
// operationId, the errorCode of a refusal, and the caller by the public half of its credential:
// the API key's public key, the service account's client id. No secret appears anywhere.
func TestAccessLogSaysWhy(t *testing.T) {
	stub, logged := loggingStub(t)
	creds := stub.Credentials
	accept := "application/vnd.atlas.2023-01-01+json"
	get := func(client *http.Client, path string, header ...string) {
		req, err := http.NewRequest(http.MethodGet, stub.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Accept", accept)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := client.Do(req)
		require.NoError(t, err)
		res.Body.Close()
	}
	get(stub.DigestClient(), "/api/atlas/v2/groups?pretty=true&itemsPerPage=5")
	get(http.DefaultClient, "/api/atlas/v2/orgs/"+creds.OrgId, "Authorization", "Bearer "+stub.Token(t))
	get(http.DefaultClient, "/api/atlas/v2/groups/not-an-id", "Authorization", "Bearer "+stub.Token(t))
	postToken(t, stub, creds.ServiceAccount.ClientId, "mdb_sa_sk_wrong", "grant_type=client_credentials")

	var lines []map[string]any
	for _, entry := range logged.requests(t) {
		if entry["operationId"] != "createOAuthToken" || entry["status"] != float64(http.StatusOK) {
			lines = append(lines, entry) // the tokens that stub.Token minted are not the test's
		}
	}
	require.Len(t, lines, 5, "the Digest challenge and its answer, two bearer calls, the refused token")
	challenge, listed, org, malformed, refused := lines[0], lines[1], lines[2], lines[3], lines[4]

	assert.Equal(t, "pretty=true&itemsPerPage=5", listed["query"])
	assert.Equal(t, creds.ApiKey.PublicKey, listed["caller"], "an API key by its public key")
	assert.Equal(t, "listGroups", listed["operationId"])
	assert.NotContains(t, listed, "errorCode")
	assert.Equal(t, "UNEXPECTED_ERROR", challenge["errorCode"], "the Digest challenge that came first")
	assert.NotContains(t, challenge, "caller", "no one has signed in yet")

	assert.Equal(t, creds.ServiceAccount.ClientId, org["caller"], "a service account by its client id")
	assert.NotContains(t, org, "query")
	assert.Equal(t, "INVALID_GROUP_ID", malformed["errorCode"])
	assert.Equal(t, float64(http.StatusBadRequest), malformed["status"])

	assert.Equal(t, "invalid_client", refused["errorCode"], "the OAuth error the token endpoint answered")
	assert.Equal(t, float64(http.StatusUnauthorized), refused["status"])

	for _, line := range lines {
		ms, ok := line["durationMs"].(float64)
		assert.True(t, ok && ms > 0 && ms < 10_000, "a duration in milliseconds: %v", line["durationMs"])
		assert.NotContains(t, line, "duration", "no duration in nanoseconds")
	}
	all := logged.String()
	for _, secret := range []string{creds.ApiKey.PrivateKey, creds.ServiceAccount.ClientSecret, "mdb_sa_sk_wrong"} {
		assert.NotContains(t, all, secret)
	}
}

// TestTheLogNamesTheErrorCodeOfAnUnknownPath: a request that no operation takes is logged with
// the errorCode it got, and no operationId.
func TestTheLogNamesTheErrorCodeOfAnUnknownPath(t *testing.T) {
	stub, logged := loggingStub(t)
	res, err := http.Get(stub.URL + "/no/such/path")
	require.NoError(t, err)
	res.Body.Close()
	requests := logged.requests(t)
	require.Len(t, requests, 1)
	assert.Equal(t, "RESOURCE_NOT_FOUND", requests[0]["errorCode"])
	assert.NotContains(t, requests[0], "operationId", "no operation has the path")
}

// TestTheAccessLogNamesTheFaultRule: a request that a fault rule met is logged with the rule and
// what it did, a request whose connection it dropped included (status 0: none went out), and the
// latency of every request shows as the fault's latency.
func TestTheAccessLogNamesTheFaultRule(t *testing.T) {
	logged := &logBuffer{}
	stub := stubtest.New(t, stubtest.WithLogger(slog.New(slog.NewJSONHandler(logged, nil))), stubtest.WithLatency(time.Millisecond, time.Millisecond))
	unavailable, err := stub.Server.Faults().Add(faults.Rule{Match: faults.Match{OperationID: "listGroups"}, Error: &faults.AtlasError{Status: 503, ErrorCode: "SERVICE_UNAVAILABLE"}, Times: 1})
	require.NoError(t, err)
	dropped, err := stub.Server.Faults().Add(faults.Rule{Match: faults.Match{OperationID: "listGroups"}, DropConnection: faults.DropBefore, Times: 1})
	require.NoError(t, err)

	for range 3 {
		res, err := http.Get(stub.URL + "/api/atlas/v2/groups")
		if err == nil {
			res.Body.Close()
		}
	}

	requests := logged.requests(t)
	require.Len(t, requests, 3)
	assert.Equal(t, float64(503), requests[0]["status"])
	assert.Equal(t, map[string]any{"rule": unavailable.ID, "action": "error 503 SERVICE_UNAVAILABLE", "latency": float64(time.Millisecond)}, requests[0]["fault"])
	assert.Equal(t, float64(0), requests[1]["status"], "the connection was dropped")
	assert.Equal(t, map[string]any{"rule": dropped.ID, "action": "drop the connection before handling", "latency": float64(time.Millisecond)}, requests[1]["fault"])
	assert.Equal(t, float64(http.StatusNotAcceptable), requests[2]["status"], "the real answer to a request without a version")
	assert.Equal(t, map[string]any{"latency": float64(time.Millisecond)}, requests[2]["fault"], "only the latency of every request")
}
