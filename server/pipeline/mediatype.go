package pipeline

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// AcceptJSONBodies is the request media-type step. Atlas takes JSON bodies as application/json or
// as a versioned type (application/vnd.atlas.<date>+json), with or without a charset. The step
// answers 415 UNSUPPORTED_MEDIA_TYPE to anything else that the operation does not declare, and
// names every JSON body application/json from here on, so that validation and the handlers read
// one media type.
//
// An operation that takes both JSON and a form (the control API's clock) reads a form-labelled
// body that holds a JSON object as JSON: `curl -d '{...}'` labels its JSON so, and a person at a
// terminal should not need -H for it. No Atlas operation takes both, so Atlas's 415 stays as it is.
func AcceptJSONBodies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		body := RequestOf(req.Context()).Operation().RequestBody
		if body == nil || body.Value.Content.Get(echo.MIMEApplicationJSON) == nil || req.ContentLength == 0 {
			return next(c)
		}
		sent := req.Header.Get(echo.HeaderContentType)
		mediaType, _, err := mime.ParseMediaType(sent)
		switch {
		case err == nil && isJSONMediaType(mediaType):
		case err == nil && mediaType == echo.MIMEApplicationForm && body.Value.Content.Get(mediaType) != nil:
			if isJSON, err := holdsJSONObject(req); err != nil || !isJSON {
				return next(c) // a form, as declared
			}
		default:
			if sent == "" {
				sent = "(none)"
			}
			return apierror.UnsupportedMediaType.New(sent)
		}
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		return next(c)
	}
}

// holdsJSONObject reports whether the request's body is a JSON object, and leaves the body to be
// read again.
func holdsJSONObject(req *http.Request) (bool, error) {
	data, err := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return false, err
	}
	var object map[string]json.RawMessage
	return json.Unmarshal(data, &object) == nil, nil
}

func isJSONMediaType(mediaType string) bool {
	mediaType = strings.ToLower(mediaType)
	if mediaType == echo.MIMEApplicationJSON {
		return true
	}
	_, format, ok := openapi.ParseMediaType(mediaType)
	return ok && format == "json"
}
