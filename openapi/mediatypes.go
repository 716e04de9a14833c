package openapi

import "github.com/getkin/kin-openapi/openapi3filter"

// YAMLMediaType is the media type of the specifications that the control API serves.
const YAMLMediaType = "application/yaml"

// The validator decodes bodies by media type. The specifications served as YAML are the
// `type: string` their operation declares, not the data they describe: plain text. kin-openapi
// keeps its decoders in a package-level map, so the decoder is registered once, before any
// validation runs.
func init() {
	openapi3filter.RegisterBodyDecoder(YAMLMediaType, openapi3filter.PlainBodyDecoder)
}
