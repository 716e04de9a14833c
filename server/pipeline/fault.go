package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Fault is what the faults step did to a request: the steps around the handler read it to answer
// as the fault asks, and the access log to show it.
type Fault struct {
	// Rule is the id of the fault rule that met the request; empty when only the latency of every
	// request was added.
	Rule string
	// Action says what the rule did, such as "error 503 SERVICE_UNAVAILABLE".
	Action string
	// Latency is how long the request waited before it was handled.
	Latency time.Duration
	// Replaced says that the answer is the rule's, not the handler's. Strict mode does not check
	// it against the specification: an injected error is what the test asked for, not a bug of
	// the stub.
	Replaced bool
	// Drop closes the connection instead of answering.
	Drop bool
	// SlowBody spreads the answer's body over this long.
	SlowBody time.Duration
}

// logGroup is the fault as the access log shows it.
func (f *Fault) logGroup() slog.Attr {
	attrs := []any{"latency", f.Latency}
	if f.Rule != "" {
		attrs = append(attrs, "rule", f.Rule, "action", f.Action)
	}
	return slog.Group("fault", attrs...)
}

// deliver hands the shaped response to the client as the fault asks: not at all (the connection
// is closed), with its body spread over time, or at once.
func deliver(ctx context.Context, w http.ResponseWriter, status int, body []byte, fault *Fault) error {
	if fault != nil && fault.Drop {
		return dropConnection(w)
	}
	w.WriteHeader(status)
	if fault == nil || fault.SlowBody <= 0 || len(body) == 0 {
		_, err := w.Write(body)
		return err
	}
	flusher := http.NewResponseController(w)
	_ = flusher.Flush() // the headers go out first
	pieces := min(len(body), slowBodyPieces)
	pause := fault.SlowBody / time.Duration(pieces)
	for i := range pieces {
		if err := Sleep(ctx, pause); err != nil {
			return err
		}
		if _, err := w.Write(body[i*len(body)/pieces : (i+1)*len(body)/pieces]); err != nil {
			return err
		}
		if err := flusher.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// dropConnection closes the client's connection without an answer. The stub serves HTTP/1.1,
// whose connections a handler can take over.
func dropConnection(w http.ResponseWriter) error {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return fmt.Errorf("drop the connection: %w", err)
	}
	return conn.Close()
}

// slowBodyPieces is how many pieces a slow body is written in, one after each pause.
const slowBodyPieces = 10

// Sleep waits d, or until ctx ends (the client went away, or the stub stops).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
