package openapi

import (
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
)

// AbsentWhenEmpty reports whether a query parameter given the value counts as absent: an optional
// parameter given empty (`?projectOwnerId=`, or a bare `?projectOwnerId`), as live Atlas reads
// the options that clients send unset. Its default applies. A required parameter keeps its
// empty value, which its schema judges.
func AbsentWhenEmpty(p *openapi3.Parameter, value string) bool {
	return value == "" && p != nil && p.In == openapi3.ParameterInQuery && !p.Required
}

// QueryParameter returns the query parameter name that an operation, or its path, declares; nil
// when neither does.
func QueryParameter(op *openapi3.Operation, path *openapi3.PathItem, name string) *openapi3.Parameter {
	if op != nil {
		if p := op.Parameters.GetByInAndName(openapi3.ParameterInQuery, name); p != nil {
			return p
		}
	}
	if path != nil {
		return path.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
	}
	return nil
}

// WithoutAbsentQuery returns the values of a query as the operation reads them: without the
// empty values that count as absent (AbsentWhenEmpty).
func WithoutAbsentQuery(op *openapi3.Operation, path *openapi3.PathItem, query url.Values) url.Values {
	out := url.Values{}
	for name, values := range query {
		p := QueryParameter(op, path, name)
		for _, v := range values {
			if !AbsentWhenEmpty(p, v) {
				out[name] = append(out[name], v)
			}
		}
	}
	return out
}
