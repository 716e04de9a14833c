package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// lockedBuffer lets the server's goroutines write the log while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for line := range bytes.Lines(b.buf.Bytes()) {
		var entry map[string]any
		require.NoError(t, json.Unmarshal(line, &entry), "%s", line)
		out = append(out, entry)
	}
	return out
}

func TestAccessLogNamesTheRequestAndItsTCPPeer(t *testing.T) {
	var logged lockedBuffer
	s, err := New(Config{Strict: true, KeyType: x509ca.ECDSAP256, Logger: slog.New(slog.NewJSONHandler(&logged, nil))})
	require.NoError(t, err)
	defer s.Close()
	ts := httptest.NewServer(s)
	defer ts.Close()

	req, err := http.NewRequest(http.MethodGet, ts.URL+"/api/atlas/v2/groups", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	var peer string // the client's end of the connection: the server's TCP peer
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { peer = info.Conn.LocalAddr().String() }}
	res, err := http.DefaultClient.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)

	var requests []map[string]any
	for _, entry := range logged.lines(t) {
		if entry["msg"] == "request" {
			requests = append(requests, entry)
		}
	}
	require.Len(t, requests, 1)
	entry := requests[0]
	assert.Equal(t, res.Header.Get("X-Request-Id"), entry["id"])
	assert.Equal(t, "GET", entry["method"])
	assert.Equal(t, "/api/atlas/v2/groups", entry["path"])
	assert.Equal(t, float64(http.StatusUnauthorized), entry["status"])
	assert.Equal(t, "listGroups", entry["operation"])
	assert.Equal(t, peer, entry["remote"], "the TCP peer, whatever X-Forwarded-For claims")
}

// TestTheAccessLogNamesTheFaultRule: a request that a fault rule met is logged with the rule and
// what it did, a request whose connection it dropped included (status 0: none went out), and the
// latency of every request shows as the fault's latency.
func TestTheAccessLogNamesTheFaultRule(t *testing.T) {
	var logged lockedBuffer
	s, err := New(Config{Strict: true, KeyType: x509ca.ECDSAP256, Latency: faults.Latency{Min: time.Millisecond, Max: time.Millisecond},
		Logger: slog.New(slog.NewJSONHandler(&logged, nil))})
	require.NoError(t, err)
	defer s.Close()
	ts := httptest.NewServer(s)
	defer ts.Close()
	unavailable, err := s.Faults().Add(faults.Rule{Match: faults.Match{OperationID: "listGroups"}, Error: &faults.AtlasError{Status: 503, ErrorCode: "SERVICE_UNAVAILABLE"}, Times: 1})
	require.NoError(t, err)
	dropped, err := s.Faults().Add(faults.Rule{Match: faults.Match{OperationID: "listGroups"}, DropConnection: faults.DropBefore, Times: 1})
	require.NoError(t, err)

	for range 3 {
		res, err := http.Get(ts.URL + "/api/atlas/v2/groups")
		if err == nil {
			res.Body.Close()
		}
	}

	var requests []map[string]any
	for _, entry := range logged.lines(t) {
		if entry["msg"] == "request" {
			requests = append(requests, entry)
		}
	}
	require.Len(t, requests, 3)
	assert.Equal(t, float64(503), requests[0]["status"])
	assert.Equal(t, map[string]any{"rule": unavailable.ID, "action": "error 503 SERVICE_UNAVAILABLE", "latency": float64(time.Millisecond)}, requests[0]["fault"])
	assert.Equal(t, float64(0), requests[1]["status"], "the connection was dropped")
	assert.Equal(t, map[string]any{"rule": dropped.ID, "action": "drop the connection before handling", "latency": float64(time.Millisecond)}, requests[1]["fault"])
	assert.Equal(t, float64(http.StatusNotAcceptable), requests[2]["status"], "the real answer to a request without a version")
	assert.Equal(t, map[string]any{"latency": float64(time.Millisecond)}, requests[2]["fault"], "only the latency of every request")
}
