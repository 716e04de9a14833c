package suite_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// defect breaks a correct server in one way: it may change a request before the server sees
// it (alter), answer a request itself (intercept), or rewrite a response (rewrite).
type defect struct {
	name       string
	operations []string
	// check is the check that must catch the defect.
	check     string
	alter     func(r *http.Request)
	intercept func(r *http.Request) (status int, header http.Header, body []byte, ok bool)
	rewrite   func(r *http.Request, status int, header http.Header, body []byte) (int, http.Header, []byte)
}

// brokenServer serves the stub with a defect.
func brokenServer(t *testing.T, d defect) suite.Credentials {
	s, err := server.New(server.Config{KeyType: x509ca.ECDSAP256, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.alter != nil {
			d.alter(r)
		}
		if d.intercept != nil {
			if status, header, body, ok := d.intercept(r); ok {
				write(w, status, header, body)
				return
			}
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		status, header, body := rec.Code, rec.Header(), rec.Body.Bytes()
		if d.rewrite != nil {
			status, header, body = d.rewrite(r, status, header, body)
		}
		write(w, status, header, body)
	}))
	t.Cleanup(ts.Close)
	s.SetBaseURL(ts.URL)
	return s.Bootstrap()
}

func write(w http.ResponseWriter, status int, header http.Header, body []byte) {
	for k, v := range header {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// isPath reports whether a request has the method, and a path under prefix with that many
// slashes (/api/atlas/v2/groups/{groupId} has five).
func isPath(r *http.Request, method, prefix string, segments int) bool {
	return r.Method == method && strings.HasPrefix(r.URL.Path, prefix) && strings.Count(strings.TrimSuffix(r.URL.Path, "/"), "/") == segments
}

// TestTheKitCatchesDefects serves the stub with one defect at a time and shows that the check
// made for that defect fails on the operation that has it.
func TestTheKitCatchesDefects(t *testing.T) {
	deleted := struct {
		sync.Mutex
		projects map[string][]byte
	}{projects: map[string][]byte{}}
	defects := []defect{
		{
			name: "wrong status", operations: []string{"createGroup"}, check: "status_code_conformance",
			rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
				if r.Method == http.MethodPost && r.URL.Path == "/api/atlas/v2/groups" && status == http.StatusOK {
					return http.StatusCreated, h, body
				}
				return status, h, body
			},
		},
		{
			name: "missing field", operations: []string{"getGroup"}, check: "response_schema_conformance",
			rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
				if isPath(r, http.MethodGet, "/api/atlas/v2/groups/", 5) && status == http.StatusOK {
					var group map[string]any
					if json.Unmarshal(body, &group) == nil {
						delete(group, "orgId")
						body, _ = json.Marshal(group)
					}
				}
				return status, h, body
			},
		},
		{
			name: "wrong content type", operations: []string{"getOrg"}, check: "content_type_conformance",
			rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
				if isPath(r, http.MethodGet, "/api/atlas/v2/orgs/", 5) && status == http.StatusOK {
					h.Set("Content-Type", "text/plain")
				}
				return status, h, body
			},
		},
		{
			name: "500 on bad input", operations: []string{"createGroupDatabaseUser"}, check: "not_a_server_error",
			rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
				if strings.HasSuffix(r.URL.Path, "/databaseUsers") && status == http.StatusBadRequest {
					return http.StatusInternalServerError, h, []byte(`{"error":500,"errorCode":"UNEXPECTED_ERROR","detail":"boom","reason":"Internal Server Error","parameters":[]}`)
				}
				return status, h, body
			},
		},
		{
			name: "ignored auth", operations: []string{"getOrgSettings"}, check: "ignored_auth",
			intercept: func(r *http.Request) (int, http.Header, []byte, bool) {
				// The settings are served to anyone, credentials or not.
				if strings.HasSuffix(r.URL.Path, "/settings") && r.Method == http.MethodGet {
					return http.StatusOK, http.Header{"Content-Type": {"application/vnd.atlas.2023-01-01+json"}}, []byte(`{"apiAccessListRequired":false}`), true
				}
				return 0, nil, nil, false
			},
		},
		{
			name: "a deleted resource still served", operations: []string{"deleteGroup"}, check: "use_after_free",
			intercept: func(r *http.Request) (int, http.Header, []byte, bool) {
				deleted.Lock()
				defer deleted.Unlock()
				if body, ok := deleted.projects[r.URL.Path]; ok && r.Method == http.MethodGet {
					return http.StatusOK, http.Header{"Content-Type": {"application/vnd.atlas.2023-01-01+json"}}, body, true
				}
				return 0, nil, nil, false
			},
			rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
				if isPath(r, http.MethodDelete, "/api/atlas/v2/groups/", 5) && status == http.StatusNoContent {
					deleted.Lock()
					deleted.projects[r.URL.Path] = []byte(`{"clusterCount":0,"created":"2026-01-01T00:00:00Z","id":"` + r.URL.Path[len("/api/atlas/v2/groups/"):] + `","name":"ghost","orgId":"4888442a3354817a7320eb61"}`)
					deleted.Unlock()
				}
				return status, h, body
			},
		},
		{
			name: "a wrong challenge", operations: []string{"getOrg"}, check: "response_headers_conformance",
			rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
				if status == http.StatusUnauthorized {
					h.Set("WWW-Authenticate", `Digest realm="elsewhere"`)
				}
				return status, h, body
			},
		},
	}
	for _, d := range defects {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			creds := brokenServer(t, d)
			report, err := suite.Run(context.Background(), suite.Config{Credentials: creds, Seed: 1, Operations: d.operations, SkipScenarios: true})
			require.NoError(t, err)
			assert.True(t, report.Failed(), "the defect went unnoticed")
			var caught bool
			for _, res := range report.Results {
				if res.Check == d.check && res.Operation == d.operations[0] && res.Status == suite.Failed {
					caught = true
					assert.NotEmpty(t, res.Failures[0].Message)
				}
			}
			assert.True(t, caught, "%s did not catch %q on %s", d.check, d.name, d.operations[0])
		})
	}
}
