package client

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/openapi"
)

// Versions. Every /api/atlas/v2 operation of the specification lists the resource versions it
// serves in x-atlas-versions; a request names one with
// Accept: application/vnd.atlas.<date>+<format> and Atlas serves the newest version not later
// than that date. The client reads the versions from the embedded specification (once per
// process) instead of a table of its own, so that a new version or operation needs no change here.
//
//   - By default each operation asks for its own newest version; WithVersionDate asks every v2
//     operation for the given date instead.
//   - The format is always json, even for the certificate, whose body is PEM text and which our
//     specification declares as +x-pem-file: the official specification and SDK ask for +json
//     there, the one form known to work against Atlas, and the client reads the PEM raw whatever
//     the response's type.
//   - A JSON body is sent as application/vnd.atlas.<version>+json, naming the version of the
//     schema the generated types follow: the newest version of the operation not later than the
//     requested date (Atlas documents that it also takes application/json).
//   - The legacy v1.0, Cloud Manager and OAuth paths have no versions and speak
//     application/json (the OAuth endpoints take forms).

// specOperation is what the specification says about one operation that decides its headers.
type specOperation struct {
	// versions are the dates of x-atlas-versions; none for unversioned paths.
	versions []string
	// jsonBody is whether the operation takes a JSON request body.
	jsonBody bool
}

// specOperations reads the operations of the embedded specification once per process.
var specOperations = sync.OnceValues(func() (map[string]specOperation, error) {
	doc, err := openapi.LoadAtlas()
	if err != nil {
		return nil, err
	}
	ops := map[string]specOperation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			var spec specOperation
			if versions, ok := op.Extensions["x-atlas-versions"].([]any); ok {
				for _, v := range versions {
					if date, ok := v.(string); ok {
						spec.versions = append(spec.versions, date)
					}
				}
			}
			slices.Sort(spec.versions)
			spec.jsonBody = op.RequestBody != nil && op.RequestBody.Value.Content.Get("application/json") != nil
			ops[op.OperationID] = spec
		}
	}
	return ops, nil
})

// mediaTypes are the headers of the requests of one operation.
type mediaTypes struct {
	accept string
	// contentType is the type of a JSON request body; empty when the operation takes none.
	contentType string
}

// mediaTypesFor works out the headers of every operation; date is the WithVersionDate date, or
// empty for each operation's own newest version.
func mediaTypesFor(ops map[string]specOperation, date string) map[string]mediaTypes {
	all := make(map[string]mediaTypes, len(ops))
	for id, op := range ops {
		var m mediaTypes
		switch {
		case len(op.versions) == 0:
			m.accept = "application/json"
			if op.jsonBody {
				m.contentType = "application/json"
			}
		default:
			requested := date
			if requested == "" {
				requested = op.versions[len(op.versions)-1]
			}
			m.accept = "application/vnd.atlas." + requested + "+json"
			if op.jsonBody {
				m.contentType = "application/vnd.atlas." + bodyVersion(op.versions, requested) + "+json"
			}
		}
		all[id] = m
	}
	return all
}

// bodyVersion is the newest of versions not later than date; when every version is later, the
// date itself, which Atlas answers with 406 INVALID_VERSION_DATE as it does the Accept header.
func bodyVersion(versions []string, date string) string {
	for _, v := range slices.Backward(versions) {
		if v <= date {
			return v
		}
	}
	return date
}

// checkVersionDate accepts a date written YYYY-MM-DD.
func checkVersionDate(date string) error {
	if t, err := time.Parse(time.DateOnly, date); err != nil || t.Format(time.DateOnly) != date {
		return fmt.Errorf("client: version date %q is not a date written YYYY-MM-DD", date)
	}
	return nil
}

// headers sets the Accept header of an operation's requests, and the Content-Type of its JSON
// body, which the generated client sends as application/json.
func (c *Client) headers(operationID string) atlasapi.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		m, ok := c.mediaTypes[operationID]
		if !ok {
			return fmt.Errorf("client: %s is not an operation of the specification", operationID)
		}
		req.Header.Set("Accept", m.accept)
		if req.Body != nil && m.contentType != "" {
			req.Header.Set("Content-Type", m.contentType)
		}
		return nil
	}
}
