package openapi

import (
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Atlas deprecates a resource version when it releases the next one, and sunsets it (stops
// serving it; requests for it are 410 VERSION_GONE) at a date it announces. The official
// specification writes the sunset in x-sunset, in one of two forms, both read here:
//
//   - the full specification, which lists every version of an operation, puts x-sunset on the
//     versioned media type of each success response of a deprecated version;
//   - a specification filtered to one version per operation, such as the one the official Go SDK
//     ships, moves it to the operation and marks the operation deprecated: true.
//
// Our specification lists every version of an operation, so a curated operation with a deprecated
// version writes the first form; none has one yet.

// Deprecation is what the specification says of a deprecated version of an operation.
type Deprecation struct {
	// Since is when the version was deprecated: the date of the version that replaced it. Zero
	// when no later version replaced it (the operation itself is deprecated).
	Since time.Time
	// Sunset is when Atlas stops serving the version. Zero when the specification names no date,
	// or the placeholder 9999-12-31 that means one is yet to be decided.
	Sunset time.Time
}

// Headers are the Deprecation and Sunset headers live Atlas sends with every response of the
// version (draft-ietf-httpapi-deprecation-header, RFC 8594), its dates written as Atlas writes
// them, an HTTP date whose day has no leading zero: Mon, 5 Aug 2024 00:00:00 GMT. Where the
// specification names no date of deprecation, Deprecation is "true", as the draft allows; where it
// names no sunset, sunset is empty and there is no Sunset header.
func (d Deprecation) Headers() (deprecation, sunset string) {
	deprecation = "true"
	if !d.Since.IsZero() {
		deprecation = httpDate(d.Since)
	}
	if !d.Sunset.IsZero() {
		sunset = httpDate(d.Sunset)
	}
	return deprecation, sunset
}

func httpDate(t time.Time) string { return t.UTC().Format("Mon, 2 Jan 2006 15:04:05 GMT") }

// sunsetToBeDecided is the official specification's x-sunset for a date yet to be decided.
const sunsetToBeDecided = "9999-12-31"

// VersionDeprecation reports whether version of an operation is deprecated, and its dates. A
// version is deprecated when a later version of the operation replaced it, when a media type of
// the version carries x-sunset, or when the operation is deprecated.
func VersionDeprecation(op *openapi3.Operation, version string) (Deprecation, bool) {
	if op == nil || version == "" {
		return Deprecation{}, false
	}
	var d Deprecation
	deprecated := op.Deprecated
	for _, v := range Versions(op) {
		if v > version {
			d.Since, _ = time.Parse(time.DateOnly, v) // the oldest later version, Versions being sorted
			deprecated = true
			break
		}
	}
	if sunset, ok := mediaTypeSunset(op, version); ok {
		d.Sunset, deprecated = sunset, true
	} else if op.Deprecated {
		d.Sunset, _ = sunsetOf(op.Extensions)
	}
	return d, deprecated
}

// mediaTypeSunset reads the x-sunset of the versioned media types of version in the operation's
// success responses.
func mediaTypeSunset(op *openapi3.Operation, version string) (time.Time, bool) {
	if op.Responses == nil {
		return time.Time{}, false
	}
	for status, response := range op.Responses.Map() {
		if !isSuccess(status) || response.Value == nil {
			continue
		}
		for mediaType, media := range response.Value.Content {
			if v, _, ok := ParseMediaType(mediaType); !ok || v != version || media == nil {
				continue
			}
			if _, marked := media.Extensions["x-sunset"]; marked {
				sunset, _ := sunsetOf(media.Extensions)
				return sunset, true
			}
		}
	}
	return time.Time{}, false
}

// sunsetOf reads an x-sunset date; the placeholder of a date to be decided, or anything that is
// not a date, is none.
func sunsetOf(extensions map[string]any) (time.Time, bool) {
	var text string
	switch v := extensions["x-sunset"].(type) {
	case string:
		text = v
	case time.Time:
		text = v.Format(time.DateOnly)
	}
	if text == "" || text == sunsetToBeDecided {
		return time.Time{}, false
	}
	sunset, err := time.Parse(time.DateOnly, text)
	return sunset, err == nil
}
