// Package synth builds JSON values that a schema of the specification accepts. The generic engine
// builds its responses with it, the contract kit its requests: both start from what they know (a
// request's body, a stored resource, an example) and let the schema complete it.
//
// A value keeps every part of the source that fits its schema and fills what the schema asks for
// and the source lacks: required properties, and in a response the read-only ones (identifiers,
// dates, states) and those with a default. A property that the source sets to null, and that is
// neither nullable nor required, stays out. A filled value is the schema's default, else its
// first enum value, else one that its format, pattern or limits describe, else its example.
package synth

import (
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Direction says which side of the exchange a value is for: a response leaves out write-only
// properties (passwords, secrets) and fills read-only ones; a request leaves out read-only ones.
type Direction int

const (
	Response Direction = iota
	Request
)

// Options say how to fill what the source lacks.
type Options struct {
	Direction Direction
	// Now is the time of the dates it fills.
	Now time.Time
	// NewID returns an identifier for a string whose pattern asks for 24 hexadecimal digits (an
	// ObjectId); nil fills a fixed one.
	NewID func() string
	// Optional also fills the optional properties that have an example, as a request that shows
	// what the operation can take. Responses leave them out.
	Optional bool
}

// maxDepth bounds the recursion of schemas that refer to themselves (a search index's fields,
// a policy's nested conditions).
const maxDepth = 24

// Value returns a value of schema built from source (nil for none) as opts say.
func Value(schema *openapi3.SchemaRef, source any, opts Options) any {
	v, _ := (&builder{opts: opts}).value(schema, source, 0)
	return v
}

type builder struct{ opts Options }

// value builds a value of ref from source; ok is false when the schema asks for nothing and the
// source has nothing, so that an optional property is left out.
func (b *builder) value(ref *openapi3.SchemaRef, source any, depth int) (any, bool) {
	if ref == nil || ref.Value == nil || depth > maxDepth {
		return source, source != nil
	}
	s := ref.Value
	switch {
	case len(s.OneOf) > 0:
		return b.oneOf(ref, s.OneOf, source, depth)
	case len(s.AnyOf) > 0:
		return b.oneOf(ref, s.AnyOf, source, depth)
	case objectLike(s) && mapped(s, source) != nil:
		// A base schema whose discriminator maps the source's tag to a schema of its own kind
		// (PrivateLinkEndpoint's AWS: AWSInterfaceEndpoint), without alternatives to choose from.
		return b.value(mapped(s, source), source, depth+1)
	case objectLike(s):
		return b.object(ref, source, depth), true
	case len(s.AllOf) > 0:
		// allOf around one schema that is no object, to give it a description.
		return b.value(s.AllOf[0], source, depth+1)
	case s.Type.Is(openapi3.TypeArray):
		return b.array(s, source, depth), true
	case s.Type.Is(openapi3.TypeString):
		return b.string(s, source), true
	case s.Type.Is(openapi3.TypeInteger), s.Type.Is(openapi3.TypeNumber):
		return b.number(s, source), true
	case s.Type.Is(openapi3.TypeBoolean):
		if v, ok := source.(bool); ok {
			return v, true
		}
		if v, ok := s.Default.(bool); ok {
			return v, true
		}
		return false, true
	}
	// A schema without a type takes any value.
	if source != nil {
		return source, true
	}
	if s.Default != nil {
		return s.Default, true
	}
	return map[string]any{}, true
}

// mapped is the schema that a schema's discriminator maps the source's tag to, when the schema
// has no alternatives and the mapped schema is another; else nil.
func mapped(s *openapi3.Schema, source any) *openapi3.SchemaRef {
	d, m := s.Discriminator, source
	src, ok := m.(map[string]any)
	if d == nil || !ok || len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return nil
	}
	tag, _ := src[d.PropertyName].(string)
	target, ok := d.Mapping[tag]
	if !ok || target.Value == nil || target.Value == s {
		return nil
	}
	return &openapi3.SchemaRef{Ref: target.Ref, Value: target.Value}
}

// objectLike reports whether a schema describes an object, itself or through its allOf parts.
func objectLike(s *openapi3.Schema) bool {
	if s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0 {
		return true
	}
	for _, part := range s.AllOf {
		if part.Value != nil && (objectLike(part.Value) || len(part.Value.OneOf) > 0) {
			return true
		}
	}
	return false
}

