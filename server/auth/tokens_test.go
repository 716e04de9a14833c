package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokensExpireOnTheStubClock(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	tokens := NewTokens(func() time.Time { return now })
	key, err := NewSigningKey()
	require.NoError(t, err)
	require.NoError(t, tokens.SetKey(key))

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
