package faults

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// Step is the faults step. It runs after routing and the rate limits, before versions,
// authentication and validation, as a proxy or load balancer in front of Atlas would: a fault
// meets a request whatever its credentials. The control API never meets one, so that a rule can
// always be removed.
func (in *Injector) Step(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		info := pipeline.RequestOf(req.Context())
		if info.Route == nil || strings.HasPrefix(info.Route.Path, pipeline.ControlPrefix) {
			return next(c)
		}
		op := info.Operation()
		d := in.decide(request{operationID: op.OperationID, tags: op.Tags, method: req.Method, template: info.Route.Path, path: req.URL.Path})
		if d.latency == 0 && d.rule == nil {
			return next(c)
		}
		fault := &pipeline.Fault{Latency: d.latency}
		info.Fault = fault
		if err := pipeline.Sleep(req.Context(), d.latency); err != nil {
			return err
		}
		r := d.rule
		if r == nil {
			return next(c)
		}
		fault.Rule, fault.Action, fault.SlowBody = r.ID, r.Action(), r.SlowBody
		switch {
		case r.Error != nil:
			fault.Replaced = true
			c.Response().Header().Set(openapi.FaultHeader, r.ID)
			if r.Error.RetryAfter > 0 {
				c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(r.Error.RetryAfter.Seconds()))))
			}
			return r.Error.apiError()
		case r.DropConnection == DropBefore:
			fault.Replaced, fault.Drop = true, true
			return nil
		case r.DropConnection == DropAfter:
			err := next(c)
			fault.Drop = true
			return err
		}
		return next(c)
	}
}

// apiError is the Atlas error of an AtlasError.
func (e *AtlasError) apiError() *apierror.Error {
	detail := e.Detail
	if detail == "" {
		detail = http.StatusText(e.Status) + "."
	}
	return &apierror.Error{Status: e.Status, Code: e.ErrorCode, Detail: detail, Reason: http.StatusText(e.Status), Parameters: []any{}}
}
