package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/journal"
)

// journalSizeOf reads how many exchanges the journal of a running stub keeps.
func journalSizeOf(t *testing.T, baseURL string) int32 {
	t.Helper()
	res, err := http.Get(baseURL + "/_stub/requests")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	var page stubapi.JournalPage
	require.NoError(t, json.NewDecoder(res.Body).Decode(&page))
	return page.Size
}

func TestServeKeepsAJournalOfTheSizeAsked(t *testing.T) {
	assert.Equal(t, int32(journal.DefaultSize), journalSizeOf(t, startServe(t).BaseUrl))
	assert.Equal(t, int32(0), journalSizeOf(t, startServe(t, "--journal-size", "0").BaseUrl), "0 turns it off")

	t.Setenv("ATLASSTUB_JOURNAL_SIZE", "7")
	opts, _, ok := parseServeFlags(nil, io.Discard, io.Discard)
	require.True(t, ok)
	assert.Equal(t, 7, opts.journalSize)

	var stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"serve", "--journal-size", "-1"}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "atlasstub serve: --journal-size must not be negative, got -1")
}

// TestTheJournalsStreamOutlivesTheWriteTimeout: the server's write timeout bounds a response
// from its headers to its end, which a stream never reaches; the stream sets deadlines of its own.
func TestTheJournalsStreamOutlivesTheWriteTimeout(t *testing.T) {
	creds := startServeWith(t, func(o *serveOptions) { o.timeouts.write = 100 * time.Millisecond }, io.Discard)
	res, err := http.Get(creds.BaseUrl + "/_stub/requests/stream")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	time.Sleep(300 * time.Millisecond) // three times the write timeout
	// A request of a curated path, answered quickly (401), so that the stream has an event.
	probe, err := http.Get(creds.BaseUrl + "/api/atlas/v2/groups")
	require.NoError(t, err)
	probe.Body.Close()
	line, err := bufio.NewReader(res.Body).ReadString('\n')
	require.NoError(t, err, "the stream is still open")
	assert.Equal(t, "event: request\n", line)
}
