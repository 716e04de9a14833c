package upstream

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// place is where in an operation a schema is compared.
type place struct {
	operation, path, where string
}

func (p place) finding(f Finding) Finding {
	f.Operations, f.Path, f.Where = []string{p.operation}, p.path, p.where
	return f
}

// attributeKinds are the keywords compared on every schema, in report order.
var attributeKinds = []Kind{
	KindType, KindFormat, KindPattern, KindNullable, KindReadOnly, KindWriteOnly, KindDefault,
	KindMinimum, KindMaximum, KindMinLength, KindMaxLength, KindMinItems, KindMaxItems,
	KindAdditionalProperties,
}

// compareSchemas compares two schemas and, recursively, their properties and items. Differences
// inside one of our named component schemas are located at that schema (schema name and field
// path inside it), so that a schema used by many operations reports each difference once.
func compareSchemas(c *collector, at place, ours, official *openapi3.SchemaRef, schema, field string) {
	compareSchemasOnce(c, at, ours, official, schema, field, map[[2]*openapi3.Schema]bool{})
}

func compareSchemasOnce(c *collector, at place, ours, official *openapi3.SchemaRef, schema, field string, seen map[[2]*openapi3.Schema]bool) {
	if ours == nil || official == nil || ours.Value == nil || official.Value == nil {
		return
	}
	if name, ok := strings.CutPrefix(ours.Ref, "#/components/schemas/"); ok {
		schema, field = name, ""
	}
	pair := [2]*openapi3.Schema{ours.Value, official.Value}
	if seen[pair] { // recursive schemas
		return
	}
	seen[pair] = true

	o, u := flatten(ours.Value), flatten(official.Value)
	inSchema := func(f Finding) Finding {
		f = at.finding(f)
		f.Schema = schema
		if f.Field == "" {
			f.Field = field
		}
		return f
	}
	for _, kind := range attributeKinds {
		if o.attributes[kind] != u.attributes[kind] {
			c.add(inSchema(Finding{Kind: kind, Ours: o.attributes[kind], Official: u.attributes[kind]}))
		}
	}
	for _, value := range o.enum {
		if !slices.Contains(u.enum, value) {
			c.add(inSchema(Finding{Kind: KindEnum, Only: Ours, Name: value}))
		}
	}
	for _, value := range u.enum {
		if !slices.Contains(o.enum, value) {
			c.add(inSchema(Finding{Kind: KindEnum, Only: Official, Name: value}))
		}
	}
	for _, name := range unionKeys(o.properties, u.properties) {
		op, up := o.properties[name], u.properties[name]
		child := joinField(field, name)
		switch {
		case up == nil:
			c.add(inSchema(Finding{Kind: KindField, Only: Ours, Name: name}))
		case op == nil:
			c.add(inSchema(Finding{Kind: KindField, Only: Official, Name: name}))
		default:
			if o.required[name] != u.required[name] {
				c.add(inSchema(Finding{Kind: KindRequired, Field: child, Ours: flag(o.required[name]), Official: flag(u.required[name])}))
			}
			compareSchemasOnce(c, at, op, up, schema, child, seen)
		}
	}
	compareSchemasOnce(c, at, o.items, u.items, schema, field+"[]", seen)
	compareSchemasOnce(c, at, o.values, u.values, schema, field+"{}", seen)
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// flatSchema is a schema with its allOf members merged in, and the properties of its oneOf and
// anyOf alternatives gathered: the official specification composes schemas where ours spells
// them out, and the comparison is about what a body may contain, not how it is written.
type flatSchema struct {
	attributes map[Kind]string
	enum       []string
	properties map[string]*openapi3.SchemaRef
	required   map[string]bool
	items      *openapi3.SchemaRef
	values     *openapi3.SchemaRef // additionalProperties given as a schema
}

func flatten(s *openapi3.Schema) flatSchema {
	flat := flatSchema{attributes: map[Kind]string{}, properties: map[string]*openapi3.SchemaRef{}, required: map[string]bool{}}
	flat.merge(s, true, map[*openapi3.Schema]bool{})
	if flat.attributes[KindType] == "" && len(flat.properties) > 0 {
		flat.attributes[KindType] = "object"
	}
	return flat
}

// merge adds what s says and flat does not say yet. Alternatives (oneOf, anyOf) contribute their
// properties only: none of them is required, and their attributes disagree by nature.
func (flat *flatSchema) merge(s *openapi3.Schema, required bool, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if required {
		for kind, value := range attributes(s) {
			if flat.attributes[kind] == "" {
				flat.attributes[kind] = value
			}
		}
		if flat.enum == nil {
			for _, v := range s.Enum {
				flat.enum = append(flat.enum, fmt.Sprint(v))
			}
		}
		for _, name := range s.Required {
			flat.required[name] = true
		}
		if flat.items == nil {
			flat.items = s.Items
		}
		if flat.values == nil {
			flat.values = s.AdditionalProperties.Schema
		}
	}
	for name, property := range s.Properties {
		if _, ok := flat.properties[name]; !ok {
			flat.properties[name] = property
		}
	}
	for _, member := range s.AllOf {
		if member != nil {
			flat.merge(member.Value, required, seen)
		}
	}
	for _, member := range slices.Concat(s.OneOf, s.AnyOf) {
		if member != nil {
			flat.merge(member.Value, false, seen)
		}
	}
}

// attributes returns the compared keywords that s sets, as text.
func attributes(s *openapi3.Schema) map[Kind]string {
	values := map[Kind]string{
		KindType:      strings.Join(s.Type.Slice(), ","),
		KindFormat:    s.Format,
		KindPattern:   s.Pattern,
		KindNullable:  flag(s.Nullable),
		KindReadOnly:  flag(s.ReadOnly),
		KindWriteOnly: flag(s.WriteOnly),
		KindMinimum:   float(s.Min),
		KindMaximum:   float(s.Max),
		KindMinLength: count(s.MinLength),
		KindMaxLength: countPointer(s.MaxLength),
		KindMinItems:  count(s.MinItems),
		KindMaxItems:  countPointer(s.MaxItems),
	}
	if s.Default != nil {
		values[KindDefault] = fmt.Sprint(s.Default)
	}
	if has := s.AdditionalProperties.Has; has != nil && !*has {
		values[KindAdditionalProperties] = "false"
	}
	for kind, value := range values {
		if value == "" {
			delete(values, kind)
		}
	}
	return values
}

func float(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func count(v uint64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatUint(v, 10)
}

func countPointer(v *uint64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatUint(*v, 10)
}
