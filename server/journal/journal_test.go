package journal_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/journal"
)

func exchange(op string, status int) journal.Exchange {
	return journal.Exchange{Time: time.Now(), Method: http.MethodGet, Path: "/api/atlas/v2/groups", OperationID: op, Status: status, RequestHeader: http.Header{}, ResponseHeader: http.Header{}}
}

func ids(entries []*journal.Entry) []int64 {
	out := []int64{}
	for _, e := range entries {
		out = append(out, e.ID)
	}
	return out
}

func TestTheJournalKeepsTheLastExchangesNewestFirst(t *testing.T) {
	j := journal.New(3, nil)
	for range 5 {
		j.Record(exchange("getGroup", 200))
	}
	assert.Equal(t, []int64{5, 4, 3}, ids(j.Newest(journal.Filter{}, 0)))
	assert.Equal(t, []int64{5, 4}, ids(j.Newest(journal.Filter{}, 2)))
	assert.Equal(t, []int64{4, 5}, ids(j.After(3)), "oldest first")
	assert.Equal(t, 3, j.Len())
	assert.Equal(t, int64(5), j.LastID())
	_, ok := j.Entry(2)
	assert.False(t, ok, "dropped")
	e, ok := j.Entry(4)
	require.True(t, ok)
	assert.Equal(t, int64(4), e.ID)
	_, ok = j.Entry(6)
	assert.False(t, ok, "not yet recorded")
}

func TestAJournalOfSizeZeroIsOffAndHoldsNothing(t *testing.T) {
	j := journal.New(0, nil)
	assert.Nil(t, j)
	j.Record(exchange("getGroup", 200))
	assert.Empty(t, j.Newest(journal.Filter{}, 0))
	assert.Equal(t, 0, j.Size())
	news, stop := j.Watch()
	defer stop()
	_, open := <-news
	assert.False(t, open, "a stream of no journal ends at once")
}

func TestTheJournalStaysWithinItsBytes(t *testing.T) {
	j := journal.New(10_000, nil)
	big := bytes.Repeat([]byte("x"), journal.MaxBodyBytes)
	for range 2_000 {
		x := exchange("createGroup", 400)
		x.RequestBody = journal.Body{Bytes: big, Size: int64(len(big))}
		x.ResponseBody = journal.Body{Bytes: big, Size: int64(len(big))}
		j.Record(x)
	}
	assert.LessOrEqual(t, j.Bytes(), int64(journal.MaxBytes))
	assert.Less(t, j.Len(), 2_000, "the oldest went before the journal was full by count")
	assert.Greater(t, j.Len(), 100)
	assert.Equal(t, int64(2_000), j.Newest(journal.Filter{}, 1)[0].ID, "the newest stays")
}

func TestFiltersCombine(t *testing.T) {
	j := journal.New(10, nil)
	j.Record(exchange("getGroup", 200))
	j.Record(exchange("getGroup", 404))
	j.Record(exchange("createGroup", 400))
	cut := time.Now()
	j.Record(exchange("getGroup", 401))
	status := func(s string) journal.StatusFilter {
		f, err := journal.ParseStatus(s)
		require.NoError(t, err)
		return f
	}
	for name, tc := range map[string]struct {
		filter journal.Filter
		want   []int64
	}{
		"none":                   {journal.Filter{}, []int64{4, 3, 2, 1}},
		"operation":              {journal.Filter{OperationID: "getGroup"}, []int64{4, 2, 1}},
		"status":                 {journal.Filter{Status: status("404")}, []int64{2}},
		"class":                  {journal.Filter{Status: status("4xx")}, []int64{4, 3, 2}},
		"operation and class":    {journal.Filter{OperationID: "getGroup", Status: status("4xx")}, []int64{4, 2}},
		"since":                  {journal.Filter{Since: cut}, []int64{4}},
		"after":                  {journal.Filter{After: 2}, []int64{4, 3}},
		"nothing passes":         {journal.Filter{OperationID: "deleteGroup"}, []int64{}},
		"class and after, mixed": {journal.Filter{Status: status("2xx"), After: 1}, []int64{}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, ids(j.Newest(tc.filter, 0)))
		})
	}
}

func TestParseStatus(t *testing.T) {
	for _, good := range []string{"100", "200", "404", "599", "1xx", "4xx", "5xx"} {
		f, err := journal.ParseStatus(good)
		require.NoError(t, err, good)
		assert.Equal(t, good, f.String())
	}
	for _, bad := range []string{"", "99", "600", "6xx", "0xx", "4XX", "40", "4000", "+40", "-404", "4x", "xx4", "20 "} {
		_, err := journal.ParseStatus(bad)
		assert.Error(t, err, bad)
	}
}

// FuzzParseStatus: whatever it reads, it writes back the same, and it passes statuses of its
// kind only.
func FuzzParseStatus(f *testing.F) {
	for _, seed := range []string{"404", "4xx", "5xx", "600", "", "0x0"} {
		f.Add(seed, 404)
	}
	f.Fuzz(func(t *testing.T, s string, status int) {
		filter, err := journal.ParseStatus(s)
		if err != nil {
			return
		}
		assert.Equal(t, s, filter.String())
		if filter.Passes(status) {
			assert.True(t, s == itoa(status) || s[0] == itoa(status)[0] && s[1:] == "xx" && status >= 100 && status < 600, "%q passes %d", s, status)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestAWatchHearsOfNewEntriesAndEndsWhenTheJournalCloses(t *testing.T) {
	j := journal.New(10, nil)
	news, stop := j.Watch()
	defer stop()
	j.Record(exchange("getGroup", 200))
	j.Record(exchange("getGroup", 200)) // coalesced with the first signal, never blocking
	_, open := <-news
	assert.True(t, open)
	j.Close()
	_, open = <-news
	assert.False(t, open)
	j.Record(exchange("getGroup", 200))
	assert.Equal(t, int64(2), j.LastID(), "a closed journal records nothing")
}

func TestAnEntrysViewCountsTowardsTheJournalsBytes(t *testing.T) {
	j := journal.New(10, nil)
	x := exchange("getGroup", 200)
	x.ResponseHeader.Set("Content-Type", "application/json")
	x.ResponseBody = journal.Body{Bytes: []byte(`{"name":"` + strings.Repeat("x", 1000) + `"}`), Size: 1010}
	j.Record(x)
	before := j.Bytes()
	j.Newest(journal.Filter{}, 1)[0].View()
	assert.Greater(t, j.Bytes(), before+1000, "the masked body is kept on the entry")
}
