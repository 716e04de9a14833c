package x509ca

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/atlasstub/atlasstub/server/store"
)

// BenchmarkIssueWarmPool times the stub's issuance of a certificate from a warm pool, as
// POST .../certs runs it once the request is authenticated and validated: read the user and the
// project's CA, take a key, sign, encode the key as PKCS#8, record the certificate, write the
// PEM. Each iteration first does the raw work, x509.CreateCertificate with a CA key of the same
// type and the PKCS#8 encoding of the leaf key, then Issue; it reports the medians of both and
// their ratio (issue/raw), the target being at most 1.3. server's
// BenchmarkCreateCertificateWarmPool times the same over HTTP.
func BenchmarkIssueWarmPool(b *testing.B) {
	for _, keyType := range KeyTypes {
		b.Run(string(keyType), func(b *testing.B) {
			keys := warmKeysOf(b, keyType)
			s := store.New(store.NewMemory(), time.Now)
			project := managedUser(b, s, "issuer")
			issuer := NewIssuer(s, keys)
			if _, err := issuer.Authority(project); err != nil {
				b.Fatal(err)
			}
			raw := rawWork{ca: selfSigned(b, keys.keys[0]), caKey: keys.keys[0]}
			var rawTimes, issueTimes []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				raw.issue(b, keys.next())
				rawTimes = append(rawTimes, time.Since(start))
				start = time.Now()
				if _, err := issuer.Issue(project, "issuer", 3); err != nil {
					b.Fatal(err)
				}
				issueTimes = append(issueTimes, time.Since(start))
			}
			rawMedian, issueMedian := median(rawTimes), median(issueTimes)
			b.ReportMetric(float64(rawMedian)/float64(time.Millisecond), "raw-p50-ms")
			b.ReportMetric(float64(issueMedian)/float64(time.Millisecond), "issue-p50-ms")
			b.ReportMetric(float64(issueMedian)/float64(rawMedian), "issue/raw")
		})
	}
}

// roundRobin hands out a few keys generated before the benchmark: a pool that never runs dry.
type roundRobin struct {
	keys []crypto.Signer
	i    int
}

func warmKeysOf(b *testing.B, keyType KeyType) *roundRobin {
	r := &roundRobin{}
	for range 2 {
		key, err := keyType.Generate()
		if err != nil {
			b.Fatal(err)
		}
		r.keys = append(r.keys, key)
	}
	return r
}

func (r *roundRobin) next() crypto.Signer {
	r.i++
	return r.keys[r.i%len(r.keys)]
}

func (r *roundRobin) Get() (Key, error) { return Key{Signer: r.next()}, nil }

// managedUser stores an organization, a project and its MANAGED X.509 user username, and
// returns the project's id.
func managedUser(b *testing.B, s *store.Store, username string) string {
	var projectID string
	err := s.Update(func(tx *store.Tx) error {
		org, err := tx.CreateOrg("", "bench")
		if err != nil {
			return err
		}
		project, err := tx.CreateProject(store.Project{OrgID: org.ID, Name: "bench"})
		if err != nil {
			return err
		}
		projectID = project.ID
		_, err = tx.CreateDatabaseUser(store.DatabaseUser{ProjectID: project.ID, Username: username, DatabaseName: "$external", X509Type: "MANAGED",
			AWSIAMType: store.AuthNone, LDAPAuthType: store.AuthNone, OIDCAuthType: store.AuthNone})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return projectID
}

// rawWork is what issuing a certificate cannot do without: sign it with the CA's key, and
// encode its key.
type rawWork struct {
	ca    *x509.Certificate
	caKey crypto.Signer
}

func selfSigned(b *testing.B, key crypto.Signer) *x509.Certificate {
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "raw CA"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)
	if err != nil {
		b.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		b.Fatal(err)
	}
	return ca
}

func (r rawWork) issue(b *testing.B, leaf crypto.Signer) {
	template := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "raw"},
		NotBefore: time.Now(), NotAfter: time.Now().AddDate(0, 3, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if _, ok := leaf.(*rsa.PrivateKey); ok {
		template.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	if _, err := x509.CreateCertificate(rand.Reader, template, r.ca, leaf.Public(), r.caKey); err != nil {
		b.Fatal(err)
	}
	if _, err := x509.MarshalPKCS8PrivateKey(leaf); err != nil {
		b.Fatal(err)
	}
}

func median(times []time.Duration) time.Duration {
	sorted := slices.Sorted(slices.Values(times))
	return sorted[len(sorted)/2]
}
