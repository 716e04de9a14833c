package suite

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/contract"
)

// call is a request in the making: the operation, its path parameters, query and body.
type call struct {
	op     contract.Operation
	params params
	query  url.Values
	// body is the JSON body, or form the form of an OAuth endpoint; nil for none. rawBody, when
	// set, is sent instead, as is. contentType, when set, replaces the body's own media type.
	body        any
	form        url.Values
	rawBody     []byte
	contentType string
	// broken says what the call breaks, when it is a negative case.
	broken string
}

// path is the escaped path and query of the call.
func (c call) path() string {
	p := expandPath(c.op.Path, c.params)
	if len(c.query) > 0 {
		p += "?" + c.query.Encode()
	}
	return p
}

// bodyBytes is what the call sends as its body.
func (c call) bodyBytes() []byte {
	switch {
	case c.rawBody != nil:
		return c.rawBody
	case c.form != nil:
		return []byte(c.form.Encode())
	}
	return jsonBody(c.body)
}

// mediaType is the Content-Type of the call's body.
func (c call) mediaType() string {
	switch {
	case c.contentType != "":
		return c.contentType
	case c.form != nil:
		return formMediaType
	}
	return "application/json"
}

// generator makes requests from an operation's schemas, deterministically from its seed.
type generator struct {
	rng *rand.Rand
}

