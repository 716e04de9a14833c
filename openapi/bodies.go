package openapi

import "github.com/getkin/kin-openapi/openapi3"

// IsEmptyObject reports whether a body's schema allows only the empty object, {}: the body of a
// request that Atlas accepted and completes later (deleteGroup's 202). A client has nothing to
// read in it.
func IsEmptyObject(schema *openapi3.SchemaRef) bool {
	if schema == nil || schema.Value == nil {
		return false
	}
	s := schema.Value
	return s.Type.Is(openapi3.TypeObject) && s.MaxProps != nil && *s.MaxProps == 0
}

// IsRawBody reports whether a body's schema is text sent as it is (a string in format binary),
// whatever its media type names: live Atlas answers a new certificate's PEM under its JSON media
// type. Validators read such a body raw (kin-openapi does for format binary), and clients take it
// as it comes.
func IsRawBody(schema *openapi3.SchemaRef) bool {
	return schema != nil && schema.Value != nil && schema.Value.Type.Is(openapi3.TypeString) && schema.Value.Format == "binary"
}
