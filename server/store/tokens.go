package store

import "time"

// Access tokens are signed JWTs; the store keeps the stub's signing key, so that tokens outlive a
// restart of a durable store, and the tokens revoked before they expire.
//
// A revocation is kept twice: under the token's id, to look it up, and under its expiry, so that
// the revocations that have expired are the first keys of revocationsByExpiry, found without
// reading the others. A revoke costs the same after ten thousand revokes as after one.
var (
	signingKeys         = newTable[[]byte]("signingKeys")
	revokedTokens       = newTable[time.Time]("revokedTokens")
	revocationsByExpiry = newTable[revocation]("revokedTokensByExpiry")
)

// revocation is a revoked token's id and expiry.
type revocation struct {
	ID        string
	ExpiresAt time.Time
}

// key orders revocations by expiry, then id. Expiries are written in UTC with a fixed width, so
// that their order is the order of their keys.
func (r revocation) key() string {
	return key(r.ExpiresAt.UTC().Format("2006-01-02T15:04:05.000000000Z"), r.ID)
}

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

// RevokeToken records that the token id (its jti) no longer works until expiresAt, when it
// would stop working anyway. Revocations that have expired are dropped on the way.
func (tx *Tx) RevokeToken(id string, expiresAt time.Time) error {
	if err := tx.dropExpiredRevocations(); err != nil {
		return err
	}
	previous, revoked, err := revokedTokens.get(tx, id)
	if err != nil {
		return err
	}
	if revoked {
		if err := revocationsByExpiry.delete(tx, revocation{ID: id, ExpiresAt: previous}.key()); err != nil {
			return err
		}
	}
	r := revocation{ID: id, ExpiresAt: expiresAt}
	if err := revocationsByExpiry.put(tx, r.key(), r); err != nil {
		return err
	}
	return revokedTokens.put(tx, id, expiresAt)
}

// dropExpiredRevocations removes the revocations whose tokens have expired, reading only those
// and the first one that has not.
func (tx *Tx) dropExpiredRevocations() error {
	var expired []revocation
	err := revocationsByExpiry.scan(tx, "", func(_ string, r revocation) bool {
		if r.ExpiresAt.After(tx.now) {
			return false
		}
		expired = append(expired, r)
		return true
	})
	if err != nil {
		return err
	}
	for _, r := range expired {
		if err := revocationsByExpiry.delete(tx, r.key()); err != nil {
			return err
		}
		if err := revokedTokens.delete(tx, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// TokenRevoked reports whether the token id was revoked.
func (tx *Tx) TokenRevoked(id string) (bool, error) {
	_, ok, err := revokedTokens.get(tx, id)
	return ok, err
}
