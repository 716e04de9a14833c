package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
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
// duration. Like wrk, it writes the request's bytes, prepared once, and reads only what it must
// of the answer (status, headers, and the body to discard): net/http's client spends more of the
// machine's processors than a quick server does, and would measure itself.
func Drive(ctx context.Context, t Target, connections int, duration time.Duration) Result {
	request, address, err := prepare(t)
	if err != nil {
		return Result{Failed: 1}
	}
	deadline := time.Now().Add(duration)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	var mu sync.Mutex
	total := Result{}
	var wg sync.WaitGroup
	start := time.Now()
	for range connections {
		wg.Go(func() {
			r := send(ctx, address, request, deadline)
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

// prepare writes the target's request as it goes on the wire, and returns the address to send
// it to.
func prepare(t Target) ([]byte, string, error) {
	u, err := url.Parse(t.URL)
	if err != nil {
		return nil, "", err
	}
	req, err := http.NewRequest(http.MethodGet, t.URL, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Authorization", "Bearer "+t.Token)
	req.Header.Set("Accept", t.Accept)
	req.Header.Set("User-Agent", "atlasstub-vsprism")
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		return nil, "", err
	}
	return wire.Bytes(), u.Host, nil
}

// send is one connection's loop: request after request until the deadline, on a new connection
// when the server closes one. A request cut short by the end is not counted.
func send(ctx context.Context, address string, request []byte, deadline time.Time) Result {
	var r Result
	var conn net.Conn
	var reader *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	// The connection's deadline is the end too: a request still waiting then fails with a
	// timeout, which is the end, not a failure.
	ended := func() bool { return ctx.Err() != nil || !time.Now().Before(deadline) }
	var dialer net.Dialer
	for !ended() {
		if conn == nil {
			c, err := dialer.DialContext(ctx, "tcp", address)
			if err != nil {
				if !ended() {
					r.Failed++
				}
				continue
			}
			_ = c.SetDeadline(deadline)
			conn, reader = c, bufio.NewReader(c)
		}
		began := time.Now()
		status, keep, err := exchange(conn, reader, request)
		took := time.Since(began)
		switch {
		case err != nil && ended():
		case err == nil && status >= 200 && status < 300:
			r.Served++
			r.Latencies = append(r.Latencies, took)
		default:
			r.Failed++
		}
		if err != nil || !keep {
			conn.Close()
			conn = nil
		}
	}
	return r
}

// exchange sends the request and reads its answer to the end: the status, and whether the
// connection stays open.
func exchange(conn net.Conn, reader *bufio.Reader, request []byte) (int, bool, error) {
	if _, err := conn.Write(request); err != nil {
		return 0, false, err
	}
	res, err := http.ReadResponse(reader, nil)
	if err != nil {
		return 0, false, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, !res.Close, err
}
