// Command load measures a mixed load against atlasstub with and without --data-dir, in one run:
// CLIENTS clients (64) each create, change, delete and read their own projects, users,
// certificates, service accounts, secrets, API keys and access lists for DURATION (60s) against
// each stub in turn. It reports the requests answered per second, the latencies, the 5xx
// answers, and the acknowledged writes that the state does not hold: for the stub with
// --data-dir, also after it is killed with SIGKILL and started again. It exits 1 if any answer
// is a 5xx or any write is lost. scripts/load.sh builds the binary and runs it.
//
//	go run ./scripts/load -binary atlasstub [-duration 60s] [-clients 64] [-reads 0.5]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/atlasstub/atlasstub/scripts/durability"
)

func main() {
	binary := flag.String("binary", "", "the atlasstub binary")
	duration := flag.Duration("duration", time.Minute, "how long each stub is under load")
	clients := flag.Int("clients", 64, "clients at once")
	reads := flag.Float64("reads", 0.5, "share of the requests that read")
	keyType := flag.String("key-type", "ecdsa-p256", "the stubs' certificate key type")
	flag.Parse()
	if *binary == "" {
		fmt.Fprintln(os.Stderr, "load: -binary is required")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "atlasstub-load")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fmt.Printf("%d clients, %.0f%% reads, %s per stub, --key-type %s\n\n", *clients, *reads*100, *duration, *keyType)
	fmt.Println("| stub | requests | per second | writes per second | p50 | p99 | 5xx | lost writes |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	failed := false
	for _, stub := range []struct {
		name string
		args []string
	}{
		{"in memory", nil},
		{"--data-dir", []string{"--data-dir", filepath.Join(dir, "data")}},
	} {
		args := append([]string{"--key-type", *keyType, "--key-pool", "8"}, stub.args...)
		r, err := measure(*binary, filepath.Join(dir, "stub.log"), args, *clients, *reads, *duration)
		if err != nil {
			fmt.Fprintf(os.Stderr, "load: %s: %v\n", stub.name, err)
			failed = true
		}
		fmt.Printf("| %s | %d | %.0f | %.0f | %.1f ms | %.1f ms | %d | %d |\n", stub.name, r.requests, r.perSecond(r.requests), r.perSecond(r.writes),
			ms(r.percentile(0.50)), ms(r.percentile(0.99)), r.serverErrors, len(r.lost))
		for _, problem := range r.lost {
			fmt.Fprintln(os.Stderr, "  "+problem)
		}
		failed = failed || r.serverErrors > 0 || len(r.lost) > 0
	}
	if failed {
		os.Exit(1)
	}
}

// result is what one stub did under the load.
type result struct {
	took                           time.Duration
	requests, writes, serverErrors int
	latencies                      []time.Duration
	// lost are the problems of the checks after the load: acknowledged writes not held, or
	// records that do not hold together.
	lost []string
}

func (r result) perSecond(n int) float64 { return float64(n) / r.took.Seconds() }

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	slices.Sort(r.latencies)
	return r.latencies[int(p*float64(len(r.latencies)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// measure starts a stub, loads it for duration, and checks its state; a stub with a data
// directory is then killed, started again and checked again.
func measure(binary, logFile string, args []string, clients int, reads float64, duration time.Duration) (result, error) {
	var r result
	p, err := durability.Start(binary, logFile, args...)
	if err != nil {
		return r, err
	}
	defer func() { _ = p.Stop() }() // the restarted one, when there is one
	creds, err := p.Ready(time.Minute)
	if err != nil {
		return r, err
	}
	client := durability.NewClient(creds, "")
	defer client.Close()
	ctx := context.Background()
	if _, err := client.Token(ctx); err != nil {
		return r, err
	}

	ledgers := make([]*durability.Ledger, clients)
	stats := make([]result, clients)
	errs := make([]error, clients)
	running, stop := context.WithTimeout(ctx, duration)
	defer stop()
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		ledgers[i] = durability.NewLedger()
		w := durability.NewWriter(i, client, creds.OrgID, ledgers[i], uint64(start.UnixNano()))
		w.Reads = reads
		w.Observe = func(op durability.Op, status int, took time.Duration) {
			s := &stats[i]
			s.requests++
			if op.Kind != durability.Read {
				s.writes++
			}
			if status >= 500 {
				s.serverErrors++
			}
			s.latencies = append(s.latencies, took)
		}
		wg.Go(func() { errs[i] = w.Run(running) })
	}
	wg.Wait()
	r.took = time.Since(start)
	for _, s := range stats {
		r.requests += s.requests
		r.writes += s.writes
		r.serverErrors += s.serverErrors
		r.latencies = append(r.latencies, s.latencies...)
	}
	if err := errors.Join(errs...); err != nil {
		return r, err
	}
	checker := durability.NewChecker()
	r.lost = checker.Check(ctx, client, ledgers)
	if !slices.Contains(args, "--data-dir") {
		return r, nil
	}
	if err := p.Kill(); err != nil {
		return r, err
	}
	if p, err = durability.Start(binary, logFile, args...); err != nil {
		return r, err
	}
	if creds, err = p.Ready(time.Minute); err != nil {
		return r, err
	}
	restarted := durability.NewClient(creds, "")
	defer restarted.Close()
	for _, problem := range checker.Check(ctx, restarted, ledgers) {
		r.lost = append(r.lost, "after a restart: "+problem)
	}
	return r, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "load:", strings.TrimSpace(err.Error()))
	os.Exit(1)
}
