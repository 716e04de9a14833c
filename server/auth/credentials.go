package auth

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
)

// Scheme names the kind of credentials an Authorization header carries.
type Scheme int

const (
	// NoCredentials: no Authorization header.
	NoCredentials Scheme = iota
	// DigestScheme: "Digest username=..., ..."
	DigestScheme
	// BearerScheme: "Bearer <token>"
	BearerScheme
	// BasicScheme: "Basic base64(id:secret)"
	BasicScheme
	// UnknownScheme: anything else.
	UnknownScheme
)

// SplitAuthorization returns the scheme of an Authorization header value and what follows it.
// Scheme names are case-insensitive.
func SplitAuthorization(header string) (Scheme, string) {
	header = strings.TrimSpace(header)
	if header == "" {
		return NoCredentials, ""
	}
	name, rest, _ := strings.Cut(header, " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(name) {
	case "digest":
		return DigestScheme, rest
	case "bearer":
		return BearerScheme, rest
	case "basic":
		return BasicScheme, rest
	default:
		return UnknownScheme, rest
	}
}

var errBadBasic = errors.New("malformed Basic credentials")

// ParseBasic decodes Basic credentials: base64 of "id:secret". OAuth 2.0 clients form-encode both
// parts first (RFC 6749 §2.3.1, as the Atlas SDK does), so they are unescaped when they decode.
func ParseBasic(encoded string) (id, secret string, err error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", "", errBadBasic
	}
	id, secret, ok := strings.Cut(string(raw), ":")
	if !ok || id == "" {
		return "", "", errBadBasic
	}
	return formDecode(id), formDecode(secret), nil
}

func formDecode(s string) string {
	if decoded, err := url.QueryUnescape(s); err == nil {
		return decoded
	}
	return s
}
