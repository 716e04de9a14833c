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
// the pairs that url.ParseQuery keeps, and what that parse would hide from the validator: a pair
// that does not unescape or that is separated by ';' (url.ParseQuery drops both without a word),
// and a parameter of the route that takes one value given more than once (the validator reads
// only the first).
func parseQuery(rawQuery string, route *routers.Route) (url.Values, []violation) {
	query := url.Values{}
	var violations []violation
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
			violations = append(violations, malformedQuery(rawName, fmt.Sprintf("%q: %v", pair, nameErr)))
		case strings.Contains(pair, ";"):
			violations = append(violations, malformedQuery(name, fmt.Sprintf("%q: separate query parameters with '&', not ';'", pair)))
		case valueErr != nil:
			violations = append(violations, malformedQuery(name, fmt.Sprintf("%q: %v", pair, valueErr)))
		default:
			if _, seen := query[name]; !seen {
				names = append(names, name)
			}
			query[name] = append(query[name], value)
		}
	}
	for _, name := range names {
		if given := len(query[name]); given > 1 && takesOneValue(route, name) {
			violations = append(violations, malformedQuery(name, fmt.Sprintf("given %d times; it takes one value", given)))
		}
	}
	return query, violations
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
