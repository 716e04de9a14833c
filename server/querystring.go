package server

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// queryViolations finds what the parsed query would hide from the validator: a pair that does
// not unescape or that is separated by ';' (net/url drops both without a word), and a parameter
// that takes one value given more than once (the validator reads only the first).
func queryViolations(rawQuery string, info *requestInfo) []violation {
	var violations []violation
	counts := map[string]int{}
	var names []string // in the order of the query
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, nameErr := url.QueryUnescape(rawName)
		_, valueErr := url.QueryUnescape(rawValue)
		switch {
		case nameErr != nil:
			violations = append(violations, malformedQuery(rawName, fmt.Sprintf("%q: %v", pair, nameErr)))
		case strings.Contains(pair, ";"):
			violations = append(violations, malformedQuery(name, fmt.Sprintf("%q: separate query parameters with '&', not ';'", pair)))
		case valueErr != nil:
			violations = append(violations, malformedQuery(name, fmt.Sprintf("%q: %v", pair, valueErr)))
		default:
			if counts[name] == 0 {
				names = append(names, name)
			}
			counts[name]++
		}
	}
	for _, name := range names {
		if counts[name] > 1 && takesOneValue(info, name) {
			violations = append(violations, malformedQuery(name, fmt.Sprintf("given %d times; it takes one value", counts[name])))
		}
	}
	return violations
}

func malformedQuery(name, description string) violation {
	return violation{field: name, description: description, code: apierror.InvalidQueryParameter.New(name)}
}

// takesOneValue reports whether the operation, or its path, declares the query parameter name
// with a schema other than an array. Parameters it does not declare are ignored, however often
// they come.
func takesOneValue(info *requestInfo, name string) bool {
	p := info.route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
	if p == nil {
		p = info.route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
	}
	if p == nil {
		return false
	}
	return p.Schema == nil || p.Schema.Value == nil || !p.Schema.Value.Type.Is(openapi3.TypeArray)
}