// oneOf builds the value of the one alternative the source is of, then completes it with the
// properties the schema declares beside its alternatives.
func (b *builder) oneOf(ref *openapi3.SchemaRef, alternatives openapi3.SchemaRefs, source any, depth int) (any, bool) {
	s := ref.Value
	v, ok := b.alternative(s, alternatives, source, depth)
	object, isObject := v.(map[string]any)
	if !isObject || !objectLike(s) {
		return v, ok
	}
	// The schema's own properties complete the alternative's, never replace them: the
	// alternative's may be narrower (a pattern, the discriminator's value).
	for name, own := range b.object(ref, source, depth) {
		if _, set := object[name]; !set {
			object[name] = own
		}
	}
	return object, true
}

// alternative builds the value of the alternative the source is of: the one its discriminator
// names, else the only one it can be of (plausible), else the first it validates against. Without a source it is the first
// alternative whose value no other alternative also accepts, as oneOf asks, named in the
// discriminator property.
func (b *builder) alternative(s *openapi3.Schema, alternatives openapi3.SchemaRefs, source any, depth int) (any, bool) {
	object, _ := source.(map[string]any)
	if d := s.Discriminator; d != nil {
		if tag, ok := object[d.PropertyName].(string); ok {
			if alt := alternativeTagged(d, alternatives, tag); alt != nil {
				return b.value(alt, source, depth+1)
			}
		}
	}
	if source != nil {
		var candidates openapi3.SchemaRefs
		for _, alt := range alternatives {
			if alt.Value != nil && plausible(alt, source) {
				candidates = append(candidates, alt)
			}
		}
		if len(candidates) == 1 {
			return b.value(candidates[0], source, depth+1) // the one it can be of, which the build completes
		}
		for _, alt := range candidates {
			if alt.Value.VisitJSON(source, b.visitOptions()...) == nil {
				return b.value(alt, source, depth+1)
			}
		}
	}
	var first any
	for i, alt := range alternatives {
		v, ok := b.value(alt, source, depth+1)
		if !ok {
			continue
		}
		if m, isObject := v.(map[string]any); isObject && s.Discriminator != nil {
			if tag := tagOf(s.Discriminator, alt); tag != "" {
				if _, set := m[s.Discriminator.PropertyName]; !set {
					m[s.Discriminator.PropertyName] = tag
				}
			}
		}
		if i == 0 {
			first = v
		}
		if s.Discriminator != nil || b.matches(alternatives, v) == 1 {
			return v, true
		}
	}
	return first, first != nil
}

// plausible reports whether an object may be of an object alternative before it is validated:
// it has the properties the alternative requires, and its values of the alternative's enums are
// theirs. It rules out cheaply the alternatives of a large oneOf that differ by an enum (an alert
// configuration's, by eventTypeName), which validating one by one would cost far more.
func plausible(alt *openapi3.SchemaRef, source any) bool {
	src, ok := source.(map[string]any)
	if !ok || !objectLike(alt.Value) {
		return true
	}
	c := checksOf(alt)
	for _, name := range c.required {
		if _, present := src[name]; !present {
			return false
		}
	}
	for name, values := range c.enums {
		if text, isText := src[name].(string); isText && !values[text] {
			return false
		}
	}
	return true
}

// checks are what plausible asks of an object: the properties it requires in both directions
// (what one direction leaves out, read-only or write-only, is not required in it), and the
// strings its enums allow, by property.
type checks struct {
	required []string
	enums    map[string]map[string]bool
}

// checksCache holds the checks of each alternative plausible has looked at.
var checksCache sync.Map // *openapi3.SchemaRef -> checks

func checksOf(ref *openapi3.SchemaRef) checks {
	if c, ok := checksCache.Load(ref); ok {
		return c.(checks)
	}
	sh := shapeOf(ref)
	c := checks{enums: map[string]map[string]bool{}}
	for _, name := range sh.required {
		if prop := sh.properties[name]; prop != nil && prop.Value != nil && !prop.Value.ReadOnly && !prop.Value.WriteOnly {
			c.required = append(c.required, name)
		}
	}
	for name, prop := range sh.properties {
		if values := enumOf(prop, 0); values != nil {
			c.enums[name] = values
		}
	}
	checksCache.Store(ref, c)
	return c
}

// enumOf is the strings a schema allows when they are all listed: its enum, or the enums of all
// its alternatives (an event type, one of several lists of them); else nil.
func enumOf(ref *openapi3.SchemaRef, depth int) map[string]bool {
	if ref == nil || ref.Value == nil || depth > maxDepth {
		return nil
	}
	s := ref.Value
	values := map[string]bool{}
	if len(s.Enum) > 0 {
		for _, e := range s.Enum {
			text, ok := e.(string)
			if !ok {
				return nil
			}
			values[text] = true
		}
		return values
	}
	alternatives := append(slices.Clone(s.OneOf), s.AnyOf...)
	if len(alternatives) == 0 {
		return nil
	}
	for _, alt := range alternatives {
		some := enumOf(alt, depth+1)
		if some == nil {
			return nil
		}
		maps.Copy(values, some)
	}
	return values
}

