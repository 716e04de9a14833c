// Command journalmemory shows that the request journal's memory stays bounded: it runs the same
// load against `atlasstub serve` with the default journal and with --journal-size 0, one after
// the other in one run, and reports each stub's resident memory (VmRSS) over time. The load is
// the durability workload's mixed clients, a client that sends 60 KiB bodies the stub refuses
// (the journal keeps 64 KiB of each), and a reader that lists the journal's newest 500 exchanges
// every second as the inspector page does, which masks them and judges them against the
// specification. scripts/journal-memory.sh builds the binary and runs it.
//
//	go run ./scripts/journalmemory -binary atlasstub [-duration 60s] [-clients 16] [-every 5s]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/atlasstub/atlasstub/scripts/durability"
)

func main() {
	binary := flag.String("binary", "", "the atlasstub binary")
	duration := flag.Duration("duration", time.Minute, "how long each stub is under load")
	clients := flag.Int("clients", 16, "mixed clients at once")
	every := flag.Duration("every", 5*time.Second, "how often the memory is read")
	flag.Parse()
	if *binary == "" {
		fmt.Fprintln(os.Stderr, "journalmemory: -binary is required")
		os.Exit(2)
	}
	runs := []struct {
		name string
		args []string
	}{
		{"journal on (1000)", nil},
		{"journal off (--journal-size 0)", []string{"--journal-size", "0"}},
	}
	samples := make([][]sample, len(runs))
	totals := make([]int64, len(runs))
	for i, r := range runs {
		var err error
		if samples[i], totals[i], err = measure(*binary, r.args, *clients, *duration, *every); err != nil {
			fmt.Fprintf(os.Stderr, "journalmemory: %s: %v\n", r.name, err)
			os.Exit(1)
		}
	}
	fmt.Printf("%d mixed clients, one sending 60 KiB bodies, one reading the journal every second; %s per stub\n\n", *clients, *duration)
	fmt.Printf("| seconds | RSS, %s | RSS, %s |\n|---|---|---|\n", runs[0].name, runs[1].name)
	for k := range max(len(samples[0]), len(samples[1])) {
		fmt.Printf("| %.0f |", at(samples[0], k).elapsed.Seconds())
		for i := range runs {
			fmt.Printf(" %s |", at(samples[i], k).rss())
		}
		fmt.Println()
	}
	fmt.Printf("\nrequests: %d with the journal, %d without\n", totals[0], totals[1])
}

// sample is the stub's resident memory at a moment of the load.
type sample struct {
	elapsed time.Duration
	rssKiB  int64
}

func (s sample) rss() string {
	if s.rssKiB == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f MiB", float64(s.rssKiB)/1024)
}

func at(s []sample, k int) sample {
	if k < len(s) {
		return s[k]
	}
	return sample{}
}

// measure starts a stub with args, loads it for duration and samples its memory every interval.
func measure(binary string, args []string, clients int, duration, every time.Duration) ([]sample, int64, error) {
	dir, err := os.MkdirTemp("", "atlasstub-journal-memory")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(dir)
	credsFile := filepath.Join(dir, "credentials.json")
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--rate-limits", "off",
		"--key-type", "ecdsa-p256", "--credentials-out", credsFile}, args...)...)
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	creds, err := waitForCredentials(credsFile)
	if err != nil {
		return nil, 0, err
	}
	client := durability.NewClient(creds, "")
	defer client.Close()

	ctx, stop := context.WithTimeout(context.Background(), duration)
	defer stop()
	var requests atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clients+2)
	start := time.Now()
	for i := range clients {
		w := durability.NewWriter(i, client, creds.OrgID, durability.NewLedger(), uint64(start.UnixNano()))
		w.Reads = 0.5
		w.Observe = func(durability.Op, int, time.Duration) { requests.Add(1) }
		wg.Go(func() { errs <- w.Run(ctx) })
	}
	big := strings.Repeat("x", 60<<10)
	wg.Go(func() {
		for ctx.Err() == nil {
			if _, err := client.Do(ctx, http.MethodPost, "/api/atlas/v2/groups", map[string]any{"name": "big", "orgId": creds.OrgID, "notes": big}); err != nil && ctx.Err() == nil {
				errs <- err
				return
			}
			requests.Add(1)
		}
	})
	wg.Go(func() {
		for ctx.Err() == nil {
			res, err := http.Get(creds.BaseURL + "/_stub/requests?limit=500")
			if err == nil {
				res.Body.Close()
			}
			sleep(ctx, time.Second)
		}
	})
	var samples []sample
	for range int(duration / every) {
		time.Sleep(time.Until(start.Add(time.Duration(len(samples)+1) * every)))
		rss, err := residentKiB(cmd.Process.Pid)
		if err != nil {
			return nil, 0, err
		}
		samples = append(samples, sample{time.Since(start).Round(time.Second), rss})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return samples, requests.Load(), err
		}
	}
	return samples, requests.Load(), nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// waitForCredentials waits until the stub wrote its credentials, which it does once it listens.
func waitForCredentials(file string) (durability.Credentials, error) {
	var creds durability.Credentials
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		data, err := os.ReadFile(file)
		if err == nil && json.Unmarshal(data, &creds) == nil && creds.BaseURL != "" {
			return creds, nil
		}
	}
	return creds, errors.New("the stub did not write its credentials within a minute")
}

// residentKiB reads a process's resident set size from /proc (Linux).
func residentKiB(pid int) (int64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS in /proc/" + strconv.Itoa(pid) + "/status")
}
