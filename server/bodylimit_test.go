package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// bodyLimitPaths are a path of each kind that takes a body: the control API, which needs no
// credentials, the token endpoint, the Atlas API, and a path the stub does not serve.
var bodyLimitPaths = []string{"/_stub/clock/advance", "/api/oauth/token", "/api/atlas/v2/groups", "/nowhere"}

// TestDeclaredBodiesOverTheLimitAreRefusedUnread declares a 100 MB body and sends none of it:
// the stub answers 413 at once, without waiting for a byte of the body, and closes the
// connection.
func TestDeclaredBodiesOverTheLimitAreRefusedUnread(t *testing.T) {
	stub := stubtest.New(t)
	host := strings.TrimPrefix(stub.URL, "http://")
	for _, path := range bodyLimitPaths {
		t.Run(path, func(t *testing.T) {
			conn, err := net.Dial("tcp", host)
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
			_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, host, 100<<20)
			require.NoError(t, err)

			sent, err := http.NewRequest(http.MethodPost, stub.URL+path, nil)
			require.NoError(t, err)
			res, err := http.ReadResponse(bufio.NewReader(conn), sent)
			require.NoError(t, err, "the stub answers before the body arrives")
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			requireTooLarge(t, res, body)
			assert.True(t, res.Close, "the connection is closed, so that the body is never read")
		})
	}
}

// TestChunkedBodiesAreReadOnlyUpToTheLimit sends 100 MB bodies of unknown length (chunked): the
// stub reads little more than its limit, answers 413 and closes the connection.
func TestChunkedBodiesAreReadOnlyUpToTheLimit(t *testing.T) {
	stub := stubtest.New(t)
	for _, path := range bodyLimitPaths {
		t.Run(path, func(t *testing.T) {
			body := &countingReader{left: 100 << 20}
			req, err := http.NewRequest(http.MethodPost, stub.URL+path, body)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			require.Equal(t, int64(0), req.ContentLength, "a reader of unknown length is sent chunked")
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			data, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			requireTooLarge(t, res, data)
			assert.Less(t, body.sent.Load(), int64(16<<20), "the stub stopped reading near its limit of 1 MiB")
		})
	}
}

// TestBodiesUpToTheLimitAreServed sends bodies of exactly the limit, declared and chunked.
func TestBodiesUpToTheLimitAreServed(t *testing.T) {
	stub := stubtest.New(t)
	advance := `{"duration": "1s"}`
	padded := advance + strings.Repeat(" ", server.DefaultMaxBodyBytes-len(advance))
	for name, body := range map[string]io.Reader{
		"declared": strings.NewReader(padded),
		"chunked":  io.MultiReader(strings.NewReader(padded)), // hides the length
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, stub.URL+"/_stub/clock/advance", body)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			requireStatus(t, http.StatusOK, send(t, http.DefaultClient, req))
		})
	}
}

// TestTheBodyLimitIsConfigurable raises the limit and lowers it.
func TestTheBodyLimitIsConfigurable(t *testing.T) {
	small := stubtest.New(t, func(c *server.Config) { c.MaxBodyBytes = 10 })
	res, err := http.Post(small.URL+"/_stub/clock/advance", "application/json", strings.NewReader(`{"duration": "1s"}`))
	require.NoError(t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	e := requireTooLarge(t, res, data)
	assert.Equal(t, []any{float64(10)}, e["parameters"], "the error names the limit")
}

func requireTooLarge(t *testing.T, res *http.Response, body []byte) map[string]any {
	t.Helper()
	return requireAPIError(t, http.StatusRequestEntityTooLarge, "REQUEST_BODY_TOO_LARGE", response{Response: res, body: body})
}

// countingReader produces left bytes, lazily, and counts what the client sent of them. The
// client's transport may go on reading it after the response has come.
type countingReader struct {
	left int64
	sent atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	left := r.left - r.sent.Load()
	if left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), left)
	for i := range p[:n] {
		p[i] = 'a'
	}
	r.sent.Add(n)
	return int(n), nil
}

