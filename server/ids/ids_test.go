package ids

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormats(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	assert.Regexp(t, regexp.MustCompile(`^[a-f0-9]{24}$`), ObjectID(now))
	assert.Regexp(t, regexp.MustCompile(`^mdb_sa_id_[a-f0-9]{24}$`), ClientID(now))
	assert.Regexp(t, regexp.MustCompile(`^mdb_sa_sk_[A-Za-z0-9_-]{40}$`), ClientSecret())
	assert.Regexp(t, regexp.MustCompile(`^[a-z]{8}$`), PublicKey())
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`), PrivateKey())
	for range 1000 {
		assert.Positive(t, CertificateSerial())
	}
}

func TestObjectIDsCreatedLaterSortLater(t *testing.T) {
	earlier := ObjectID(time.Unix(1_700_000_000, 0))
	later := ObjectID(time.Unix(1_700_000_001, 0))
	assert.Less(t, earlier, later)

	sameSecond := time.Unix(1_700_000_000, 0)
	previous := ObjectID(sameSecond)
	for range 1000 {
		next := ObjectID(sameSecond)
		require.Less(t, previous, next, "identifiers of one second must sort by creation")
		previous = next
	}
}
