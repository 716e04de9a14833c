package store

import "time"

// Access tokens are signed JWTs; the store keeps the stub's signing key, so that tokens outlive a
// restart of a durable store, and the tokens revoked before they expire.
var (
	signingKeys   = table[[]byte]{bucket: "signingKeys"}
	revokedTokens = table[time.Time]{bucket: "revokedTokens"}
)

const tokenSigningKey = "tokens"

// TokenSigningKey returns the PKCS#8 key that signs access tokens, if one was stored.
func (tx *Tx) TokenSigningKey() ([]byte, bool, error) { return signingKeys.get(tx, tokenSigningKey) }

// SetTokenSigningKey stores the key unless one exists, and returns the stored key.
func (tx *Tx) SetTokenSigningKey(pkcs8 []byte) ([]byte, error) {
	existing, ok, err := tx.TokenSigningKey()
	if err != nil || ok {
		return existing, err
	}
	return pkcs8, signingKeys.put(tx, tokenSigningKey, pkcs8)
}

// RevokeToken records that the token id (its jti) no longer works. Revocations of tokens that
// have expired anyway are dropped on the way.
func (tx *Tx) RevokeToken(id string, expiresAt time.Time) error {
	var expired []string
	err := revokedTokens.scan(tx, "", func(key string, until time.Time) bool {
		if !until.After(tx.now) {
			expired = append(expired, key)
		}
		return true
	})
	if err != nil {
		return err
	}
	for _, key := range expired {
		if err := revokedTokens.delete(tx, key); err != nil {
			return err
		}
	}
	return revokedTokens.put(tx, id, expiresAt)
}

// TokenRevoked reports whether the token id was revoked.
func (tx *Tx) TokenRevoked(id string) (bool, error) {
	_, ok, err := revokedTokens.get(tx, id)
	return ok, err
}
