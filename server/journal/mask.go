package journal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Masked is what the journal shows instead of a secret.
const Masked = "********"

// maskedHeaders carry credentials in every request or response that has them.
var maskedHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// MaskHeader returns a copy of h with its credentials masked. An Authorization keeps its scheme,
// and Digest the username, which is an API key's public key.
func MaskHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, name := range maskedHeaders {
		values := out.Values(name)
		for i, v := range values {
			if name == "Authorization" || name == "Proxy-Authorization" {
				values[i] = maskAuthorization(v)
			} else {
				values[i] = Masked
			}
		}
	}
	return out
}

var digestUsername = regexp.MustCompile(`username="[^"]*"`)

func maskAuthorization(v string) string {
	scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	switch {
	case strings.EqualFold(scheme, "Digest"):
		if name := digestUsername.FindString(v); name != "" {
			return scheme + " " + name + ", " + Masked
		}
	case strings.EqualFold(scheme, "Basic"):
		if user := basicUser(v); user != "" {
			return scheme + " " + user + ":" + Masked + " (base64 decoded)"
		}
	}
	if scheme == "" || strings.ContainsAny(scheme, "=,\"") {
		return Masked
	}
	return scheme + " " + Masked
}

// basicUser is the user of a Basic Authorization: a service account's client id.
func basicUser(v string) string {
	_, encoded, _ := strings.Cut(strings.TrimSpace(v), " ")
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return ""
	}
	user, _, ok := strings.Cut(string(decoded), ":")
	if !ok || !isPrintable(user) {
		return ""
	}
	return user
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// secretName reports whether a JSON property or form field of this name holds a secret: a
// password, a secret (a service account's, an OAuth client's), a private key, or a token.
// Names of what describes a secret (its id, its expiry, its type) are not secrets.
func secretName(name string) bool {
	n := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, name)
	for _, about := range []string{"id", "ids", "at", "type", "hours", "days", "date", "count", "name", "tail", "expires", "url", "uri"} {
		if strings.HasSuffix(n, about) {
			return false
		}
	}
	return strings.Contains(n, "password") || strings.Contains(n, "secret") || strings.Contains(n, "privatekey") || strings.HasSuffix(n, "token")
}

// pemBlock is one PEM block of any label.
var pemBlock = regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s\\n:,-]*?)-----END ([A-Z0-9 ]+)-----`)

// privateKeyBegins is the first line of a private key.
var privateKeyBegins = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)

// MaskPEM masks every private key in text and shortens every other PEM block (certificates) to
// its first characters and its size.
func MaskPEM(text string) string {
	if !strings.Contains(text, "-----BEGIN ") {
		return text
	}
	text = pemBlock.ReplaceAllStringFunc(text, func(block string) string {
		m := pemBlock.FindStringSubmatch(block)
		label, body := m[1], m[2]
		if strings.Contains(label, "PRIVATE KEY") || strings.Contains(m[3], "PRIVATE KEY") {
			return "-----BEGIN " + label + "-----\n" + Masked + "\n-----END " + label + "-----"
		}
		compact := strings.NewReplacer("\n", "", "\r", "", " ", "", `\n`, "").Replace(body)
		if len(compact) <= 32 {
			return block
		}
		return "-----BEGIN " + label + "-----\n" + compact[:32] + "… (" + strconv.Itoa(len(compact)) + " base64 characters)\n-----END " + label + "-----"
	})
	return maskUnendedPrivateKey(text)
}

// maskUnendedPrivateKey masks a private key that the journal's limit cut off, which has no end
// line: from its first line to the end of the text.
func maskUnendedPrivateKey(text string) string {
	for _, at := range privateKeyBegins.FindAllStringIndex(text, -1) {
		if !strings.Contains(text[at[1]:], "-----END ") {
			return text[:at[1]] + "\n" + Masked
		}
	}
	return text
}

// MaskBody masks the secrets of a body of the given Content-Type: a JSON body's secret
// properties, a form's secret fields, and private keys wherever they are; certificates are
// shortened. A JSON body comes out indented, in its own order.
func MaskBody(contentType string, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	switch {
	case strings.Contains(contentType, "json"):
		if masked, err := maskJSON(body); err == nil {
			return masked
		}
	case strings.HasPrefix(contentType, "application/x-www-form-urlencoded"):
		return MaskPairs(string(body))
	}
	return maskText(string(body))
}

// maskText masks a body that is not well-formed JSON or a form: its private keys and the values
// of secret properties as far as they look like JSON.
func maskText(text string) string {
	text = looseSecretProperty.ReplaceAllStringFunc(text, func(property string) string {
		m := looseSecretProperty.FindStringSubmatch(property)
		if !secretName(m[2]) {
			return property
		}
		return m[1] + `"` + Masked + `"`
	})
	return MaskPEM(text)
}

var looseSecretProperty = regexp.MustCompile(`("([A-Za-z0-9_-]+)"\s*:\s*)"(?:[^"\\]|\\.)*("|$)`)

// MaskPairs masks the values of the secret fields of a form or query string, keeping the rest as
// sent.
func MaskPairs(raw string) string {
	pairs := strings.Split(raw, "&")
	for i, pair := range pairs {
		rawName, _, hasValue := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			name = rawName
		}
		if hasValue && secretName(name) {
			pairs[i] = rawName + "=" + Masked
		}
	}
	return MaskPEM(strings.Join(pairs, "&"))
}

// maxJSONDepth bounds the nesting maskJSON follows; deeper bodies are masked as text.
const maxJSONDepth = 64

var errTooDeep = errors.New("nested too deeply")

// maskJSON rewrites one JSON value, indented, in its own order, with the strings of secret
// properties masked and PEM blocks in strings masked or shortened.
func maskJSON(data []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out bytes.Buffer
	if err := maskValue(dec, &out, false, 0); err != nil {
		return "", err
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("data after the JSON value")
	}
	return out.String(), nil
}

func maskValue(dec *json.Decoder, out *bytes.Buffer, secret bool, depth int) error {
	if depth > maxJSONDepth {
		return errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		closing := map[json.Delim]byte{'{': '}', '[': ']'}[t]
		if closing == 0 {
			return errors.New("unexpected " + t.String())
		}
		out.WriteByte(byte(t))
		n := 0
		for ; dec.More(); n++ {
			if n > 0 {
				out.WriteByte(',')
			}
			newline(out, depth+1)
			elementSecret := secret // the elements of a secret array are secrets
			if t == '{' {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				name, _ := key.(string)
				writeString(out, name)
				out.WriteString(": ")
				elementSecret = secretName(name)
			}
			if err := maskValue(dec, out, elementSecret, depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		if n > 0 {
			newline(out, depth)
		}
		out.WriteByte(closing)
	case string:
		if secret && t != "" {
			t = Masked
		}
		writeString(out, MaskPEM(t))
	case json.Number:
		out.WriteString(t.String())
	case bool:
		out.WriteString(strconv.FormatBool(t))
	case nil:
		out.WriteString("null")
	}
	return nil
}

func newline(out *bytes.Buffer, depth int) {
	out.WriteByte('\n')
	for range depth {
		out.WriteString("  ")
	}
}

func writeString(out *bytes.Buffer, s string) {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out.Truncate(out.Len() - 1) // Encode ends with a newline
}
