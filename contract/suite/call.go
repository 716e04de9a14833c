package suite

import (
	"net/url"

	"github.com/atlasstub/atlasstub/contract"
)

// call is a request in the making: the operation, its path parameters, query and body.
type call struct {
	op     contract.Operation
	params params
	query  url.Values
	// body is the JSON body, or form the form of an OAuth endpoint; nil for none. rawBody, when
	// set, is sent instead, as is. contentType, when set, replaces the body's own media type.
	body        any
	form        url.Values
	rawBody     []byte
	contentType string
	// broken says what the call breaks, when it is a negative case.
	broken string
}

// path is the escaped path and query of the call.
func (c call) path() string {
	p := expandPath(c.op.Path, c.params)
	if len(c.query) > 0 {
		p += "?" + c.query.Encode()
	}
	return p
}

// bodyBytes is what the call sends as its body.
func (c call) bodyBytes() []byte {
	switch {
	case c.rawBody != nil:
		return c.rawBody
	case c.form != nil:
		return []byte(c.form.Encode())
	}
	return jsonBody(c.body)
}

// content is the body that the call sends and its Content-Type; none for an operation that takes
// no body, or a call without one.
func (c call) content() (body []byte, contentType string) {
	body = c.bodyBytes()
	if c.op.RequestBody == nil || body == nil {
		return nil, ""
	}
	return body, c.mediaType()
}

// mediaType is the Content-Type of the call's body.
func (c call) mediaType() string {
	switch {
	case c.contentType != "":
		return c.contentType
	case c.form != nil:
		return formMediaType
	}
	return "application/json"
}
