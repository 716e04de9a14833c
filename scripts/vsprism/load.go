package main

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Target is one operation of one server, as the load sends it: a GET with a bearer token and
// the versioned Accept header.
type Target struct {
	URL, Token, Accept string
}

// Result is what a server answered under the load. Only 2xx answers count as served: an
// error or a 429 is quick to send, and would flatter the server that sends it.
type Result struct {
	Took      time.Duration
	Served    int
	Failed    int             // other statuses, and requests that got no answer
	Latencies []time.Duration // of the served requests, sorted
	rates     []float64       // of the rounds merged into it, sorted
}

// PerSecond is the served requests per second: of a merged result, the median of its rounds.
func (r Result) PerSecond() float64 {
	if r.rates != nil {
		return r.rates[len(r.rates)/2]
	}
	return float64(r.Served) / r.Took.Seconds()
}

// merge pools the rounds of one server and operation: their requests, their latencies, and
// their rates, of which PerSecond is then the median.
func merge(rounds []Result) Result {
	var m Result
	for _, r := range rounds {
		m.Took += r.Took
		m.Served += r.Served
		m.Failed += r.Failed
		m.Latencies = append(m.Latencies, r.Latencies...)
		m.rates = append(m.rates, r.PerSecond())
	}
	slices.Sort(m.Latencies)
	slices.Sort(m.rates)
	return m
}

// Percentile returns the latency under which the share p of the served requests were answered.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	return r.Latencies[min(len(r.Latencies)-1, int(p*float64(len(r.Latencies))))]
}

// Drive sends the target's request over connections keep-alive connections at once, each
// sending the next request when the last is answered (a closed loop, as wrk does), for
// duration.
func Drive(ctx context.Context, t Target, connections int, duration time.Duration) Result {
	transport := &http.Transport{MaxIdleConnsPerHost: connections, MaxConnsPerHost: connections, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()

	var mu sync.Mutex
	total := Result{}
	var wg sync.WaitGroup
	start := time.Now()
	for range connections {
		wg.Go(func() {
			r := send(ctx, client, t)
			mu.Lock()
			defer mu.Unlock()
			total.Served += r.Served
			total.Failed += r.Failed
			total.Latencies = append(total.Latencies, r.Latencies...)
		})
	}
	wg.Wait()
	total.Took = time.Since(start)
	slices.Sort(total.Latencies)
	return total
}

// send is one connection's loop: request after request until ctx ends. A request cut short by
// the end is not counted.
func send(ctx context.Context, client *http.Client, t Target) Result {
	var r Result
	for ctx.Err() == nil {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
		if err != nil {
			r.Failed++
			return r
		}
		req.Header.Set("Authorization", "Bearer "+t.Token)
		req.Header.Set("Accept", t.Accept)
		began := time.Now()
		res, err := client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				r.Failed++
			}
			continue
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		took := time.Since(began)
		switch {
		case err != nil && ctx.Err() != nil:
		case err == nil && res.StatusCode >= 200 && res.StatusCode < 300:
			r.Served++
			r.Latencies = append(r.Latencies, took)
		default:
			r.Failed++
		}
	}
	return r
}
