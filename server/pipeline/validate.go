package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// requestValidation validates requests against the specification. Authentication has its own
// step, so the validator's security check is a no-op. Read-only fields are accepted and ignored
// (the official SDK sends them), and defaults are not filled in, so that a PATCH changes only
// what it names.
//
// As responses are (ResponseChecker), a request is validated first as fast as the validator
// goes, stopping at the first mismatch and describing none, and again with every mismatch
// described only when it fails.
var (
	requestValidation = &openapi3filter.Options{
		MultiError:                 true,
		KeepValidatedValue:         true,
		SkipSettingDefaults:        true,
		ExcludeReadOnlyValidations: true,
		AuthenticationFunc:         openapi3filter.NoopAuthenticationFunc,
	}
	quickRequestValidation = &openapi3filter.Options{
		KeepValidatedValue:         true,
		SkipSettingDefaults:        true,
		ExcludeReadOnlyValidations: true,
		AuthenticationFunc:         openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions:    []openapi3.SchemaValidationOption{openapi3.FailFast()},
	}
)

// ValidateRequests is the request validation step: a request that violates the specification
// gets a 400 ApiError naming every offending field in badRequestDetail.fields. The validator
// reads the query string as the routing step parsed it, and a body that strictBodyViolations
// found sound.
func ValidateRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		info := RequestOf(req.Context())
		if info.Operation().RequestBody != nil {
			malformed, err := strictBodyViolations(req)
			if err != nil {
				return err
			}
			if len(malformed) > 0 {
				return violationsError(slices.Concat(info.queryViolations, malformed))
			}
		}
		validate := func(options *openapi3filter.Options) error {
			return openapi3filter.ValidateRequest(req.Context(), &openapi3filter.RequestValidationInput{
				Request:     req,
				PathParams:  info.PathParams,
				QueryParams: info.Query,
				Route:       info.Route,
				Options:     options,
			})
		}
		err := validate(quickRequestValidation)
		if err != nil {
			err = validate(requestValidation) // the body is back in the request for a second reading
		}
		if err != nil || len(info.queryViolations) > 0 {
			return badRequest(info.queryViolations, err)
		}
		return next(c)
	}
}

// violation is one way a request breaks the contract, with the Atlas error it maps to.
type violation struct {
	field       string
	description string
	code        *apierror.Error
}

// badRequest turns the violations of the query string and the validator's errors into one Atlas
// error. The query string's come first: the parameters they hid are missing from what the
// validator saw.
func badRequest(queryViolations []violation, err error) error {
	violations := slices.Concat(queryViolations, collectViolations(err))
	if len(violations) == 0 {
		return apierror.InvalidAttribute.WithDetail(err.Error())
	}
	return violationsError(violations)
}

// violationsError is the Atlas error of a request's violations: the first decides the errorCode
// and detail, and every violation is listed in badRequestDetail.fields.
func violationsError(violations []violation) *apierror.Error {
	first := violations[0].code
	first.BadRequestDetail = &apierror.BadRequestDetail{}
	for _, v := range violations {
		first.BadRequestDetail.Fields = append(first.BadRequestDetail.Fields, apierror.FieldViolation{Field: v.field, Description: v.description})
	}
	return first
}

// collectViolations flattens the validator's answer: a MultiError of RequestErrors, each about a
// parameter or the body.
func collectViolations(err error) []violation {
	switch e := err.(type) {
	case *openapi3filter.RequestError:
		return requestViolations(e)
	case openapi3.MultiError:
		var all []violation
		for _, inner := range e {
			all = append(all, collectViolations(inner)...)
		}
		return all
	}
	return nil
}

func requestViolations(reqErr *openapi3filter.RequestError) []violation {
	switch {
	case reqErr.Parameter != nil:
		return []violation{parameterViolation(reqErr)}
	case reqErr.RequestBody != nil:
		return bodyViolations(reqErr)
	}
	return []violation{{field: "request", description: reqErr.Error(), code: apierror.InvalidAttribute.WithDetail(reqErr.Error())}}
}

func parameterViolation(reqErr *openapi3filter.RequestError) violation {
	p := reqErr.Parameter
	v := violation{field: p.Name, description: describe(reqErr)}
	switch {
	case p.In == openapi3.ParameterInPath && p.Name == "groupId":
		v.code = apierror.InvalidGroupID.New(paramValue(reqErr))
	case p.In == openapi3.ParameterInPath && p.Name == "orgId":
		v.code = apierror.InvalidOrgID.New(paramValue(reqErr))
	case p.In == openapi3.ParameterInPath:
		v.code = apierror.InvalidPathParameter.New(p.Name)
	default:
		v.code = apierror.InvalidQueryParameter.New(p.Name)
	}
	return v
}

