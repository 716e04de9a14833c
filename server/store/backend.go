package store

// Backend keeps records under string keys, grouped in buckets. There are two:
//
//   - Memory (NewMemory), the default, keeps them in the process: a restart loses them.
//   - Bolt (OpenDataDir) keeps them in memory too, and writes each Update to one bbolt file
//     before it returns: an Update that returned nil has been written and synced to disk, and
//     survives a crash.
//
// Either way an Update is all or nothing: a backend keeps nothing of an Update whose function
// failed or panicked, and readers never see one half done.
//
// A record is kept decoded, so that reading it costs no JSON decoding: its value never changes
// once put, and the store guards that. It puts a value that no caller holds (decoded from the
// record's JSON encoding, so that it is what a restart would read back) and hands out deep
// copies (clone), so a handler that changes a slice or map of a record changes nothing stored.
// The JSON encoding is what the data directory's file, the state file and snapshots hold; its
// FormatVersion says how to read it.
type Backend interface {
	// View runs fn in a read-only transaction.
	View(fn func(RawTx) error) error
	// Update runs fn in a read-write transaction that sees its own writes and is kept only when
	// fn returns nil. Updates are serialized.
	Update(fn func(RawTx) error) error
	// Close releases the backend.
	Close() error
}

// Record is what Put stores: the value, which nobody changes once it is put, and its JSON
// encoding, for a backend that writes records to a file.
type Record struct {
	Value any
	JSON  []byte
}

// RawTx reads and writes records inside one transaction. Values returned by Get and Scan are
// shared: they must not be modified.
type RawTx interface {
	Get(bucket, key string) (value any, ok bool)
	// Put stores r under key; it fails in a read-only transaction.
	Put(bucket, key string, r Record) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(bucket, key string) error
	// Scan calls fn for every record of bucket whose key starts with prefix, in key order, until
	// fn returns false.
	Scan(bucket, prefix string, fn func(key string, value any) bool)
}
