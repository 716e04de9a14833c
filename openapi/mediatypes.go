package openapi

import "github.com/getkin/kin-openapi/openapi3filter"

// PEMMediaTypes are the media types of the PEM certificate responses: Atlas's versioned one and
// the legacy v1.0 one.
var PEMMediaTypes = []string{
	"application/vnd.atlas.2023-01-01+x-pem-file",
	"application/x-pem-file",
}

// OfficialFileMediaTypes are the media types of the official specification's responses that are
// files rather than JSON: CSV invoices and gzipped logs. `go test ./openapi` keeps the list
// complete.
var OfficialFileMediaTypes = []string{
	"application/vnd.atlas.2023-01-01+csv",
	"application/vnd.atlas.2023-01-01+gzip",
	"application/vnd.atlas.2023-02-01+gzip",
}

// The validator decodes bodies by media type; PEM and CSV bodies are plain text, gzip bodies
// bytes. kin-openapi keeps its decoders in a package-level map, so they are registered once,
// before any validation runs.
func init() {
	for _, mediaType := range PEMMediaTypes {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.PlainBodyDecoder)
	}
	for _, mediaType := range OfficialFileMediaTypes {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.FileBodyDecoder)
	}
}
