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

// parsedPairs are application/x-www-form-urlencoded pairs, of a query string or a form body, as
// every step of the request reads them.
type parsedPairs struct {
	// values are the pairs that url.ParseQuery keeps, but for the pairs read as absent.
	values url.Values
	// raw is the pairs without those read as absent, the others as sent.
	raw string
	// violations are what url.ParseQuery would hide from a reader.
	violations []violation
}

// pairRules say how parsePairs reads the pairs of one kind of input.
type pairRules struct {
	// once reports whether a parameter takes one value: given more than once, it is a violation
	// (a reader would see only the first value).
	once func(name string) bool
	// absent, when set, reports whether a pair is read as absent.
	absent func(name, value string) bool
	// malformed builds the violation of a parameter.
	malformed func(name, description string) violation
}

// parsePairs reads pairs strictly: besides their values, it reports a violation for each thing
// that url.ParseQuery would hide: a pair that does not unescape or that is separated by ';'
// (url.ParseQuery drops both without a word), and a parameter that takes one value given more
// than once.
func parsePairs(raw string, rules pairRules) parsedPairs {
	p := parsedPairs{values: url.Values{}}
	var kept []string
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
			p.violations = append(p.violations, rules.malformed(rawName, fmt.Sprintf("%q: %v", pair, nameErr)))
		case strings.Contains(pair, ";"):
			p.violations = append(p.violations, rules.malformed(name, fmt.Sprintf("%q: separate parameters with '&', not ';'", pair)))
		case valueErr != nil:
			p.violations = append(p.violations, rules.malformed(name, fmt.Sprintf("%q: %v", pair, valueErr)))
		case rules.absent != nil && rules.absent(name, value):
			continue
		default:
			if _, seen := p.values[name]; !seen {
				names = append(names, name)
			}
			p.values[name] = append(p.values[name], value)
		}
		kept = append(kept, pair)
	}
	for _, name := range names {
		if given := len(p.values[name]); given > 1 && rules.once(name) {
			p.violations = append(p.violations, rules.malformed(name, fmt.Sprintf("given %d times; it takes one value", given)))
		}
	}
	p.raw = strings.Join(kept, "&")
	return p
}

// parseQuery reads a query string once for every step of the request. Of the parameters given
// more than once, only those the route declares with one value are violations. An optional
// parameter of the route given empty is absent (openapi.AbsentWhenEmpty): it is left out of the
// values and of raw, so that its default applies and the generated bindings, which read the raw
// query, do not see it either.
func parseQuery(rawQuery string, route *routers.Route) parsedPairs {
	return parsePairs(rawQuery, pairRules{
		once:      func(name string) bool { return takesOneValue(route, name) },
		absent:    func(name, value string) bool { return openapi.AbsentWhenEmpty(queryParameter(route, name), value) },
		malformed: malformedQuery,
	})
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
