package openapi

import (
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Atlas versions its resources by date. A request names the version it wants in a media type,
// application/vnd.atlas.<date>+<format>, and Atlas serves the newest version of the operation
// that is not later than that date. Our specification lists an operation's versions in its
// x-atlas-versions extension; the official one puts each version in the media types of the
// operation's request body and success responses. Versions reads either.

// versionedPrefix begins every versioned media type.
const versionedPrefix = "application/vnd.atlas."

// MediaType is the versioned media type of version in format: MediaType("2023-01-01", "json")
// is application/vnd.atlas.2023-01-01+json.
func MediaType(version, format string) string {
	return "application/vnd.atlas." + version + "+" + format
}

// ParseMediaType returns the version and format of a versioned media type, written without
// parameters and in lower case; ok is false for any other media type. The version is only
// shaped like a date: whether it is a real one is the caller's to check.
func ParseMediaType(mediaType string) (version, format string, ok bool) {
	// By hand rather than by a regular expression: every request parses its Accept header and
	// its response's Content-Type, and a match's submatches cost allocations each time.
	rest, ok := strings.CutPrefix(mediaType, versionedPrefix)
	if !ok {
		return "", "", false
	}
	version, format, ok = strings.Cut(rest, "+")
	if !ok || !isDateShaped(version) || !isFormat(format) {
		return "", "", false
	}
	return version, format, true
}

// isDateShaped reports whether s is written as a date, YYYY-MM-DD, in ASCII digits.
func isDateShaped(s string) bool {
	if len(s) != len("2006-01-02") {
		return false
	}
	for i := range len(s) {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isFormat reports whether s names a format as versioned media types write it: lower-case
// letters and hyphens, at least one.
func isFormat(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if (s[i] < 'a' || s[i] > 'z') && s[i] != '-' {
			return false
		}
	}
	return true
}

// Versions returns the versions an operation serves, oldest first: those its x-atlas-versions
// extension lists, and those of the versioned media types of its request body and success
// responses. An operation without any (legacy v1.0, OAuth, the control API) speaks plain JSON
// and has nil, which reports write as null.
func Versions(op *openapi3.Operation) []string {
	if op == nil {
		return nil
	}
	versions := ExtensionStrings(op.Extensions, "x-atlas-versions")
	addFrom := func(content openapi3.Content) {
		for mediaType := range content {
			if v, _, ok := ParseMediaType(mediaType); ok {
				versions = append(versions, v)
			}
		}
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		addFrom(op.RequestBody.Value.Content)
	}
	if op.Responses != nil {
		for status, response := range op.Responses.Map() {
			if isSuccess(status) && response.Value != nil {
				addFrom(response.Value.Content)
			}
		}
	}
	if len(versions) == 0 {
		return nil
	}
	slices.Sort(versions)
	return slices.Clip(slices.Compact(versions))
}

// NewestNotAfter returns the newest of versions that is not later than date, or "" when every
// version is later. Versions and date are written YYYY-MM-DD, so they compare as strings.
func NewestNotAfter(versions []string, date string) string {
	served := ""
	for _, v := range versions {
		if v <= date && v > served {
			served = v
		}
	}
	return served
}

// isSuccess reports whether a response status of the specification ("200", "2XX") is a 2xx.
func isSuccess(status string) bool { return len(status) == 3 && status[0] == '2' }
