package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestHealthAnswersWithoutCredentials(t *testing.T) {
	stub := stubtest.New(t)
	res := newAPI(t, stub).anonymous().get("/_stub/health")
	requireStatus(t, http.StatusOK, res)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"status": "ok"}`, string(res.body))
}

// TestTheStubServesItsOwnSpecifications: both documents load as valid OpenAPI, name the stub as
// their first server at the address the client used, and are otherwise the embedded documents.
func TestTheStubServesItsOwnSpecifications(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub).anonymous()
	for path, embedded := range map[string][]byte{"/_stub/openapi.yaml": openapi.AtlasYAML(), "/_stub/openapi/stub.yaml": openapi.StubYAML()} {
		t.Run(path, func(t *testing.T) {
			res := a.get(path)
			requireStatus(t, http.StatusOK, res)
			assert.Equal(t, "application/yaml", res.Header.Get("Content-Type"))
			served := loadValid(t, res.body)
			want := loadValid(t, embedded)
			require.NotEmpty(t, served.Servers)
			assert.Equal(t, stub.URL, served.Servers[0].URL, "a tool that reads the document calls the stub")
			assert.Equal(t, want.Servers, served.Servers[1:], "and still knows Atlas's own address")
			served.Servers = want.Servers
			assert.JSONEq(t, string(mustJSON(t, want)), string(mustJSON(t, served)), "nothing else changes")
		})
	}

	// Through a proxy or a published container port the address differs: the document follows
	// the Host the request was sent to.
	req, err := http.NewRequest(http.MethodGet, stub.URL+"/_stub/openapi.yaml", nil)
	require.NoError(t, err)
	req.Host = "stub.localhost:18080" // a name the control API answers to
	res := send(t, http.DefaultClient, req)
	requireStatus(t, http.StatusOK, res)
	assert.Equal(t, "http://stub.localhost:18080", loadValid(t, res.body).Servers[0].URL)
}

func loadValid(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return data
}

// TestClockAdvanceTakesWhatAPersonSends: the JSON of the README's curl, which curl labels as a
// form unless told otherwise; a plain form; and JSON labelled as JSON. Anything else is still 415.
func TestClockAdvanceTakesWhatAPersonSends(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	const form = "application/x-www-form-urlencoded" // what curl -d sends
	for name, tc := range map[string]struct {
		body, contentType string
	}{
		"JSON as curl -d labels it": {`{"duration": "1h"}`, form},
		"a form":                    {"duration=1h", form},
		"a form with a charset":     {"duration=1h", form + "; charset=utf-8"},
		"JSON":                      {`{"duration": "1h"}`, "application/json"},
	} {
		t.Run(name, func(t *testing.T) {
			before := a.get("/_stub/clock").object(t)["offsetSeconds"].(float64)
			res := a.post("/_stub/clock/advance", tc.body, "Content-Type", tc.contentType)
			requireStatus(t, http.StatusOK, res)
			assert.Equal(t, before+3600, res.object(t)["offsetSeconds"])
		})
	}
	requireFieldViolation(t, "INVALID_ATTRIBUTE", "duration", a.post("/_stub/clock/advance", "duration=soon", "Content-Type", form))
	requireAPIError(t, http.StatusBadRequest, "MISSING_ATTRIBUTE", a.post("/_stub/clock/advance", "during=1h", "Content-Type", form))
	res := a.post("/_stub/clock/advance", `{"duration": "1h"}`, "Content-Type", "text/plain")
	requireAPIError(t, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", res)

	// Atlas's own operations take JSON only, as Atlas does: a form-labelled JSON body is 415.
	res = a.post("/api/atlas/v2/groups", `{"name": "p", "orgId": "`+stub.Credentials.OrgId+`"}`, "Content-Type", form)
	requireAPIError(t, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", res)
	assert.False(t, strings.Contains(string(a.get("/api/atlas/v2/groups").body), `"name":"p"`), "and nothing was created")
}
