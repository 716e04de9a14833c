package engine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/openapi/synth"
	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestEveryOfficialOperationAnswers calls every operation of the official specification that
// the curated one does not declare, once, with a request built from its schemas, in a project
// and organization that exist: each is routed (no RESOURCE_NOT_FOUND), none fails, and every
// answer validates against the official specification (the stub is strict, and a violation
// fails the test).
func TestEveryOfficialOperationAnswers(t *testing.T) {
	stub := stubtest.New(t)
	spec, err := engine.LoadSpec()
	require.NoError(t, err)
	client := stub.DigestClient()
	statuses := map[string]int{}
	for _, op := range officialOperations(spec) {
		req := requestFor(t, stub, op)
		resp, err := client.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses[op.OperationID] = resp.StatusCode
		assert.Less(t, resp.StatusCode, 500, "%s %s: %s", op.method, op.path, body)
		assert.NotContains(t, string(body), "Cannot find resource /api", "%s %s is not routed", op.method, op.path)
		if resp.StatusCode == http.StatusBadRequest {
			t.Logf("%s %s: %s", op.method, req.URL.Path, body)
		}
	}
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	t.Log(counts)
	assert.Len(t, statuses, 416, "the official operations that the curated specification does not declare")
}

type operation struct {
	*openapi3.Operation
	method, path string
}

func officialOperations(spec *engine.Spec) []operation {
	var ops []operation
	for path, item := range spec.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !spec.Curated(op) {
				ops = append(ops, operation{op, method, path})
			}
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.OperationID, b.OperationID) })
	return ops
}

var now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// requestFor builds a valid request of op: the bootstrap project and organization in its path,
// values of their schemas for its other parameters and its body.
func requestFor(t *testing.T, stub *stubtest.Stub, op operation) *http.Request {
	t.Helper()
	path := op.path
	query := url.Values{}
	for _, ref := range op.Parameters {
		p := ref.Value
		value := fmt.Sprint(synth.Value(p.Schema, p.Schema.Value.Example, synth.Options{Direction: synth.Request, Now: now}))
		if value == "" {
			value = "a"
		}
		switch p.Name {
		case "":
		case "groupId":
			value = stub.Credentials.ProjectId
		case "orgId":
			value = stub.Credentials.OrgId
		}
		switch p.In {
		case openapi3.ParameterInPath:
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(value))
		case openapi3.ParameterInQuery:
			if p.Required {
				query.Set(p.Name, value)
			}
		}
	}
	var body io.Reader
	if op.RequestBody != nil {
		for _, content := range op.RequestBody.Value.Content {
			data, err := json.Marshal(synth.Value(content.Schema, nil, synth.Options{Direction: synth.Request, Now: now, Optional: true}))
			require.NoError(t, err)
			body = bytes.NewReader(data)
		}
	}
	target := stub.URL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequest(op.method, target, body)
	require.NoError(t, err)
	versions := openapi.Versions(op.Operation)
	format := "json"
	if response := op.Responses.Status(200); response != nil {
		for mediaType := range response.Value.Content {
			if _, f, ok := openapi.ParseMediaType(mediaType); ok && f != "json" {
				format = f
			}
		}
	}
	req.Header.Set("Accept", openapi.MediaType(versions[len(versions)-1], format))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}
