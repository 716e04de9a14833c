package suite

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/contract"
)

// generator makes requests from an operation's schemas. Every operation draws its values from
// random streams of its own, seeded by the run's seed and the operation's id, so that the data
// sent to an operation depends on the seed alone, not on which other operations or checks run:
// `--operations X --seed N` sends X what a whole run with seed N sends it.
type generator struct {
	seed uint64
	// examples are the request examples of the operations it generates requests for (examples.go).
	examples map[string]any
}

// newGenerator returns a generator of requests for ops.
func newGenerator(seed uint64, ops ...contract.Operation) *generator {
	return &generator{seed: seed, examples: requestExamples(ops)}
}

// stream is the random stream of one use of an operation's data.
func (g *generator) stream(op contract.Operation, use string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(use + " " + op.OperationID))
	return rand.New(rand.NewPCG(g.seed, h.Sum64()))
}

// negative returns calls that each break one rule of the operation's specification: path and
// query parameters against their schemas, and the body: malformed, of the wrong media type,
// missing a required property, with an unknown one, or with a value of the wrong type, out of
// range, too long or short, off its pattern or enum. They mutate the valid call with the
// specification's examples added, so that the examples' fields are broken too. The mutations
// follow the schemas only; they never ask a validator whether they are wrong (a test checks that
// they all are).
func (g *generator) negative(valid call) []call {
	base := g.withSpecExamples(valid)
	m := mutator{rng: g.stream(base.op, "negative")}
	var out []call
	for _, p := range base.op.Parameters {
		param := p.Value
		if param.Schema == nil || (param.In != openapi3.ParameterInPath && param.In != openapi3.ParameterInQuery) {
			continue
		}
		for _, bad := range m.invalidScalars(param.Schema.Value) {
			if param.In == openapi3.ParameterInPath && escapedStillMatches(param.Schema.Value, bad.value) {
				continue // validators read a path parameter escaped: %21%21 matches an unanchored [0-9a-f]+
			}
			c := base
			c.broken = fmt.Sprintf("%s parameter %s = %q", param.In, param.Name, bad.value)
			if param.In == openapi3.ParameterInPath {
				c.params = base.params.with(param.Name, bad.value)
			} else {
				c.query = cloneValues(base.query)
				c.query.Set(param.Name, bad.value)
			}
			out = append(out, c)
		}
	}
	if rb := base.op.RequestBody; rb != nil && rb.Value.Content.Get("application/json") != nil && base.body != nil {
		schema := rb.Value.Content.Get("application/json").Schema.Value
		out = append(out, m.bodyNegatives(base, schema)...)
	}
	if rb := base.op.RequestBody; rb != nil && rb.Value.Content.Get(formMediaType) != nil && base.form != nil {
		out = append(out, formNegatives(base, rb.Value.Content.Get(formMediaType).Schema.Value)...)
	}
	return out
}

// formNegatives breaks a form: without one of its required fields, or sent as text/plain.
func formNegatives(base call, schema *openapi3.Schema) []call {
	plain := base
	plain.contentType, plain.broken = "text/plain", "the form is sent as text/plain"
	out := []call{plain}
	for _, name := range schema.Required {
		if !base.form.Has(name) {
			continue
		}
		c := base
		c.form = cloneValues(base.form)
		c.form.Del(name)
		c.broken = "the form's required field " + name + " is missing"
		out = append(out, c)
	}
	return out
}

// mutator breaks the rules of schemas, drawing the values it needs from its random stream.
type mutator struct {
	rng *rand.Rand
}

// bodyNegatives mutates the JSON body. Every body is an object or an array, so every proper
// prefix of it is malformed JSON.
func (m mutator) bodyNegatives(base call, schema *openapi3.Schema) []call {
	valid := jsonBody(base.body)
	out := []call{
		{op: base.op, params: base.params, query: base.query, rawBody: valid[:1+m.rng.IntN(len(valid)-1)], broken: "the body is truncated JSON"},
		{op: base.op, params: base.params, query: base.query, rawBody: valid, contentType: "text/plain", broken: "the body is sent as text/plain"},
	}
	var doc any
	if err := json.Unmarshal(valid, &doc); err != nil {
		return out
	}
	for _, mut := range m.mutations(schema, doc, "") {
		c := base
		c.body, c.broken = mut.document, "body "+mut.describe
		out = append(out, c)
	}
	return out
}

