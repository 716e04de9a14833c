// Package engine serves every operation of the official Atlas Administration API specification
// that the curated handlers do not, by interpreting the specification: resources from the path
// templates, their documents from the schemas, their states on the stub's clock. A new official
// version is followed by syncing the specification alone (openapi/upstream/).
//
// Its requests take the same way as the curated ones (route, negotiate, authenticate, validate,
// authorize); the engine is the step where a curated request reaches its handler. Its state
// lives in the store, as one JSON document per resource (store.Resource). Families of resources
// for which a generic rule would lie have hooks beside it (hook_*.go).
package engine

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/openapi/synth"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/store"
)

// DefaultTransition is how long a resource stays CREATING, UPDATING or DELETING by default.
const DefaultTransition = 5 * time.Second

// Engine serves the official operations of one stub, over its store.
type Engine struct {
	store *store.Store
	// transition is how long a creation, change or deletion takes on the stub's clock.
	transition time.Duration
}

// New returns the engine of a stub. Its resources go through their transitions in transition
// (0 makes them immediate).
func New(s *store.Store, transition time.Duration) *Engine {
	return &Engine{store: s, transition: transition}
}

// Serve is the engine's step of the pipeline: it serves the requests that routing sent to the
// official specification and passes the others on to the curated handlers.
func (e *Engine) Serve(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		info := pipeline.RequestOf(c.Request().Context())
		if !info.Official {
			return next(c)
		}
		spec, err := LoadSpec()
		if err != nil {
			return err
		}
		p := spec.plans[info.Operation()]
		if p == nil {
			return next(c)
		}
		cl, err := e.newCall(c, spec, p, info)
		if err != nil {
			return err
		}
		return cl.serve()
	}
}

// call is one request the engine serves.
type call struct {
	e    *Engine
	spec *Spec
	plan *plan
	echo echo.Context
	info *pipeline.Request
	// params are the path parameters, unescaped; parts the segments of the path after the API's
	// root, each escaped one way, so that the same path always keys the same resources.
	params map[string]string
	parts  []string
	// body is the request's JSON body, decoded; nil without one.
	body any
	// named are the ids a create of several members has named so far, so that a hook can
	// refuse the same one twice in one request.
	named map[string]bool
	tx    *store.Tx
	now   time.Time
}

func (e *Engine) newCall(c echo.Context, spec *Spec, p *plan, info *pipeline.Request) (*call, error) {
	cl := &call{e: e, spec: spec, plan: p, echo: c, info: info, params: map[string]string{}, named: map[string]bool{}}
	for name, value := range info.PathParams {
		if unescaped, err := url.PathUnescape(value); err == nil {
			value = unescaped
		}
		cl.params[name] = value
	}
	for _, part := range segments(strings.TrimPrefix(c.Request().URL.EscapedPath(), apiRoot)) {
		if unescaped, err := url.PathUnescape(part); err == nil {
			part = unescaped
		}
		cl.parts = append(cl.parts, url.PathEscape(part))
	}
	if p.op.RequestBody != nil {
		data, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(data)) > 0 {
			if err := json.Unmarshal(data, &cl.body); err != nil {
				return nil, apierror.MalformedJSON.New(err.Error())
			}
		}
	}
	return cl, nil
}

// serve runs the plan in one transaction of the store: a read-only one for reads.
func (cl *call) serve() error {
	run := func(tx *store.Tx) error {
		cl.tx, cl.now = tx, tx.Now()
		if err := cl.checkParents(); err != nil {
			return err
		}
		if h := cl.plan.hook; h != nil {
			return h.serve[cl.plan.op.OperationID](cl)
		}
		return cl.dispatch()
	}
	if cl.plan.method == http.MethodGet {
		return cl.e.store.View(run)
	}
	return cl.e.store.Update(run)
}

func (cl *call) dispatch() error {
	switch cl.plan.kind {
	case kindList:
		return cl.list()
	case kindCreate:
		return cl.create()
	case kindRead:
		return cl.read()
	case kindUpdate:
		return cl.update(false)
	case kindReplace:
		return cl.update(true)
	case kindDelete:
		return cl.remove()
	case kindSettings:
		return cl.settings()
	}
	return cl.action()
}

// collectionPath is where the plan's resources live: the request's first depth segments.
func (cl *call) collectionPath(depth int) string {
	return strings.Join(cl.parts[:min(depth, len(cl.parts))], "/")
}

