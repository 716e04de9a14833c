package contract_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract"
)

// clustersDoc versions the clusters API as Atlas does: 2023-02-01, which the official
// specification sunsets on 2027-07-01, and 2024-08-05.
const clustersDoc = `openapi: 3.0.3
info: {title: clusters, version: "1"}
paths:
  /api/atlas/v2/groups/{groupId}/clusters:
    get:
      operationId: listClusters
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            "application/vnd.atlas.2023-02-01+json": {schema: {type: object}, x-sunset: "2027-07-01"}
            "application/vnd.atlas.2024-08-05+json": {schema: {type: object}}
`

// TestTransportReportsSunsetVersionsAndMissingDeprecationHeaders: a client that asks for a
// version past its sunset is reported (sunset_version), by the clock the Transport is given; a
// server that answers a deprecated version without its Deprecation and Sunset is reported
// (response_headers_conformance).
func TestTransportReportsSunsetVersionsAndMissingDeprecationHeaders(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(clustersDoc))
	require.NoError(t, err)
	spec, err := contract.NewSpec(doc)
	require.NoError(t, err)
	withHeaders := true
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version := "2024-08-05"
		if r.Header.Get("Accept") == "application/vnd.atlas.2023-02-01+json" {
			version = "2023-02-01"
			if withHeaders {
				w.Header().Set("Deprecation", "Mon, 5 Aug 2024 00:00:00 GMT")
				w.Header().Set("Sunset", "Thu, 1 Jul 2027 00:00:00 GMT")
			}
		}
		w.Header().Set("Content-Type", "application/vnd.atlas."+version+"+json;charset=utf-8")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(server.Close)

	send := func(now string, accept string) []contract.Violation {
		t.Helper()
		tr := contract.NewTransport(spec, nil)
		tr.Now = func() time.Time { return must(time.Parse(time.DateOnly, now)) }
		req, err := http.NewRequest(http.MethodGet, server.URL+"/api/atlas/v2/groups/g/clusters", nil)
		require.NoError(t, err)
		req.Header.Set("Accept", accept)
		res, err := (&http.Client{Transport: tr}).Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return tr.Violations()
	}

	assert.Empty(t, send("2027-06-30", "application/vnd.atlas.2023-02-01+json"), "deprecated, with its headers, before its sunset")
	assert.Empty(t, send("2027-07-02", "application/vnd.atlas.2024-08-05+json"), "the newest version")

	late := send("2027-07-01", "application/vnd.atlas.2023-02-01+json")
	require.Len(t, late, 1)
	assert.Equal(t, contract.CheckSunsetVersion, late[0].Check)
	assert.Equal(t, "listClusters", late[0].Operation)
	assert.Contains(t, late[0].Message, "version 2023-02-01 of listClusters was sunset on 2027-07-01")

	withHeaders = false
	bare := send("2027-06-30", "application/vnd.atlas.2023-02-01+json")
	require.Len(t, bare, 1)
	assert.Equal(t, contract.CheckResponseHeaders, bare[0].Check)
	assert.Contains(t, bare[0].Message, `header Deprecation is "", want "Mon, 5 Aug 2024 00:00:00 GMT"`)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
