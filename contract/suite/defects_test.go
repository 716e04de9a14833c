package suite_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/limits"
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
//
// The stub applies no rate limits: these tests are about what the kit catches, and a run mints
// more tokens than Atlas's limit allows a minute, which the kit would wait out in real time.
// TestTheStubPassesTheSuite runs the kit within Atlas's limits.
func brokenServer(t *testing.T, d defect) suite.Credentials {
	s, err := server.New(server.Config{KeyType: x509ca.ECDSAP256, RateLimits: limits.Off, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
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
	return kitCredentials(t, s.Bootstrap())
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
				if r.Method == http.MethodPost && r.URL.Path == "/api/atlas/v2/groups" && status == http.StatusCreated {
					return http.StatusOK, h, body
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
				if isPath(r, http.MethodDelete, "/api/atlas/v2/groups/", 5) && status == http.StatusAccepted {
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
		{
			name: "an invalid body accepted", operations: []string{"updateOrgSettings"}, check: "negative_data_rejection",
			intercept: func(r *http.Request) (int, http.Header, []byte, bool) {
				// The settings take any body, JSON or not, and change nothing.
				if r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, "/settings") && !json.Valid(peek(r)) {
					return http.StatusOK, http.Header{"Content-Type": {"application/vnd.atlas.2023-01-01+json"}}, []byte(`{"apiAccessListRequired":false}`), true
				}
				return 0, nil, nil, false
			},
		},
		{
			name: "a date before the first version served", operations: []string{"getOrg"}, check: "version_negotiation",
			alter: func(r *http.Request) {
				// The organization, whose first version is 2023-01-01, is served for any date.
				if r.Header.Get("Accept") == "application/vnd.atlas.2022-12-31+json" {
					r.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
				}
			},
		},
		{
			name: "a created resource not listed", operations: []string{"createOrgApiKey"}, check: "ensure_resource_availability",
			rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
				// The list of API keys leaves out the kit's, which a read by id still finds.
				if isPath(r, http.MethodGet, "/api/atlas/v2/orgs/", 6) && strings.HasSuffix(r.URL.Path, "/apiKeys") && status == http.StatusOK {
					var page struct {
						Links      []any            `json:"links"`
						Results    []map[string]any `json:"results"`
						TotalCount int              `json:"totalCount"`
					}
					if json.Unmarshal(body, &page) == nil {
						page.Results = slices.DeleteFunc(page.Results, func(key map[string]any) bool {
							return strings.HasPrefix(fmt.Sprint(key["desc"]), "contract-")
						})
						page.TotalCount = len(page.Results)
						body, _ = json.Marshal(page)
					}
				}
				return status, h, body
			},
		},
		{
			name: "a valid request refused", operations: []string{"createGroup"}, check: "positive_data_acceptance",
			intercept: func(r *http.Request) (int, http.Header, []byte, bool) {
				// A project with tags, which the specification's example of a project has, is refused.
				if r.Method == http.MethodPost && r.URL.Path == "/api/atlas/v2/groups" && bytes.Contains(peek(r), []byte(`"tags"`)) {
					return http.StatusBadRequest, http.Header{"Content-Type": {"application/json"}},
						[]byte(`{"detail":"Tags are not supported.","error":400,"errorCode":"INVALID_ATTRIBUTE","parameters":["tags"],"reason":"Bad Request"}`), true
				}
				return 0, nil, nil, false
			},
		},
	}
	for _, d := range defects {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			cfg := suite.Config{Seed: 1, Operations: d.operations, SkipScenarios: true}
			verdictOf := func(report *suite.Report) suite.Result {
				for _, res := range report.Results {
					if res.Check == d.check && res.Operation == d.operations[0] {
						return res
					}
				}
				t.Fatalf("%s did not run on %s", d.check, d.operations[0])
				return suite.Result{}
			}

			// The control: the same run against the stub without the defect passes, and the
			// check that must catch the defect judged the operation and found nothing.
			cfg.Credentials = brokenServer(t, defect{})
			control, err := suite.Run(context.Background(), cfg)
			require.NoError(t, err)
			assert.False(t, control.Failed(), "the run fails without the defect")
			assert.Equal(t, suite.Passed, verdictOf(control).Status, "%s without the defect", d.check)

			cfg.Credentials = brokenServer(t, d)
			report, err := suite.Run(context.Background(), cfg)
			require.NoError(t, err)
			assert.True(t, report.Failed(), "the defect went unnoticed")
			caught := verdictOf(report)
			if assert.Equal(t, suite.Failed, caught.Status, "%s did not catch %q on %s", d.check, d.name, d.operations[0]) {
				assert.NotEmpty(t, caught.Failures[0].Message)
			}
		})
	}
}

