package pipeline

import (
	"mime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// NegotiateVersion is the versioning step. An operation with versions is served by the newest
// version not later than the date its Accept header names; a missing or malformed header, or a
// date before every version, gets 406 INVALID_VERSION_DATE. Operations without versions (legacy
// v1.0, Cloud Manager, OAuth, control API) speak plain JSON whatever Accept says.
func NegotiateVersion(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		info := RequestOf(c.Request().Context())
		versions := openapi.Versions(info.Operation())
		if len(versions) == 0 {
			return next(c)
		}
		requested, ok := requestedVersion(c.Request().Header.Values(echo.HeaderAccept))
		if !ok {
			return apierror.InvalidVersionDate.New()
		}
		served := openapi.NewestNotAfter(versions, requested)
		if served == "" {
			return apierror.InvalidVersionDate.New()
		}
		info.Version = served
		return next(c)
	}
}

// requestedVersion finds the latest valid date among the versioned media types of Accept
// headers. It fails when there is none, or when one of them names an impossible date.
func requestedVersion(accept []string) (string, bool) {
	latest := ""
	for _, header := range accept {
		for _, mediaRange := range strings.Split(header, ",") {
			mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(mediaRange))
			if err != nil {
				continue
			}
			date, _, ok := openapi.ParseMediaType(mediaType)
			if !ok {
				continue
			}
			if _, err := time.Parse(time.DateOnly, date); err != nil {
				return "", false
			}
			latest = max(latest, date)
		}
	}
	return latest, latest != ""
}
