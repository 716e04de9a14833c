package store

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkCertificatesInMemory records ATLASSTUB_BENCH_CERTIFICATES certificates (1,000 by
// default, so that make test stays quick; scripts/bench.sh asks for 100,000) for 100
// MANAGED X.509 users of a project, in memory, and reports what they take: heap-MB, the live
// heap after a collection, against json-MB, the size of the records' JSON encoding (what the
// data directory's file and a snapshot hold), and rss-MB, the process's resident memory. Its time
// is that of recording them all.
func BenchmarkCertificatesInMemory(b *testing.B) {
	count := 1000
	if v := os.Getenv("ATLASSTUB_BENCH_CERTIFICATES"); v != "" {
		var err error
		if count, err = strconv.Atoi(v); err != nil || count < 100 {
			b.Fatalf("ATLASSTUB_BENCH_CERTIFICATES=%q: a number of 100 or more", v)
		}
	}
	for b.Loop() {
		before := liveHeap()
		s, jsonBytes := recordCertificates(b, count)
		heap := liveHeap() - before
		b.ReportMetric(float64(heap)/1e6, "heap-MB")
		b.ReportMetric(float64(jsonBytes)/1e6, "json-MB")
		b.ReportMetric(float64(heap)/float64(count), "heap-B/cert")
		b.ReportMetric(residentMB(), "rss-MB")
		runtime.KeepAlive(s)
	}
}

// recordCertificates fills a store with count certificates, a hundred users' worth, and returns
// it with the size of the certificates' JSON encoding.
func recordCertificates(b *testing.B, count int) (*Store, int) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	s := New(NewMemory(), func() time.Time { return now })
	const users = 100
	jsonBytes := 0
	err := s.Update(func(tx *Tx) error {
		if _, err := tx.CreateOrg(orgID, "org"); err != nil {
			return err
		}
		if _, err := tx.CreateProject(Project{ID: projectID, OrgID: orgID, Name: "project"}); err != nil {
			return err
		}
		for u := range users {
			username := fmt.Sprintf("user-%03d", u)
			if _, err := tx.CreateDatabaseUser(DatabaseUser{ProjectID: projectID, Username: username, DatabaseName: DatabaseExtern,
				X509Type: X509Managed, AWSIAMType: AuthNone, LDAPAuthType: AuthNone, OIDCAuthType: AuthNone}); err != nil {
				return err
			}
			for i := range count / users {
				created := now.Add(time.Duration(i) * time.Second)
				c := Certificate{ProjectID: projectID, Username: username, Serial: int64(u*count + i + 1),
					Subject: "CN=" + username, CreatedAt: created, NotAfter: created.AddDate(0, 3, 0)}
				if err := tx.AddCertificate(c); err != nil {
					return err
				}
				data, _ := json.Marshal(c)
				jsonBytes += len(data)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, jsonBytes
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// residentMB is the process's resident memory (VmRSS), or 0 where /proc does not say.
func residentMB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1e3
		}
	}
	return 0
}