// TestErrorsEchoAHugeValueCapped sends a 10 MB project name, which used to come back twice in a
// 20 MB error: the detail and the parameter now repeat its beginning and say how long it was.
func TestErrorsEchoAHugeValueCapped(t *testing.T) {
	stub := stubtest.New(t, func(c *server.Config) { c.MaxBodyBytes = 16 << 20 })
	a := newAPI(t, stub)
	name := strings.Repeat("n", 10<<20)

	r := a.post("/api/atlas/v2/groups", `{"name": "`+name+`", "orgId": "`+stub.Credentials.OrgId+`"}`)
	e := requireAPIError(t, http.StatusBadRequest, "INVALID_GROUP_NAME", r)
	assert.Less(t, len(r.body), 4096, "the error is small")
	params, _ := e["parameters"].([]any)
	require.Len(t, params, 1)
	echoed := params[0].(string)
	assert.True(t, strings.HasPrefix(echoed, "nnnn"), "the parameter starts as the name: %s", echoed)
	assert.True(t, strings.HasSuffix(echoed, fmt.Sprintf("(%d bytes)", len(name))), "and says how long it was: %s", echoed)
	assert.Contains(t, e["detail"], echoed, "the detail repeats the same capped value")
	assert.True(t, strings.HasSuffix(e["detail"].(string), `" was specified.`), "the detail keeps its template's end: %s", e["detail"])

	// A property's name is echoed as the field of its violation.
	r = a.post("/api/atlas/v2/groups", `{"name": "ok", "orgId": "`+stub.Credentials.OrgId+`", "`+name[:1<<20]+`": true}`)
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", r)
	assert.Less(t, len(r.body), 4096, "the error is small")

	// A path parameter as long as a request line may be.
	r = a.get("/api/atlas/v2/groups/byName/" + strings.Repeat("p", 500<<10))
	assert.Equal(t, 4, r.StatusCode/100, "%s", r.body)
	assert.Less(t, len(r.body), 4096, "the error is small")
}

// TestErrorsListAHundredViolationsAtMost sends a body with thousands of unknown properties,
// each of which is a violation: the error lists the first hundred.
func TestErrorsListAHundredViolationsAtMost(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	body := map[string]any{"name": "many", "orgId": stub.Credentials.OrgId}
	for i := range 5000 {
		body[fmt.Sprintf("x%d", i)] = 1
	}
	r := a.post("/api/atlas/v2/groups", body)
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", r)
	var e struct {
		BadRequestDetail struct{ Fields []struct{ Field string } }
	}
	r.json(t, &e)
	assert.Len(t, e.BadRequestDetail.Fields, 100)
}

// TestAStateDocumentMayBeLargerThanABody: a whole state runs to megabytes, so PUT /_stub/state
// takes up to pipeline.MaxStateBytes whatever the limit of other bodies; beyond it, 413 too.
func TestAStateDocumentMayBeLargerThanABody(t *testing.T) {
	small := stubtest.New(t, func(c *server.Config) { c.MaxBodyBytes = 10 })
	exported := newAPI(t, small).anonymous().get("/_stub/state")
	requireStatus(t, http.StatusOK, exported)
	require.Greater(t, len(exported.body), 10)

	put := func(body io.Reader, length int64) *http.Response {
		req, err := http.NewRequest(http.MethodPut, small.URL+"/_stub/state", body)
		require.NoError(t, err)
		req.ContentLength = length
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	assert.Equal(t, http.StatusNoContent, put(bytes.NewReader(exported.body), int64(len(exported.body))).StatusCode, "a state over the body limit is taken")

	huge := &countingReader{left: pipeline.MaxStateBytes + 1}
	res := put(huge, huge.left)
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	requireTooLarge(t, res, data)
	assert.Less(t, huge.sent.Load(), int64(pipeline.MaxStateBytes), "refused before it was read")
}
