// Package limits applies Atlas's rate limits: the token endpoint's ten tokens a minute per caller
// address and service account, and the budgets of the v2 endpoint families, whose successes
// carry Ratelimit-Limit and Ratelimit-Remaining as Atlas's do. A request beyond its budget is
// 429 RATE_LIMITED with Retry-After. The windows run on the stub's clock, so advancing it ends
// them.
package limits

import (
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// Mode says whether the stub applies Atlas's rate limits.
type Mode string

const (
	// Atlas applies Atlas's limits, the default.
	Atlas Mode = "atlas"
	// Off lets every request through, without Ratelimit headers: for test suites that mint a
	// token per test, knowingly.
	Off Mode = "off"
)

// Modes are the values ParseMode takes.
var Modes = []Mode{Atlas, Off}

// ParseMode reads a mode; empty is Atlas.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", Atlas:
		return Atlas, nil
	case Off:
		return Off, nil
	}
	return "", fmt.Errorf("rate limits %q: want %s or %s", s, Atlas, Off)
}

// The headers of Atlas's rate limits on v2 successes.
const (
	HeaderLimit     = "Ratelimit-Limit"
	HeaderRemaining = "Ratelimit-Remaining"
)

// Limiter counts the requests of each family and scope.
type Limiter struct {
	mode Mode
	now  func() time.Time
	// callerAddress is the address API access lists check, which the limits count per too.
	callerAddress func(*http.Request) netip.Addr
	windows       *windows
	// families caches the family of each route (*routers.Route to a familyOf): routes are the
	// router's, shared and never changed.
	families sync.Map
}

// familyOf is the cached answer of FamilyOf.
type familyOf struct {
	family  Family
	limited bool
}

// New returns a limiter in mode that reads the stub's time from now and the caller's address
// with callerAddress.
func New(mode Mode, now func() time.Time, callerAddress func(*http.Request) netip.Addr) *Limiter {
	return &Limiter{mode: mode, now: now, callerAddress: callerAddress, windows: newWindows()}
}

// Mode returns the limiter's mode.
func (l *Limiter) Mode() Mode { return l.mode }

// Reset ends every window, as POST /_stub/reset does.
func (l *Limiter) Reset() { l.windows.reset() }

// Step is the rate-limit step. It runs right after routing, before authentication, as a limit
// that guards the service must: a request with wrong credentials uses up its budget too.
func (l *Limiter) Step(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		info := pipeline.RequestOf(c.Request().Context())
		if l.mode == Off || info.Route == nil {
			return next(c)
		}
		family, ok := l.familyOf(info.Route)
		if !ok {
			return next(c)
		}
		req := c.Request()
		verdict := l.windows.take(l.budget(family, info, req), family, l.now())
		if !verdict.allowed {
			info.RateLimited = true
			c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(wholeSeconds(verdict.reset)))
			return apierror.RateLimited.New(req.URL.Path, family.Requests, int(family.Window/time.Minute))
		}
		if under(info.Route.Path, v2) {
			res := c.Response()
			res.Before(func() {
				// Successes only: Atlas's errors carry no Ratelimit headers.
				if res.Status >= 200 && res.Status < 300 {
					res.Header().Set(HeaderLimit, strconv.Itoa(family.Requests))
					res.Header().Set(HeaderRemaining, strconv.Itoa(verdict.remaining))
				}
			})
		}
		return next(c)
	}
}

func (l *Limiter) familyOf(route *routers.Route) (Family, bool) {
	if cached, ok := l.families.Load(route); ok {
		f := cached.(familyOf)
		return f.family, f.limited
	}
	family, limited := FamilyOf(route)
	l.families.Store(route, familyOf{family, limited})
	return family, limited
}

// budget names the budget a request uses: its family's, in its scope. Only one of project,
// organization and address is set, or the address and the client.
type budget struct {
	family               string
	project, org, client string
	address              netip.Addr
}

func (l *Limiter) budget(f Family, info *pipeline.Request, req *http.Request) budget {
	b := budget{family: f.Name}
	switch {
	case f.Scope == ScopeCallerAndClient:
		b.address, b.client = l.callerAddress(req), basicClientID(req)
	case info.PathParams["groupId"] != "":
		b.project = info.PathParams["groupId"]
	case info.PathParams["orgId"] != "":
		b.org = info.PathParams["orgId"]
	default:
		b.address = l.callerAddress(req)
	}
	return b
}

// basicClientID is the client id that a request's HTTP Basic credentials name, checked or not:
// the limit runs before authentication. Without one, the request counts for the address alone.
func basicClientID(req *http.Request) string {
	scheme, encoded := auth.SplitAuthorization(req.Header.Get(echo.HeaderAuthorization))
	if scheme != auth.BasicScheme {
		return ""
	}
	id, _, err := auth.ParseBasic(encoded)
	if err != nil {
		return ""
	}
	return id
}

// wholeSeconds rounds up to whole seconds, at least one: Retry-After counts seconds, and a wait
// that is too short would only earn another 429.
func wholeSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
