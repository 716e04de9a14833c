package limits

import (
	"sync"
	"time"
)

// windows counts requests in fixed windows on the stub's clock: a budget of Requests opens with
// the first request of a key and refills whole when its window ends. Atlas describes its limits
// as token buckets that refill at fixed intervals, and its 429 says "N requests every M
// minutes"; a bucket refilled whole at the end of each window is both. (golang.org/x/time/rate
// refills continuously, one request every Window/Requests, which Atlas's answer does not say.)
type windows struct {
	mu      sync.Mutex
	open    map[budget]*window
	swept   int // how many windows were open after the last sweep
	minimum int // the least number of windows worth a sweep
}

type window struct {
	start, end time.Time
	used       int
}

func newWindows() *windows {
	return &windows{open: map[budget]*window{}, minimum: 1024}
}

// verdict is what a window says of one request.
type verdict struct {
	allowed bool
	// remaining is what is left of the budget after this request.
	remaining int
	// reset is how long until the window ends.
	reset time.Duration
}

// take counts a request against budget key of family f at now. A refused request uses nothing.
func (w *windows) take(key budget, f Family, now time.Time) verdict {
	w.mu.Lock()
	defer w.mu.Unlock()
	win := w.open[key]
	// A window whose start lies ahead belongs to a clock that was put back (POST /_stub/reset).
	if win == nil || !now.Before(win.end) || now.Before(win.start) {
		win = &window{start: now, end: now.Add(f.Window)}
		w.open[key] = win
		w.sweep(now)
	}
	reset := win.end.Sub(now)
	if win.used >= f.Requests {
		return verdict{reset: reset}
	}
	win.used++
	return verdict{allowed: true, remaining: f.Requests - win.used, reset: reset}
}

// sweep drops the windows that have ended once twice as many are open as after the last sweep,
// so that a stub that sees many callers or projects keeps only the windows still running.
func (w *windows) sweep(now time.Time) {
	if len(w.open) < max(2*w.swept, w.minimum) {
		return
	}
	for key, win := range w.open {
		if !now.Before(win.end) {
			delete(w.open, key)
		}
	}
	w.swept = len(w.open)
}

// reset forgets every window.
func (w *windows) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	clear(w.open)
	w.swept = 0
}
