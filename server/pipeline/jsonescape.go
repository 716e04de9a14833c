package pipeline

import "bytes"

// htmlEscapes are the escapes encoding/json writes for &, < and > to keep JSON safe inside
// HTML. Atlas writes those characters as they are (links carry & in their query), so the stub
// undoes them.
var htmlEscapes = map[string]byte{`\u0026`: '&', `\u003c`: '<', `\u003e`: '>'}

// unescapeHTML replaces the HTML escapes of a JSON document with the characters themselves. It
// copies what lies between backslashes whole, and walks escape sequences pairwise, so an escaped
// backslash followed by "u0026" stays as it is.
func unescapeHTML(doc []byte) []byte {
	if !bytes.Contains(doc, []byte(`\u00`)) {
		return doc
	}
	out := make([]byte, 0, len(doc))
	for {
		i := bytes.IndexByte(doc, '\\')
		if i < 0 || i+1 >= len(doc) {
			return append(out, doc...)
		}
		out = append(out, doc[:i]...)
		if i+6 <= len(doc) {
			if c, ok := htmlEscapes[string(doc[i:i+6])]; ok {
				out = append(out, c)
				doc = doc[i+6:]
				continue
			}
		}
		out = append(out, doc[i], doc[i+1])
		doc = doc[i+2:]
	}
}
