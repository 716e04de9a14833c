package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"

	"github.com/atlasstub/atlasstub/server"
)

// BenchmarkServeStart starts the atlasstub binary and measures the time from its start to its
// first 200, beside a reference measured in the same run: a minimal Go HTTP server, built the
// same way, from its start to its first 200. The target is 150 ms for serve's defaults.
//
//   - reference: the minimal server;
//   - first-health/defaults: serve as it starts by default (RSA-4096 keys, --preload), to the
//     first 200 of GET /_stub/health;
//   - first-curated and first-generic: to the first 200 of a curated operation (getGroup) and of a
//     generic one (listGroupClusters, which needs the official specification), with the official
//     specification loaded in the background as the stub starts (--preload, the default) and
//     without (the first generic request loads it). They use ECDSA keys, so that no RSA key pool
//     competes for the processor, and HTTP Digest, as the Atlas SDKs do: two round trips.
//
// Each reports its median (p50-ms). The idle-memory sub-benchmarks report resident memory (see
// benchIdleMemory).
func BenchmarkServeStart(b *testing.B) {
	binary, reference := buildServers(b)
	b.Run("reference", func(b *testing.B) {
		reportMedian(b, func() time.Duration {
			start := time.Now()
			p := startProcess(b, reference)
			defer p.stop()
			getOK(b, http.DefaultClient, readLine(b, p.stdout, "serving on "))
			return time.Since(start)
		})
	})
	b.Run("first-health/defaults", func(b *testing.B) {
		reportMedian(b, func() time.Duration {
			start := time.Now()
			p := startProcess(b, binary, "serve", "--addr", "127.0.0.1:0", "--log-format", "json")
			defer p.stop()
			creds := readBootstrap(b, p.stdout)
			getOK(b, http.DefaultClient, creds.BaseUrl+"/_stub/health")
			return time.Since(start)
		})
	})
	for _, preload := range []string{"true", "false"} {
		for _, first := range []string{"curated", "generic"} {
			b.Run("first-"+first+"/preload="+preload, func(b *testing.B) {
				reportMedian(b, func() time.Duration { return firstOK(b, binary, preload, first) })
			})
		}
	}
	benchIdleMemory(b, binary, reference)
}

// benchIdleMemory starts the binary, sends its first request, waits until it is at rest (see
// idleRSS: the official specification preloaded, the key pool full, the memory given back), and
// reports its resident memory (idle-rss-MB), beside the minimal Go HTTP server's in the same run.
// The target is 40 MB. Linux only: it reads /proc.
func benchIdleMemory(b *testing.B, binary, reference string) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		return // no /proc to read the resident memory from
	}
	for _, tc := range []struct {
		name string
		run  func() float64
	}{
		{"reference", func() float64 {
			p := startProcess(b, reference)
			defer p.stop()
			getOK(b, http.DefaultClient, readLine(b, p.stdout, "serving on "))
			return idleRSS(b, p.cmd.Process.Pid)
		}},
		{"defaults", func() float64 { return serveIdleRSS(b, binary) }},
		// ECDSA keys, so that the pool fills in an instant.
		{"ecdsa/preload=true", func() float64 { return serveIdleRSS(b, binary, "--key-type", "ecdsa-p256", "--preload=true") }},
		{"ecdsa/preload=false", func() float64 { return serveIdleRSS(b, binary, "--key-type", "ecdsa-p256", "--preload=false") }},
	} {
		b.Run("idle-memory/"+tc.name, func(b *testing.B) {
			var rss []float64
			for b.Loop() {
				rss = append(rss, tc.run())
			}
			slices.Sort(rss)
			b.ReportMetric(rss[len(rss)/2], "idle-rss-MB")
		})
	}
}

func serveIdleRSS(b *testing.B, binary string, flags ...string) float64 {
	p := startProcess(b, binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, flags...)...)
	defer p.stop()
	creds := readBootstrap(b, p.stdout)
	getOK(b, http.DefaultClient, creds.BaseUrl+"/_stub/health")
	return idleRSS(b, p.cmd.Process.Pid)
}

