package pipeline

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// parseQuery reads a query string once for every step of the request: it returns the values of
// the pairs that url.ParseQuery keeps, and what that parse would hide from the validator (see
// parsePairs); of the parameters given more than once, only those the route declares with one
// value are violations.
func parseQuery(rawQuery string, route *routers.Route) (url.Values, []violation) {
	return parsePairs(rawQuery, func(name string) bool { return takesOneValue(route, name) }, malformedQuery)
}

// parsePairs reads application/x-www-form-urlencoded pairs, of a query string or a form body,
// strictly: it returns the values of the pairs that url.ParseQuery keeps, and a violation,
// built by malformed, for each thing that parse would hide: a pair that does not unescape or
// that is separated by ';' (url.ParseQuery drops both without a word), and a parameter given
// more than once for which once reports true (a reader would see only the first value).
func parsePairs(raw string, once func(name string) bool, malformed func(name, description string) violation) (url.Values, []violation) {
	values := url.Values{}
	var violations []violation
	var names []string // in the order of the pairs
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, nameErr := url.QueryUnescape(rawName)
		value, valueErr := url.QueryUnescape(rawValue)
		switch {
		case nameErr != nil:
			violations = append(violations, malformed(rawName, fmt.Sprintf("%q: %v", pair, nameErr)))
		case strings.Contains(pair, ";"):
			violations = append(violations, malformed(name, fmt.Sprintf("%q: separate parameters with '&', not ';'", pair)))
		case valueErr != nil:
			violations = append(violations, malformed(name, fmt.Sprintf("%q: %v", pair, valueErr)))
		default:
			if _, seen := values[name]; !seen {
				names = append(names, name)
			}
			values[name] = append(values[name], value)
		}
	}
	for _, name := range names {
		if given := len(values[name]); given > 1 && once(name) {
			violations = append(violations, malformed(name, fmt.Sprintf("given %d times; it takes one value", given)))
		}
	}
	return values, violations
}

func malformedQuery(name, description string) violation {
	return violation{field: name, description: description, code: apierror.InvalidQueryParameter.New(name)}
}

// takesOneValue reports whether the route's operation, or its path, declares the query parameter
// name with a schema other than an array. Parameters it does not declare are ignored, however
// often they come.
func takesOneValue(route *routers.Route, name string) bool {
	p := route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
	if p == nil {
		p = route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
	}
	if p == nil {
		return false
	}
	return p.Schema == nil || p.Schema.Value == nil || !p.Schema.Value.Type.Is(openapi3.TypeArray)
}
