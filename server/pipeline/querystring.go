package pipeline

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// parsedQuery is a query string as every step of the request reads it.
type parsedQuery struct {
	// values are the pairs that url.ParseQuery keeps, but for the empty optional parameters.
	values url.Values
	// raw is the query string without the empty optional parameters, the other pairs as sent.
	raw string
	// violations are what url.ParseQuery would hide from the validator.
	violations []violation
}

// parseQuery reads a query string once for every step of the request. It reports what
// url.ParseQuery would hide from the validator: a pair that does not unescape or that is
// separated by ';' (url.ParseQuery drops both without a word), and a parameter of the route that
// takes one value given more than once (the validator reads only the first).
//
// An optional parameter of the route given empty is absent (openapi.AbsentWhenEmpty): it is left
// out of the values and of raw, so that its default applies and the generated bindings, which
// read the raw query, do not see it either.
func parseQuery(rawQuery string, route *routers.Route) parsedQuery {
	q := parsedQuery{values: url.Values{}}
	var kept []string
	var names []string // in the order of the query
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, nameErr := url.QueryUnescape(rawName)
		value, valueErr := url.QueryUnescape(rawValue)
		switch {
		case nameErr != nil:
			q.violations = append(q.violations, malformedQuery(rawName, fmt.Sprintf("%q: %v", pair, nameErr)))
		case strings.Contains(pair, ";"):
			q.violations = append(q.violations, malformedQuery(name, fmt.Sprintf("%q: separate query parameters with '&', not ';'", pair)))
		case valueErr != nil:
			q.violations = append(q.violations, malformedQuery(name, fmt.Sprintf("%q: %v", pair, valueErr)))
		case openapi.AbsentWhenEmpty(queryParameter(route, name), value):
			continue
		default:
			if _, seen := q.values[name]; !seen {
				names = append(names, name)
			}
			q.values[name] = append(q.values[name], value)
		}
		kept = append(kept, pair)
	}
	for _, name := range names {
		if given := len(q.values[name]); given > 1 && takesOneValue(route, name) {
			q.violations = append(q.violations, malformedQuery(name, fmt.Sprintf("given %d times; it takes one value", given)))
		}
	}
	q.raw = strings.Join(kept, "&")
	return q
}

func malformedQuery(name, description string) violation {
	return violation{field: name, description: description, code: apierror.InvalidQueryParameter.New(name)}
}

// queryParameter is the query parameter name that the route's operation, or its path, declares;
// nil when neither does.
func queryParameter(route *routers.Route, name string) *openapi3.Parameter {
	return openapi.QueryParameter(route.Operation, route.PathItem, name)
}

// takesOneValue reports whether the route declares the query parameter name with a schema other
// than an array. Parameters it does not declare are ignored, however often they come.
func takesOneValue(route *routers.Route, name string) bool {
	p := queryParameter(route, name)
	if p == nil {
		return false
	}
	return p.Schema == nil || p.Schema.Value == nil || !p.Schema.Value.Type.Is(openapi3.TypeArray)
}
