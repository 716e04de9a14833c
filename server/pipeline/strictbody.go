package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// strictBodyViolations reads a request body for what the validator, and the handlers after it,
// would pass over without a word, and so lose: a JSON body must be one JSON value (RFC 8259),
// with nothing after it but whitespace, and a form must name each parameter once (RFC 6749
// §3.1, for the OAuth endpoints, the only ones that take forms) with pairs that unescape. The
// body stays in the request for the validator to read.
func strictBodyViolations(req *http.Request) ([]violation, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, unreadableBody(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(data))
	mediaType, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	switch mediaType {
	case echo.MIMEApplicationJSON: // every JSON media type is named so by now (AcceptJSONBodies)
		if offset, ok := trailingData(data); ok {
			description := fmt.Sprintf("data after the JSON value, at byte %d; send one JSON value", offset)
			return []violation{{field: "body", description: description, code: apierror.MalformedJSON.New(description)}}, nil
		}
	case echo.MIMEApplicationForm:
		return parsePairs(string(data), formRules).violations, nil
	}
	return nil, nil
}

// formRules read a form body: every parameter of the OAuth endpoints' forms takes one value
// (RFC 6749 section 3.1).
var formRules = pairRules{once: func(string) bool { return true }, malformed: malformedFormField}

// trailingData reports whether data holds something after a first JSON value other than
// whitespace, and at which byte it starts. Data that does not start with a JSON value is the
// validator's to report, with the place its parse fails.
func trailingData(data []byte) (offset int64, found bool) {
	if json.Valid(data) {
		return 0, false
	}
	decoder := json.NewDecoder(bytes.NewReader(data))
	var first json.RawMessage
	if decoder.Decode(&first) != nil {
		return 0, false
	}
	offset = decoder.InputOffset()
	for offset < int64(len(data)) && isJSONSpace(data[offset]) {
		offset++
	}
	return offset, true
}

func isJSONSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// unreadableBody is the error of a body that breaks off or is not chunked correctly.
func unreadableBody(err error) error {
	return apierror.InvalidAttribute.ForField("body", "the request body could not be read: "+err.Error())
}

func malformedFormField(name, description string) violation {
	return violation{field: name, description: description, code: apierror.InvalidAttribute.New(name)}
}
