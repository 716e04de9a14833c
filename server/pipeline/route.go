package pipeline

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/openapi/pathrouter"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// ControlPrefix is where the control API lives; every other path belongs to the Atlas subset.
const ControlPrefix = "/_stub/"

// Router finds the operation of a request in one of the specifications: the control API's, our
// curated Atlas subset's, and for what the curated one lacks, the official Atlas specification's,
// which the generic engine serves.
type Router struct {
	atlas, control routers.Router
	atlasDoc       *openapi3.T
	// official returns the router of the official specification, loading it on first use; nil
	// serves the curated specification alone.
	official func() (routers.Router, error)
}

// WithOfficial returns a router that routes the requests the curated specification does not
// declare to the official specification's operations, which official returns the router of.
// It is called for such requests only, so that the curated operations never wait for the
// official specification to load.
func (r *Router) WithOfficial(official func() (routers.Router, error)) *Router {
	with := *r
	with.official = official
	return &with
}

// AtlasDocument returns the Atlas specification the router routes to, shared by every stub of
// the process: read it, never change it.
func (r *Router) AtlasDocument() *openapi3.T { return r.atlasDoc }

// SpecRouter is the router of the embedded specifications. They are parsed once per process
// and only read afterwards, so every stub of the process shares them: parsing and validating
// them costs more than the rest of starting a stub, and tests start hundreds.
var SpecRouter = sync.OnceValues(func() (*Router, error) {
	atlasDoc, err := openapi.LoadAtlas()
	if err != nil {
		return nil, err
	}
	controlDoc, err := openapi.LoadStub()
	if err != nil {
		return nil, err
	}
	return newRouter(atlasDoc, controlDoc), nil
})

func newRouter(atlasDoc, controlDoc *openapi3.T) *Router {
	// A tree of path segments, as for the official specification: gorilla/mux tried every path's
	// regular expression in turn, which cost a tenth of a request. It ignores the documents'
	// servers: the stub serves both on any host.
	return &Router{atlas: pathrouter.New(atlasDoc), control: pathrouter.New(controlDoc), atlasDoc: atlasDoc}
}

// Match is the routing step: it finds the request's operation, answers 404 RESOURCE_NOT_FOUND
// or 405 when there is none, and records the operation and the parsed query string for every
// later step.
func (r *Router) Match(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		routes := r.atlas
		if strings.HasPrefix(req.URL.Path, ControlPrefix) {
			routes = r.control
		}
		route, pathParams, err := routes.FindRoute(req)
		official := false
		var officialRoutes routers.Router
		if err != nil && routes == r.atlas && r.official != nil {
			var loadErr error
			if officialRoutes, loadErr = r.official(); loadErr != nil {
				return loadErr
			}
			if found, params, officialErr := officialRoutes.FindRoute(req); officialErr == nil {
				route, pathParams, err, official = found, params, nil, true
			} else if errors.Is(officialErr, routers.ErrMethodNotAllowed) {
				err = officialErr
			}
		}
		switch {
		case errors.Is(err, routers.ErrMethodNotAllowed):
			allowed := allowedMethods(routes, req)
			if officialRoutes != nil {
				allowed = union(allowed, allowedMethods(officialRoutes, req))
			}
			c.Response().Header().Set(echo.HeaderAllow, strings.Join(allowed, ", "))
			return apierror.MethodNotAllowed.New(req.Method, req.URL.Path)
		case err != nil:
			return apierror.ResourceNotFound.New(req.URL.Path)
		}
		query := parseQuery(req.URL.RawQuery, route)
		// The generated bindings read the query from the URL: they see what the steps see. The
		// request URI, which a Digest response signs, stays as sent.
		req.URL.RawQuery = query.raw
		info := &Request{Route: route, PathParams: pathParams, BaseURL: baseURL(req), URL: req.URL, Query: query.values, queryViolations: query.violations, Official: official}
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestKey{}, info)))
		setPathParams(c, pathParams)
		return next(c)
	}
}

// specMethods are the methods an OpenAPI 3.0 path item can declare, in the order Allow lists
// them.
var specMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodTrace,
}

// allowedMethods returns the methods the specification declares for the path of req, for the
// Allow header of a 405. The router answers a wrong method without the path item it matched, so
// copies of req with the declarable methods probe for it until one finds an operation there.
func allowedMethods(routes routers.Router, req *http.Request) []string {
	probe := *req
	for _, method := range specMethods {
		probe.Method = method
		route, _, err := routes.FindRoute(&probe)
		if err != nil {
			continue
		}
		operations := route.PathItem.Operations()
		var allowed []string
		for _, declared := range specMethods {
			if operations[declared] != nil {
				allowed = append(allowed, declared)
			}
		}
		return allowed
	}
	return nil
}

// union returns the methods of both lists in the order Allow lists them.
func union(a, b []string) []string {
	var out []string
	for _, method := range specMethods {
		if slices.Contains(a, method) || slices.Contains(b, method) {
			out = append(out, method)
		}
	}
	return out
}

// setPathParams gives the generated handlers the path parameters as the specification's router
// found them. Echo's own router cannot name a parameter followed by a literal in the same
// segment, as in `/serviceAccounts/{clientId}:invite`, where it would see one parameter called
// "clientId\:invite".
//
// The router returns the values as escaped in the path; the generated handlers unescape them only
// when the request's path has a raw form (Echo's convention), so without one they get them
// unescaped here.
func setPathParams(c echo.Context, pathParams map[string]string) {
	names := make([]string, 0, len(pathParams))
	values := make([]string, 0, len(pathParams))
	for name, value := range pathParams {
		if c.Request().URL.RawPath == "" {
			if unescaped, err := url.PathUnescape(value); err == nil {
				value = unescaped
			}
		}
		names = append(names, name)
		values = append(values, value)
	}
	c.SetParamNames(names...)
	c.SetParamValues(values...)
}

func baseURL(req *http.Request) string {
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: req.Host}).String()
}
