package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/openapi"
)

// Versions. Every /api/atlas/v2 operation of the specification lists the resource versions it
// serves in x-atlas-versions; a request names one with
// Accept: application/vnd.atlas.<date>+<format> and Atlas serves the newest version not later
// than that date. client/internal/opsgen writes each operation's versions from the specification
// into operations.gen.go (specOperations) when the bindings are generated, so that a new version
// or operation needs no change here and the client does not parse the specification at run time.
//
//   - By default each operation asks for its own newest version; WithVersionDate asks every v2
//     operation for the given date instead.
//   - The format is always json, even for the certificate, whose body is PEM text: Atlas labels
//     it with its JSON media type too, and the client reads the PEM raw (the specification's
//     format: binary) whatever the response's type.
//   - A JSON body is sent as application/vnd.atlas.<version>+json, naming the version of the
//     schema the generated types follow: the newest version of the operation not later than the
//     requested date (Atlas documents that it also takes application/json).
//   - The legacy v1.0, Cloud Manager and OAuth paths have no versions and speak
//     application/json (the OAuth endpoints take forms).

// specOperation is what the specification says about one operation that decides its headers.
type specOperation struct {
	// versions are the versions the operation serves, oldest first; none for unversioned paths.
	versions []string
	// jsonBody is whether the operation takes a JSON request body.
	jsonBody bool
}

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
			m.accept = openapi.MediaType(requested, "json")
			if op.jsonBody {
				m.contentType = openapi.MediaType(bodyVersion(op.versions, requested), "json")
			}
		}
		all[id] = m
	}
	return all
}

// bodyVersion is the newest of versions not later than date; when every version is later, the
// date itself, which Atlas answers with 406 INVALID_VERSION_DATE as it does the Accept header.
func bodyVersion(versions []string, date string) string {
	if version := openapi.NewestNotAfter(versions, date); version != "" {
		return version
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
