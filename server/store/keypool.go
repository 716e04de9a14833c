package store

// PooledKey is a private key generated ahead of time for a certificate or a CA. It stays in the
// store until the transaction that hands it out spends it, so that a restarted stub finds its
// pool warm and never hands the same key out twice.
type PooledKey struct {
	ID    string
	Type  string
	PKCS8 []byte
}

var pooledKeys = newTable[PooledKey]("keyPool")

// PoolKey adds a key to the pool.
func (tx *Tx) PoolKey(k PooledKey) error { return pooledKeys.put(tx, k.ID, k) }

// PooledKeys returns the keys of the pool, oldest first when their ids sort by creation.
func (tx *Tx) PooledKeys() ([]PooledKey, error) { return pooledKeys.list(tx, "") }

// SpendPooledKey removes a key from the pool, in the transaction that records what it was used
// for. A key that is not there (already spent, or dropped by a restart) is not an error.
func (tx *Tx) SpendPooledKey(id string) error { return pooledKeys.delete(tx, id) }