// matches counts the alternatives that accept v.
func (b *builder) matches(alternatives openapi3.SchemaRefs, v any) int {
	n := 0
	for _, alt := range alternatives {
		if alt.Value != nil && alt.Value.VisitJSON(v, b.visitOptions()...) == nil {
			n++
		}
	}
	return n
}

// visitOptions validate as the direction asks. Only whether a value validates matters, so the
// validator stops at the first error and describes none, which costs more than the validation
// itself on a large oneOf (an alert configuration's).
func (b *builder) visitOptions() []openapi3.SchemaValidationOption {
	if b.opts.Direction == Response {
		return []openapi3.SchemaValidationOption{openapi3.VisitAsResponse(), openapi3.FailFast()}
	}
	return []openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.DisableReadOnlyValidation(), openapi3.FailFast()}
}

// alternativeTagged finds the alternative that a discriminator value names: through the
// mapping, else by the name of the schema it refers to.
func alternativeTagged(d *openapi3.Discriminator, alternatives openapi3.SchemaRefs, tag string) *openapi3.SchemaRef {
	ref := ""
	if mapped, ok := d.Mapping[tag]; ok {
		ref = mapped.Ref
	}
	for _, alt := range alternatives {
		if (ref != "" && alt.Ref == ref) || (ref == "" && schemaName(alt.Ref) == tag) {
			return alt
		}
	}
	return nil
}

// tagOf is the discriminator value that names the schema ref refers to.
func tagOf(d *openapi3.Discriminator, ref *openapi3.SchemaRef) string {
	for _, tag := range slices.Sorted(maps.Keys(d.Mapping)) {
		if d.Mapping[tag].Ref == ref.Ref {
			return tag
		}
	}
	return ""
}

func schemaName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

// shape is what an object schema declares, with what its allOf parts declare.
type shape struct {
	properties map[string]*openapi3.SchemaRef
	names      []string // of the properties, sorted
	required   []string
	additional *openapi3.AdditionalProperties
	// tags are the discriminator values that name the schema in the parents it extends: an
	// AzureCloudProviderContainer, allOf CloudProviderContainer, has providerName AZURE.
	tags map[string]string
}

// shapes holds the shape of each schema, by the schema and the reference it was reached by
// (which names its discriminator tags); a loaded specification never changes.
var shapes sync.Map // shapeKey -> shape

type shapeKey struct {
	schema *openapi3.Schema
	ref    string
}

// shapeOf is what an object schema declares; it is shared, and must not be changed.
func shapeOf(ref *openapi3.SchemaRef) shape {
	key := shapeKey{ref.Value, ref.Ref}
	if sh, ok := shapes.Load(key); ok {
		return sh.(shape)
	}
	sh := shape{properties: map[string]*openapi3.SchemaRef{}, tags: map[string]string{}}
	sh.add(ref.Value, ref, 0)
	sh.names = slices.Sorted(maps.Keys(sh.properties))
	shapes.Store(key, sh)
	return sh
}

func (sh *shape) add(s *openapi3.Schema, self *openapi3.SchemaRef, depth int) {
	if depth > maxDepth {
		return
	}
	for _, part := range s.AllOf {
		if part.Value == nil {
			continue
		}
		if d := part.Value.Discriminator; d != nil {
			if tag := tagOf(d, self); tag != "" {
				sh.tags[d.PropertyName] = tag
			}
		}
		sh.add(part.Value, self, depth+1)
	}
	for name, prop := range s.Properties {
		sh.properties[name] = prop
	}
	sh.required = append(sh.required, s.Required...)
	if extra := s.AdditionalProperties; sh.additional == nil && (extra.Schema != nil || extra.Has != nil) {
		sh.additional = &extra
	}
}

// object keeps the properties of the source that the schema declares, builds them, and fills
// those the schema asks for.
func (b *builder) object(ref *openapi3.SchemaRef, source any, depth int) map[string]any {
	sh := shapeOf(ref)
	src, _ := source.(map[string]any)
	out := make(map[string]any, len(sh.properties))
	for _, name := range sh.names {
		prop := sh.properties[name]
		if prop.Value == nil || b.leftOut(prop.Value) {
			continue
		}
		given, present := src[name]
		tag, tagged := sh.tags[name]
		required := slices.Contains(sh.required, name)
		switch {
		case present && given == nil && prop.Value.Nullable:
			out[name] = nil
		case present && given == nil && !required:
			// The source says there is none: a job that has not finished has no finishedAt.
		case present && given != nil:
			if v, ok := b.value(prop, given, depth+1); ok {
				out[name] = v
			}
		case tagged:
			out[name] = tag
		case b.fills(required, prop.Value):
			if v, ok := b.value(prop, nil, depth+1); ok {
				out[name] = v
			}
		}
	}
	if extra := sh.additional; extra != nil && (extra.Schema != nil || (extra.Has != nil && *extra.Has)) {
		for name, given := range src {
			if _, declared := sh.properties[name]; declared || given == nil {
				continue
			}
			if v, ok := b.value(extra.Schema, given, depth+1); ok {
				out[name] = v
			}
		}
	}
	return out
}

