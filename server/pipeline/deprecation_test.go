package pipeline

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
)

// deprecatedDoc has what no curated operation has yet: the clusters API as Atlas versions it,
// whose 2023-02-01 version the official specification sunsets on 2027-07-01 (in the form of the
// full specification, on the version's media type), and an operation deprecated as a whole (in
// the form of the SDK's copy, on the operation).
const deprecatedDoc = `openapi: 3.0.3
info: {title: deprecated versions, version: "1"}
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
        "404": {description: missing, content: {"application/json": {schema: {type: object}}}}
  /api/atlas/v2/groups/{groupId}/invites:
    get:
      operationId: listGroupInvites
      deprecated: true
      x-sunset: "2026-09-15"
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            "application/vnd.atlas.2023-01-01+json": {schema: {type: object}}
`

// TestDeprecatedVersionsCarryDeprecationAndSunset serves deprecatedDoc through the routing,
// versioning and shaping steps over real HTTP, and asks for each version as a client would.
func TestDeprecatedVersionsCarryDeprecationAndSunset(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(deprecatedDoc))
	require.NoError(t, err)
	control, err := openapi.LoadStub()
	require.NoError(t, err)
	routes := newRouter(doc, control)

	e := echo.New()
	e.HTTPErrorHandler = WriteError
	e.Use(ShapeResponses(ResponseChecker{Log: slog.New(slog.DiscardHandler)}), routes.Match, NegotiateVersion)
	answer := func(c echo.Context) error {
		if c.Param("groupId") == "missing" {
			return echo.NewHTTPError(http.StatusNotFound)
		}
		return c.Blob(http.StatusOK, "application/vnd.atlas.2024-08-05+json", []byte(`{}`))
	}
	e.GET("/api/atlas/v2/groups/:groupId/clusters", answer)
	e.GET("/api/atlas/v2/groups/:groupId/invites", answer)
	server := httptest.NewServer(e)
	t.Cleanup(server.Close)

	get := func(path, accept string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, server.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Accept", accept)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}

	// As live Atlas answers the 2023-02-01 clusters API.
	old := get("/api/atlas/v2/groups/g/clusters", "application/vnd.atlas.2023-02-01+json")
	require.Equal(t, http.StatusOK, old.StatusCode)
	assert.Equal(t, "application/vnd.atlas.2023-02-01+json;charset=utf-8", old.Header.Get("Content-Type"))
	assert.Equal(t, "Mon, 5 Aug 2024 00:00:00 GMT", old.Header.Get("Deprecation"))
	assert.Equal(t, "Thu, 1 Jul 2027 00:00:00 GMT", old.Header.Get("Sunset"))

	// A date between the two versions is served by the older, deprecated one; errors say so too.
	between := get("/api/atlas/v2/groups/missing/clusters", "application/vnd.atlas.2024-01-01+json")
	require.Equal(t, http.StatusNotFound, between.StatusCode)
	assert.Equal(t, "Thu, 1 Jul 2027 00:00:00 GMT", between.Header.Get("Sunset"))

	current := get("/api/atlas/v2/groups/g/clusters", "application/vnd.atlas.2025-03-12+json")
	require.Equal(t, http.StatusOK, current.StatusCode)
	assert.Empty(t, current.Header.Values("Deprecation"), "the newest version is not deprecated")
	assert.Empty(t, current.Header.Values("Sunset"))

	// The SDK's form: the whole operation is deprecated, and no later version says since when.
	invites := get("/api/atlas/v2/groups/g/invites", "application/vnd.atlas.2023-01-01+json")
	require.Equal(t, http.StatusOK, invites.StatusCode)
	assert.Equal(t, "true", invites.Header.Get("Deprecation"))
	assert.Equal(t, "Tue, 15 Sep 2026 00:00:00 GMT", invites.Header.Get("Sunset"))
}
