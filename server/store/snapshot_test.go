package store

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/apierror"
)

var snapshotNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// Identifiers of the state that stateOfEveryKind builds.
const (
	orgID     = "aaaaaaaaaaaaaaaaaaaaaaa1"
	projectID = "aaaaaaaaaaaaaaaaaaaaaaa2"
	keyID     = "aaaaaaaaaaaaaaaaaaaaaaa3"
	clientID  = "mdb_sa_id_aaaaaaaaaaaaaaaaaaaaaaa4"
)

// stateOfEveryKind fills a memory store with a record of every kind, the stub's own records and
// a pooled key.
func stateOfEveryKind(t *testing.T) (*Store, *Memory) {
	t.Helper()
	m := NewMemory()
	s := New(m, func() time.Time { return snapshotNow })
	require.NoError(t, s.Update(func(tx *Tx) error {
		_, err := tx.CreateOrg(orgID, "org")
		require.NoError(t, err)
		_, err = tx.UpdateOrgSettings(orgID, OrgSettings{MaxSecretValidityHours: 100, SecurityContact: "sec@example.com"})
		require.NoError(t, err)
		_, err = tx.CreateProject(Project{ID: projectID, OrgID: orgID, Name: "project", Tags: []Tag{{"k", "v"}}})
		require.NoError(t, err)
		_, err = tx.SetUserSecurity(projectID, UserSecurity{LDAP: LDAPSettings{AuthenticationEnabled: true, BindUsername: "cn=bind"}})
		require.NoError(t, err)
		_, err = tx.CreateDatabaseUser(DatabaseUser{ProjectID: projectID, Username: "x509", DatabaseName: DatabaseExtern, X509Type: X509Managed, AWSIAMType: AuthNone, LDAPAuthType: AuthNone, OIDCAuthType: AuthNone})
		require.NoError(t, err)
		_, err = tx.CreateDatabaseUser(DatabaseUser{ProjectID: projectID, Username: "a/b", DatabaseName: DatabaseAdmin, X509Type: AuthNone, AWSIAMType: AuthNone, LDAPAuthType: AuthNone, OIDCAuthType: AuthNone, PasswordHash: HashPassword("pw")})
		require.NoError(t, err)
		for serial := range int64(2) {
			require.NoError(t, tx.AddCertificate(Certificate{ProjectID: projectID, Username: "x509", Serial: serial + 1, Subject: "CN=x509", CreatedAt: snapshotNow, NotAfter: snapshotNow.AddDate(0, 3, 0)}))
		}
		_, err = tx.SetCertificateAuthority(CertificateAuthority{ProjectID: projectID, CertificateDER: []byte("der"), PrivateKeyDER: []byte("key"), CreatedAt: snapshotNow})
		require.NoError(t, err)
		_, err = tx.CreateAPIKey(APIKey{ID: keyID, OrgID: orgID, PublicKey: "abcdefgh", DigestHA1: map[string]string{"MD5": "h"}, Grants: Grants{Projects: map[string][]string{projectID: {"GROUP_READ_ONLY"}}},
			AccessList: []AccessListEntry{{CIDR: "10.0.0.0/8", CreatedAt: snapshotNow}}})
		require.NoError(t, err)
		secret, err := NewSecret("aaaaaaaaaaaaaaaaaaaaaaa5", "mdb_sa_sk_secret", 10, 100, snapshotNow)
		require.NoError(t, err)
		_, err = tx.CreateServiceAccount(ServiceAccount{ClientID: clientID, OrgID: orgID, Name: "sa", Grants: Grants{Org: []string{"ORG_MEMBER"}}, Secrets: []Secret{secret}})
		require.NoError(t, err)
		require.NoError(t, tx.RevokeToken("aaaaaaaaaaaaaaaaaaaaaaa6", snapshotNow.Add(time.Hour)))
		require.NoError(t, tx.PutResource(Resource{Collection: "groups/" + projectID + "/clusters", ID: "Cluster0", Created: snapshotNow,
			Document: map[string]any{"name": "Cluster0", "stateName": "CREATING"}, Phase: "CREATING", PhaseEnds: snapshotNow.Add(time.Minute)}))
		_, err = tx.SetTokenSigningKey([]byte("signing key"))
		require.NoError(t, err)
		require.NoError(t, tx.SetBootstrap(BootstrapCredentials{OrgID: orgID, ProjectID: projectID, APIPrivateKey: "in clear"}))
		require.NoError(t, tx.SetClockOffset(90*time.Minute))
		return tx.PoolKey(PooledKey{ID: "k", Type: "ecdsa-p256", PKCS8: []byte("pooled")})
	}))
	return s, m
}