func newGenerator(seed uint64) *generator {
	return &generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// positive varies a valid call over the operation's optional query parameters, each set to
// values its schema allows: both booleans, and the bounds and default of integers.
func (g *generator) positive(base call) []call {
	variants := []call{base}
	for _, p := range base.op.Parameters {
		param := p.Value
		if param.In != openapi3.ParameterInQuery || param.Schema == nil {
			continue
		}
		for _, value := range validValues(param.Schema.Value) {
			c := base
			c.query = cloneValues(base.query)
			c.query.Set(param.Name, value)
			variants = append(variants, c)
		}
	}
	return variants
}

func validValues(s *openapi3.Schema) []string {
	switch {
	case s.Type.Is("boolean"):
		return []string{"true", "false"}
	case s.Type.Is("integer"):
		var out []string
		if s.Min != nil {
			out = append(out, fmt.Sprint(int64(*s.Min)))
		}
		if s.Max != nil {
			out = append(out, fmt.Sprint(int64(*s.Max)))
		}
		return out
	}
	return nil
}

// negative returns calls that each break one rule of the operation's specification: path and
// query parameters against their schemas, and the body: malformed, of the wrong media type,
// missing a required property, with an unknown one, or with a value of the wrong type, out of
// range, too long or short, off its pattern or enum. The mutations follow the schemas only; they
// never ask a validator whether they are wrong (a test checks that they all are).
func (g *generator) negative(base call) []call {
	var out []call
	for _, p := range base.op.Parameters {
		param := p.Value
		if param.Schema == nil || (param.In != openapi3.ParameterInPath && param.In != openapi3.ParameterInQuery) {
			continue
		}
		for _, bad := range g.invalidScalars(param.Schema.Value) {
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
		out = append(out, g.bodyNegatives(base, schema)...)
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

// bodyNegatives mutates the JSON body.
func (g *generator) bodyNegatives(base call, schema *openapi3.Schema) []call {
	valid := jsonBody(base.body)
	out := []call{
		{op: base.op, params: base.params, query: base.query, rawBody: valid[:len(valid)/2], broken: "the body is truncated JSON"},
		{op: base.op, params: base.params, query: base.query, rawBody: valid, contentType: "text/plain", broken: "the body is sent as text/plain"},
	}
	var doc any
	if err := json.Unmarshal(valid, &doc); err != nil {
		return out
	}
	for _, m := range g.mutations(schema, doc, "") {
		c := base
		c.body, c.broken = m.document, "body "+m.describe
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
func (g *generator) mutations(schema *openapi3.Schema, value any, path string) []mutation {
	var out []mutation
	for _, bad := range g.wrongType(schema) {
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
			out = append(out, mutation{withKey(v, "contractKitUnknownProperty", true), fmt.Sprintf("%s: unknown property contractKitUnknownProperty", where(path))})
		}
		for _, name := range sortedKeys(v) {
			prop := schema.Properties[name]
			if prop == nil || prop.Value == nil || prop.Value.ReadOnly {
				continue
			}
			for _, m := range g.mutations(prop.Value, v[name], join(path, name)) {
				out = append(out, mutation{withKey(v, name, m.document), m.describe})
			}
		}
	case []any:
		if schema.MinItems > 0 {
			out = append(out, mutation{[]any{}, fmt.Sprintf("%s: fewer than %d items", where(path), schema.MinItems)})
		}
		if schema.MaxItems != nil && len(v) > 0 {
			long := make([]any, *schema.MaxItems+1)
			for i := range long {
				long[i] = v[0]
			}
			out = append(out, mutation{long, fmt.Sprintf("%s: more than %d items", where(path), *schema.MaxItems)})
		}
		if len(v) > 0 && schema.Items != nil && schema.Items.Value != nil {
			for _, m := range g.mutations(schema.Items.Value, v[0], join(path, "0")) {
				items := slices.Clone(v)
				items[0] = m.document
				out = append(out, mutation{items, m.describe})
			}
		}
	default:
		for _, bad := range g.invalidScalars(schema) {
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
// types are wrongType's.
func (g *generator) invalidScalars(s *openapi3.Schema) []badScalar {
	var out []badScalar
	switch {
	case len(s.Enum) > 0:
		out = append(out, badScalar{"NOT_A_DECLARED_VALUE", "NOT_A_DECLARED_VALUE", "not one of the enum"})
	case s.Type.Is("string"):
		if s.MaxLength != nil {
			long := strings.Repeat("x", int(*s.MaxLength)+1)
			out = append(out, badScalar{long, long, fmt.Sprintf("longer than %d", *s.MaxLength)})
		}
		if s.MinLength > 1 {
			short := strings.Repeat("x", int(s.MinLength)-1)
			out = append(out, badScalar{short, short, fmt.Sprintf("shorter than %d", s.MinLength)})
		}
		if s.Pattern != "" {
			if bad, ok := g.offPattern(s.Pattern); ok {
				out = append(out, badScalar{bad, bad, "does not match " + s.Pattern})
			}
		}
	case s.Type.Is("integer") || s.Type.Is("number"):
		if s.Min != nil {
			out = append(out, badScalar{int64(*s.Min) - 1, fmt.Sprint(int64(*s.Min) - 1), fmt.Sprintf("below the minimum %v", *s.Min)})
		}
		if s.Max != nil {
			out = append(out, badScalar{int64(*s.Max) + 1, fmt.Sprint(int64(*s.Max) + 1), fmt.Sprintf("above the maximum %v", *s.Max)})
		}
		out = append(out, badScalar{"not a number", "not-a-number", "not a number"})
	case s.Type.Is("boolean"):
		out = append(out, badScalar{"perhaps", "perhaps", "not a boolean"})
	}
	return out
}

// offPattern finds a string that the pattern does not match, from candidates that break common
// patterns, shuffled by the seed.
func (g *generator) offPattern(pattern string) (string, bool) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	candidates := []string{"~not valid~", "!!!", "\t", "ÿÿ/ÿÿ", "a\nb", "%00", "{}", "Z"}
	g.rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	for _, c := range candidates {
		if !re.MatchString(c) {
			return c, true
		}
	}
	return "", false
}

// wrongType returns a value of another JSON type than the schema's, for typed schemas.
func (g *generator) wrongType(s *openapi3.Schema) []any {
	switch {
	case s.Type == nil || len(*s.Type) == 0:
		return nil
	case s.Type.Is("string"):
		return []any{g.rng.IntN(1000) + 1}
	case s.Type.Is("integer"), s.Type.Is("number"), s.Type.Is("boolean"):
		return []any{"text"}
	case s.Type.Is("array"):
		return []any{map[string]any{}}
	case s.Type.Is("object"):
		return []any{"text"}
	}
	return nil
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
