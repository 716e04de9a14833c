package pipeline

import (
	"bytes"
	"io"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// LimitBodies is the body-size step: a request body over max bytes is refused with
// 413 REQUEST_BODY_TOO_LARGE before anything reads it, on every path. A declared Content-Length
// over the limit is refused without reading a byte. A body of unknown length (chunked) is read
// here through a reader that stops one byte past the limit, and handed on in memory when it fits,
// so that no later step reads more than max bytes. The connection is closed after a 413, so that
// the rest of the body is never read.
func LimitBodies(max int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > max {
				return bodyTooLarge(c, max)
			}
			if req.ContentLength < 0 {
				data, err := io.ReadAll(io.LimitReader(req.Body, max+1))
				switch {
				case err != nil:
					return unreadableBody(err)
				case int64(len(data)) > max:
					return bodyTooLarge(c, max)
				}
				req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
			}
			return next(c)
		}
	}
}

func bodyTooLarge(c echo.Context, max int64) error {
	c.Response().Header().Set(echo.HeaderConnection, "close")
	return apierror.RequestBodyTooLarge.New(max)
}