// peek reads a request's body and puts it back for the server.
func peek(r *http.Request) []byte {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body
}

// TestTheKitRestoresTheOrganizationsSettings serves a target that applies an update of the
// organization's settings it must refuse: a secret lifetime below the minimum is raised to the
// minimum instead of refused. The negative case that sends it changes the organization, and the
// run ends by setting the settings back to what they were.
func TestTheKitRestoresTheOrganizationsSettings(t *testing.T) {
	var clamped atomic.Int32
	creds := brokenServer(t, defect{alter: func(r *http.Request) {
		if r.Method != http.MethodPatch || !strings.HasSuffix(r.URL.Path, "/settings") {
			return
		}
		var settings map[string]any
		if json.Unmarshal(peek(r), &settings) != nil {
			return
		}
		if hours, ok := settings["maxServiceAccountSecretValidityInHours"].(float64); ok && hours < 8 {
			settings["maxServiceAccountSecretValidityInHours"] = 8
			body, _ := json.Marshal(settings)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			clamped.Add(1)
		}
	}})
	before := organizationState(t, creds)
	report, err := suite.Run(context.Background(), suite.Config{Credentials: creds, Seed: 1, Operations: []string{"updateOrgSettings"}, SkipScenarios: true})
	require.NoError(t, err)
	require.Positive(t, clamped.Load(), "no negative case sent a lifetime below the minimum")
	assert.True(t, report.Failed(), "the target applies a request it must refuse")
	assert.Empty(t, report.Cleanup)
	assert.Equal(t, before["settings"], organizationState(t, creds)["settings"], "the settings are restored")
}

// TestAnUndeclaredVersionCoversNoDeclaredOne serves the organization as a version it does not
// declare (2023-01-02 where it declares 2023-01-01): as many versions are served as declared, and
// still the declared one never was, so coverage is incomplete, for Complete and in JUnit alike.
func TestAnUndeclaredVersionCoversNoDeclaredOne(t *testing.T) {
	cfg := suite.Config{Seed: 1, Operations: []string{"getOrg"}, SkipScenarios: true, RequireCoverage: true}

	// The control: against the stub, the organization's coverage is complete.
	cfg.Credentials = brokenServer(t, defect{})
	control, err := suite.Run(context.Background(), cfg)
	require.NoError(t, err)
	require.True(t, control.Coverage.Complete(), "the coverage of getOrg is incomplete without the defect")

	cfg.Credentials = brokenServer(t, defect{rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
		if isPath(r, http.MethodGet, "/api/atlas/v2/orgs/", 5) && strings.HasPrefix(h.Get("Content-Type"), "application/vnd.atlas.2023-01-01+json") {
			h.Set("Content-Type", "application/vnd.atlas.2023-01-02+json")
		}
		return status, h, body
	}})
	report, err := suite.Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Len(t, report.Coverage.Operations, 1)
	org := report.Coverage.Operations[0]
	require.Equal(t, []string{"2023-01-01"}, org.Versions)
	require.Equal(t, []string{"2023-01-02"}, org.ServedVersions)
	assert.False(t, report.Coverage.Complete())
	var junit bytes.Buffer
	require.NoError(t, report.WriteJUnit(&junit))
	assert.Contains(t, junit.String(), "versions never served: 2023-01-01")
}
