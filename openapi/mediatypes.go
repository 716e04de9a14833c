package openapi

import "github.com/getkin/kin-openapi/openapi3filter"

// PEMMediaTypes are the media types of the PEM certificate responses: Atlas's versioned one and
// the legacy v1.0 one.
var PEMMediaTypes = []string{
	"application/vnd.atlas.2023-01-01+x-pem-file",
	"application/x-pem-file",
}

// The validator decodes bodies by media type; PEM bodies are plain text. kin-openapi keeps its
// decoders in a package-level map, so they are registered once, before any validation runs.
func init() {
	for _, mediaType := range PEMMediaTypes {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.PlainBodyDecoder)
	}
}
