package control

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/journal"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// StreamPath is where the journal streams its exchanges as server-sent events.
const StreamPath = pipeline.ControlPrefix + "requests/stream"

// keepAlive is how often an idle stream sends a comment, so that proxies and browsers keep it.
const keepAlive = 15 * time.Second

// StreamRequests is the step that serves GET /_stub/requests/stream (streamRequests in
// stub.yaml) behind guard, the control API's guard. It runs before the shaping step, which holds
// every response back until it is complete: a stream never is. Every other request goes on.
func StreamRequests(j *journal.Journal, guard echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		serve := guard(func(c echo.Context) error { return stream(c, j) })
		return func(c echo.Context) error {
			if req := c.Request(); req.URL.Path != StreamPath || req.Method != http.MethodGet {
				return next(c)
			}
			return serve(c)
		}
	}
}

// stream sends a `request` event for each new exchange until the client goes or the journal
// closes; a client that names the last event it saw first gets those it missed.
func stream(c echo.Context, j *journal.Journal) error {
	news, stop := j.Watch() // before reading where to start, so that no exchange slips between
	defer stop()
	last := j.LastID()
	if seen, err := strconv.ParseInt(c.Request().Header.Get("Last-Event-ID"), 10, 64); err == nil && seen >= 0 {
		last = min(seen, last)
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set(echo.HeaderCacheControl, "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher := http.NewResponseController(w)
	// The server's write timeout bounds a response from its headers to its end, and a stream
	// never ends: each write gets a deadline of its own instead, so that a client that stopped
	// reading is let go.
	deadline := func() { _ = flusher.SetWriteDeadline(time.Now().Add(2 * keepAlive)) }
	deadline()
	send := func() error {
		deadline()
		for _, e := range j.After(last) {
			data, err := json.Marshal(EntryOf(e))
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(w, "event: request\nid: %d\ndata: %s\n\n", e.ID, data); err != nil {
				return err
			}
			last = e.ID
		}
		return flusher.Flush()
	}
	if err := send(); err != nil {
		return nil // the client went away
	}
	ticker := time.NewTicker(keepAlive)
	defer ticker.Stop()
	for {
		select {
		case _, open := <-news:
			if !open || send() != nil {
				return nil
			}
		case <-ticker.C:
			deadline()
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || flusher.Flush() != nil {
				return nil
			}
		case <-c.Request().Context().Done():
			return nil
		}
	}
}
