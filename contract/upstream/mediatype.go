package upstream

import (
	"mime"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/openapi"
)

// The two specifications say versions differently. The official one puts the version in each
// media type (application/vnd.atlas.2023-01-01+json, with x-xgen-version beside it) and gives an
// empty 204 a schema-less content entry only to carry its version. Ours lists the versions in the
// operation's x-atlas-versions and gives a 204 no content. So media types are compared with the
// version taken out, versions are compared as sets, and a schema-less entry counts as a version,
// not as a media type. The versions an operation serves are openapi.Versions, which reads both
// ways.

// mediaEntry is one content entry of a request body or response.
type mediaEntry struct {
	// kind is the media type without version or parameters: application/vnd.atlas+json.
	kind    string
	version string
	media   *openapi3.MediaType
}

// describesBody reports whether the entry is a media type, rather than only a version marker.
func (e mediaEntry) describesBody() bool { return e.media.Schema != nil }

// mediaEntries lists the content entries in a stable order.
func mediaEntries(content openapi3.Content) []mediaEntry {
	var entries []mediaEntry
	for _, key := range sortedKeys(content) {
		media := content[key]
		if media == nil {
			continue
		}
		kind := key
		if parsed, _, err := mime.ParseMediaType(key); err == nil {
			kind = parsed
		}
		entry := mediaEntry{kind: kind, media: media}
		if version, format, ok := openapi.ParseMediaType(kind); ok {
			entry.kind, entry.version = "application/vnd.atlas+"+format, version
		}
		if v, ok := media.Extensions["x-xgen-version"].(string); ok {
			entry.version = v
		}
		entries = append(entries, entry)
	}
	return entries
}

// bodyKinds returns the media types (versions aside) of the entries that describe a body.
func bodyKinds(entries []mediaEntry) []string {
	var kinds []string
	for _, e := range entries {
		if e.describesBody() && !slices.Contains(kinds, e.kind) {
			kinds = append(kinds, e.kind)
		}
	}
	return kinds
}

// pick returns the entry of the given kind to compare with a version: the one of that version,
// else the newest one.
func pick(entries []mediaEntry, kind, version string) (mediaEntry, bool) {
	var best mediaEntry
	found := false
	for _, e := range entries {
		if e.kind != kind || !e.describesBody() {
			continue
		}
		if e.version == version {
			return e, true
		}
		if !found || e.version > best.version {
			best, found = e, true
		}
	}
	return best, found
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
