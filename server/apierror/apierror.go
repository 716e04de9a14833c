// Package apierror holds Atlas's error body and the catalog of error codes the stub answers with.
//
// Every error a client can see is an *Error: the HTTP status, the named errorCode, a detail built
// from the code's template and the parameters that fill it, exactly as Atlas writes them.
package apierror

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an Atlas ApiError. It implements error so that domain code can return it unchanged
// up to the HTTP layer.
type Error struct {
	Status int    `json:"error"`
	Code   string `json:"errorCode"`
	Detail string `json:"detail"`
	Reason string `json:"reason"`
	// Parameters fill the detail's template; every error has them, if only as [], except the
	// 401 of missing or wrong credentials (Unauthenticated), which has none.
	Parameters       []any             `json:"parameters,omitzero"`
	BadRequestDetail *BadRequestDetail `json:"badRequestDetail,omitempty"`
}

// BadRequestDetail lists every field of a request that violates the contract.
type BadRequestDetail struct {
	Fields []FieldViolation `json:"fields"`
}

// FieldViolation names one offending field and says why it is rejected.
type FieldViolation struct {
	Field       string `json:"field"`
	Description string `json:"description"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail)
}

// Code is one entry of the catalog: an errorCode with its HTTP status and detail template.
type Code struct {
	Status int
	Name   string
	// Template is a fmt format whose verbs the parameters fill.
	Template string
}

// New returns the error of this code with its detail filled from params.
func (c Code) New(params ...any) *Error {
	params = capParams(params)
	return &Error{
		Status:     c.Status,
		Code:       c.Name,
		Detail:     fmt.Sprintf(c.Template, params...),
		Reason:     http.StatusText(c.Status),
		Parameters: params,
	}
}

// ForField returns the error of this code about one field of the request, in the shape of the
// violations that request validation reports: the field fills the template and is the one
// parameter, and badRequestDetail says why the field is rejected.
func (c Code) ForField(field, description string) *Error {
	e := c.New(field)
	e.BadRequestDetail = &BadRequestDetail{Fields: []FieldViolation{{Field: field, Description: description}}}
	return e
}

// Is reports whether err is an *Error of this code.
func (c Code) Is(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Code == c.Name
}

// WithDetail returns the error of this code with a detail of its own instead of the template's.
func (c Code) WithDetail(detail string, params ...any) *Error {
	e := c.New()
	e.Detail = detail
	if params != nil {
		e.Parameters = params
	}
	return e
}

// Unauthenticated is the error of a request whose credentials are missing or wrong, as live Atlas
// answers it: 401 "You are not authorized for this resource." with the errorCode
// UNEXPECTED_ERROR and, unlike every other error, no parameters.
func Unauthenticated() *Error {
	e := unauthenticated.New()
	e.Parameters = nil
	return e
}

// Lookup finds a catalog entry by its errorCode.
func Lookup(name string) (Code, bool) {
	c, ok := catalog[name]
	return c, ok
}

// From converts any error to an *Error: an *Error passes through, anything else is an
// unexpected error of the stub.
func From(err error) *Error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return UnexpectedError.New()
}
