package pipeline

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// AccessLog logs one structured line per request.
func AccessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			req, res := c.Request(), c.Response()
			attrs := []slog.Attr{
				slog.String("id", res.Header().Get(echo.HeaderXRequestID)),
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.Int("status", res.Status),
				slog.Duration("duration", time.Since(start)),
				// The TCP peer, not Echo's RealIP, which believes any X-Forwarded-For.
				slog.String("remote", req.RemoteAddr),
			}
			if op := RequestOf(req.Context()).Operation(); op != nil {
				attrs = append(attrs, slog.String("operation", op.OperationID))
			}
			if f := RequestOf(req.Context()).Fault; f != nil {
				attrs = append(attrs, f.logGroup())
			}
			log.LogAttrs(req.Context(), slog.LevelInfo, "request", attrs...)
			return err
		}
	}
}

// RecoverAsUnexpectedError turns a panic in a later step into 500 UNEXPECTED_ERROR and logs it
// with its stack: no client input may crash the stub.
func RecoverAsUnexpectedError(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					log.Error("panic while serving a request", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					err = apierror.UnexpectedError.New()
				}
			}()
			return next(c)
		}
	}
}
