package server_test

import (
	"net/http"
	"testing"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/journal"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// BenchmarkJournalRecording measures what the journal costs a request: the same requests, over
// HTTP with a bearer token and without strict validation (as `atlasstub serve` runs), with the
// journal off and on, side by side. Recording only copies the exchange; masking and the verdicts
// wait until the journal is read, which no one does here. Two shapes: a small read (getGroup)
// and a page of 100 certificates (some 40 KB, the bodies the journal copies).
func BenchmarkJournalRecording(b *testing.B) {
	for _, tc := range []struct {
		name string
		size int
	}{{"journal=off", -1}, {"journal=on", journal.DefaultSize}} {
		b.Run("getGroup/"+tc.name, func(b *testing.B) {
			stub := stubtest.New(b, noRateLimits, withJournal(tc.size))
			tokens.Store(stub, stub.Token(b))
			path := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
			b.ReportAllocs()
			for b.Loop() {
				benchRequest(b, stub, http.MethodGet, path, "", http.StatusOK)
			}
		})
		b.Run("listCertificates/"+tc.name, func(b *testing.B) {
			stub := stubtest.New(b, noRateLimits, withJournal(tc.size))
			path := benchUser(b, stub, "journaled")
			for range 100 {
				benchRequest(b, stub, http.MethodPost, path, `{}`, http.StatusCreated)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				benchRequest(b, stub, http.MethodGet, path+"?itemsPerPage=100", "", http.StatusOK)
			}
		})
	}
}

// withJournal runs a stub as `atlasstub serve` does, not strict, with a journal of size
// exchanges (negative: none).
func withJournal(size int) stubtest.Option {
	return func(c *server.Config) {
		c.Strict = false
		c.JournalSize = size
	}
}
