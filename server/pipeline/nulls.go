package pipeline

import (
	"bytes"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
)

// ReadNullsAsAbsent is the step that reads a JSON request body as live Atlas does, before it is
// validated: null for an optional property that is not nullable is absent
// (openapi.WithoutAbsentNulls). The official SDK sends the properties it leaves unset as null
// ("roles":null in a password-only update), and Atlas keeps what they name. The validator and the
// handler read the body without those nulls; a body without any goes on untouched.
func ReadNullsAsAbsent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		schema := openapi.RequestBodySchema(RequestOf(req.Context()).Operation(), req.Header.Get(echo.HeaderContentType))
		if schema == nil || req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			// Whoever reads next meets the same error, after what could be read, and answers it.
			req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), failingReader{err}))
			return next(c)
		}
		body, _ = openapi.WithoutAbsentNulls(schema, body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		return next(c)
	}
}

// failingReader fails every read with its error.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }
