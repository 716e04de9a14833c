package auth

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChallengeHasAtlasExactForm(t *testing.T) {
	assert.Equal(t, `Digest realm="MMS Public API", domain="", nonce="abc", algorithm=MD5, qop="auth", stale=false`, Challenge("abc", false))
	assert.Contains(t, Challenge("abc", true), "stale=true")
	// The mongodb-forks/digest client splits on ", " and refuses unknown keys.
	for _, part := range strings.Split(strings.TrimPrefix(Challenge("n", false), "Digest "), ", ") {
		key, _, ok := strings.Cut(part, "=")
		require.True(t, ok)
		assert.Contains(t, []string{"realm", "domain", "nonce", "opaque", "stale", "algorithm", "qop"}, key)
	}
}

// rfc7616Response computes a client response the way RFC 7616 §3.4.1 does.
func rfc7616Response(algorithm, user, password, method, uri, nonce, nc, cnonce string) string {
	ha1 := HA1(algorithm, user, password)
	ha2 := digestHash(algorithm, method+":"+uri)
	return digestHash(algorithm, strings.Join([]string{ha1, nonce, nc, cnonce, "auth", ha2}, ":"))
}

func TestVerifyMD5AndSHA256(t *testing.T) {
	for _, algorithm := range DigestAlgorithms {
		t.Run(algorithm, func(t *testing.T) {
			resp := rfc7616Response(algorithm, "zmmrboas", "secret-key", http.MethodGet, "/api/atlas/v2/groups?pretty=true", "n1", "00000001", "0a4f113b")
			header := fmt.Sprintf(`username="zmmrboas", realm="MMS Public API", nonce="n1", uri="/api/atlas/v2/groups?pretty=true", response="%s", algorithm=%s, qop=auth, nc=00000001, cnonce="0a4f113b"`, resp, algorithm)
			c, err := ParseDigest(header)
			require.NoError(t, err)
			assert.True(t, c.Verify(http.MethodGet, HA1(algorithm, "zmmrboas", "secret-key")))
			assert.False(t, c.Verify(http.MethodGet, HA1(algorithm, "zmmrboas", "wrong-key")))
			assert.False(t, c.Verify(http.MethodPost, HA1(algorithm, "zmmrboas", "secret-key")), "the method is part of the proof")
		})
	}
}

func TestVerifyRFC7616Example(t *testing.T) {
	// RFC 7616 §3.9.1, SHA-256 (realm adjusted to Atlas's, so the expected value is recomputed).
	c, err := ParseDigest(`username="Mufasa", realm="MMS Public API", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="x", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`)
	require.NoError(t, err)
	c.Response = rfc7616Response(AlgorithmSHA256, "Mufasa", "Circle of Life", http.MethodGet, "/dir/index.html", c.Nonce, c.NC, c.CNonce)
	assert.True(t, c.Verify(http.MethodGet, HA1(AlgorithmSHA256, "Mufasa", "Circle of Life")))
	assert.Equal(t, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", c.Opaque)
}

func TestParseDigestRejectsMalformedCredentials(t *testing.T) {
	for _, header := range []string{
		``,
		`username="a"`,
		`username="a", nonce="n", uri="/", response="r", algorithm=MD5-sess`,
		`username="a", nonce="n", uri="/", response="r", qop=auth-int, nc=00000001, cnonce="c"`,
		`username="a", nonce="n", uri="/", response="r", qop=auth`,
		`username="unterminated, nonce="n", uri="/", response="r"`,
		`username="a" nonce="n", uri="/", response="r"`,
		`username="a", username="b", nonce="n", uri="/", response="r"`,
		`=x`,
	} {
		_, err := ParseDigest(header)
		assert.Error(t, err, "header %q", header)
	}
	c, err := ParseDigest(`username="a\"b", nonce="n,1", uri="/x?y=1,2", response="r"`)
	require.NoError(t, err)
	assert.Equal(t, `a"b`, c.Username)
	assert.Equal(t, "n,1", c.Nonce)
	assert.Equal(t, "/x?y=1,2", c.URI)
	assert.Equal(t, AlgorithmMD5, c.Algorithm, "no algorithm means MD5")
}

// FuzzParseDigest: the parser never panics, and what it accepts has what verification needs.
func FuzzParseDigest(f *testing.F) {
	f.Add(`username="zmmrboas", realm="MMS Public API", nonce="n", uri="/api", response="abc", algorithm=MD5, qop=auth, nc=00000001, cnonce="c"`)
	f.Add(`username="a\"b", nonce="n,1", uri="/x", response="r"`)
	f.Add(`a=b,,c="d",e`)
	f.Fuzz(func(t *testing.T, header string) {
		c, err := ParseDigest(header)
		if err != nil {
			return
		}
		assert.NotEmpty(t, c.Username)
		assert.NotEmpty(t, c.Nonce)
		assert.NotEmpty(t, c.URI)
		assert.NotEmpty(t, c.Response)
		assert.Contains(t, DigestAlgorithms, c.Algorithm)
		c.Verify(http.MethodGet, HA1(c.Algorithm, c.Username, "x"))
	})
}
