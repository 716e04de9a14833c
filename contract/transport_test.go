package contract_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestTransportPassesValidTraffic(t *testing.T) {
	stub := stubtest.New(t)
	client := &http.Client{Transport: contract.NewTestTransport(t, nil)}
	req, err := http.NewRequest(http.MethodGet, stub.URL+"/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"?envelope=true", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+stub.Token(t))
	req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
	res, err := client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	exchanges := client.Transport.(*contract.Transport).Exchanges()
	require.Len(t, exchanges, 1)
	assert.Equal(t, contract.Exchange{Operation: "getGroup", Method: "GET", Path: "/api/atlas/v2/groups/" + stub.Credentials.ProjectId, Status: 200, Version: "2023-01-01"}, exchanges[0])
}

func TestTransportReportsInvalidRequests(t *testing.T) {
	stub := stubtest.New(t)
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	tr := contract.NewTransport(spec, nil)
	client := &http.Client{Transport: tr}
	req, _ := http.NewRequest(http.MethodPost, stub.URL+"/api/atlas/v2/groups", strings.NewReader(`{"name":"x","orgId":"`+stub.Credentials.OrgId+`","colour":"blue"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
	req.Header.Set("Authorization", "Bearer "+stub.Token(t))
	res, err := client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	undocumented, _ := http.NewRequest(http.MethodGet, stub.URL+"/api/atlas/v2/clusters", nil)
	res, err = client.Do(undocumented)
	require.NoError(t, err)
	res.Body.Close()

	violations := tr.Violations()
	require.Len(t, violations, 2)
	assert.Equal(t, contract.CheckRequest, violations[0].Check)
	assert.Equal(t, "createGroup", violations[0].Operation)
	assert.Contains(t, violations[0].Message, "colour")
	assert.Contains(t, violations[0].Curl, `"Authorization: Bearer $ATLAS_TOKEN"`, "credentials are never printed")
	assert.NotContains(t, violations[0].Curl, stub.Token(t)[:20])
	assert.Contains(t, violations[0].Curl, `--data-binary '{"name":"x"`)
	assert.Equal(t, contract.CheckUndocumented, violations[1].Check)
}

// TestTransportReadsRequestsAsAtlasDoes: what live Atlas accepts is no violation of a client's,
// though the schema alone would refuse it: an optional query parameter given empty is absent, and
// so is a null of an optional property of the body.
func TestTransportReadsRequestsAsAtlasDoes(t *testing.T) {
	stub := stubtest.New(t)
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	tr := contract.NewTransport(spec, nil)
	client := &http.Client{Transport: tr}
	token := stub.Token(t)
	post := func(query, fields string) int {
		body := `{"orgId":"` + stub.Credentials.OrgId + `",` + fields + `}`
		req, _ := http.NewRequest(http.MethodPost, stub.URL+"/api/atlas/v2/groups"+query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/vnd.atlas.2023-01-01+json")
		req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	assert.Less(t, post("?projectOwnerId=", `"name":"owner-left-empty"`), 300)
	assert.Empty(t, tr.Violations(), "an empty optional parameter is absent")
	assert.Equal(t, http.StatusBadRequest, post("?projectOwnerId=x", `"name":"owner-invalid"`))
	require.Len(t, tr.Violations(), 1, "a parameter that is there is still checked")
	assert.Contains(t, tr.Violations()[0].Message, "projectOwnerId")

	// The official SDK's nulls of what it leaves unset: a null of an optional property is absent.
	assert.Less(t, post("", `"name":"tags-left-unset","tags":null,"clusterCount":0,"created":"0001-01-01T00:00:00Z"`), 300)
	assert.Len(t, tr.Violations(), 1, "no new violation: %v", tr.Violations())
}

// TestTransportReportsBrokenResponses points the transport at a server that answers every
// request to GET /api/atlas/v2/orgs/{orgId} in a different wrong way.
func TestTransportReportsBrokenResponses(t *testing.T) {
	org := `{"id":"4888442a3354817a7320eb61","name":"org"}`
	answers := map[string]struct {
		status      int
		contentType string
		body        string
		check       string
	}{
		"undeclared-status": {http.StatusTeapot, "application/json", `{"error":418,"errorCode":"TEAPOT"}`, contract.CheckStatusCode},
		"server-error":      {http.StatusInternalServerError, "application/json", `{"error":500,"errorCode":"UNEXPECTED_ERROR"}`, contract.CheckNotAServerError},
		"wrong-type":        {http.StatusOK, "text/html", org, contract.CheckContentType},
		"bad-schema":        {http.StatusOK, "application/vnd.atlas.2023-01-01+json", `{"id":"4888442a3354817a7320eb61"}`, contract.CheckResponseSchema},
		"bad-envelope":      {http.StatusOK, "application/vnd.atlas.2023-01-01+json", `{"status":201,"content":` + org + `}`, contract.CheckResponseSchema},
		"bad-challenge":     {http.StatusUnauthorized, "application/json", `{"error":401,"errorCode":"UNAUTHORIZED"}`, contract.CheckResponseHeaders},
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := answers[r.Header.Get("X-Answer")]
		w.Header().Set("Content-Type", a.contentType)
		if a.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", "Negotiate")
		}
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
	}))
	defer server.Close()
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	for name, a := range answers {
		t.Run(name, func(t *testing.T) {
			tr := contract.NewTransport(spec, nil)
			query := ""
			if name == "bad-envelope" {
				query = "?envelope=true"
			}
			req, _ := http.NewRequest(http.MethodGet, server.URL+"/api/atlas/v2/orgs/4888442a3354817a7320eb61"+query, nil)
			req.Header.Set("X-Answer", name)
			req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
			res, err := (&http.Client{Transport: tr}).Do(req)
			require.NoError(t, err)
			res.Body.Close()
			var checks []string
			for _, v := range tr.Violations() {
				checks = append(checks, v.Check)
				assert.Equal(t, "getOrg", v.Operation)
				assert.Equal(t, a.status, v.Status)
			}
			assert.Contains(t, checks, a.check)
		})
	}
}

// recordingTB stands in for a test, to see what NewTestTransport reports.
type recordingTB struct {
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (r *recordingTB) Cleanup(f func())                  { r.cleanups = append(r.cleanups, f) }

func TestTestTransportFailsTheTestAtTheEnd(t *testing.T) {
	stub := stubtest.New(t)
	tb := &recordingTB{}
	client := &http.Client{Transport: contract.NewTestTransport(tb, nil)}
	res, err := client.Get(stub.URL + "/api/atlas/v2/groups?itemsPerPage=9999")
	require.NoError(t, err)
	res.Body.Close()
	assert.Empty(t, tb.errors, "nothing is reported before the test ends")
	for _, f := range tb.cleanups {
		f()
	}
	require.Len(t, tb.errors, 1)
	assert.Contains(t, tb.errors[0], "request_conformance: listGroups")
	assert.Contains(t, tb.errors[0], "itemsPerPage")
}

// TestCurlHidesTheSecretsOfAForm: a revoke form carries a token, and a form may carry a client
// secret; the command names them by variable and sends the other fields as they are.
func TestCurlHidesTheSecretsOfAForm(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/api/oauth/revoke", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	curl := contract.Curl(req, []byte("token=eyJhbGciOi.secret&token_type_hint=access_token&client_secret=mdb_sa_sk_secret"))
	assert.NotContains(t, curl, "secret&")
	assert.NotContains(t, curl, "eyJhbGciOi")
	assert.NotContains(t, curl, "mdb_sa_sk_secret")
	assert.Contains(t, curl, `--data-urlencode "token=$ATLAS_TOKEN" --data-urlencode 'token_type_hint=access_token' --data-urlencode "client_secret=$ATLAS_CLIENT_SECRET"`)
}

// TestTransportLeavesInjectedAnswersAlone: an answer that one of the stub's fault rules made up
// (a 503 that getGroup does not declare) is recorded as injected and not judged; the stub's own
// answers still are.
func TestTransportLeavesInjectedAnswersAlone(t *testing.T) {
	stub := stubtest.New(t)
	stub.Fail(t, faults.Match{OperationID: "getGroup"}, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", stubtest.Times(1))
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	tr := contract.NewTransport(spec, nil)
	client := &http.Client{Transport: tr}
	token := stub.Token(t)
	var statuses []int
	for range 2 {
		req, err := http.NewRequest(http.MethodGet, stub.URL+"/api/atlas/v2/groups/"+stub.Credentials.ProjectId, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
		res, err := client.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		statuses = append(statuses, res.StatusCode)
	}
	assert.Equal(t, []int{http.StatusServiceUnavailable, http.StatusOK}, statuses)
	assert.Empty(t, tr.Violations())
	exchanges := tr.Exchanges()
	require.Len(t, exchanges, 2)
	assert.True(t, exchanges[0].Injected)
	assert.False(t, exchanges[1].Injected)
}