// mutation is a body that breaks one rule.
type mutation struct {
	document any
	describe string
}

// mutations returns, for the value at path (described by schema), every value that breaks one
// of its rules, each placed in a copy of the whole document by the callers up the tree.
func (m mutator) mutations(schema *openapi3.Schema, value any, path string) []mutation {
	var out []mutation
	if bad, ok := m.wrongType(schema); ok {
		out = append(out, mutation{bad, fmt.Sprintf("%s: %s instead of %s", where(path), jsonKind(bad), schemaType(schema))})
	}
	switch v := value.(type) {
	case map[string]any:
		for _, name := range schema.Required {
			if _, present := v[name]; present {
				out = append(out, mutation{withoutKey(v, name), fmt.Sprintf("%s: required property %s is missing", where(path), name)})
			}
		}
		if ap := schema.AdditionalProperties.Has; ap != nil && !*ap {
			unknown := "contractKit" + strings.ToUpper(m.letters(1)) + m.letters(5+m.rng.IntN(6))
			out = append(out, mutation{withKey(v, unknown, m.rng.IntN(1000)), fmt.Sprintf("%s: unknown property %s", where(path), unknown)})
		}
		for _, name := range sortedKeys(v) {
			prop := schema.Properties[name]
			if prop == nil || prop.Value == nil || prop.Value.ReadOnly {
				continue
			}
			for _, mut := range m.mutations(prop.Value, v[name], join(path, name)) {
				out = append(out, mutation{withKey(v, name, mut.document), mut.describe})
			}
		}
	case []any:
		if schema.MinItems > 0 {
			out = append(out, mutation{[]any{}, fmt.Sprintf("%s: fewer than %d items", where(path), schema.MinItems)})
		}
		if schema.MaxItems != nil && len(v) > 0 {
			long := make([]any, *schema.MaxItems+1+uint64(m.rng.IntN(3)))
			for i := range long {
				long[i] = v[0]
			}
			out = append(out, mutation{long, fmt.Sprintf("%s: more than %d items", where(path), *schema.MaxItems)})
		}
		if len(v) > 0 && schema.Items != nil && schema.Items.Value != nil {
			for _, mut := range m.mutations(schema.Items.Value, v[0], join(path, "0")) {
				items := slices.Clone(v)
				items[0] = mut.document
				out = append(out, mutation{items, mut.describe})
			}
		}
	default:
		for _, bad := range m.invalidScalars(schema) {
			out = append(out, mutation{bad.json, fmt.Sprintf("%s = %s: %s", where(path), bad.value, bad.rule)})
		}
	}
	return out
}

// badScalar is a value that breaks one rule of a scalar schema, in JSON and as a parameter.
type badScalar struct {
	json  any
	value string
	rule  string
}

