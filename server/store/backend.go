package store

// Backend keeps raw records: JSON values under string keys, grouped in buckets. There are two:
//
//   - Memory (NewMemory), the default, keeps them in the process: a restart loses them.
//   - Bolt (OpenDataDir) keeps them in one bbolt file: an Update that returned nil has been
//     written and synced to disk, and survives a crash.
//
// Either way an Update is all or nothing: a backend keeps nothing of an Update whose function
// failed or panicked, and readers never see one half done.
//
// Records cross the Backend as JSON, even in memory. That round trip is what isolates the store
// from its callers: a record handed out is a copy decoded for the caller, so a handler that
// changes a slice or map of it changes nothing stored, and a record stored cannot be changed
// afterwards by the caller that passed it in. It is also the encoding of the state file and of
// snapshots, whose FormatVersion it carries.
type Backend interface {
	// View runs fn in a read-only transaction.
	View(fn func(RawTx) error) error
	// Update runs fn in a read-write transaction that sees its own writes and is kept only when
	// fn returns nil. Updates are serialized.
	Update(fn func(RawTx) error) error
	// Close releases the backend.
	Close() error
}

// RawTx reads and writes raw records inside one transaction. Values returned by Get and Scan
// must not be modified, and are valid only until the transaction ends; values passed to Put are
// owned by the backend afterwards.
type RawTx interface {
	Get(bucket, key string) (value []byte, ok bool)
	// Put stores value under key; it fails in a read-only transaction.
	Put(bucket, key string, value []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(bucket, key string) error
	// Scan calls fn for every record of bucket whose key starts with prefix, in key order, until
	// fn returns false.
	Scan(bucket, prefix string, fn func(key string, value []byte) bool)
}
