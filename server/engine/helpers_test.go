package engine_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// client sends JSON requests to a stub over real HTTP, as the bootstrap API key over Digest, with
// the versioned media types the official SDK sends.
type client struct {
	t    *testing.T
	stub *stubtest.Stub
	http *http.Client
}

func newClient(t *testing.T, stub *stubtest.Stub) *client {
	return &client{t: t, stub: stub, http: stub.DigestClient()}
}

// project is the path of the bootstrap project; org of the bootstrap organization.
func (c *client) project() string { return "/api/atlas/v2/groups/" + c.stub.Credentials.ProjectId }
func (c *client) org() string     { return "/api/atlas/v2/orgs/" + c.stub.Credentials.OrgId }

// answer is a response with its body decoded.
type answer struct {
	status int
	body   map[string]any
	list   []any
	raw    string
}

// field digs a value out of the body by keys and indexes.
func (a answer) field(path ...any) any {
	var v any = a.body
	if a.body == nil {
		v = a.list
	}
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[s]
		case int:
			l, _ := v.([]any)
			if s >= len(l) {
				return nil
			}
			v = l[s]
		}
	}
	return v
}

func (c *client) do(method, path string, body any) answer {
	c.t.Helper()
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		require.NoError(c.t, err)
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.stub.URL+path, reader)
	require.NoError(c.t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2025-03-12+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/vnd.atlas.2025-03-12+json")
	}
	resp, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	a := answer{status: resp.StatusCode, raw: string(data)}
	if len(bytes.TrimSpace(data)) > 0 && data[0] == '[' {
		require.NoError(c.t, json.Unmarshal(data, &a.list), "%s", data)
	} else if len(bytes.TrimSpace(data)) > 0 && data[0] == '{' {
		require.NoError(c.t, json.Unmarshal(data, &a.body), "%s", data)
	}
	return a
}

// expect sends a request and requires its status.
func (c *client) expect(status int, method, path string, body any) answer {
	c.t.Helper()
	a := c.do(method, path, body)
	require.Equal(c.t, status, a.status, "%s %s: %s", method, path, a.raw)
	return a
}

// expectError sends a request and requires an Atlas error of status and code.
func (c *client) expectError(status int, code, method, path string, body any) answer {
	c.t.Helper()
	a := c.expect(status, method, path, body)
	require.Equal(c.t, code, a.body["errorCode"], "%s %s: %s", method, path, a.raw)
	return a
}

// digestClient signs in with an API key over HTTP Digest.
func digestClient(publicKey, privateKey string) *http.Client {
	return &http.Client{Transport: digest.NewTransport(publicKey, privateKey)}
}