func bodyViolations(reqErr *openapi3filter.RequestError) []violation {
	var parseErr *openapi3filter.ParseError
	if errors.As(reqErr.Err, &parseErr) {
		return []violation{{field: "body", description: parseErr.Error(), code: apierror.MalformedJSON.New(parseErr.Error())}}
	}
	var schemaErrs []*openapi3.SchemaError
	collectSchemaErrors(reqErr.Err, &schemaErrs)
	if len(schemaErrs) == 0 {
		detail := describe(reqErr)
		return []violation{{field: "body", description: detail, code: apierror.MalformedJSON.New(detail)}}
	}
	var out []violation
	listed := map[string]bool{} // objects whose unsupported properties are listed already
	for _, se := range schemaErrs {
		if se.SchemaField == "properties" {
			// The validator reports each unsupported property of an object with the same
			// error; schemaViolations lists them all from the first.
			object := strings.Join(se.JSONPointer(), "/")
			if listed[object] {
				continue
			}
			listed[object] = true
		}
		out = append(out, schemaViolations(se)...)
	}
	return out
}

func collectSchemaErrors(err error, into *[]*openapi3.SchemaError) {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			collectSchemaErrors(e, into)
		}
		return
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		*into = append(*into, se)
	}
}

// schemaViolations maps a schema error to Atlas's error for that kind of violation, or to the
// errorCode that the failing schema names for it in its x-atlas-error-codes extension. An object
// with properties its schema does not allow gives one violation for each of them.
func schemaViolations(se *openapi3.SchemaError) []violation {
	field := strings.Join(se.JSONPointer(), ".")
	if field == "" {
		field = "body"
	}
	v := violation{field: field, description: se.Reason}
	if named, ok := namedErrorCode(se); ok {
		v.code = named
		return []violation{v}
	}
	if se.SchemaField == "properties" {
		if names := unsupportedProperties(se); len(names) > 0 {
			out := make([]violation, 0, len(names))
			for _, name := range names {
				named := strings.TrimPrefix(field+"."+name, "body.")
				out = append(out, violation{field: named, description: fmt.Sprintf("property %q is unsupported", name), code: apierror.InvalidAttribute.New(named)})
			}
			return out
		}
	}
	switch se.SchemaField {
	case "required":
		v.code = apierror.MissingAttribute.New(field)
	case "additionalProperties":
		v.code = apierror.InvalidAttribute.New(field)
	case "enum":
		v.code = apierror.InvalidEnumValue.New(fmt.Sprint(se.Value))
	default:
		v.code = apierror.InvalidAttribute.New(field)
	}
	return []violation{v}
}

// unsupportedProperties returns, in order, the properties of the object that a "properties"
// schema error is about which its schema does not declare.
func unsupportedProperties(se *openapi3.SchemaError) []string {
	object, ok := se.Value.(map[string]any)
	if !ok || se.Schema == nil {
		return nil
	}
	var names []string
	for name := range object {
		if _, declared := se.Schema.Properties[name]; !declared {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// namedErrorCode reads x-atlas-error-codes, a map from a schema keyword (maximum, pattern, ...)
// to the Atlas errorCode answered when a value breaks that keyword.
func namedErrorCode(se *openapi3.SchemaError) (*apierror.Error, bool) {
	if se.Schema == nil {
		return nil, false
	}
	codes, _ := se.Schema.Extensions["x-atlas-error-codes"].(map[string]any)
	name, _ := codes[se.SchemaField].(string)
	code, ok := apierror.Lookup(name)
	if !ok {
		return nil, false
	}
	if strings.Contains(code.Template, "%") {
		return code.New(fmt.Sprint(se.Value)), true
	}
	return code.New(), true
}

func describe(reqErr *openapi3filter.RequestError) string {
	if reqErr.Err != nil {
		var se *openapi3.SchemaError
		if errors.As(reqErr.Err, &se) {
			return se.Reason
		}
		return reqErr.Err.Error()
	}
	return reqErr.Reason
}

func paramValue(reqErr *openapi3filter.RequestError) string {
	var se *openapi3.SchemaError
	if errors.As(reqErr.Err, &se) {
		return fmt.Sprint(se.Value)
	}
	return reqErr.Parameter.Name
}
