package suite

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// withExamplesVariation describes the variation that adds the specification's examples.
const withExamplesVariation = "with the specification's examples"

// variation is one way to vary a valid call that keeps it valid.
type variation struct {
	describe string
	apply    func(call) call
}

// positive returns the valid variations of an operation's calls: the catalog's call as it is;
// with the specification's examples where they add to its body (examples.go); and with each
// optional query parameter set to each value its schema allows: both booleans, and an integer's
// bounds and a value between them drawn from the seed. Each variation applies to a call of its
// own, since an accepted request may use up what it acts on.
func (g *generator) positive(base call) []variation {
	rng := g.stream(base.op, "positive")
	out := []variation{{"the catalog's request", func(c call) call { return c }}}
	if !base.op.Official && !bytes.Equal(g.withSpecExamples(base).bodyBytes(), base.bodyBytes()) {
		// A generated body has the examples of its properties already (generated.go).
		out = append(out, variation{withExamplesVariation, g.withSpecExamples})
	}
	for _, p := range base.op.Parameters {
		param := p.Value
		if param.In != openapi3.ParameterInQuery || param.Schema == nil {
			continue
		}
		for _, value := range validValues(param.Schema.Value, rng) {
			out = append(out, variation{fmt.Sprintf("with %s=%s", param.Name, value), func(c call) call {
				c.query = cloneValues(c.query)
				c.query.Set(param.Name, value)
				return c
			}})
		}
	}
	return out
}

// validValues are values a query parameter's schema allows: both booleans; an integer's bounds
// and a value between them (up to a hundred above the minimum when there is no maximum).
func validValues(s *openapi3.Schema, rng *rand.Rand) []string {
	switch {
	case s.Type.Is("boolean"):
		return []string{"true", "false"}
	case s.Type.Is("integer"):
		var out []string
		add := func(v int64) {
			if value := fmt.Sprint(v); !slices.Contains(out, value) {
				out = append(out, value)
			}
		}
		low, high := int64(0), int64(100) // where the schema sets no bound
		if s.Min != nil {
			low, high = int64(*s.Min), int64(*s.Min)+100
			add(low)
		}
		if s.Max != nil {
			high = int64(*s.Max)
			add(high)
		}
		add(low + rng.Int64N(high-low+1))
		return out
	}
	return nil
}
