package server

import (
	"mime"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// versionedMediaType matches Atlas's date-versioned media types and captures the date.
var versionedMediaType = regexp.MustCompile(`^application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+[a-z-]+$`)

// negotiateVersion is the versioning step. An operation with x-atlas-versions is served by the
// newest version not later than the date its Accept header names; a missing or malformed
// header, or a date before every version, gets 406 INVALID_VERSION_DATE. Operations without
// versions (legacy v1.0, Cloud Manager, OAuth, control API) speak plain JSON whatever Accept says.
func negotiateVersion(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		info := infoFrom(c.Request().Context())
		versions := stringList(info.operation().Extensions["x-atlas-versions"])
		if len(versions) == 0 {
			return next(c)
		}
		requested, ok := requestedVersion(c.Request().Header.Values(echo.HeaderAccept))
		if !ok {
			return apierror.InvalidVersionDate.New()
		}
		served := newestNotAfter(versions, requested)
		if served == "" {
			return apierror.InvalidVersionDate.New()
		}
		info.version = served
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
			m := versionedMediaType.FindStringSubmatch(mediaType)
			if m == nil {
				continue
			}
			if _, err := time.Parse(time.DateOnly, m[1]); err != nil {
				return "", false
			}
			latest = max(latest, m[1])
		}
	}
	return latest, latest != ""
}

// newestNotAfter returns the newest version that is not later than date, or "".
func newestNotAfter(versions []string, date string) string {
	served := ""
	for _, v := range versions {
		if v <= date && v > served {
			served = v
		}
	}
	return served
}

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return slices.Clip(out)
}
