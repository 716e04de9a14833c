package server

import (
	"mime"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// acceptJSONBodies is the request media-type step. Atlas takes JSON bodies as application/json or
// as a versioned type (application/vnd.atlas.<date>+json), with or without a charset. The step
// answers 415 UNSUPPORTED_MEDIA_TYPE to anything else and names every JSON body application/json
// from here on, so that validation and the handlers read one media type.
func acceptJSONBodies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		body := infoFrom(req.Context()).operation().RequestBody
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
	return mediaType == echo.MIMEApplicationJSON || versionedMediaType.MatchString(mediaType) && strings.HasSuffix(mediaType, "+json")
}
