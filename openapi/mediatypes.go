package openapi

import "github.com/getkin/kin-openapi/openapi3filter"

// YAMLMediaType is the media type of the specifications that the control API serves.
const YAMLMediaType = "application/yaml"

// OfficialFileMediaTypes are the media types of the official specification's responses that are
// files rather than JSON: CSV invoices and gzipped logs. `go test ./openapi` keeps the list
// complete.
var OfficialFileMediaTypes = []string{
	"application/vnd.atlas.2023-01-01+csv",
	"application/vnd.atlas.2023-01-01+gzip",
	"application/vnd.atlas.2023-02-01+gzip",
}

// InspectorMediaTypes are the media types of the inspector's page, script and style, and of the
// journal's stream of server-sent events: text, as the `type: string` their operations declare.
var InspectorMediaTypes = []string{"text/html", "text/javascript", "text/css", "text/event-stream"}

// The validator decodes bodies by media type. The specifications served as YAML are the
// `type: string` their operation declares, not the data they describe: plain text, as are the
// inspector's files. CSV and gzip bodies are files, read as bytes. kin-openapi keeps its decoders
// in a package-level map, so they are registered once, before any validation runs.
func init() {
	openapi3filter.RegisterBodyDecoder(YAMLMediaType, openapi3filter.PlainBodyDecoder)
	for _, mediaType := range InspectorMediaTypes {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.PlainBodyDecoder)
	}
	for _, mediaType := range OfficialFileMediaTypes {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.FileBodyDecoder)
	}
}
