package apierror

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// What an error repeats of the request is capped, so that a huge input cannot come back
// multiplied: a 10 MB project name would otherwise be echoed in the detail and again in the
// parameters.
const (
	// MaxEchoedValue bounds each value of the request that an error repeats: a parameter, or
	// the field that a violation of badRequestDetail names.
	MaxEchoedValue = 512
	// MaxDetail bounds a detail, which holds the template's text around its parameters, and
	// the description of a violation.
	MaxDetail = 2048
	// MaxFieldViolations bounds how many violations badRequestDetail lists; the first ones
	// are kept.
	MaxFieldViolations = 100
)

// Truncate returns s if it has at most max bytes, and otherwise its beginning, cut between
// characters, followed by how long s was, all within max bytes.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	suffix := fmt.Sprintf("… (%d bytes)", len(s))
	cut := max - len(suffix)
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + suffix
}

// capParams caps the string parameters of an error before they fill its detail, so that the
// detail and the parameters repeat the same, short value.
func capParams(params []any) []any {
	capped := make([]any, len(params))
	for i, p := range params {
		if s, ok := p.(string); ok {
			p = Truncate(s, MaxEchoedValue)
		}
		capped[i] = p
	}
	return capped
}

// MarshalJSON writes the error with every text it may have taken from the request capped,
// whichever way the error was built: parameters, detail, and the fields of badRequestDetail.
func (e *Error) MarshalJSON() ([]byte, error) {
	type plain Error // the same fields, without this method
	capped := plain(*e)
	capped.Detail = Truncate(e.Detail, MaxDetail)
	if e.Parameters != nil { // no parameters at all, as Atlas's 401 has, stay left out
		capped.Parameters = capParams(e.Parameters)
	}
	if e.BadRequestDetail != nil {
		fields := e.BadRequestDetail.Fields
		if len(fields) > MaxFieldViolations {
			fields = fields[:MaxFieldViolations]
		}
		capped.BadRequestDetail = &BadRequestDetail{Fields: make([]FieldViolation, len(fields))}
		for i, f := range fields {
			capped.BadRequestDetail.Fields[i] = FieldViolation{
				Field:       Truncate(f.Field, MaxEchoedValue),
				Description: Truncate(f.Description, MaxDetail),
			}
		}
	}
	return json.Marshal(capped)
}