// buildServers builds the atlasstub binary and the reference, a minimal Go HTTP server.
func buildServers(b *testing.B) (binary, reference string) {
	dir := b.TempDir()
	binary, reference = filepath.Join(dir, "atlasstub"), filepath.Join(dir, "reference")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	source := filepath.Join(dir, "reference.go")
	if err := os.WriteFile(source, []byte(referenceServer), 0o600); err != nil {
		b.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", reference, source)
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build the reference: %v\n%s", err, out)
	}
	return binary, reference
}

// referenceServer is the least a Go HTTP server does: listen, say where, answer 200.
const referenceServer = `package main

import (
	"fmt"
	"net"
	"net/http"
)

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Printf("serving on http://%s/\n", l.Addr())
	panic(http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
}
`

// reportMedian runs measure once per iteration and reports the median, in milliseconds.
func reportMedian(b *testing.B, measure func() time.Duration) {
	var times []time.Duration
	for b.Loop() {
		times = append(times, measure())
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "p50-ms")
}

// process is a started server, its standard output to read.
type process struct {
	cmd    *exec.Cmd
	stdout io.Reader
}

func startProcess(b *testing.B, binary string, args ...string) process {
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return process{cmd: cmd, stdout: stdout}
}

func (p process) stop() {
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}

// readLine reads the first line of stdout that contains marker, and returns what follows it.
func readLine(b *testing.B, stdout io.Reader, marker string) string {
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if _, after, ok := strings.Cut(lines.Text(), marker); ok {
			return after
		}
	}
	b.Fatalf("no line with %q: %v", marker, lines.Err())
	return ""
}

func getOK(b *testing.B, client *http.Client, url string) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", "application/vnd.atlas.2025-03-12+json")
	res, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d", url, res.StatusCode)
	}
}

// idleRSS waits until the process has used no processor time for restWindow, at most thirty
// seconds (an RSA-4096 key pool fills in a few), and returns its resident memory in MB.
func idleRSS(b *testing.B, pid int) float64 {
	last := cpuTicks(b, pid)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		time.Sleep(restWindow)
		now := cpuTicks(b, pid)
		if now == last {
			break
		}
		last = now
	}
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS in /proc/PID/status")
	return 0
}

// restWindow is longer than gcRetune, so that a stub that comes to rest has given its memory
// back in the window before the one that finds it idle.
const restWindow = gcRetune + 300*time.Millisecond

// cpuTicks returns the processor time a process has used, user and system, in clock ticks.
func cpuTicks(b *testing.B, pid int) int {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command name, which is in parentheses and may hold spaces:
	// utime and stime are the 12th and 13th.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	user, _ := strconv.Atoi(fields[11])
	system, _ := strconv.Atoi(fields[12])
	return user + system
}

// firstOK starts the binary and returns how long it took to answer the first request of the kind
// with 200.
func firstOK(b *testing.B, binary, preload, kind string) time.Duration {
	start := time.Now()
	p := startProcess(b, binary, "serve", "--addr", "127.0.0.1:0", "--key-type", "ecdsa-p256", "--preload="+preload, "--log-format", "json")
	defer p.stop()
	creds := readBootstrap(b, p.stdout)
	path := "/api/atlas/v2/groups/" + creds.ProjectId
	if kind == "generic" {
		path += "/clusters"
	}
	getOK(b, &http.Client{Transport: digest.NewTransport(creds.ApiKey.PublicKey, creds.ApiKey.PrivateKey)}, creds.BaseUrl+path)
	return time.Since(start)
}

// readBootstrap reads the credentials that serve prints on start.
func readBootstrap(b *testing.B, stdout io.Reader) server.Bootstrap {
	var doc strings.Builder
	lines := bufio.NewScanner(stdout)
	started := false
	for lines.Scan() {
		line := lines.Text()
		if line == "bootstrap credentials:" {
			started = true
			continue
		}
		if started {
			doc.WriteString(line + "\n")
			var creds server.Bootstrap
			if line == "}" && json.Unmarshal([]byte(doc.String()), &creds) == nil {
				return creds
			}
		}
	}
	b.Fatalf("serve printed no credentials: %v", lines.Err())
	return server.Bootstrap{}
}
