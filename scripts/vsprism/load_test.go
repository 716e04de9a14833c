package main

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestDriveCountsWhatTheStubServes seeds an in-process stub as the script seeds atlasstub, and
// drives both operations for a moment: every answer is a 2xx and counted, in order of latency;
// a request that the stub refuses counts as failed, not served.
func TestDriveCountsWhatTheStubServes(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithRateLimits(limits.Off))
	s, err := seed(stub.URL, accept, 3)
	require.NoError(t, err)

	var run []measurement
	for _, op := range operations {
		r := Drive(context.Background(), Target{URL: stub.URL + op.path(s), Token: s.token, Accept: accept}, 4, 200*time.Millisecond)
		assert.Positive(t, r.Served, op.name)
		assert.Zero(t, r.Failed, op.name)
		assert.Len(t, r.Latencies, r.Served)
		assert.True(t, slices.IsSorted(r.Latencies))
		assert.LessOrEqual(t, r.Percentile(0.5), r.Percentile(0.99))
		run = append(run, measurement{op.name, "stub", r})
	}

	refused := Drive(context.Background(), Target{URL: stub.URL + operations[1].path(s), Token: "not-a-token", Accept: accept}, 2, 100*time.Millisecond)
	assert.Zero(t, refused.Served)
	assert.Positive(t, refused.Failed)
	assert.Zero(t, refused.Percentile(0.99), "no latency without a served request")

	chart := drawChart(append(run, measurement{operations[0].name, "Prism", refused}), 4, 1, time.Second)
	assertWellFormed(t, chart)
	assert.Equal(t, 3, strings.Count(chart, "<polyline"), "a line of percentiles per server and operation")
	assert.Contains(t, chart, "list 10 certificates")
}

func assertWellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err)
	}
}

// TestDriveReconnectsWhenTheServerCloses: a server that closes the connection after each answer
// (as some do under load) costs a new connection, not a failure.
func TestDriveReconnectsWhenTheServerCloses(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer t", r.Header.Get("Authorization"))
		assert.Equal(t, accept, r.Header.Get("Accept"))
		w.Header().Set("Connection", "close")
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	defer server.Close()
	r := Drive(context.Background(), Target{URL: server.URL + "/x", Token: "t", Accept: accept}, 2, 100*time.Millisecond)
	assert.Positive(t, r.Served)
	assert.Zero(t, r.Failed)
}

func TestSeedReportsARefusal(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithRateLimits(limits.Off))
	_, err := seed(stub.URL+"/nowhere", accept, 1)
	assert.Error(t, err)
}

func TestMergeTakesTheMedianRateAndPoolsLatencies(t *testing.T) {
	round := func(served int, latency time.Duration) Result {
		return Result{Took: time.Second, Served: served, Latencies: []time.Duration{latency}}
	}
	m := merge([]Result{round(300, 3*time.Millisecond), round(100, time.Millisecond), round(200, 2*time.Millisecond)})
	assert.InDelta(t, 200, m.PerSecond(), 0.001, "the median round")
	assert.Equal(t, 600, m.Served)
	assert.Equal(t, []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}, m.Latencies)
}
