package x509ca_test

import (
	"testing"
	"time"

	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
	"github.com/atlasstub/atlasstub/server/x509ca/x509catest"
)

// BenchmarkIssueWarmPool times the stub's issuance of a certificate from a warm pool, as
// POST .../certs runs it once the request is authenticated and validated: read the user and the
// project's CA, take a key, sign, encode the key as PKCS#8, record the certificate, write the
// PEM. Each iteration first does the raw work, x509.CreateCertificate with a CA key of the same
// type and the PKCS#8 encoding of the leaf key, then Issue; it reports the medians of both and
// their ratio (issue/raw), the target being at most 1.3. server's
// BenchmarkCreateCertificateWarmPool times the same over HTTP.
func BenchmarkIssueWarmPool(b *testing.B) {
	for _, keyType := range x509ca.KeyTypes {
		b.Run(string(keyType), func(b *testing.B) {
			keys := x509catest.NewWarmKeys(b, keyType, 2)
			s := store.New(store.NewMemory(), time.Now)
			project := managedUser(b, s, "issuer")
			issuer := x509ca.NewIssuer(s, keys)
			if _, err := issuer.Authority(project); err != nil {
				b.Fatal(err)
			}
			raw := x509catest.NewRawWork(b, keys.Next())
			var rawTimes, issueTimes []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				raw.Issue(b, keys.Next())
				rawTimes = append(rawTimes, time.Since(start))
				start = time.Now()
				if _, err := issuer.Issue(project, "issuer", 3); err != nil {
					b.Fatal(err)
				}
				issueTimes = append(issueTimes, time.Since(start))
			}
			rawMedian, issueMedian := x509catest.Median(rawTimes), x509catest.Median(issueTimes)
			b.ReportMetric(float64(rawMedian)/float64(time.Millisecond), "raw-p50-ms")
			b.ReportMetric(float64(issueMedian)/float64(time.Millisecond), "issue-p50-ms")
			b.ReportMetric(float64(issueMedian)/float64(rawMedian), "issue/raw")
		})
	}
}

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
