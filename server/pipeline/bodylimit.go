package pipeline

import (
	"bytes"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// LimitBodies is the body-size step: a request body over limit bytes is refused with
// 413 REQUEST_BODY_TOO_LARGE before anything reads it, on every path. A declared Content-Length
// over the limit is refused without reading a byte. A body of unknown length (chunked) is read
// here through a reader that stops one byte past the limit, and handed on in memory when it fits,
// so that no later step reads more than the limit. The connection is closed after a 413, so that
// the rest of the body is never read.
//
// A state document (PUT /_stub/state) may have up to MaxStateBytes, or limit when that is more: a
// whole state with many certificates runs to megabytes.
func LimitBodies(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			bound := limit
			if req.Method == http.MethodPut && req.URL.Path == StatePath {
				bound = max(limit, MaxStateBytes)
			}
			if req.ContentLength > bound {
				return bodyTooLarge(c, bound)
			}
			if req.ContentLength < 0 {
				data, err := io.ReadAll(io.LimitReader(req.Body, bound+1))
				switch {
				case err != nil:
					return unreadableBody(err)
				case int64(len(data)) > bound:
					return bodyTooLarge(c, bound)
				}
				req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
			}
			return next(c)
		}
	}
}

// StatePath is where the control API exports and replaces the whole state.
const StatePath = ControlPrefix + "state"

// MaxStateBytes bounds a state document: 256 MiB holds hundreds of thousands of certificates.
const MaxStateBytes = 256 << 20

func bodyTooLarge(c echo.Context, max int64) error {
	c.Response().Header().Set(echo.HeaderConnection, "close")
	return apierror.RequestBodyTooLarge.New(max)
}