// invalidScalars breaks the rules of a string, number or enum schema of its own type; wrong
// types are wrongType's. How far off each value is comes from the random stream.
func (m mutator) invalidScalars(s *openapi3.Schema) []badScalar {
	var out []badScalar
	switch {
	case len(s.Enum) > 0:
		bad := m.offEnum(s.Enum)
		out = append(out, badScalar{bad, bad, "not one of the enum"})
	case s.Type.Is("string"):
		if s.MaxLength != nil {
			long := m.letters(int(*s.MaxLength) + 1 + m.rng.IntN(16))
			out = append(out, badScalar{long, long, fmt.Sprintf("longer than %d", *s.MaxLength)})
		}
		if s.MinLength > 1 {
			short := m.letters(1 + m.rng.IntN(int(s.MinLength)-1))
			out = append(out, badScalar{short, short, fmt.Sprintf("shorter than %d", s.MinLength)})
		}
		if s.Pattern != "" {
			if bad, ok := m.offPattern(s.Pattern); ok {
				out = append(out, badScalar{bad, bad, "does not match " + s.Pattern})
			}
		}
	case s.Type.Is("integer") || s.Type.Is("number"):
		if s.Min != nil {
			low := int64(*s.Min) - 1 - int64(m.rng.IntN(100))
			out = append(out, badScalar{low, fmt.Sprint(low), fmt.Sprintf("below the minimum %v", *s.Min)})
		}
		if s.Max != nil {
			high := int64(*s.Max) + 1 + int64(m.rng.IntN(100))
			out = append(out, badScalar{high, fmt.Sprint(high), fmt.Sprintf("above the maximum %v", *s.Max)})
		}
		text := pick(m.rng, "not-a-number", "12abc", "one", "0x1g", "NaN!")
		out = append(out, badScalar{text, text, "not a number"})
	case s.Type.Is("boolean"):
		text := pick(m.rng, "perhaps", "maybe", "yes", "no", "2")
		out = append(out, badScalar{text, text, "not a boolean"})
	}
	return out
}

// offEnum is a value that none of an enum's values is.
func (m mutator) offEnum(enum []any) string {
	for {
		bad := "NOT_" + strings.ToUpper(m.letters(4+m.rng.IntN(8)))
		if !slices.Contains(enum, any(bad)) {
			return bad
		}
	}
}

// offPattern finds a string that the pattern does not match, from candidates that break common
// patterns, in an order and with text drawn from the random stream.
func (m mutator) offPattern(pattern string) (string, bool) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	word := m.letters(1 + m.rng.IntN(6))
	candidates := []string{"~" + word + "~", strings.Repeat("!", 1+m.rng.IntN(4)), "\t" + word, "ÿÿ/" + word, word + "\n" + word, "%00" + word, "{" + word + "}", "Z"}
	m.rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	for _, c := range candidates {
		if !re.MatchString(c) {
			return c, true
		}
	}
	return "", false
}

// wrongType returns a value of another JSON type than the schema's, for typed schemas.
func (m mutator) wrongType(s *openapi3.Schema) (any, bool) {
	text := "text-" + m.letters(1+m.rng.IntN(6))
	number := m.rng.IntN(100000) + 1
	switch {
	case s.Type == nil || len(*s.Type) == 0:
		return nil, false
	case s.Type.Is("string"):
		return pick[any](m.rng, number, m.rng.IntN(2) == 0, []any{number}, map[string]any{text: number}), true
	case s.Type.Is("integer"), s.Type.Is("number"):
		return pick[any](m.rng, text, m.rng.IntN(2) == 0, []any{number}), true
	case s.Type.Is("boolean"):
		return pick[any](m.rng, text, number, []any{text}), true
	case s.Type.Is("array"):
		return pick[any](m.rng, text, number, map[string]any{text: number}), true
	case s.Type.Is("object"):
		return pick[any](m.rng, text, number, []any{text}), true
	}
	return nil, false
}

// pick is one of the options, drawn from rng.
func pick[T any](rng *rand.Rand, options ...T) T { return options[rng.IntN(len(options))] }

// letters is n random lowercase letters.
func (m mutator) letters(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + m.rng.IntN(26))
	}
	return string(b)
}

func schemaType(s *openapi3.Schema) string { return strings.Join(s.Type.Slice(), "|") }

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

func where(path string) string {
	if path == "" {
		return "the body"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func withoutKey(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func withKey(m map[string]any, key string, value any) map[string]any {
	out := withoutKey(m, key)
	out[key] = value
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// escapedStillMatches reports whether a value that breaks a path parameter's pattern keeps it once
// escaped, as the request carries it and a validator reads it.
func escapedStillMatches(s *openapi3.Schema, value string) bool {
	if s.Pattern == "" {
		return false
	}
	re, err := regexp.Compile(s.Pattern)
	return err == nil && !re.MatchString(value) && re.MatchString(url.PathEscape(value))
}
