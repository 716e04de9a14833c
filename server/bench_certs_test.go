package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/stubtest"
	"github.com/atlasstub/atlasstub/server/x509ca"
	"github.com/atlasstub/atlasstub/server/x509ca/x509catest"
)

// BenchmarkCreateCertificateWarmPool issues certificates over HTTP with a key pool that is
// always warm, so that it measures issuance (signing, recording, encoding), not key generation,
// as `atlasstub serve` runs (no response validation, a JSON access log). Each iteration first
// does the raw work, x509.CreateCertificate with a CA key of the same type and the PKCS#8
// encoding of the leaf key, then the stub's POST .../certs; it reports the medians of both and
// their ratio, the target being at most 1.3. It also reports the median of the cheapest
// authenticated request, GET of the project, which every request of the stub costs at least:
// with ECDSA keys that floor, not the certificate, is most of a POST .../certs.
func BenchmarkCreateCertificateWarmPool(b *testing.B) {
	for _, keyType := range x509ca.KeyTypes {
		b.Run(string(keyType), func(b *testing.B) {
			keys := x509catest.NewWarmKeys(b, keyType, 4)
			stub := stubtest.New(b, noRateLimits, servedAsByServe, func(c *server.Config) { c.Keys = keys })
			path := benchUser(b, stub, "issuer")
			raw := x509catest.NewRawWork(b, keys.Next())
			project := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
			var rawTimes, stubTimes, floorTimes []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				raw.Issue(b, keys.Next())
				rawTimes = append(rawTimes, time.Since(start))
				start = time.Now()
				benchRequest(b, stub, http.MethodPost, path, `{"monthsUntilExpiration": 3}`, http.StatusCreated)
				stubTimes = append(stubTimes, time.Since(start))
				start = time.Now()
				benchRequest(b, stub, http.MethodGet, project, "", http.StatusOK)
				floorTimes = append(floorTimes, time.Since(start))
			}
			rawMedian, stubMedian := x509catest.Median(rawTimes), x509catest.Median(stubTimes)
			b.ReportMetric(milliseconds(rawMedian), "raw-p50-ms")
			b.ReportMetric(milliseconds(stubMedian), "stub-p50-ms")
			b.ReportMetric(milliseconds(x509catest.Median(floorTimes)), "get-project-p50-ms")
			b.ReportMetric(float64(stubMedian)/float64(rawMedian), "stub/raw")
		})
	}
}

// BenchmarkCreateCertificateColdKey issues certificates with a pool that keeps no key ahead
// (--key-pool 0): each request waits for a key generated for it. What the pool saves. Run it
// with a small -benchtime.
func BenchmarkCreateCertificateColdKey(b *testing.B) {
	for _, keyType := range x509ca.KeyTypes {
		b.Run(string(keyType), func(b *testing.B) {
			stub := stubtest.New(b, noRateLimits, servedAsByServe, stubtest.WithKeyType(keyType), func(c *server.Config) { c.KeyPoolSize = 0 })
			path := benchUser(b, stub, "issuer")
			b.ResetTimer()
			for b.Loop() {
				benchRequest(b, stub, http.MethodPost, path, `{"monthsUntilExpiration": 3}`, http.StatusCreated)
			}
		})
	}
}

// BenchmarkSustainedIssuance compares, in one run, how fast the machine's processors generate
// keys (one generator per processor, nothing else running) with how fast the stub issues
// certificates when far more are asked for than its pool holds: a fresh stub with serve's pool of
// 8 keys and twice as many concurrent clients as processors. Each rate counts what completes
// after the first fifth of its phase: the stub starts with no key ready, and its project's CA
// takes the first. Each iteration is a round of both phases; it reports the medians of the rates
// and of the rounds' ratios (stub/raw, the target being at least 0.9 for RSA-4096), and, since
// other work on the machine takes processors from either phase, how many processors each phase
// kept busy on average (busy-procs) and the ratio of the rates per processor-second used
// (stub/raw-per-cpu).
//
// ATLASSTUB_BENCH_ISSUANCE_KEY (default rsa-2048, cheap enough for a run of every benchmark) and
// ATLASSTUB_BENCH_ISSUANCE_PHASE (default 1s) set the key type and the length of each phase;
// scripts/issuance.sh runs RSA-4096.
func BenchmarkSustainedIssuance(b *testing.B) {
	keyType, phase := issuanceSettings(b)
	var raws, stubs []*window
	var ratios, perCPU []float64
	for b.Loop() {
		raw, stub := rawGeneration(keyType, phase), stubIssuance(b, keyType, phase)
		raws, stubs = append(raws, raw), append(stubs, stub)
		ratios = append(ratios, stub.rate()/raw.rate())
		perCPU = append(perCPU, stub.rate()/stub.busy()/(raw.rate()/raw.busy()))
	}
	b.ReportMetric(medianOf(windows(raws, (*window).rate)), "raw-keys/s")
	b.ReportMetric(medianOf(windows(stubs, (*window).rate)), "stub-certs/s")
	b.ReportMetric(medianOf(ratios), "stub/raw")
	b.ReportMetric(medianOf(windows(raws, (*window).busy)), "raw-busy-procs")
	b.ReportMetric(medianOf(windows(stubs, (*window).busy)), "stub-busy-procs")
	b.ReportMetric(medianOf(perCPU), "stub/raw-per-cpu")
}

