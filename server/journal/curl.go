package journal

import (
	"net/http"
	"slices"
	"strings"
)

// curl is a command that repeats the request: its credentials are shell variables, as the
// README's recipes name them (BASE, PUBLIC_KEY and PRIVATE_KEY for Digest, TOKEN for a bearer
// token, CLIENT_ID and CLIENT_SECRET for Basic), never their values; its body is the masked one.
func curl(x *Exchange, v *View) string {
	var b strings.Builder
	b.WriteString("BASE=" + shellQuote("http://"+x.Host) + "\n")
	target := x.Path
	if v.Query != "" {
		target += "?" + v.Query
	}
	b.WriteString("curl -i -X " + x.Method + ` "$BASE"` + shellQuote(target))
	scheme, _, _ := strings.Cut(strings.TrimSpace(x.RequestHeader.Get("Authorization")), " ")
	switch strings.ToLower(scheme) {
	case "digest":
		b.WriteString(` --digest -u "$PUBLIC_KEY:$PRIVATE_KEY"`)
	case "bearer":
		b.WriteString(` -H "Authorization: Bearer $TOKEN"`)
	case "basic":
		b.WriteString(` -u "$CLIENT_ID:$CLIENT_SECRET"`)
	}
	names := make([]string, 0, len(x.RequestHeader))
	for name := range x.RequestHeader {
		if !slices.Contains(unrepeatedHeaders, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		for _, value := range v.RequestHeader[name] {
			b.WriteString(" \\\n  -H " + shellQuote(name+": "+value))
		}
	}
	if v.RequestBody != "" {
		b.WriteString(" \\\n  --data-binary " + shellQuote(v.RequestBody))
	}
	return b.String()
}

// unrepeatedHeaders are the request headers that curl writes itself, or that carry credentials
// (written as variables above).
var unrepeatedHeaders = []string{
	"Authorization", "Proxy-Authorization", "Cookie", "Host", "Content-Length", "Connection",
	"User-Agent", "Accept-Encoding", http.CanonicalHeaderKey("Sec-Fetch-Site"),
}

// shellQuote quotes s for a POSIX shell: between single quotes, each single quote written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
