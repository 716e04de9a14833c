// Package auth authenticates requests as Atlas does: HTTP Digest with programmatic API keys,
// bearer tokens minted for service accounts, and HTTP Basic client credentials at the token
// endpoint.
package auth

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// Realm is the Digest realm of Atlas's Admin API.
const Realm = "MMS Public API"

// Digest algorithms: MD5 is what Atlas announces; SHA-256 is accepted too (RFC 7616).
const (
	AlgorithmMD5    = "MD5"
	AlgorithmSHA256 = "SHA-256"
)

// DigestAlgorithms lists the algorithms whose HA1 an API key keeps.
var DigestAlgorithms = []string{AlgorithmMD5, AlgorithmSHA256}

// Challenge is the WWW-Authenticate value of a 401, in exactly the form Atlas sends and the
// mongodb-forks/digest client parses: parameters separated by ", ", only the keys it knows.
func Challenge(nonce string, stale bool) string {
	return fmt.Sprintf(`Digest realm="%s", domain="", nonce="%s", algorithm=MD5, qop="auth", stale=%t`, Realm, nonce, stale)
}

// HA1 is H(username:realm:password) for a Digest algorithm: what a server keeps instead of the
// password.
func HA1(algorithm, username, password string) string {
	return digestHash(algorithm, username+":"+Realm+":"+password)
}

// DigestCredentials are the parameters of an `Authorization: Digest ...` header.
type DigestCredentials struct {
	Username, Realm, Nonce, URI, Response, Algorithm, Qop, NC, CNonce, Opaque string
}

var errBadDigest = errors.New("malformed Digest credentials")

// ParseDigest reads the parameters of a Digest Authorization header value (without "Digest ").
// Values may be tokens or quoted strings with backslash escapes; unknown parameters are ignored.
func ParseDigest(params string) (DigestCredentials, error) {
	values, err := parseAuthParams(params)
	if err != nil {
		return DigestCredentials{}, err
	}
	c := DigestCredentials{
		Username: values["username"], Realm: values["realm"], Nonce: values["nonce"], URI: values["uri"],
		Response: values["response"], Algorithm: values["algorithm"], Qop: values["qop"], NC: values["nc"],
		CNonce: values["cnonce"], Opaque: values["opaque"],
	}
	if c.Algorithm == "" {
		c.Algorithm = AlgorithmMD5
	}
	if c.Username == "" || c.Nonce == "" || c.URI == "" || c.Response == "" {
		return DigestCredentials{}, errBadDigest
	}
	if c.Qop != "" && (c.Qop != "auth" || c.NC == "" || c.CNonce == "") {
		return DigestCredentials{}, errBadDigest
	}
	if c.Algorithm != AlgorithmMD5 && c.Algorithm != AlgorithmSHA256 {
		return DigestCredentials{}, errBadDigest
	}
	return c, nil
}

// Verify reports whether the response proves knowledge of the password behind ha1 for this
// request method, comparing in constant time.
func (c DigestCredentials) Verify(method, ha1 string) bool {
	ha2 := digestHash(c.Algorithm, method+":"+c.URI)
	var expected string
	if c.Qop == "" {
		expected = digestHash(c.Algorithm, ha1+":"+c.Nonce+":"+ha2)
	} else {
		expected = digestHash(c.Algorithm, strings.Join([]string{ha1, c.Nonce, c.NC, c.CNonce, c.Qop, ha2}, ":"))
	}
	return subtle.ConstantTimeCompare([]byte(expected), []byte(strings.ToLower(c.Response))) == 1
}

func digestHash(algorithm, data string) string {
	var h hash.Hash
	if algorithm == AlgorithmSHA256 {
		h = sha256.New()
	} else {
		h = md5.New()
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil))
}

// parseAuthParams parses a comma-separated list of name=value pairs (RFC 9110 auth-param), where
// a value is a token or a quoted string.
func parseAuthParams(s string) (map[string]string, error) {
	params := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return params, nil
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, errBadDigest
		}
		name := strings.ToLower(strings.TrimSpace(s[:eq]))
		if name == "" || strings.ContainsAny(name, " \t\",") {
			return nil, errBadDigest
		}
		s = strings.TrimLeft(s[eq+1:], " \t")
		var value string
		if strings.HasPrefix(s, `"`) {
			var rest string
			var ok bool
			value, rest, ok = readQuoted(s[1:])
			if !ok {
				return nil, errBadDigest
			}
			s = rest
		} else {
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			value, s = strings.TrimSpace(s[:end]), s[end:]
			if strings.ContainsAny(value, " \t\"") {
				return nil, errBadDigest
			}
		}
		if _, dup := params[name]; dup {
			return nil, errBadDigest
		}
		params[name] = value
		s = strings.TrimLeft(s, " \t")
		if s != "" && s[0] != ',' {
			return nil, errBadDigest
		}
	}
}

// readQuoted reads a quoted string whose opening quote is already consumed, and returns its
// unescaped value and what follows the closing quote.
func readQuoted(s string) (value, rest string, ok bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 == len(s) {
				return "", "", false
			}
			i++
			b.WriteByte(s[i])
		case '"':
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", false
}
