package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is a response with a status outside 2xx. Atlas answers errors with an ApiError body
// ({"error","errorCode","detail","reason","parameters","badRequestDetail"}); the OAuth token and
// revoke endpoints answer RFC 6749 bodies ({"error","error_description"}), whose error and
// error_description land in ErrorCode and Detail. Any other body (a proxy's HTML page, say)
// leaves ErrorCode empty and puts the start of the body in Detail.
//
// Failures to mint a service account's access token are APIErrors too, wrapped in the
// *url.Error that net/http returns for transport failures; errors.As finds them either way.
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// ErrorCode is Atlas's named error (GROUP_NOT_FOUND) or the RFC 6749 error (invalid_client).
	ErrorCode string
	// Detail is the human-readable explanation, or the token endpoint's error_description.
	Detail string
	// Reason is the HTTP reason phrase (Not Found).
	Reason string
	// Parameters are the values the detail refers to, such as an address or a name.
	Parameters []any
	// BadRequestDetail lists the fields of a request that break the contract, on some 400s.
	BadRequestDetail *BadRequestDetail
	// Method and URL name the request that failed.
	Method, URL string
}

// BadRequestDetail lists every field of a request that violates the contract.
type BadRequestDetail struct {
	Fields []FieldViolation `json:"fields"`
}

// FieldViolation is one field of a request that violates the contract.
type FieldViolation struct {
	// Field is a dotted path into the body, or the name of a parameter.
	Field string `json:"field"`
	// Description says why the value is refused.
	Description string `json:"description"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.URL, e.StatusCode)
	if e.ErrorCode != "" {
		b.WriteString(" " + e.ErrorCode)
	} else if e.Reason != "" {
		b.WriteString(" " + e.Reason)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.BadRequestDetail != nil {
		for i, f := range e.BadRequestDetail.Fields {
			sep := "; "
			if i == 0 {
				sep = " ("
			}
			b.WriteString(sep + f.Field + ": " + f.Description)
		}
		if len(e.BadRequestDetail.Fields) > 0 {
			b.WriteString(")")
		}
	}
	return b.String()
}

// IsErrorCode reports whether err is, or wraps, an *APIError with the given errorCode (or RFC 6749
// error, for the token endpoint), such as "USERNAME_NOT_FOUND" or "invalid_client".
func IsErrorCode(err error, code string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == code
}

// IsStatus reports whether err is, or wraps, an *APIError with the given HTTP status.
func IsStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// maxDetailOfText is how much of a body that is not an error document goes into Detail.
const maxDetailOfText = 512

// newAPIError reads the error of a response whose body has been read into body.
func newAPIError(resp *http.Response, body []byte) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Reason: http.StatusText(resp.StatusCode)}
	if req := resp.Request; req != nil {
		e.Method, e.URL = req.Method, req.URL.Redacted()
	}
	// Atlas's "error" is the status as a number; RFC 6749's is the error's name as a string.
	var doc struct {
		Error            json.RawMessage   `json:"error"`
		ErrorCode        string            `json:"errorCode"`
		Detail           string            `json:"detail"`
		Reason           string            `json:"reason"`
		Parameters       []any             `json:"parameters"`
		BadRequestDetail *BadRequestDetail `json:"badRequestDetail"`
		ErrorDescription string            `json:"error_description"`
	}
	var oauthError string
	switch {
	case json.Unmarshal(body, &doc) != nil:
		e.Detail = textDetail(body)
	case doc.ErrorCode != "":
		e.ErrorCode, e.Detail, e.Parameters, e.BadRequestDetail = doc.ErrorCode, doc.Detail, doc.Parameters, doc.BadRequestDetail
		if doc.Reason != "" {
			e.Reason = doc.Reason
		}
	case json.Unmarshal(doc.Error, &oauthError) == nil && oauthError != "":
		e.ErrorCode, e.Detail = oauthError, doc.ErrorDescription
	default:
		e.Detail = textDetail(body)
	}
	return e
}

// textDetail is the start of a body that is not an error document, as valid UTF-8 on one line.
func textDetail(body []byte) string {
	text := strings.ToValidUTF8(string(body), "\uFFFD")
	if len(text) > maxDetailOfText {
		cut := maxDetailOfText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "..."
	}
	return strings.Join(strings.Fields(text), " ")
}
