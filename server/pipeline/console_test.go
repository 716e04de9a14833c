package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/server/pipeline"
)

func TestConsoleHandlerWritesARequestAsOneReadableLine(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(pipeline.NewConsoleHandler(&out, nil))
	log.LogAttrs(context.Background(), slog.LevelInfo, pipeline.AccessLogMessage,
		slog.String(pipeline.LogRequestID, "req-1"), slog.String(pipeline.LogMethod, "GET"),
		slog.String(pipeline.LogPath, "/api/atlas/v2/groups"), slog.String(pipeline.LogQuery, "pretty=true"),
		slog.Int(pipeline.LogStatus, 401), slog.String(pipeline.LogErrorCode, "UNAUTHORIZED"),
		slog.Float64(pipeline.LogDurationMs, 0.412), slog.String(pipeline.LogOperation, "listGroups"),
		slog.String(pipeline.LogRemote, "127.0.0.1:5555"))
	log.LogAttrs(context.Background(), slog.LevelInfo, pipeline.AccessLogMessage,
		slog.String(pipeline.LogMethod, "POST"), slog.String(pipeline.LogPath, "/api/atlas/v2/groups"),
		slog.Int(pipeline.LogStatus, 200), slog.Float64(pipeline.LogDurationMs, 3.25),
		slog.String(pipeline.LogOperation, "createGroup"), slog.String(pipeline.LogCaller, "mdb_sa_id_0123"))

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if assert.Len(t, lines, 2) {
		assert.Regexp(t, `^\d\d:\d\d:\d\d\.\d{3} 401 GET /api/atlas/v2/groups\?pretty=true 0\.412ms listGroups UNAUTHORIZED$`, lines[0])
		assert.Regexp(t, `^\d\d:\d\d:\d\d\.\d{3} 200 POST /api/atlas/v2/groups 3\.25ms createGroup caller=mdb_sa_id_0123$`, lines[1])
	}
}

func TestConsoleHandlerKeepsEveryOtherRecordOnOneLine(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(pipeline.NewConsoleHandler(&out, slog.LevelInfo)).With("component", "pool")
	log.Debug("not shown")
	log.WithGroup("key").Error("panic while serving a request", "stack", "goroutine 1:\n\tmain.go:1", "err", errors.New(`said "no"`), "size", 4096)
	log.Info("serving", slog.Group("config", "strict", true), "at", time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC))

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if assert.Len(t, lines, 2, out.String()) {
		assert.Regexp(t, `^\d\d:\d\d:\d\d\.\d{3} ERROR "panic while serving a request" component=pool key\.stack="goroutine 1:\\n\\tmain\.go:1" key\.err="said \\"no\\"" key\.size=4096$`, lines[0])
		assert.Regexp(t, `^\d\d:\d\d:\d\d\.\d{3} INFO serving component=pool config\.strict=true at=2026-12-04T16:00:00Z$`, lines[1])
	}
}

// FuzzConsoleHandlerWritesOneLine: whatever a client puts in a path, a query or a header that
// the log repeats, and whatever a message holds, a record is exactly one line.
func FuzzConsoleHandlerWritesOneLine(f *testing.F) {
	f.Add("/api/atlas/v2/groups", "pretty=true", "UNAUTHORIZED", "serving")
	f.Add("/a b\n", "x=\"1\"\r\n", "", "panic\n\tat main.go:1")
	f.Add("/\u2028", "\x00\x1b[2J", "é", "`")
	f.Fuzz(func(t *testing.T, path, query, code, message string) {
		var out bytes.Buffer
		log := slog.New(pipeline.NewConsoleHandler(&out, nil))
		log.LogAttrs(context.Background(), slog.LevelInfo, pipeline.AccessLogMessage, slog.String(pipeline.LogMethod, "GET"),
			slog.String(pipeline.LogPath, path), slog.String(pipeline.LogQuery, query), slog.Int(pipeline.LogStatus, 400),
			slog.String(pipeline.LogErrorCode, code), slog.String(pipeline.LogCaller, message))
		log.Info(message, "value", path, "other", query)
		lines := strings.Split(out.String(), "\n")
		if len(lines) != 3 || lines[2] != "" {
			t.Fatalf("want two records on two lines, got %q", out.String())
		}
	})
}
