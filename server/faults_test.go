package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// control sends a request to the control API and decodes a JSON answer into out (when not nil).
func control(t *testing.T, stub *stubtest.Stub, method, path string, body any, out any) response {
	t.Helper()
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		require.NoError(t, err)
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, stub.URL+path, reader)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	r := send(t, http.DefaultClient, req)
	if out != nil && r.StatusCode < 300 {
		r.json(t, out)
	}
	return r
}

// TestAFaultRuleAnswersTheNextTwoCalls is the example over the control API: a rule for
// getGroup with 503 SERVICE_UNAVAILABLE for the next two calls answers exactly two calls with it,
// then the real answer.
func TestAFaultRuleAnswersTheNextTwoCalls(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	var rule stubapi.FaultRule
	added := control(t, stub, http.MethodPost, "/_stub/faults", map[string]any{
		"match": map[string]any{"operationId": "getGroup"},
		"error": map[string]any{"status": 503, "errorCode": "SERVICE_UNAVAILABLE", "detail": "Atlas is down for maintenance.", "retryAfterSeconds": 2},
		"times": 2,
	}, &rule)
	requireStatus(t, http.StatusCreated, added)
	assert.Equal(t, "application/json", added.Header.Get("Content-Type"))
	assert.Equal(t, 1.0, rule.Probability)
	assert.Positive(t, rule.Seed)

	project := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
	for range 2 {
		r := a.get(project)
		e := requireAPIError(t, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", r)
		assert.Equal(t, "Atlas is down for maintenance.", e["detail"])
		assert.Equal(t, "2", r.Header.Get("Retry-After"))
		assert.Equal(t, rule.Id, r.Header.Get(openapi.FaultHeader), "an injected answer says so")
	}
	assert.Empty(t, a.get(project).Header.Get(openapi.FaultHeader), "the real answer does not")
	requireStatus(t, http.StatusOK, a.get(project))
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups")) // another operation never met it

	var counted stubapi.FaultRule
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/faults/"+rule.Id, nil, &counted))
	assert.Equal(t, int64(4), counted.Matched)
	assert.Equal(t, int64(2), counted.Fired)
}

// TestAFaultRuleNamesAnOfficialOperation: the operations and tags that the engine serves from
// the official specification are a rule's vocabulary as much as the curated ones.
func TestAFaultRuleNamesAnOfficialOperation(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	clusters := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "/clusters"
	stub.Fail(t, faults.Match{OperationID: "listGroupClusters"}, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", stubtest.Times(1))
	requireAPIError(t, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", a.get(clusters))
	requireStatus(t, http.StatusOK, a.get(clusters))

	stub.Fail(t, faults.Match{Tag: "Teams"}, http.StatusInternalServerError, "UNEXPECTED_ERROR", stubtest.Times(1))
	requireAPIError(t, http.StatusInternalServerError, "UNEXPECTED_ERROR", a.get("/api/atlas/v2/orgs/"+stub.Credentials.OrgId+"/teams"))

	unknown := control(t, stub, http.MethodPost, "/_stub/faults", map[string]any{"match": map[string]any{"operationId": "listgroupclusters"}, "latency": "1ms"}, nil)
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", unknown)
}

// TestFaultsMeetRequestsBeforeAuthentication: a fault answers whatever the credentials, as a
// proxy in front of Atlas would; and an injected error is not checked against the
// specification, which declares no 503 for getGroup (the stub runs strict here).
func TestFaultsMeetRequestsBeforeAuthentication(t *testing.T) {
	stub := stubtest.New(t)
	stub.Fail(t, faults.Match{Tag: "Projects"}, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE")
	requireAPIError(t, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", newAPI(t, stub).anonymous().get("/api/atlas/v2/groups"))
}

// TestAnInjectedRateLimitIsAtlass: a 429 RATE_LIMITED rule on the token endpoint answers in
// Atlas's ApiError shape, as the real limit does; other errors there take the endpoint's OAuth
// shape.
func TestAnInjectedRateLimitIsAtlass(t *testing.T) {
	stub := stubtest.New(t)
	sa := stub.Credentials.ServiceAccount
	stub.Fail(t, faults.Match{OperationID: "createOAuthToken"}, http.StatusTooManyRequests, "RATE_LIMITED", stubtest.Times(1), stubtest.RetryAfter(1500*time.Millisecond))
	stub.Fail(t, faults.Match{OperationID: "createOAuthToken"}, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", stubtest.After(1), stubtest.Times(1))
	limited := postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials")
	requireAPIError(t, http.StatusTooManyRequests, "RATE_LIMITED", limited)
	assert.Equal(t, "2", limited.Header.Get("Retry-After"), "whole seconds, rounded up")
	unavailable := postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials")
	requireStatus(t, http.StatusServiceUnavailable, unavailable)
	assert.JSONEq(t, `{"error":"server_error","error_description":"Unexpected error."}`, string(unavailable.body))
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
}

func TestLatency(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithLatency(30*time.Millisecond, 30*time.Millisecond))
	a := newAPI(t, stub)
	project := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
	a.get(project) // mints the token, which waits too
	start := time.Now()
	requireStatus(t, http.StatusOK, a.get(project))
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond, "every request of the Atlas API waits")

	stub.Delay(t, faults.Match{OperationID: "getGroup"}, 100*time.Millisecond, 150*time.Millisecond, stubtest.Times(1))
	start = time.Now()
	requireStatus(t, http.StatusOK, a.get(project))
	assert.GreaterOrEqual(t, time.Since(start), 130*time.Millisecond, "the rule's wait comes on top")

}

// TestTheControlAPINeverWaits: with a minute of latency on every request, the control API still
// answers; were it slowed down, the request would run out of its five seconds.
func TestTheControlAPINeverWaits(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithLatency(time.Minute, time.Minute))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, stub.URL+"/_stub/clock", nil)
	require.NoError(t, err)
	requireStatus(t, http.StatusOK, send(t, http.DefaultClient, req))
}

func TestSlowBody(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	stub.SlowBody(t, faults.Match{OperationID: "listGroups"}, 300*time.Millisecond)
	req, err := http.NewRequest(http.MethodGet, stub.URL+"/api/atlas/v2/groups", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", latestAccept)
	req.Header.Set("Authorization", a.authorization())
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	headers := time.Now()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(headers), 300*time.Millisecond, "the headers come first, and the body takes its time after them")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, string(body), stub.Credentials.ProjectId, "all of it arrives")
}

// TestDropConnection: before handling, nothing changes; after handling, the change stays and the
// client never learns of it. A fresh connection for each request: Go's transport sends an
// idempotent request again by itself when a reused connection closes before any answer.
func TestDropConnection(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	a.client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	createGroup := faults.Match{OperationID: "createGroup"}

	stub.DropConnection(t, createGroup, faults.DropBefore, stubtest.Times(1))
	requireDropped(t, a, "before")
	requireAPIError(t, http.StatusNotFound, "GROUP_NAME_NOT_FOUND", a.get("/api/atlas/v2/groups/byName/before"))

	stub.DropConnection(t, createGroup, faults.DropAfter, stubtest.Times(1))
	requireDropped(t, a, "after")
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/byName/after"))
}

func requireDropped(t *testing.T, a *api, name string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"name": name, "orgId": a.stub.Credentials.OrgId})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, a.stub.URL+"/api/atlas/v2/groups", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Accept", latestAccept)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", a.authorization())
	res, err := a.client.Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("create %s was answered %d; want a dropped connection", name, res.StatusCode)
	}
	assert.True(t, errors.Is(err, io.EOF) || strings.Contains(err.Error(), "connection reset"), "%v", err)
}

