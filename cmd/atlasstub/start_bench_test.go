package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"

	"github.com/atlasstub/atlasstub/server"
)

// BenchmarkServeStart starts the atlasstub binary and measures the time from its start to the
// first 200 of a curated operation (getGroup) and of a generic one (listGroupClusters, which
// needs the official specification), with the official specification loaded in the background
// as the stub starts (--preload, the default) and without (the first generic request loads
// it). Certificates use ECDSA keys, so that no RSA key pool competes for the processor.
func BenchmarkServeStart(b *testing.B) {
	binary := filepath.Join(b.TempDir(), "atlasstub")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, preload := range []string{"true", "false"} {
		for _, first := range []string{"curated", "generic"} {
			b.Run("first-"+first+"/preload="+preload, func(b *testing.B) {
				var total time.Duration
				for b.Loop() {
					total += firstOK(b, binary, preload, first)
				}
				b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/first-200")
			})
		}
	}
}

// firstOK starts the binary and returns how long it took to answer the first request of the kind
// with 200.
func firstOK(b *testing.B, binary, preload, kind string) time.Duration {
	start := time.Now()
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--key-type", "ecdsa-p256", "--preload="+preload, "--log-format", "json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	creds := readBootstrap(b, stdout)
	path := "/api/atlas/v2/groups/" + creds.ProjectId
	if kind == "generic" {
		path += "/clusters"
	}
	client := &http.Client{Transport: digest.NewTransport(creds.ApiKey.PublicKey, creds.ApiKey.PrivateKey)}
	req, err := http.NewRequest(http.MethodGet, creds.BaseUrl+path, nil)
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
		b.Fatalf("GET %s: %d", path, res.StatusCode)
	}
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
