package openapi

import "github.com/getkin/kin-openapi/openapi3filter"

// PEMMediaTypes are the media types of the PEM certificate responses: Atlas's versioned one and
// the legacy v1.0 one.
var PEMMediaTypes = []string{
	"application/vnd.atlas.2023-01-01+x-pem-file",
	"application/x-pem-file",
}

// YAMLMediaType is the media type of the specifications that the control API serves.
const YAMLMediaType = "application/yaml"

// The validator decodes bodies by media type. PEM bodies, and the specifications served as YAML
// (a document is the `type: string` its operation declares, not the data it describes), are plain
// text. kin-openapi keeps its decoders in a package-level map, so they are registered once, before
// any validation runs.
func init() {
	for _, mediaType := range append(PEMMediaTypes, YAMLMediaType) {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.PlainBodyDecoder)
	}
}
