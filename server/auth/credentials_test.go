package auth

import (
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitAuthorization(t *testing.T) {
	for header, want := range map[string]Scheme{
		"":                    NoCredentials,
		"Bearer abc":          BearerScheme,
		"bearer abc":          BearerScheme,
		`Digest username="a"`: DigestScheme,
		"Basic YTpi":          BasicScheme,
		"Negotiate abc":       UnknownScheme,
		"   ":                 NoCredentials,
		"Bearer":              BearerScheme,
	} {
		scheme, _ := SplitAuthorization(header)
		assert.Equal(t, want, scheme, "header %q", header)
	}
	_, rest := SplitAuthorization("Bearer  token.value ")
	assert.Equal(t, "token.value", rest)
}

func TestParseBasic(t *testing.T) {
	id, secret, err := ParseBasic(base64.StdEncoding.EncodeToString([]byte("mdb_sa_id_1:mdb_sa_sk_a:b")))
	require.NoError(t, err)
	assert.Equal(t, "mdb_sa_id_1", id)
	assert.Equal(t, "mdb_sa_sk_a:b", secret, "only the first colon separates")

	// The Atlas SDK form-encodes both parts (RFC 6749 §2.3.1).
	encoded := url.QueryEscape("id+with space") + ":" + url.QueryEscape("s%cret")
	id, secret, err = ParseBasic(base64.StdEncoding.EncodeToString([]byte(encoded)))
	require.NoError(t, err)
	assert.Equal(t, "id+with space", id)
	assert.Equal(t, "s%cret", secret)

	for _, bad := range []string{"!!!", base64.StdEncoding.EncodeToString([]byte("no-colon")), base64.StdEncoding.EncodeToString([]byte(":secret"))} {
		_, _, err := ParseBasic(bad)
		assert.Error(t, err, bad)
	}
}

// FuzzAuthorizationHeader: splitting and decoding any header never panics, and Basic credentials
// that decode always have a client id.
func FuzzAuthorizationHeader(f *testing.F) {
	f.Add("Basic " + base64.StdEncoding.EncodeToString([]byte("id:secret")))
	f.Add("Bearer eyJhbGciOiJFUzUxMiJ9.e30.sig")
	f.Add(`Digest username="a", nonce="n"`)
	f.Add("Basic %%%")
	f.Fuzz(func(t *testing.T, header string) {
		scheme, rest := SplitAuthorization(header)
		switch scheme {
		case BasicScheme:
			if id, _, err := ParseBasic(rest); err == nil {
				assert.NotEmpty(t, id)
			}
		case DigestScheme:
			_, _ = ParseDigest(rest)
		}
	})
}