// leftOut reports whether a property has no place in this direction.
func (b *builder) leftOut(p *openapi3.Schema) bool {
	if b.opts.Direction == Response {
		return p.WriteOnly
	}
	return p.ReadOnly
}

// fills reports whether a property the source lacks is filled: a required one always; in a
// response a read-only one or one with a default; with Optional one with an example.
func (b *builder) fills(required bool, p *openapi3.Schema) bool {
	switch {
	case required:
		return true
	case b.opts.Direction == Response:
		return p.ReadOnly || p.Default != nil
	}
	return b.opts.Optional && p.Example != nil
}

func (b *builder) array(s *openapi3.Schema, source any, depth int) []any {
	out := []any{}
	if items, ok := source.([]any); ok {
		for _, item := range items {
			if v, ok := b.value(s.Items, item, depth+1); ok {
				out = append(out, v)
			}
		}
		return out
	}
	if example, ok := s.Example.([]any); ok && b.opts.Optional && len(example) > 0 {
		return b.array(s, example, depth)
	}
	for range s.MinItems {
		v, _ := b.value(s.Items, nil, depth+1)
		out = append(out, v)
	}
	return out
}

func (b *builder) string(s *openapi3.Schema, source any) string {
	if v, ok := source.(string); ok && stringFits(s, v) {
		return v
	}
	if v, ok := s.Default.(string); ok && stringFits(s, v) {
		return v
	}
	for _, e := range s.Enum {
		if v, ok := e.(string); ok {
			return v
		}
	}
	if v, ok := b.formatted(s); ok {
		return v
	}
	if v, ok := s.Example.(string); ok && stringFits(s, v) {
		return v
	}
	if s.Pattern != "" {
		if v, ok := fromPattern(s.Pattern); ok && stringFits(s, v) {
			return v
		}
	}
	return strings.Repeat("x", int(s.MinLength))
}

// objectIDPatterns are the patterns by which the specification asks for an ObjectId.
var objectIDPatterns = []string{"^([a-f0-9]{24})$", "^[a-f0-9]{24}$", "^([0-9a-f]{24})$", "^[0-9a-f]{24}$"}

// fixedID stands for an identifier when Options.NewID is nil.
const fixedID = "5f4d3c2b1a0f9e8d7c6b5a49"

// formatted returns a value for the schema's format, or for the ObjectId its pattern asks for.
func (b *builder) formatted(s *openapi3.Schema) (string, bool) {
	if slices.Contains(objectIDPatterns, s.Pattern) {
		if b.opts.NewID != nil {
			return b.opts.NewID(), true
		}
		return fixedID, true
	}
	now := b.opts.Now.UTC().Truncate(time.Second)
	switch s.Format {
	case "date-time":
		return now.Format(time.RFC3339), true
	case "date":
		return now.Format(time.DateOnly), true
	case "uuid":
		return "3fa85f64-5717-4562-b3fc-2c963f66afa6", true
	case "email":
		return "user@example.com", true
	case "uri", "url":
		return "https://cloud.mongodb.com", true
	case "ipv4":
		return "192.0.2.1", true
	case "ipv6":
		return "2001:db8::1", true
	}
	return "", false
}

func (b *builder) number(s *openapi3.Schema, source any) any {
	integer := s.Type.Is(openapi3.TypeInteger)
	for _, candidate := range []any{source, s.Default, s.Example} {
		if v, ok := asNumber(candidate); ok && numberFits(s, v, integer) {
			return candidate
		}
	}
	for _, e := range s.Enum {
		if _, ok := asNumber(e); ok {
			return e
		}
	}
	v := 0.0
	if s.Min != nil {
		v = *s.Min
		if s.ExclusiveMin.IsTrue() {
			v++
		}
	}
	if s.Max != nil && v > *s.Max {
		v = *s.Max
		if s.ExclusiveMax.IsTrue() {
			v--
		}
	}
	if integer {
		return int64(math.Ceil(v))
	}
	return v
}

func asNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}
