package limits

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/routers"
)

// Family is an endpoint set of Atlas's rate limits: the operations that share one budget of
// Requests per Window in each scope.
type Family struct {
	// Name names the family in docs and logs.
	Name     string
	Requests int
	Window   time.Duration
	// Scope says what one budget belongs to (see scopeOf).
	Scope Scope
	// matches reports whether an operation belongs to the family.
	matches func(op operation) bool
}

// Scope is what a family's budget is counted per.
type Scope int

const (
	// ScopeResource counts per project of the path (groupId), else per organization (orgId),
	// else per caller address.
	ScopeResource Scope = iota
	// ScopeCallerAndClient counts per caller address and the service account that the request's
	// HTTP Basic credentials name, as the token endpoint does.
	ScopeCallerAndClient
)

// operation is what the families read of the operation a request was routed to: the method, the
// path template with every parameter written {} (so that templates of the official
// specification, whatever they call their parameters, match too), the tags and the operationId.
type operation struct {
	method, path string
	tags         []string
	id           string
}

var parameter = regexp.MustCompile(`\{[^}]*\}`)

func operationOf(route *routers.Route) operation {
	return operation{
		method: route.Method,
		path:   parameter.ReplaceAllString(route.Path, "{}"),
		tags:   route.Operation.Tags,
		id:     route.Operation.OperationID,
	}
}

// v2 is where Atlas's v2 API lives; its families are limited, and its successes carry the
// Ratelimit headers.
const v2 = "/api/atlas/v2"

// Families are Atlas's rate limits, first match wins. Every number comes from the recorded live
// responses of Atlas (docs/behaviour.md lists them): the token endpoint's 429 says "limited to
// 10 requests every 1 minutes"; the Ratelimit-Limit of v2 successes are 10000 for database
// users, 1200 for projects, certificates and project API keys, 500 for reading an organization,
// organization API keys and access lists, 300 for listing organizations, and 4000, 2500 or 2000
// for other families without saying which. The stub gives every other v2 operation 2000, the
// least of those, so that a client within the stub's limits is within Atlas's. The windows of
// the v2 families are not recorded; the stub counts them per minute, like the token endpoint's.
//
// A family is chosen by what the matched operation says of itself (method, path, tags), never by
// a list of the stub's handlers, so that operations served from the official specification fall
// into the same families.
var Families = []Family{
	{Name: "oauth token", Requests: 10, Window: time.Minute, Scope: ScopeCallerAndClient, matches: func(op operation) bool {
		return op.method == "POST" && op.path == "/api/oauth/token"
	}},
	{Name: "list organizations", Requests: 300, Window: time.Minute, matches: func(op operation) bool {
		return op.method == "GET" && op.path == v2+"/orgs"
	}},
	{Name: "access lists", Requests: 500, Window: time.Minute, matches: func(op operation) bool {
		return slices.Contains(strings.Split(op.path, "/"), "accessList")
	}},
	{Name: "organization API keys", Requests: 500, Window: time.Minute, matches: func(op operation) bool {
		return under(op.path, v2+"/orgs/{}/apiKeys")
	}},
	{Name: "read an organization", Requests: 500, Window: time.Minute, matches: func(op operation) bool {
		return op.method == "GET" && op.path == v2+"/orgs/{}"
	}},
	{Name: "database users", Requests: 10000, Window: time.Minute, matches: func(op operation) bool {
		return under(op.path, v2+"/") && slices.Contains(op.tags, "Database Users")
	}},
	{Name: "certificates", Requests: 1200, Window: time.Minute, matches: func(op operation) bool {
		return under(op.path, v2+"/") && slices.Contains(op.tags, "X.509 Authentication")
	}},
	{Name: "project API keys", Requests: 1200, Window: time.Minute, matches: func(op operation) bool {
		return under(op.path, v2+"/groups/{}/apiKeys")
	}},
	{Name: "projects", Requests: 1200, Window: time.Minute, matches: func(op operation) bool {
		return under(op.path, v2+"/") && slices.Contains(op.tags, "Projects")
	}},
	{Name: "other v2 operations", Requests: 2000, Window: time.Minute, matches: func(op operation) bool {
		return under(op.path, v2+"/")
	}},
}

// under reports whether path is prefix or lies below it.
func under(path, prefix string) bool {
	return path == strings.TrimSuffix(prefix, "/") || strings.HasPrefix(path, strings.TrimSuffix(prefix, "/")+"/")
}

// FamilyOf returns the family of the operation a request was routed to; false for operations
// Atlas does not rate-limit (the legacy v1.0 and Cloud Manager paths, token revocation, the
// control API).
func FamilyOf(route *routers.Route) (Family, bool) {
	op := operationOf(route)
	for _, f := range Families {
		if f.matches(op) {
			return f, true
		}
	}
	return Family{}, false
}
