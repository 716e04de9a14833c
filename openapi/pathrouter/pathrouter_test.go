package pathrouter_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/openapi/pathrouter"
)

const doc = `{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {
	"/v2/groups/{groupId}/clusters": {"get": {"operationId": "list", "responses": {"200": {"description": "OK"}}}},
	"/v2/groups/{groupId}/clusters/provider/regions": {"get": {"operationId": "regions", "responses": {"200": {"description": "OK"}}}},
	"/v2/groups/{groupId}/clusters/{clusterName}": {"get": {"operationId": "get", "responses": {"200": {"description": "OK"}}}},
	"/v2/groups/{groupId}/clusters/{clusterName}:pause": {"post": {"operationId": "pause", "responses": {"200": {"description": "OK"}}}},
	"/v2/groups/{groupId}/logs/{logName}.gz": {"get": {"operationId": "log", "responses": {"200": {"description": "OK"}}}},
	"/v2/groups/{groupId}/samples/{name}": {"post": {"operationId": "load", "responses": {"200": {"description": "OK"}}}},
	"/v2/groups/{groupId}/samples/{sampleId}": {"get": {"operationId": "sample", "responses": {"200": {"description": "OK"}}}},
	"/v2/groups/{groupId}/accessList/{entryValue}": {"get": {"operationId": "entry", "responses": {"200": {"description": "OK"}}}}
}}`

func route(t *testing.T, method, path string) (*routers.Route, map[string]string, error) {
	t.Helper()
	spec, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	require.NoError(t, err)
	req, err := http.NewRequest(method, "http://stub"+path, nil)
	require.NoError(t, err)
	return pathrouter.New(spec).FindRoute(req)
}

func TestRoutesBySegments(t *testing.T) {
	for _, c := range []struct {
		method, path, operation string
		params                  map[string]string
	}{
		{http.MethodGet, "/v2/groups/g1/clusters", "list", map[string]string{"groupId": "g1"}},
		{http.MethodGet, "/v2/groups/g1/clusters/provider/regions", "regions", map[string]string{"groupId": "g1"}},
		{http.MethodGet, "/v2/groups/g1/clusters/provider", "get", map[string]string{"groupId": "g1", "clusterName": "provider"}},
		{http.MethodPost, "/v2/groups/g1/clusters/c1:pause", "pause", map[string]string{"groupId": "g1", "clusterName": "c1"}},
		{http.MethodGet, "/v2/groups/g1/logs/mongod.gz", "log", map[string]string{"groupId": "g1", "logName": "mongod"}},
		{http.MethodPost, "/v2/groups/g1/samples/movies", "load", map[string]string{"groupId": "g1", "name": "movies"}},
		{http.MethodGet, "/v2/groups/g1/samples/s1", "sample", map[string]string{"groupId": "g1", "sampleId": "s1"}},
		{http.MethodGet, "/v2/groups/g1/accessList/10.0.0.0%2F8", "entry", map[string]string{"groupId": "g1", "entryValue": "10.0.0.0%2F8"}},
	} {
		r, params, err := route(t, c.method, c.path)
		if assert.NoError(t, err, c.path) {
			assert.Equal(t, c.operation, r.Operation.OperationID, c.path)
			assert.Equal(t, c.params, params, c.path)
		}
	}
}

func TestRefusesWhatNoPathDeclares(t *testing.T) {
	_, _, err := route(t, http.MethodGet, "/v2/groups/g1/nothing")
	assert.ErrorIs(t, err, routers.ErrPathNotFound)
	_, _, err = route(t, http.MethodDelete, "/v2/groups/g1/clusters")
	assert.ErrorIs(t, err, routers.ErrMethodNotAllowed)
	_, _, err = route(t, http.MethodGet, "/v2/groups/g1/logs/.gz")
	assert.ErrorIs(t, err, routers.ErrPathNotFound, "a parameter is never empty")
}

// FuzzFindRoute routes arbitrary paths and methods through the router of the official
// specification: it never panics, and a route it finds gives every parameter of its template a
// value, which, put back into the template, is the path as the request wrote it.
func FuzzFindRoute(f *testing.F) {
	spec, err := openapi.LoadOfficial()
	require.NoError(f, err)
	router := pathrouter.New(spec)
	for _, seed := range []string{
		"/api/atlas/v2/groups/5f4d/clusters/c1", "/api/atlas/v2/groups/5f4d/clusters/provider/regions",
		"/api/atlas/v2/groups/5f4d/accessList/10.0.0.0%2F8", "/api/atlas/v2/groups/5f4d/clusters/c1/logs/mongodb.gz",
		"/api/atlas/v2/groups/5f4d/clusters/c1:pause", "/api/atlas/v2/orgs//users", "/api/atlas/v2/groups/{groupId}/clusters",
		"/", "//", "/api/atlas/v2/federationSettings/a/identityProviders/b/metadata.xml",
	} {
		f.Add(http.MethodGet, seed)
		f.Add(http.MethodPost, seed)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		req, err := http.NewRequest(method, "http://stub", nil)
		if err != nil {
			return
		}
		req.URL.Path, req.URL.RawPath = "", ""
		if u, err := url.Parse("http://stub" + path); err == nil && strings.HasPrefix(u.EscapedPath(), "/") {
			req.URL = u
		} else {
			return
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			return
		}
		filled := route.Path
		for name, value := range params {
			if value == "" {
				t.Fatalf("%s %s: %s routes to %s with an empty %s", method, path, req.URL.EscapedPath(), route.Path, name)
			}
			filled = strings.Replace(filled, "{"+name+"}", value, 1)
		}
		if filled != req.URL.EscapedPath() {
			t.Fatalf("%s routes to %s with %v, which fill it as %s", req.URL.EscapedPath(), route.Path, params, filled)
		}
	})
}
