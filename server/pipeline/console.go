package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ConsoleHandler writes the log for a person at a terminal, one line per record. An access-log
// record reads as the request and its answer:
//
//	16:04:05.123 201 POST /api/atlas/v2/groups/{id}/databaseUsers 3.2ms createGroupDatabaseUser caller=mdb_sa_id_...
//	16:04:05.130 401 GET /api/atlas/v2/groups?pretty=true 0.4ms listGroups UNAUTHORIZED
//
// and any other as its time, level, message and attributes:
//
//	16:04:05.000 INFO serving baseUrl=http://127.0.0.1:8080 keyType=rsa-4096 strict=false
//
// Values with spaces, quotes or line breaks are quoted, so that a record never spans lines. The
// request id and TCP peer of a request are left out; the JSON log has them.
type ConsoleHandler struct {
	w     *lockedWriter
	level slog.Leveler
	// attrs are the handler's own attributes (WithAttrs), written; group prefixes their keys.
	attrs string
	group string
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// NewConsoleHandler returns a ConsoleHandler that writes the records at level and above (Info
// when nil) to w.
func NewConsoleHandler(w io.Writer, level slog.Leveler) *ConsoleHandler {
	if level == nil {
		level = slog.LevelInfo
	}
	return &ConsoleHandler{w: &lockedWriter{w: w}, level: level}
}

func (h *ConsoleHandler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= h.level.Level()
}

func (h *ConsoleHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	if !r.Time.IsZero() {
		b.WriteString(r.Time.Format("15:04:05.000"))
		b.WriteByte(' ')
	}
	if r.Message == AccessLogMessage && r.Level == slog.LevelInfo && h.group == "" {
		writeRequest(&b, r)
	} else {
		b.WriteString(r.Level.String())
		b.WriteByte(' ')
		b.WriteString(quoteIfNeeded(r.Message))
		b.WriteString(h.attrs)
		r.Attrs(func(a slog.Attr) bool {
			writeAttr(&b, h.group, a)
			return true
		})
	}
	b.WriteByte('\n')
	h.w.mu.Lock()
	defer h.w.mu.Unlock()
	_, err := io.WriteString(h.w.w, b.String())
	return err
}

// writeRequest writes an access-log record: status, method, path and query, duration, operation,
// errorCode, then the caller.
func writeRequest(b *strings.Builder, r slog.Record) {
	values := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool {
		values[a.Key] = a.Value.Resolve()
		return true
	})
	str := func(key string) string {
		if v, ok := values[key]; ok {
			return v.String()
		}
		return ""
	}
	target := str(LogPath)
	if query := str(LogQuery); query != "" {
		target += "?" + query
	}
	fmt.Fprintf(b, "%s %s %s", str(LogStatus), str(LogMethod), quoteIfNeeded(target))
	if ms, ok := values[LogDurationMs]; ok && ms.Kind() == slog.KindFloat64 {
		fmt.Fprintf(b, " %sms", strconv.FormatFloat(ms.Float64(), 'f', -1, 64))
	}
	for _, key := range []string{LogOperation, LogErrorCode} {
		if v := str(key); v != "" {
			b.WriteString(" " + quoteIfNeeded(v))
		}
	}
	if caller := str(LogCaller); caller != "" {
		b.WriteString(" caller=" + quoteIfNeeded(caller))
	}
}

func (h *ConsoleHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var b strings.Builder
	for _, a := range attrs {
		writeAttr(&b, h.group, a)
	}
	clone := *h
	clone.attrs += b.String()
	return &clone
}

func (h *ConsoleHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	clone := *h
	clone.group += name + "."
	return &clone
}

// writeAttr writes " key=value", a group's attributes with the group's name before their keys.
func writeAttr(b *strings.Builder, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, member := range v.Group() {
			writeAttr(b, prefix, member)
		}
		return
	}
	if a.Equal(slog.Attr{}) {
		return
	}
	text := v.String()
	if v.Kind() == slog.KindTime {
		text = v.Time().Format(time.RFC3339Nano)
	}
	b.WriteString(" " + prefix + a.Key + "=" + quoteIfNeeded(text))
}

// quoteIfNeeded quotes a value that would otherwise not read as one word.
func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\r\n\"\\") || !strconv.CanBackquote(s) {
		return strconv.Quote(s)
	}
	return s
}