func snapshotOf(t *testing.T, s *Store) Snapshot {
	t.Helper()
	snapshot, err := Read(s, func(tx *Tx) (Snapshot, error) { return tx.Snapshot() })
	require.NoError(t, err)
	return snapshot
}

// TestEveryBucketIsStateOrThePool keeps stateBuckets complete: a bucket that a reset does not
// clear and a snapshot does not hold would be a part of the state that neither reaches.
func TestEveryBucketIsStateOrThePool(t *testing.T) {
	_, m := stateOfEveryKind(t)
	for bucket := range m.buckets {
		assert.True(t, bucket == pooledKeys.bucket || slices.Contains(stateBuckets, bucket), "bucket %s is neither state nor the key pool", bucket)
	}
	for _, bucket := range stateBuckets {
		assert.Contains(t, m.buckets, bucket, "stateOfEveryKind fills no record of %s", bucket)
	}
}

// TestSnapshotRestoresEveryRecord takes a snapshot, sends it through JSON as the control API
// does, and restores it into an empty store: every bucket of the state holds the same bytes,
// and the key pool stays the restoring store's own.
func TestSnapshotRestoresEveryRecord(t *testing.T) {
	s, m := stateOfEveryKind(t)
	data, err := json.Marshal(snapshotOf(t, s))
	require.NoError(t, err)
	var decoded Snapshot
	require.NoError(t, json.Unmarshal(data, &decoded))

	restored := NewMemory()
	require.NoError(t, restored.Update(func(raw RawTx) error { return pooledKeys.put(&Tx{raw: raw}, "own", PooledKey{ID: "own"}) }))
	require.NoError(t, New(restored, time.Now).Update(func(tx *Tx) error { return tx.Restore(decoded) }))
	for _, bucket := range stateBuckets {
		assert.Equal(t, m.buckets[bucket].values, restored.buckets[bucket].values, "bucket %s", bucket)
	}
	assert.Equal(t, []string{"own"}, slices.Collect(maps.Keys(restored.buckets[pooledKeys.bucket].values)), "the pool is not part of the state")
}

