package pipeline

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// AccessLogMessage is the message of the access log's records, one per request.
const AccessLogMessage = "request"

// The access log's attributes. A request that the stub refused carries the errorCode it answered;
// an authenticated one its caller, named by the public half of its credential (never a secret).
const (
	LogRequestID  = "id"
	LogMethod     = "method"
	LogPath       = "path"
	LogQuery      = "query"
	LogStatus     = "status"
	LogErrorCode  = "errorCode"
	LogDurationMs = "durationMs"
	LogOperation  = "operationId"
	LogCaller     = "caller"
	LogRemote     = "remote"
)

// AccessLog logs one structured line per request: what was asked (method, path, query string,
// operationId), what the stub answered (status, errorCode), who asked (the caller's public id and
// TCP peer) and how long it took, in milliseconds.
func AccessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			elapsed := time.Since(start)
			req, res := c.Request(), c.Response()
			attrs := []slog.Attr{
				slog.String(LogRequestID, res.Header().Get(echo.HeaderXRequestID)),
				slog.String(LogMethod, req.Method),
				slog.String(LogPath, req.URL.Path),
			}
			if req.URL.RawQuery != "" {
				attrs = append(attrs, slog.String(LogQuery, req.URL.RawQuery))
			}
			attrs = append(attrs, slog.Int(LogStatus, res.Status))
			if code, ok := c.Get(errorCodeKey).(string); ok {
				attrs = append(attrs, slog.String(LogErrorCode, code))
			}
			attrs = append(attrs, slog.Float64(LogDurationMs, milliseconds(elapsed)))
			info := RequestOf(req.Context())
			if op := info.Operation(); op != nil {
				attrs = append(attrs, slog.String(LogOperation, op.OperationID))
			}
			if info.Principal != nil {
				attrs = append(attrs, slog.String(LogCaller, info.Principal.PublicID()))
			}
			// The TCP peer, not Echo's RealIP, which believes any X-Forwarded-For.
			attrs = append(attrs, slog.String(LogRemote, req.RemoteAddr))
			if f := info.Fault; f != nil {
				attrs = append(attrs, f.logGroup())
			}
			log.LogAttrs(req.Context(), slog.LevelInfo, AccessLogMessage, attrs...)
			return err
		}
	}
}

// milliseconds is d in milliseconds, to the microsecond.
func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// errorCodeKey is where the echo.Context keeps the errorCode of the error the stub answered, for
// the access log.
const errorCodeKey = "atlasstub.errorCode"

// noteErrorCode keeps the errorCode that the response carries for the access log.
func noteErrorCode(c echo.Context, code string) { c.Set(errorCodeKey, code) }

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
