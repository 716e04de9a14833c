package pipeline

import "bytes"

// htmlEscapes are the escapes encoding/json writes for &, < and > to keep JSON safe inside
// HTML. Atlas writes those characters as they are (links carry & in their query), so the stub
// undoes them.
var htmlEscapes = map[string]byte{`\u0026`: '&', `\u003c`: '<', `\u003e`: '>'}

// unescapeHTML replaces the HTML escapes of a JSON document with the characters themselves, in
// place: the document only shrinks, so what it writes never overtakes what it reads. It copies
// what lies between backslashes whole, and walks escape sequences pairwise, so an escaped
// backslash followed by "u0026" stays as it is. It returns doc cut to its new length.
func unescapeHTML(doc []byte) []byte {
	if !bytes.Contains(doc, []byte(`\u00`)) {
		return doc
	}
	out := doc[:0]
	for rest := doc; ; {
		i := bytes.IndexByte(rest, '\\')
		if i < 0 || i+1 >= len(rest) {
			return append(out, rest...)
		}
		out = append(out, rest[:i]...)
		if i+6 <= len(rest) {
			if c, ok := htmlEscapes[string(rest[i:i+6])]; ok {
				out = append(out, c)
				rest = rest[i+6:]
				continue
			}
		}
		out = append(out, rest[i], rest[i+1])
		rest = rest[i+2:]
	}
}
