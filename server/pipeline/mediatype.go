package pipeline

import (
	"mime"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// AcceptJSONBodies is the request media-type step. Atlas takes JSON bodies as application/json or
// as a versioned type (application/vnd.atlas.<date>+json), with or without a charset. The step
// answers 415 UNSUPPORTED_MEDIA_TYPE to anything else and names every JSON body application/json
// from here on, so that validation and the handlers read one media type.
func AcceptJSONBodies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		body := RequestOf(req.Context()).Operation().RequestBody
		if body == nil || body.Value.Content.Get(echo.MIMEApplicationJSON) == nil || req.ContentLength == 0 {
			return next(c)
		}
		sent := req.Header.Get(echo.HeaderContentType)
		mediaType, _, err := mime.ParseMediaType(sent)
		if err != nil || !isJSONMediaType(mediaType) {
			if sent == "" {
				sent = "(none)"
			}
			return apierror.UnsupportedMediaType.New(sent)
		}
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		return next(c)
	}
}

func isJSONMediaType(mediaType string) bool {
	mediaType = strings.ToLower(mediaType)
	if mediaType == echo.MIMEApplicationJSON {
		return true
	}
	_, format, ok := openapi.ParseMediaType(mediaType)
	return ok && format == "json"
}