func issuanceSettings(b *testing.B) (x509ca.KeyType, time.Duration) {
	keyType, phase := x509ca.RSA2048, time.Second
	if name := os.Getenv("ATLASSTUB_BENCH_ISSUANCE_KEY"); name != "" {
		var err error
		if keyType, err = x509ca.ParseKeyType(name); err != nil {
			b.Fatal(err)
		}
	}
	if d := os.Getenv("ATLASSTUB_BENCH_ISSUANCE_PHASE"); d != "" {
		var err error
		if phase, err = time.ParseDuration(d); err != nil {
			b.Fatal(err)
		}
	}
	return keyType, phase
}

// window counts what completes from the end of the first fifth of a phase to its end, and the
// processor time the process used meanwhile.
type window struct {
	from, end       time.Time
	counted         atomic.Int64
	cpuFrom, cpuEnd atomic.Int64 // nanoseconds of processor time
}

func newWindow(phase time.Duration) *window {
	start := time.Now()
	w := &window{from: start.Add(phase / 5), end: start.Add(phase)}
	time.AfterFunc(phase/5, func() { w.cpuFrom.Store(int64(processTime())) })
	time.AfterFunc(phase, func() { w.cpuEnd.Store(int64(processTime())) })
	return w
}

func (w *window) open() bool { return time.Now().Before(w.end) }

// done counts one completion, if it falls in the window.
func (w *window) done() {
	if now := time.Now(); now.After(w.from) && now.Before(w.end) {
		w.counted.Add(1)
	}
}

// rate is the completions a second.
func (w *window) rate() float64 { return float64(w.counted.Load()) / w.end.Sub(w.from).Seconds() }

// busy is how many processors the process kept busy on average.
func (w *window) busy() float64 {
	return float64(w.cpuEnd.Load()-w.cpuFrom.Load()) / float64(w.end.Sub(w.from))
}

func windows(ws []*window, metric func(*window) float64) []float64 {
	values := make([]float64, len(ws))
	for i, w := range ws {
		values[i] = metric(w)
	}
	return values
}

// rawGeneration runs one key generator per processor for phase.
func rawGeneration(keyType x509ca.KeyType, phase time.Duration) *window {
	w := newWindow(phase)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for w.open() {
				if _, err := keyType.Generate(); err != nil {
					panic(err)
				}
				w.done()
			}
		})
	}
	wg.Wait()
	return w
}

// stubIssuance starts a stub with serve's pool and keeps twice as many requests for a
// certificate in flight as there are processors for phase. It returns once the stub's
// generators have ended, so that none competes with what the benchmark measures next.
func stubIssuance(b *testing.B, keyType x509ca.KeyType, phase time.Duration) *window {
	before := runtime.NumGoroutine()
	stub := stubtest.New(b, noRateLimits, servedAsByServe, stubtest.WithKeyType(keyType), func(c *server.Config) { c.KeyPoolSize = 8 })
	path := benchUser(b, stub, "sustained")
	w := newWindow(phase)
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for w.open() {
				benchRequest(b, stub, http.MethodPost, path, `{"monthsUntilExpiration": 3}`, http.StatusCreated)
				w.done()
			}
		})
	}
	wg.Wait()
	stub.Close()
	http.DefaultClient.CloseIdleConnections()
	// A generator finishes the key it is generating after the stub closes: wait for it.
	for deadline := time.Now().Add(time.Minute); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	return w
}

// servedAsByServe configures a stub as `atlasstub serve` runs by default: responses are not
// validated, and the access log is JSON, here thrown away.
func servedAsByServe(c *server.Config) {
	c.Strict = false
	c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
}

func medianOf(values []float64) float64 {
	sorted := slices.Sorted(slices.Values(values))
	return sorted[len(sorted)/2]
}

func milliseconds(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
