package pipeline

import "github.com/labstack/echo/v4"

// securityHeaders are the headers that Atlas sends with every response, which browsers and
// proxies read: no MIME sniffing, no framing, no referrer across origins, no cross-domain policy
// files. Atlas adds Strict-Transport-Security over HTTPS; the stub serves plain HTTP.
var securityHeaders = map[string]string{
	"X-Content-Type-Options":            "nosniff",
	"X-Frame-Options":                   "DENY",
	"Referrer-Policy":                   "strict-origin-when-cross-origin",
	"X-Permitted-Cross-Domain-Policies": "none",
}

// SecurityHeaders is the step that gives every response, errors and the control API's included,
// Atlas's security headers. It runs first, on the response writer the client reads, so that
// whatever the later steps write carries them.
func SecurityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		header := c.Response().Header()
		for name, value := range securityHeaders {
			header.Set(name, value)
		}
		return next(c)
	}
}
