package auth

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTestTokens returns Tokens with a new key, on a clock that reads *now.
func newTestTokens(t testing.TB, now *time.Time) *Tokens {
	t.Helper()
	tokens := NewTokens(func() time.Time { return *now })
	key, err := NewSigningKey()
	require.NoError(t, err)
	require.NoError(t, tokens.SetKey(key))
	return tokens
}

func TestTokensExpireOnTheStubClock(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	tokens := newTestTokens(t, &now)

	token, claims, err := tokens.Mint("mdb_sa_id_1", "secret1")
	require.NoError(t, err)
	assert.Equal(t, now.Add(time.Hour), claims.ExpiresAt.Time)
	header, _, _ := strings.Cut(token, ".")
	parsedHeader, err := jwt.NewParser().DecodeSegment(header)
	require.NoError(t, err)
	assert.Contains(t, string(parsedHeader), `"alg":"ES512"`)

	got, err := tokens.Parse(token)
	require.NoError(t, err)
	assert.Equal(t, "mdb_sa_id_1", got.Subject)
	assert.Equal(t, "secret1", got.SecretID)

	now = now.Add(time.Hour)
	_, err = tokens.Parse(token)
	assert.ErrorIs(t, err, jwt.ErrTokenExpired)

	other, err := NewSigningKey()
	require.NoError(t, err)
	require.NoError(t, tokens.SetKey(other))
	now = now.Add(-time.Minute)
	_, err = tokens.Parse(token)
	assert.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid, "a new key invalidates the old tokens")

	_, err = tokens.Parse("not.a.token")
	assert.Error(t, err)
}

// TestTokensRememberWhatTheKeySigned: a token's signature is checked once, but its claims on
// every use, and the memory stays bounded.
func TestTokensRememberWhatTheKeySigned(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	tokens := newTestTokens(t, &now)

	token, _, err := tokens.Mint("mdb_sa_id_1", "secret1")
	require.NoError(t, err)
	assert.Contains(t, tokens.signed, token, "a minted token is known to be signed")
	for range 2 {
		got, err := tokens.Parse(token)
		require.NoError(t, err)
		assert.Equal(t, "secret1", got.SecretID)
	}
	now = now.Add(time.Hour)
	_, err = tokens.Parse(token)
	assert.ErrorIs(t, err, jwt.ErrTokenExpired, "a remembered token still expires")
	now = now.Add(-time.Hour)

	for i := range maxSigned {
		tokens.remember(tokens.key, fmt.Sprint("token", i), TokenClaims{})
	}
	assert.LessOrEqual(t, len(tokens.signed), maxSigned)
	assert.NotContains(t, tokens.signed, token, "a full memory starts over")
	_, err = tokens.Parse(token)
	require.NoError(t, err, "a forgotten token is verified again")
	assert.Contains(t, tokens.signed, token)

	stale := tokens.key
	other, err := NewSigningKey()
	require.NoError(t, err)
	require.NoError(t, tokens.SetKey(other))
	assert.Empty(t, tokens.signed, "a new key forgets what the old one signed")
	tokens.remember(stale, token, TokenClaims{})
	assert.Empty(t, tokens.signed, "nothing the old key signed is remembered after the change")
}

// FuzzTokenParse feeds Parse arbitrary bearer tokens, starting from real ones and their
// classic forgeries (alg none, an HMAC algorithm, another key's signature, claims swapped under
// a signature). Parse must not panic, and the only token it may accept is one the key signed:
// whatever it accepts carries the claims of the one minted token.
func FuzzTokenParse(f *testing.F) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	tokens := newTestTokens(f, &now)
	minted, claims, err := tokens.Mint("mdb_sa_id_0123456789abcdef01234567", "0123456789abcdef01234567")
	require.NoError(f, err)

	foreign := newTestTokens(f, &now)
	forged, _, err := foreign.Mint("mdb_sa_id_0123456789abcdef01234567", "0123456789abcdef01234567")
	require.NoError(f, err)

	header, rest, _ := strings.Cut(minted, ".")
	payload, signature, _ := strings.Cut(rest, ".")
	_, forgedRest, _ := strings.Cut(forged, ".")
	forgedPayload, _, _ := strings.Cut(forgedRest, ".")
	encode := base64.RawURLEncoding.EncodeToString
	for _, seed := range []string{
		minted,
		forged,
		header + "." + forgedPayload + "." + signature,
		encode([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + ".",
		encode([]byte(`{"alg":"HS512","typ":"JWT"}`)) + "." + payload + "." + signature,
		encode([]byte(`{"alg":"ES512","typ":"JWT"}`)) + "." + encode([]byte(`{"iss":"atlasstub","sub":"x","jti":"y","sid":"z","exp":1e300}`)) + "." + signature,
		header + "." + payload,
		minted + ".",
		"..",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		got, err := tokens.Parse(token)
		if err != nil {
			return
		}
		if got.Subject != claims.Subject || got.ID != claims.ID || got.SecretID != claims.SecretID {
			t.Fatalf("Parse accepted %q with claims %+v, which the key never signed", token, got)
		}
	})
}
