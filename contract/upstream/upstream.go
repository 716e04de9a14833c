// Package upstream compares our specification with an official Atlas Administration API
// specification, for the operations we cover, so that a user can see whether the stub still
// matches Atlas after Atlas publishes a new version. It reports operations, parameters, request
// bodies, status codes, media types, versions and schema fields (with their types, formats,
// enums, patterns, limits and flags) that differ. Differences we intend (the defects of the
// official specification that we fix) are listed in a reviewed file and do not fail.
package upstream

import (
	"slices"
	"strings"
)

// Kind says what differs. The schema kinds are named after the OpenAPI keyword they compare.
type Kind string

const (
	KindOperation   Kind = "operation"    // an operation exists on one side only
	KindPath        Kind = "path"         // the same operationId has another method or path
	KindParameter   Kind = "parameter"    // a parameter exists on one side only
	KindRequestBody Kind = "request-body" // a request body exists on one side only
	KindStatus      Kind = "status"       // a response status exists on one side only
	KindMediaType   Kind = "media-type"   // a media type (version aside) exists on one side only
	KindVersion     Kind = "version"      // a resource version exists on one side only
	KindField       Kind = "field"        // a schema property exists on one side only
	KindEnum        Kind = "enum"         // an enum value exists on one side only
	KindRequired    Kind = "required"     // a parameter, body or field is required on one side only

	KindType                 Kind = "type"
	KindFormat               Kind = "format"
	KindPattern              Kind = "pattern"
	KindNullable             Kind = "nullable"
	KindReadOnly             Kind = "readOnly"
	KindWriteOnly            Kind = "writeOnly"
	KindDefault              Kind = "default"
	KindMinimum              Kind = "minimum"
	KindMaximum              Kind = "maximum"
	KindMinLength            Kind = "minLength"
	KindMaxLength            Kind = "maxLength"
	KindMinItems             Kind = "minItems"
	KindMaxItems             Kind = "maxItems"
	KindAdditionalProperties Kind = "additionalProperties"
)

// presenceKinds are the kinds of things that exist on one side only; the others compare a value
// present on both sides.
var presenceKinds = []Kind{KindOperation, KindParameter, KindRequestBody, KindStatus, KindMediaType, KindVersion, KindField, KindEnum}

// Sides of a presence finding.
const (
	Ours     = "ours"
	Official = "official"
)

// Finding is one difference between our specification and the official one.
type Finding struct {
	Kind Kind `json:"kind"`
	// Only is Ours or Official for a presence kind: the side that has Name.
	Only string `json:"only,omitempty"`
	// Operations are the operationIds where the difference shows. A difference inside a named
	// schema is reported once, with every operation that uses the schema.
	Operations []string `json:"operations"`
	// Path is our path of the operation, for operation-level differences.
	Path string `json:"path,omitempty"`
	// Where is the place inside the operation: "parameter query.pageNum", "request body",
	// "response 200". Empty for differences inside a named schema.
	Where string `json:"where,omitempty"`
	// Usage says whether the difference shows in requests, responses or both: "request",
	// "response" or "request, response". A difference in a request schema changes what the stub
	// accepts; one in a response schema changes what clients receive.
	Usage string `json:"usage,omitempty"`
	// Schema is our component schema that holds Field; empty when the field is inline.
	Schema string `json:"schema,omitempty"`
	// Field is the property path inside Schema (or inside the body), e.g. results[].name.
	Field string `json:"field,omitempty"`
	// Name is what only one side has: an operation, parameter, status, media type, version,
	// field or enum value.
	Name string `json:"name,omitempty"`
	// Ours and Official are the two values of a compared keyword; empty means unset.
	Ours     string `json:"ours,omitempty"`
	Official string `json:"official,omitempty"`
	// Known is the reviewed difference that explains this finding, if any.
	Known *Difference `json:"known,omitempty"`
}

// Informational reports whether the finding never fails the comparison: an official operation
// that ours does not declare on a path ours declares. Ours is a subset of Atlas by design, and
// the engine serves the rest from the official specification; the finding tells the user which
// operations of the path those are.
func (f Finding) Informational() bool {
	return f.Kind == KindOperation && f.Only == Official
}

// Location says where the difference is, for reports.
func (f Finding) Location() string {
	var parts []string
	if f.Schema != "" {
		parts = append(parts, strings.TrimSuffix(f.Schema+"."+f.Field, "."))
	} else {
		parts = append(parts, strings.Join(f.Operations, ", "))
		if f.Where != "" {
			parts = append(parts, f.Where)
		}
		if f.Field != "" {
			parts = append(parts, f.Field)
		}
	}
	return strings.Join(parts, " ")
}

// Description says what differs, for reports.
func (f Finding) Description() string {
	if slices.Contains(presenceKinds, f.Kind) {
		return string(f.Kind) + " " + f.Name + " only in " + f.Only
	}
	return string(f.Kind) + " differs: ours " + shown(f.Ours) + ", official " + shown(f.Official)
}

func shown(value string) string {
	if value == "" {
		return "(unset)"
	}
	return "`" + value + "`"
}

// Report is the outcome of a comparison.
type Report struct {
	Ours     string `json:"ours"`
	Official string `json:"official"`
	// OfficialVersion is the official specification's info.version.
	OfficialVersion string `json:"officialVersion"`
	// Operations counts our operations; Matched counts those the official specification has.
	Operations int       `json:"operations"`
	Matched    int       `json:"matched"`
	Findings   []Finding `json:"findings"`
	// Differences are the reviewed differences applied to the findings.
	Differences []Difference `json:"-"`
	// UnusedDifferences are reviewed differences that no longer show: the official specification
	// may have fixed the defect, and the entry (and perhaps our fix) can go.
	UnusedDifferences []Difference `json:"unusedDifferences,omitempty"`
}

// Unexplained returns the differences that no reviewed difference explains.
func (r Report) Unexplained() []Finding {
	return r.filter(func(f Finding) bool { return f.Known == nil && !f.Informational() })
}

// Explained returns the differences that a reviewed difference explains.
func (r Report) Explained() []Finding {
	return r.filter(func(f Finding) bool { return f.Known != nil })
}

// Informational returns the findings that never fail.
func (r Report) Informational() []Finding {
	return r.filter(func(f Finding) bool { return f.Known == nil && f.Informational() })
}

// Failed reports whether any difference is unexplained.
func (r Report) Failed() bool { return len(r.Unexplained()) > 0 }

func (r Report) filter(keep func(Finding) bool) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}