// TestRestoreRefusesRecordsThatDoNotHoldTogether breaks a snapshot in one place at a time: each
// is INVALID_ATTRIBUTE naming the record, and the store keeps its state.
func TestRestoreRefusesRecordsThatDoNotHoldTogether(t *testing.T) {
	for name, c := range map[string]struct {
		field  string
		reason string
		breaks func(r *Records)
	}{
		"org id":            {"records.orgs.0", "does not match", func(r *Records) { r.Orgs[0].ID = "nope" }},
		"org twice":         {"records.orgs.1", "same identifier", func(r *Records) { r.Orgs = append(r.Orgs, r.Orgs[0]) }},
		"project of no org": {"records.projects.0", "no organization", func(r *Records) { r.Projects[0].OrgID = "bbbbbbbbbbbbbbbbbbbbbbbb" }},
		"project name twice": {"records.projects.1", "already exists", func(r *Records) {
			p := r.Projects[0]
			p.ID = "bbbbbbbbbbbbbbbbbbbbbbbb"
			r.Projects = append(r.Projects, p)
		}},
		"user of no project":   {"records.databaseUsers.0", "no project", func(r *Records) { r.DatabaseUsers[0].ProjectID = "bbbbbbbbbbbbbbbbbbbbbbbb" }},
		"user twice":           {"records.databaseUsers.2", "same identifier", func(r *Records) { r.DatabaseUsers = append(r.DatabaseUsers, r.DatabaseUsers[0]) }},
		"certificate orphaned": {"records.certificates.0", "myX509User", func(r *Records) { r.Certificates[0].Username = "myX509User" }},
		"serial twice":         {"records.certificates.1", "serial 1", func(r *Records) { r.Certificates[1].Serial = 1 }},
		"serial not positive":  {"records.certificates.0", "not positive", func(r *Records) { r.Certificates[0].Serial = 0 }},
		"CA of no project": {"records.certificateAuthorities.0", "no project", func(r *Records) {
			r.CertificateAuthorities[0].ProjectID = "bbbbbbbbbbbbbbbbbbbbbbbb"
		}},
		"public key twice": {"records.apiKeys.1", "another key's", func(r *Records) {
			k := r.APIKeys[0]
			k.ID = "bbbbbbbbbbbbbbbbbbbbbbbb"
			r.APIKeys = append(r.APIKeys, k)
		}},
		"key role in no project": {"records.apiKeys.0", "bbbbbbbbbbbbbbbbbbbbbbbb", func(r *Records) {
			r.APIKeys[0].Grants.Projects = map[string][]string{"bbbbbbbbbbbbbbbbbbbbbbbb": {"GROUP_READ_ONLY"}}
		}},
		"access list entry":         {"records.apiKeys.0", "canonical", func(r *Records) { r.APIKeys[0].AccessList[0].CIDR = "10.1.2.3/8" }},
		"client id":                 {"records.serviceAccounts.0", "does not match", func(r *Records) { r.ServiceAccounts[0].ClientID = "sa" }},
		"account role":              {"records.serviceAccounts.0", "GROUP_OWNER", func(r *Records) { r.ServiceAccounts[0].Grants.Org = []string{"GROUP_OWNER"} }},
		"revoked token id":          {"records.revokedTokens.0", "does not match", func(r *Records) { r.RevokedTokens[0].ID = "" }},
		"no signing key":            {"records.tokenSigningKey", "required", func(r *Records) { r.TokenSigningKey = nil }},
		"resource twice":            {"records.resources.1", "same identifier", func(r *Records) { r.Resources = append(r.Resources, r.Resources[0]) }},
		"resource in no collection": {"records.resources.0", "not a path", func(r *Records) { r.Resources[0].Collection = "" }},
	} {
		t.Run(name, func(t *testing.T) {
			s, m := stateOfEveryKind(t)
			broken := snapshotOf(t, s)
			data, err := json.Marshal(broken)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, &broken)) // a copy to break
			c.breaks(&broken.Records)
			before := map[string]map[string]any{}
			for name, b := range m.buckets {
				before[name] = maps.Clone(b.values)
			}

			err = s.Update(func(tx *Tx) error { return tx.Restore(broken) })
			var e *apierror.Error
			require.ErrorAs(t, err, &e)
			code := "INVALID_ATTRIBUTE"
			if c.field == "records.tokenSigningKey" {
				code = "MISSING_ATTRIBUTE"
			}
			assert.Equal(t, code, e.Code, "%v", err)
			require.NotNil(t, e.BadRequestDetail)
			assert.Equal(t, c.field, e.BadRequestDetail.Fields[0].Field)
			assert.Contains(t, e.BadRequestDetail.Fields[0].Description, c.reason)
			for bucket, values := range before {
				assert.Equal(t, values, m.buckets[bucket].values, "bucket %s is rolled back", bucket)
			}
		})
	}
}

func TestRestoreRefusesABootstrapOfNoOrganization(t *testing.T) {
	s, _ := stateOfEveryKind(t)
	snapshot := snapshotOf(t, s)
	snapshot.Bootstrap.OrgID = "bbbbbbbbbbbbbbbbbbbbbbbb"
	err := s.Update(func(tx *Tx) error { return tx.Restore(snapshot) })
	var e *apierror.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "bootstrap.orgId", e.BadRequestDetail.Fields[0].Field)
}