// TestFaultRulesThroughTheControlAPI lists, reads and removes rules, refuses broken ones with the
// field at fault, and keeps the control API itself out of reach of every rule.
func TestFaultRulesThroughTheControlAPI(t *testing.T) {
	stub := stubtest.New(t)
	var first, second stubapi.FaultRule
	requireStatus(t, http.StatusCreated, control(t, stub, http.MethodPost, "/_stub/faults", map[string]any{"match": map[string]any{"method": "GET"}, "latency": "1ms..2ms", "probability": 0.5, "seed": 42}, &first))
	assert.Equal(t, "1ms..2ms", *first.Latency)
	assert.Equal(t, int64(42), first.Seed)
	requireStatus(t, http.StatusCreated, control(t, stub, http.MethodPost, "/_stub/faults", map[string]any{"match": map[string]any{"path": "/_stub_not/*"}, "error": map[string]any{"status": 500, "errorCode": "UNEXPECTED_ERROR"}}, &second))

	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/clock", nil, nil)) // a GET of the control API meets no rule
	var rules []stubapi.FaultRule
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/faults", nil, &rules))
	require.Len(t, rules, 2)
	assert.Equal(t, []string{first.Id, second.Id}, []string{rules[0].Id, rules[1].Id}, "in the order they are tried")
	assert.Zero(t, rules[0].Matched)

	requireStatus(t, http.StatusNoContent, control(t, stub, http.MethodDelete, "/_stub/faults/"+first.Id, nil, nil))
	requireAPIError(t, http.StatusNotFound, "FAULT_RULE_NOT_FOUND", control(t, stub, http.MethodDelete, "/_stub/faults/"+first.Id, nil, nil))
	requireAPIError(t, http.StatusNotFound, "FAULT_RULE_NOT_FOUND", control(t, stub, http.MethodGet, "/_stub/faults/"+first.Id, nil, nil))
	requireFieldViolation(t, "INVALID_PATH_PARAMETER", "ruleId", control(t, stub, http.MethodGet, "/_stub/faults/one", nil, nil))
	requireStatus(t, http.StatusNoContent, control(t, stub, http.MethodDelete, "/_stub/faults", nil, nil))
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/faults", nil, &rules))
	assert.Empty(t, rules)

	for field, body := range map[string]map[string]any{
		"match.operationId":       {"match": map[string]any{"operationId": "getgroup"}, "latency": "1ms"},
		"match.tag":               {"match": map[string]any{"tag": "projects"}, "latency": "1ms"},
		"match.path":              {"match": map[string]any{"path": "/_stub/faults"}, "latency": "1ms"},
		"error":                   {"match": map[string]any{"tag": "Projects"}},
		"latency":                 {"match": map[string]any{"tag": "Projects"}, "latency": "80ms..20ms"},
		"dropConnection":          {"match": map[string]any{"tag": "Projects"}, "dropConnection": "after", "slowBody": "1s"},
		"error.status":            {"match": map[string]any{"tag": "Projects"}, "error": map[string]any{"status": 302, "errorCode": "FOUND"}},
		"error.retryAfterSeconds": {"match": map[string]any{"tag": "Projects"}, "error": map[string]any{"status": 429, "errorCode": "RATE_LIMITED", "retryAfterSeconds": 0}},
		"times":                   {"match": map[string]any{"tag": "Projects"}, "latency": "1ms", "times": 0},
		"probability":             {"match": map[string]any{"tag": "Projects"}, "latency": "1ms", "probability": 0},
		"match":                   {"match": map[string]any{}, "latency": "1ms"},
		"unknown":                 {"match": map[string]any{"tag": "Projects"}, "latency": "1ms", "unknown": true},
	} {
		t.Run(field, func(t *testing.T) {
			r := control(t, stub, http.MethodPost, "/_stub/faults", body, nil)
			requireStatus(t, http.StatusBadRequest, r)
			var e struct {
				BadRequestDetail struct{ Fields []struct{ Field string } }
			}
			r.json(t, &e)
			require.NotEmpty(t, e.BadRequestDetail.Fields, "%s", r.body)
			assert.Equal(t, field, e.BadRequestDetail.Fields[0].Field, "%s", r.body)
		})
	}
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/faults", nil, &rules))
	assert.Empty(t, rules, "no broken rule was added")
}

// TestResetClearsTheFaultRules, and keeps the latency of every request, which is configuration.
func TestResetClearsTheFaultRules(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithLatency(time.Millisecond, 2*time.Millisecond))
	stub.Fail(t, faults.Match{Tag: "Projects"}, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE")
	requireStatus(t, http.StatusNoContent, control(t, stub, http.MethodPost, "/_stub/reset", nil, nil))
	assert.Empty(t, stub.Server.Faults().Rules())
	assert.Equal(t, faults.Latency{Min: time.Millisecond, Max: 2 * time.Millisecond}, stub.Server.Faults().Latency())
	requireStatus(t, http.StatusOK, newAPI(t, stub).get("/api/atlas/v2/groups"))
}
