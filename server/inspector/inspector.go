// Package inspector is the web page at /_stub/ui: the journal live, the state, the clock, the
// fault rules and a snapshot download, over the control API. Its page, script and style are
// embedded in the binary: it needs no network but the stub, and works offline.
package inspector

import (
	"bytes"
	"embed"
	"html/template"
	"path"
	"sync"

	"github.com/atlasstub/atlasstub/server/pipeline"
)

//go:embed assets
var assets embed.FS

// ContentSecurityPolicy lets the page load its own script and style and call the stub, and
// nothing else: no inline script or style, no other origin, no framing.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// PagePath is where the page is served.
const PagePath = pipeline.ControlPrefix + "ui"

// pageData is what the page's template fills in: the paths of the control API it calls.
type pageData struct {
	Script, Style                        string
	Requests, Stream, Summary, State     string
	Clock, Advance, Reset, Faults, Creds string
}

// Page returns the page, rendered once.
var Page = sync.OnceValue(func() []byte {
	tmpl := template.Must(template.ParseFS(assets, "assets/page.html"))
	prefix := pipeline.ControlPrefix
	var out bytes.Buffer
	err := tmpl.Execute(&out, pageData{
		Script: PagePath + "/app.js", Style: PagePath + "/style.css",
		Requests: prefix + "requests", Stream: prefix + "requests/stream", Summary: prefix + "state/summary",
		State: prefix + "state", Clock: prefix + "clock", Advance: prefix + "clock/advance",
		Reset: prefix + "reset", Faults: prefix + "faults", Creds: prefix + "credentials",
	})
	if err != nil {
		panic(err) // the embedded template is part of the binary: a test renders it
	}
	return out.Bytes()
})

// mediaTypes are the media types of the page and its files, by extension; the validator reads
// them as text (openapi.InspectorMediaTypes).
var mediaTypes = map[string]string{".html": "text/html", ".js": "text/javascript", ".css": "text/css"}

// Asset returns the script or style called name, and its media type.
func Asset(name string) (data []byte, mediaType string, ok bool) {
	mediaType = mediaTypes[path.Ext(name)]
	if mediaType == "" || mediaType == mediaTypes[".html"] {
		return nil, "", false
	}
	data, err := assets.ReadFile("assets/" + name)
	return data, mediaType, err == nil
}
