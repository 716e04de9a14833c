package server_test

import (
	"crypto"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/stubtest"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// BenchmarkListCertificates lists a page of 100 certificates of one user over HTTP, with
// response validation (strict, as in tests) and without (the default of `atlasstub serve`).
func BenchmarkListCertificates(b *testing.B) {
	for _, strict := range []bool{true, false} {
		b.Run(fmt.Sprintf("strict=%t", strict), func(b *testing.B) {
			stub := stubtest.New(b, noRateLimits, func(c *server.Config) { c.Strict = strict })
			path := benchUser(b, stub, "lister")
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

// BenchmarkCreateCertificateWarmPool issues certificates over HTTP with a key pool that is
// always warm, so that it measures issuance (signing, recording, encoding), not key generation.
func BenchmarkCreateCertificateWarmPool(b *testing.B) {
	for _, keyType := range x509ca.KeyTypes {
		b.Run(string(keyType), func(b *testing.B) {
			stub := stubtest.New(b, noRateLimits, func(c *server.Config) { c.Keys = newWarmKeys(b, keyType) })
			path := benchUser(b, stub, "issuer")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				benchRequest(b, stub, http.MethodPost, path, `{"monthsUntilExpiration": 3}`, http.StatusCreated)
			}
		})
	}
}

// BenchmarkCreateCertificateColdKey issues certificates with a key generated for each request,
// as happens when the pool has run dry: what the pool saves. Run it with a small -benchtime.
func BenchmarkCreateCertificateColdKey(b *testing.B) {
	for _, keyType := range x509ca.KeyTypes {
		b.Run(string(keyType), func(b *testing.B) {
			stub := stubtest.New(b, noRateLimits, stubtest.WithKeyType(keyType), func(c *server.Config) { c.KeyPoolSize = 0 })
			path := benchUser(b, stub, "issuer")
			b.ResetTimer()
			for b.Loop() {
				benchRequest(b, stub, http.MethodPost, path, `{"monthsUntilExpiration": 3}`, http.StatusCreated)
			}
		})
	}
}

// noRateLimits turns Atlas's rate limits off, knowingly: a benchmark sends thousands of
// requests a minute, and with the limits on it would measure 429s. BenchmarkGetProject measures
// what the limits cost.
var noRateLimits = stubtest.WithRateLimits(limits.Off)

// BenchmarkGetProject reads one project over HTTP with a service account's bearer token: the
// cost of a small authenticated request, most of which used to be checking the token's
// signature. It runs without rate limits, with Atlas's (the default), and with Atlas's and ten
// fault rules that the request is tried against and that match other operations.
func BenchmarkGetProject(b *testing.B) {
	for _, tc := range []struct {
		name       string
		rateLimits limits.Mode
		rules      int
	}{
		{"limits=off", limits.Off, 0},
		{"limits=atlas", limits.Atlas, 0},
		{"limits=atlas,faults=10", limits.Atlas, 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			stub := stubtest.New(b, stubtest.WithRateLimits(tc.rateLimits))
			for i := range tc.rules {
				stub.Fail(b, faults.Match{OperationID: "deleteGroup", Path: fmt.Sprintf("/api/atlas/v2/groups/%024d", i)}, 503, "SERVICE_UNAVAILABLE")
			}
			tokens.Store(stub, stub.Token(b))
			path := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if i%1000 == 999 {
					// A project may read itself 1200 times a minute: a minute passes, untimed.
					b.StopTimer()
					stub.Advance(time.Minute)
					b.StartTimer()
				}
				benchRequest(b, stub, http.MethodGet, path, "", http.StatusOK)
			}
		})
	}
}

// tokens holds each benchmark stub's bearer token; benchmarks run far less than its hour.
var tokens sync.Map

// warmKeys hands out a few keys generated before the benchmark, round robin: a pool that never
// runs dry.
type warmKeys struct {
	keys []crypto.Signer
	next atomic.Uint64
}

func newWarmKeys(b *testing.B, keyType x509ca.KeyType) *warmKeys {
	w := &warmKeys{}
	for range 4 {
		key, err := keyType.Generate()
		if err != nil {
			b.Fatal(err)
		}
		w.keys = append(w.keys, key)
	}
	return w
}

func (w *warmKeys) Get() (x509ca.Key, error) {
	return x509ca.Key{Signer: w.keys[w.next.Add(1)%uint64(len(w.keys))]}, nil
}

func benchUser(b *testing.B, stub *stubtest.Stub, username string) string {
	gid := stub.Credentials.ProjectId
	tokens.Store(stub, stub.Token(b))
	benchRequest(b, stub, http.MethodPost, "/api/atlas/v2/groups/"+gid+"/databaseUsers",
		fmt.Sprintf(`{"groupId":%q,"databaseName":"$external","username":%q,"x509Type":"MANAGED"}`, gid, username), http.StatusCreated)
	return "/api/atlas/v2/groups/" + gid + "/databaseUsers/" + username + "/certs"
}

func benchRequest(b *testing.B, stub *stubtest.Stub, method, path, body string, want int) {
	req, err := http.NewRequest(method, stub.URL+path, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", latestAccept)
	token, _ := tokens.Load(stub)
	req.Header.Set("Authorization", "Bearer "+token.(string))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		b.Fatalf("%s %s: status %d, want %d", method, path, res.StatusCode, want)
	}
}