// checkParents answers 404 for a path that names a project, organization or resource that does
// not exist, with the code Atlas uses for its kind.
func (cl *call) checkParents() error {
	scope := ""
	for _, ref := range cl.plan.parents {
		id := cl.params[ref.param]
		switch {
		case ref.coll.curated && strings.HasSuffix(ref.coll.template, "/groups"):
			if _, err := cl.tx.Project(id); err != nil {
				return err
			}
		case ref.coll.curated && strings.HasSuffix(ref.coll.template, "/orgs"):
			if _, err := cl.tx.Org(id); err != nil {
				return err
			}
		case !ref.coll.curated && ref.byProperty != "":
			_, found, err := cl.findBy(cl.collectionPath(ref.depth), ref.byProperty, id)
			if err != nil || !found {
				return errOr(err, codeError(ref.coll.notFound, id, scope))
			}
		case !ref.coll.curated:
			if h := ref.coll.hook; h != nil && h.key != nil {
				id = h.key(id)
			}
			if _, err := cl.live(cl.collectionPath(ref.depth), id, codeError(ref.coll.notFound, id, scope)); err != nil {
				return err
			}
		}
		scope = id
	}
	return nil
}

// live returns the member id of the collection at path, or missing when it does not exist or is
// gone.
func (cl *call) live(path, id string, missing error) (store.Resource, error) {
	r, ok, err := cl.tx.Resource(path, id)
	if err != nil {
		return r, err
	}
	if !ok || gone(r, cl.now) {
		return r, missing
	}
	return r, nil
}

// scope is the value of the last parameter before the plan's subject, which Atlas's messages
// name as what a missing resource lives in ("No cluster named c1 exists in group 5f4d...").
func (cl *call) scope() string {
	if n := len(cl.plan.parents); n > 0 {
		return cl.params[cl.plan.parents[n-1].param]
	}
	return cl.params["groupId"]
}

// render builds a value of schema from source, completed as the schema asks: read-only fields,
// defaults, dates from the stub's clock.
func (cl *call) render(schema *openapi3.SchemaRef, source any) any {
	return synth.Value(schema, source, synth.Options{Direction: synth.Response, Now: cl.now, NewID: cl.newID})
}

func (cl *call) newID() string { return ids.ObjectID(cl.now) }

// hexID matches the patterns that ask for a number of hexadecimal digits.
var hexID = regexp.MustCompile(`^\^?\(?\[(?:a-f0-9|0-9a-f|A-F0-9|0-9A-F|a-fA-F0-9|0-9a-fA-F)\]\{(\d+)\}\)?\$?$`)

// newIDFor is a new id of a member of coll: an ObjectId, or as many hexadecimal digits as the
// member parameter's pattern or length asks (an identity provider's 20, a cost explorer
// token's 64).
func (cl *call) newIDFor(coll *collection) string {
	n := 24
	if s := coll.idSchema; s != nil {
		if m := hexID.FindStringSubmatch(s.Pattern); m != nil {
			n, _ = strconv.Atoi(m[1])
		} else if s.Pattern == "" && s.MinLength > 24 {
			n = int(s.MinLength)
		}
	}
	if n == 24 {
		return cl.newID()
	}
	digits := make([]byte, (n+1)/2)
	_, _ = rand.Read(digits)
	return hex.EncodeToString(digits)[:n]
}

// writable keeps what a client may set from a request body: the properties the request's schema
// declares, without the read-only ones, which the official SDK sends back as it read them.
func (cl *call) writable(body any) any {
	if cl.plan.request == nil || body == nil {
		return body
	}
	return synth.Value(cl.plan.request, body, synth.Options{Direction: synth.Request})
}

// respond answers the plan's success status with value, in the media type that the response
// declares for it (and the request's Accept asked for, where it declares several).
func (cl *call) respond(value any) error {
	status := cl.plan.status
	if status == 0 {
		status = http.StatusOK
	}
	mediaType, schema := cl.mediaType(status)
	if mediaType == "" || status == http.StatusNoContent {
		return cl.echo.NoContent(status)
	}
	if _, format, ok := openapi.ParseMediaType(mediaType); ok && format != "json" {
		return cl.echo.Blob(status, mediaType, emptyFile(format))
	}
	if schema == nil {
		value = map[string]any{}
	}
	data, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return cl.echo.Blob(status, mediaType, data)
}

// mediaType picks the media type of a success response: the one whose format the Accept header
// names (a gzip or CSV download), else a JSON one.
func (cl *call) mediaType(status int) (string, *openapi3.SchemaRef) {
	response := cl.plan.op.Responses.Status(status)
	if response == nil || response.Value == nil || len(response.Value.Content) == 0 {
		return "", nil
	}
	wanted := "json"
	for _, accepted := range strings.Split(cl.echo.Request().Header.Get(echo.HeaderAccept), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(accepted)); err == nil {
			if _, format, ok := openapi.ParseMediaType(mt); ok {
				wanted = format
			}
		}
	}
	content := response.Value.Content
	fallback := ""
	for _, mediaType := range slices.Sorted(maps.Keys(content)) {
		_, format, _ := openapi.ParseMediaType(mediaType)
		if format == wanted {
			return mediaType, content[mediaType].Schema
		}
		if fallback == "" || format == "json" {
			fallback = mediaType
		}
	}
	return fallback, content[fallback].Schema
}

// emptyFile is an empty file of a format: a gzip stream of nothing, or an empty CSV.
func emptyFile(format string) []byte {
	if format != "gzip" {
		return nil
	}
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_ = w.Close()
	return b.Bytes()
}
