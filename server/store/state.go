package store

import "time"

// BootstrapCredentials are the bootstrap organization, project and credentials as the stub
// issued them. They are the one record that keeps secrets in clear: the control API returns them
// (GET /_stub/credentials), and a restarted stub must return the same ones.
type BootstrapCredentials struct {
	OrgID         string
	ProjectID     string
	APIKeyID      string
	APIPublicKey  string
	APIPrivateKey string
	ClientID      string
	ClientSecret  string
}

var (
	bootstraps   = newTable[BootstrapCredentials]("bootstrap")
	clockOffsets = newTable[time.Duration]("clock")
)

const (
	bootstrapKey   = "credentials"
	clockOffsetKey = "offset"
)

// stateBuckets are the buckets of the stub's state: what a reset clears and a snapshot holds.
// The key pool is not part of it: it is the stub's stock of keys, kept through a reset. Indexes
// (apiKeysByPublicKey, revokedTokensByExpiry) are cleared with their records, and a snapshot
// restores them from the records.
var stateBuckets = []string{
	orgs.bucket, projects.bucket, databaseUsers.bucket, certificates.bucket, authorities.bucket,
	apiKeys.bucket, apiKeysByPublicKey.bucket, serviceAccounts.bucket,
	signingKeys.bucket, revokedTokens.bucket, revocationsByExpiry.bucket, bootstraps.bucket, clockOffsets.bucket,
	resources.bucket,
}

// Bootstrap returns the bootstrap credentials, if the state has any yet: a state that has them
// was created by a stub before, which a restarted stub resumes.
func (tx *Tx) Bootstrap() (BootstrapCredentials, bool, error) {
	return bootstraps.get(tx, bootstrapKey)
}

// SetBootstrap records the bootstrap credentials.
func (tx *Tx) SetBootstrap(b BootstrapCredentials) error { return bootstraps.put(tx, bootstrapKey, b) }

// ClockOffset returns how far the stub's clock is ahead of real time; zero when never moved.
func (tx *Tx) ClockOffset() (time.Duration, error) {
	offset, _, err := clockOffsets.get(tx, clockOffsetKey)
	return offset, err
}

// SetClockOffset records how far the stub's clock is ahead of real time.
func (tx *Tx) SetClockOffset(offset time.Duration) error {
	return clockOffsets.put(tx, clockOffsetKey, offset)
}

// ClearState removes the whole state, keeping the key pool.
func (tx *Tx) ClearState() error {
	for _, bucket := range stateBuckets {
		if err := (table[struct{}]{bucket: bucket}).deletePrefix(tx, ""); err != nil {
			return err
		}
	}
	return nil
}
