package authz

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// ControlGuard decides who may use the control API under /_stub/. The control API needs no
// credentials, and it hands out the bootstrap ORG_OWNER credentials, drops all state and moves
// the clock. So it answers
//
//   - callers on this machine only (loopback addresses), unless AllowRemote;
//   - requests whose Host names the stub: localhost, an IP address, or one of Hosts. A web
//     page cannot read the API through a name of its own that it rebinds to 127.0.0.1 (DNS
//     rebinding): the browser sends that name as the Host;
//   - writes that no web page of another origin sent, as Sec-Fetch-Site or Origin tell, so
//     that no page can reset the stub with a form it posts.
//
// Everything else under /_stub/ is 403, before routing, whether the path exists or not.
type ControlGuard struct {
	// AllowRemote lets callers on other hosts in.
	AllowRemote bool
	// Hosts are further host names, without a port, that the stub answers to.
	Hosts []string
	// TrustForwardedFor, as the Gatekeeper's: the caller is the first address of
	// X-Forwarded-For. Without AllowRemote, it too must be loopback.
	TrustForwardedFor bool

	crossOrigin http.CrossOriginProtection
}

// Guard is the step that applies the guard to the paths of the control API.
func (g *ControlGuard) Guard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if !strings.HasPrefix(req.URL.Path, pipeline.ControlPrefix) {
			return next(c)
		}
		if !g.AllowRemote {
			if !peerAddress(req).IsLoopback() {
				return apierror.ControlAPILoopbackOnly.New(req.RemoteAddr)
			}
			if caller := callerAddress(req, g.TrustForwardedFor); !caller.IsLoopback() {
				return apierror.ControlAPILoopbackOnly.New(caller.String())
			}
		}
		if !g.knownHost(req.Host) {
			return apierror.ControlAPIUnknownHost.New(req.Host)
		}
		if err := g.crossOrigin.Check(req); err != nil {
			return apierror.ControlAPICrossOrigin.New(err.Error())
		}
		return next(c)
	}
}

// knownHost reports whether the Host header of a request names the stub. An IP address cannot
// be rebound, so every one is the stub's; so is every name under localhost, which browsers
// resolve to loopback themselves (RFC 6761). An empty Host is an HTTP/1.0 client's, not a
// browser's.
func (g *ControlGuard) knownHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "" || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	for _, known := range g.Hosts {
		if strings.EqualFold(host, strings.TrimSuffix(known, ".")) {
			return true
		}
	}
	return false
}
