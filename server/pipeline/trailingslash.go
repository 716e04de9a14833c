package pipeline

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// IgnoreTrailingSlash routes a path that ends in a slash as the path without it: the Cloud
// Manager documentation writes its paths with one. It changes only what routing reads, the
// path and its escaped form. The request URI stays as the client sent it, because that is what
// a Digest response signs.
func IgnoreTrailingSlash(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		// The escaped path tells a trailing slash from an escaped one (%2F) that ends a name.
		if escaped := u.EscapedPath(); len(escaped) > 1 && strings.HasSuffix(escaped, "/") {
			u.Path = strings.TrimSuffix(u.Path, "/")
			u.RawPath = strings.TrimSuffix(u.RawPath, "/")
		}
		return next(c)
	}
}
