package pipeline

import (
	"fmt"
	"log/slog"
	"net/http"
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
			// Deferred, so that a request whose connection a fault dropped is logged too.
			defer func() {
				req, res := c.Request(), c.Response()
				info := RequestOf(req.Context())
				attrs := []slog.Attr{
					slog.String("id", res.Header().Get(echo.HeaderXRequestID)),
					slog.String("method", req.Method),
					slog.String("path", req.URL.Path),
					slog.Int("status", res.Status),
					slog.Duration("duration", time.Since(start)),
					// The TCP peer, not Echo's RealIP, which believes any X-Forwarded-For.
					slog.String("remote", req.RemoteAddr),
				}
				if op := info.Operation(); op != nil {
					attrs = append(attrs, slog.String("operation", op.OperationID))
				}
				if f := info.Fault; f != nil {
					fault := []any{"latency", f.Latency}
					if f.Rule != "" {
						fault = append(fault, "rule", f.Rule, "action", f.Action)
					}
					attrs = append(attrs, slog.Group("fault", fault...))
				}
				log.LogAttrs(req.Context(), slog.LevelInfo, "request", attrs...)
			}()
			return next(c)
		}
	}
}

// RecoverAsUnexpectedError turns a panic in a later step into 500 UNEXPECTED_ERROR and logs it
// with its stack: no client input may crash the stub.
func RecoverAsUnexpectedError(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				r := recover()
				if r == http.ErrAbortHandler {
					panic(r) // a fault dropping the connection, for net/http to do
				}
				if r != nil {
					log.Error("panic while serving a request", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					err = apierror.UnexpectedError.New()
				}
			}()
			return next(c)
		}
	}
}
