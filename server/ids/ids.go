// Package ids generates the identifiers and secrets Atlas hands out, in Atlas's formats.
package ids

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"sync/atomic"
	"time"
)

// processUnique and objectIDCounter are drawn once per process, as a BSON ObjectId's are: with the
// same middle bytes in every identifier, identifiers of the same second sort by the counter, that
// is by creation.
var (
	processUnique   [5]byte
	objectIDCounter atomic.Uint32
)

func init() {
	_, _ = rand.Read(processUnique[:])
	var seed [4]byte
	_, _ = rand.Read(seed[:])
	// Below 2^23, so that the 24-bit counter wraps (and breaks the order within a second) only
	// after more than 2^23 identifiers.
	objectIDCounter.Store(binary.BigEndian.Uint32(seed[:]) >> 9)
}

// ObjectID returns a new 24-character lowercase hexadecimal identifier in the layout of a BSON
// ObjectId (seconds since the epoch, 5 bytes unique to the process, a counter), so that
// identifiers created later sort later.
func ObjectID(now time.Time) string {
	var id [12]byte
	binary.BigEndian.PutUint32(id[0:4], uint32(now.Unix()))
	copy(id[4:9], processUnique[:])
	n := objectIDCounter.Add(1)
	id[9], id[10], id[11] = byte(n>>16), byte(n>>8), byte(n)
	return hex.EncodeToString(id[:])
}

// CertificateSerial returns a random positive serial number that fits in 63 bits, as Atlas's
// certificate `_id` does.
func CertificateSerial() int64 {
	n, _ := rand.Int(rand.Reader, big.NewInt(math.MaxInt64))
	return n.Int64() + 1 // in [1, 2^63-1]
}

// PublicKey returns an API key's public key: 8 lowercase letters.
func PublicKey() string {
	return randomFrom("abcdefghijklmnopqrstuvwxyz", 8)
}

// PrivateKey returns an API key's private key in UUID form (a random version 4 UUID).
func PrivateKey() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	s := hex.EncodeToString(u[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// ClientID returns a service account's client id: mdb_sa_id_ and 24 hexadecimal characters.
func ClientID(now time.Time) string { return "mdb_sa_id_" + ObjectID(now) }

// ClientSecret returns a service account secret: mdb_sa_sk_ and 40 URL-safe characters.
func ClientSecret() string {
	return "mdb_sa_sk_" + randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 40)
}

func randomFrom(alphabet string, n int) string {
	out := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range out {
		k, _ := rand.Int(rand.Reader, max)
		out[i] = alphabet[k.Int64()]
	}
	return string(out)
}
