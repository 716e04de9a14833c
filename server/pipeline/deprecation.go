package pipeline

import (
	"net/http"

	"github.com/atlasstub/atlasstub/openapi"
)

// Atlas's headers of a deprecated version (draft-ietf-httpapi-deprecation-header, RFC 8594).
const (
	HeaderDeprecation = "Deprecation"
	HeaderSunset      = "Sunset"
)

// labelDeprecation gives every response served by a deprecated version of its operation the
// headers live Atlas sends with it, with the specification's dates (openapi.VersionDeprecation):
// Deprecation, the date the version was deprecated, and Sunset, the date Atlas stops serving it.
// The stub goes on serving a version past its sunset, which Atlas answers 410 VERSION_GONE; the
// contract kit reports a client that calls one.
func labelDeprecation(info *Request, header http.Header) {
	d, deprecated := openapi.VersionDeprecation(info.Operation(), info.Version)
	if !deprecated {
		return
	}
	deprecation, sunset := d.Headers()
	header.Set(HeaderDeprecation, deprecation)
	if sunset != "" {
		header.Set(HeaderSunset, sunset)
	}
}
