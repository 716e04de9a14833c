package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// listRequests reads GET /_stub/requests with a query string.
func listRequests(t *testing.T, stub *stubtest.Stub, query string) []stubapi.JournalEntry {
	t.Helper()
	var page stubapi.JournalPage
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/requests?"+query, nil, &page))
	return page.Results
}

func TestTheJournalListsTheAtlasAPIsExchangesNewestFirstWithTheirVerdicts(t *testing.T) {
	stub := stubtest.New(t, noRateLimits)
	a := newAPI(t, stub)
	project := createProject(t, a, "journaled")
	requireStatus(t, http.StatusNotFound, a.get("/api/atlas/v2/groups/"+strings.Repeat("0", 24)))
	requireStatus(t, http.StatusBadRequest, a.post("/api/atlas/v2/groups", map[string]any{"name": "x", "orgId": stub.Credentials.OrgId, "colour": "green"}))
	control(t, stub, http.MethodGet, "/_stub/clock", nil, nil) // the control API is not journaled

	entries := listRequests(t, stub, "")
	require.Len(t, entries, 4, "the token, the project, the missing project, the refused one")
	assert.Equal(t, []int64{4, 3, 2, 1}, []int64{entries[0].Id, entries[1].Id, entries[2].Id, entries[3].Id})
	refused, missing, created, token := entries[0], entries[1], entries[2], entries[3]

	assert.Equal(t, "createOAuthToken", *token.OperationId)
	assert.Equal(t, stub.Credentials.ServiceAccount.ClientId, *token.Caller, "the caller is the credential's public id")

	assert.Equal(t, "createGroup", *created.OperationId)
	assert.Equal(t, int32(http.StatusCreated), created.Status)
	assert.True(t, created.Verdicts.Request.Passed)
	assert.True(t, created.Verdicts.Response.Passed)

	assert.Equal(t, int32(http.StatusNotFound), missing.Status)
	assert.Equal(t, "GROUP_NOT_FOUND", *missing.ErrorCode)

	assert.Equal(t, "POST", refused.Method)
	assert.Equal(t, "/api/atlas/v2/groups", refused.Path)
	assert.False(t, refused.Verdicts.Request.Passed)
	assert.Equal(t, "INVALID_ATTRIBUTE", *refused.Verdicts.Request.ErrorCode)
	require.NotNil(t, refused.Verdicts.Request.Violations)
	assert.Equal(t, []stubapi.Violation{{Field: "colour", Description: `property "colour" is unsupported`}}, *refused.Verdicts.Request.Violations)
	assert.True(t, refused.Verdicts.Response.Passed, "the stub's refusal keeps the contract")
	assert.Equal(t, project, createdID(t, stub, created.Id))
}

// createdID reads the id of the project that an exchange created, from its response body.
func createdID(t *testing.T, stub *stubtest.Stub, id int64) string {
	t.Helper()
	var x stubapi.JournalExchange
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/requests/"+strconv.FormatInt(id, 10), nil, &x))
	var project struct{ ID string }
	require.NoError(t, json.Unmarshal([]byte(x.Response.Body), &project))
	return project.ID
}

func TestTheJournalFilters(t *testing.T) {
	stub := stubtest.New(t, noRateLimits)
	a := newAPI(t, stub)
	createProject(t, a, "one")
	since := time.Now().UTC()
	requireStatus(t, http.StatusNotFound, a.get("/api/atlas/v2/groups/"+strings.Repeat("0", 24)))
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId))

	operations := func(entries []stubapi.JournalEntry) []string {
		out := []string{}
		for _, e := range entries {
			out = append(out, *e.OperationId+" "+strconv.Itoa(int(e.Status)))
		}
		return out
	}
	assert.Equal(t, []string{"getGroup 200", "getGroup 404"}, operations(listRequests(t, stub, "operationId=getGroup")))
	assert.Equal(t, []string{"getGroup 404"}, operations(listRequests(t, stub, "status=404")))
	assert.Equal(t, []string{"getGroup 200", "createGroup 201", "createOAuthToken 200"}, operations(listRequests(t, stub, "status=2xx")))
	assert.Equal(t, []string{"getGroup 200", "getGroup 404"}, operations(listRequests(t, stub, "since="+since.Format(time.RFC3339Nano))))
	assert.Equal(t, []string{"getGroup 200"}, operations(listRequests(t, stub, "after=3")))
	assert.Equal(t, []string{"getGroup 200"}, operations(listRequests(t, stub, "limit=1")))

	for query, field := range map[string]string{"status=4x": "status", "status=700": "status", "since=yesterday": "since", "limit=0": "limit", "after=-1": "after"} {
		e := requireAPIError(t, http.StatusBadRequest, "INVALID_QUERY_PARAMETER", control(t, stub, http.MethodGet, "/_stub/requests?"+query, nil, nil))
		assert.Equal(t, []any{field}, e["parameters"], query)
	}
}

