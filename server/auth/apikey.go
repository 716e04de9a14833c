package auth

import "github.com/atlasstub/atlasstub/server/store"

// NewAPIKey describes a new API key by what the store keeps of its private key: the HA1 of
// every Digest algorithm, and the last group of the private key, to show it redacted.
func NewAPIKey(id, orgID, publicKey, privateKey string) store.APIKey {
	ha1 := map[string]string{}
	for _, algorithm := range DigestAlgorithms {
		ha1[algorithm] = HA1(algorithm, publicKey, privateKey)
	}
	return store.APIKey{ID: id, OrgID: orgID, PublicKey: publicKey, DigestHA1: ha1, PrivateKeyTail: privateKey[len(privateKey)-12:]}
}
