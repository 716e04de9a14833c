package journal_test

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/atlasstub/atlasstub/server/journal"
)

// BenchmarkJournalMemory fills a journal of the default size with exchanges whose bodies are
// 16 KiB each way, more of them than it keeps, reads the newest (which masks them and keeps the
// masked copy on the entry), and reports the live heap the journal holds after a collection,
// against journal.MaxBytes: the bound holds however many exchanges pass and are read. By default
// it records 1000 exchanges and reads 100, quick enough for make test's single run under the race
// detector; ATLASSTUB_JOURNAL_BENCH_EXCHANGES and ATLASSTUB_JOURNAL_BENCH_READS (0 for all)
// change that. scripts/journal-memory.sh measures a running stub under load.
func BenchmarkJournalMemory(b *testing.B) {
	exchanges, reads := envInt("ATLASSTUB_JOURNAL_BENCH_EXCHANGES", 1000), envInt("ATLASSTUB_JOURNAL_BENCH_READS", 100)
	body := append(append([]byte(`{"description":"`), bytes.Repeat([]byte("x"), 16<<10)...), `"}`...)
	var heapMiB, keptMiB float64
	var kept int
	for b.Loop() {
		before := liveHeap()
		j := journal.New(journal.DefaultSize, nil)
		for range exchanges {
			x := exchange("createGroup", 201)
			x.RequestHeader.Set("Content-Type", "application/json")
			x.ResponseHeader.Set("Content-Type", "application/json")
			x.RequestBody = journal.Body{Bytes: bytes.Clone(body), Size: int64(len(body))}
			x.ResponseBody = journal.Body{Bytes: bytes.Clone(body), Size: int64(len(body))}
			j.Record(x)
		}
		for _, e := range j.Newest(journal.Filter{}, reads) {
			e.View()
		}
		heapMiB = float64(liveHeap()-before) / (1 << 20)
		keptMiB = float64(j.Bytes()) / (1 << 20)
		kept = j.Len()
		runtime.KeepAlive(j)
	}
	b.ReportMetric(heapMiB, "heap-MiB")
	b.ReportMetric(keptMiB, "accounted-MiB")
	b.ReportMetric(float64(journal.MaxBytes)/(1<<20), "bound-MiB")
	b.ReportMetric(float64(kept), "entries")
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func envInt(name string, otherwise int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n >= 0 {
		return n
	}
	return otherwise
}