func TestAnExchangeOpensToItsMaskedHeadersAndBodiesAndACurl(t *testing.T) {
	stub := stubtest.New(t, noRateLimits)
	a := newAPI(t, stub)
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"?pretty=true"))
	entries := listRequests(t, stub, "operationId=createOAuthToken")
	require.Len(t, entries, 1)

	var x stubapi.JournalExchange
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/requests/"+strconv.FormatInt(entries[0].Id, 10), nil, &x))
	creds := stub.Credentials.ServiceAccount
	whole, err := json.Marshal(x)
	require.NoError(t, err)
	assert.NotContains(t, string(whole), creds.ClientSecret)
	assert.NotContains(t, string(whole), a.token)
	assert.Equal(t, []string{"Basic " + creds.ClientId + ":******** (base64 decoded)"}, x.Request.Headers["Authorization"])
	assert.Equal(t, "grant_type=client_credentials", x.Request.Body)
	assert.Contains(t, x.Response.Body, `"access_token": "********"`)
	assert.Contains(t, x.Curl, `curl -i -X POST "$BASE"'/api/oauth/token' -u "$CLIENT_ID:$CLIENT_SECRET"`)

	read := listRequests(t, stub, "operationId=getGroup")[0]
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/requests/"+strconv.FormatInt(read.Id, 10), nil, &x))
	assert.Equal(t, "pretty=true", *x.Entry.Query)
	assert.Contains(t, x.Curl, `-H "Authorization: Bearer $TOKEN"`)
	assert.NotContains(t, x.Curl, a.token)

	requireAPIError(t, http.StatusNotFound, "JOURNAL_ENTRY_NOT_FOUND", control(t, stub, http.MethodGet, "/_stub/requests/99", nil, nil))
	requireAPIError(t, http.StatusBadRequest, "INVALID_PATH_PARAMETER", control(t, stub, http.MethodGet, "/_stub/requests/x", nil, nil))
}

// A body that a fault rule spreads over time goes out in pieces: the journal keeps all of
// them, as the client got them.
func TestTheJournalKeepsASlowBodyWhole(t *testing.T) {
	stub := stubtest.New(t, noRateLimits)
	a := newAPI(t, stub)
	stub.SlowBody(t, faults.Match{OperationID: "getGroup"}, 50*time.Millisecond)
	res := a.get("/api/atlas/v2/groups/" + stub.Credentials.ProjectId)
	requireStatus(t, http.StatusOK, res)

	read := listRequests(t, stub, "operationId=getGroup")[0]
	var x stubapi.JournalExchange
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/requests/"+strconv.FormatInt(read.Id, 10), nil, &x))
	assert.JSONEq(t, string(res.body), x.Response.Body)
	assert.Equal(t, int64(len(res.body)), x.Response.BodyBytes)
	assert.False(t, x.Response.BodyTruncated)
}

func TestTheResponseVerdictNeedsNoStrictMode(t *testing.T) {
	stub := stubtest.New(t, noRateLimits, func(c *server.Config) { c.Strict = false })
	a := newAPI(t, stub)
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId))
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"?envelope=true"))
	entries := listRequests(t, stub, "operationId=getGroup")
	require.Len(t, entries, 2)
	assert.False(t, entries[0].Verdicts.Response.Checked, "an envelope is not what the specification describes")
	assert.Contains(t, *entries[0].Verdicts.Response.Note, "envelope=true")
	assert.True(t, entries[1].Verdicts.Response.Checked)
	assert.True(t, entries[1].Verdicts.Response.Passed)
}

func TestAStubWithoutAJournalListsNothing(t *testing.T) {
	stub := stubtest.New(t, noRateLimits, func(c *server.Config) { c.JournalSize = -1 })
	createProject(t, newAPI(t, stub), "unseen")
	var page stubapi.JournalPage
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/requests", nil, &page))
	assert.Empty(t, page.Results)
	assert.Equal(t, int32(0), page.Size)
}

// event is one server-sent event of the journal's stream.
type event struct {
	name, id string
	entry    stubapi.JournalEntry
}

// readEvent reads the next event, past keep-alive comments.
func readEvent(t *testing.T, r *bufio.Reader) event {
	t.Helper()
	var e event
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && e.name != "":
			return e
		case strings.HasPrefix(line, "event: "):
			e.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "id: "):
			e.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e.entry))
		}
	}
}

// openStream opens the journal's stream, naming the last event seen when lastID is set.
func openStream(t *testing.T, stub *stubtest.Stub, lastID string) *bufio.Reader {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, stub.URL+"/_stub/requests/stream", nil)
	require.NoError(t, err)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { res.Body.Close() })
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	return bufio.NewReader(res.Body)
}

func TestTheStreamSendsEachNewExchangeAndWhatAReconnectingClientMissed(t *testing.T) {
	stub := stubtest.New(t, noRateLimits)
	a := newAPI(t, stub)
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId)) // 1 token, 2 getGroup
	stream := openStream(t, stub, "")
	createProject(t, a, "streamed")
	e := readEvent(t, stream)
	assert.Equal(t, "request", e.name)
	assert.Equal(t, "3", e.id, "only what comes after the stream opened")
	assert.Equal(t, "createGroup", *e.entry.OperationId)
	assert.True(t, e.entry.Verdicts.Response.Passed)

	again := openStream(t, stub, "1")
	assert.Equal(t, "2", readEvent(t, again).id, "a client that saw 1 gets 2 and 3")
	assert.Equal(t, "3", readEvent(t, again).id)
}

func TestTheStreamFollowsTheControlAPIsGuard(t *testing.T) {
	stub := stubtest.New(t, noRateLimits)
	req, err := http.NewRequest(http.MethodGet, stub.URL+"/_stub/requests/stream", nil)
	require.NoError(t, err)
	req.Host = "rebound.example"
	requireAPIError(t, http.StatusForbidden, "CONTROL_API_UNKNOWN_HOST", send(t, http.DefaultClient, req))
	requireAPIError(t, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", control(t, stub, http.MethodPost, "/_stub/requests/stream", nil, nil))
}
