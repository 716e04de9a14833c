// Package journal keeps the last exchanges of the Atlas API with the stub, for the control API's
// /_stub/requests and the inspector page. Recording an exchange only stores the copy the
// recording step made; everything a reader wants to see (masked bodies, the verdicts of the
// request and response against the specification, a curl) is computed when the entry is first
// read, and kept on the entry.
package journal

import (
	"sync"
)

// DefaultSize is how many exchanges a journal keeps unless told otherwise.
const DefaultSize = 1000

// MaxBytes bounds the memory of a journal: when its entries would take more, the oldest go first,
// even before the journal holds Size of them.
const MaxBytes = 32 << 20

// Verifier judges an exchange against the specification, when an entry is first read.
type Verifier func(*Exchange) Verdicts

// Journal is a bounded, concurrent log of exchanges, oldest first. A nil *Journal records
// nothing and holds nothing: the stub without a journal.
type Journal struct {
	size   int
	verify Verifier

	mu      sync.Mutex
	entries []*Entry // a ring: entries[head] is the oldest of count
	head    int
	count   int
	bytes   int64
	lastID  int64
	waiting map[chan struct{}]struct{}
	closed  bool
}

// New returns a journal of the last size exchanges, judged by verify when read; nil when size
// is 0, the journal turned off.
func New(size int, verify Verifier) *Journal {
	if size <= 0 {
		return nil
	}
	return &Journal{size: size, verify: verify, entries: make([]*Entry, size), waiting: map[chan struct{}]struct{}{}}
}

// Record keeps x as the newest entry, dropping the oldest ones beyond the journal's size or
// memory, and wakes the readers that wait for news. It never waits for a reader.
func (j *Journal) Record(x Exchange) {
	if j == nil {
		return
	}
	e := &Entry{Exchange: x, journal: j, cost: x.cost()}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return
	}
	j.lastID++
	e.ID = j.lastID
	if j.count == j.size {
		j.dropOldest()
	}
	j.entries[(j.head+j.count)%j.size] = e
	j.count++
	j.bytes += e.cost
	j.keepWithinBytes()
	for ch := range j.waiting {
		select {
		case ch <- struct{}{}:
		default: // it has news waiting already
		}
	}
}

// grow adds to the cost of an entry, once its view is computed, if the journal still holds it.
func (j *Journal) grow(e *Entry, by int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.count == 0 || e.ID < j.entries[j.head].ID {
		return // dropped already: the reader's copy goes with the reader
	}
	e.cost += by
	j.bytes += by
	j.keepWithinBytes()
}

// keepWithinBytes drops the oldest entries until the rest take no more than MaxBytes; the
// newest stays whatever it takes.
func (j *Journal) keepWithinBytes() {
	for j.bytes > MaxBytes && j.count > 1 {
		j.dropOldest()
	}
}

func (j *Journal) dropOldest() {
	j.bytes -= j.entries[j.head].cost
	j.entries[j.head] = nil
	j.head = (j.head + 1) % j.size
	j.count--
}

// Newest returns the entries that pass filter, newest first, at most limit of them (all when
// limit <= 0).
func (j *Journal) Newest(filter Filter, limit int) []*Entry {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*Entry
	for i := j.count - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		if e := j.entries[(j.head+i)%j.size]; filter.Passes(e) {
			out = append(out, e)
		}
	}
	return out
}

// After returns the entries recorded after the entry id, oldest first.
func (j *Journal) After(id int64) []*Entry {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*Entry
	for i := range j.count {
		if e := j.entries[(j.head+i)%j.size]; e.ID > id {
			out = append(out, e)
		}
	}
	return out
}

// Entry returns the entry id, if the journal still holds it.
func (j *Journal) Entry(id int64) (*Entry, bool) {
	if j == nil {
		return nil, false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.count == 0 {
		return nil, false
	}
	oldest := j.entries[j.head].ID
	if id < oldest || id > j.lastID {
		return nil, false
	}
	// Ids are consecutive: the entry sits id-oldest places after the oldest.
	return j.entries[(j.head+int(id-oldest))%j.size], true
}

// Len returns how many entries the journal holds.
func (j *Journal) Len() int {
	if j == nil {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.count
}

// Bytes returns roughly how much memory the entries take.
func (j *Journal) Bytes() int64 {
	if j == nil {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bytes
}

// Watch returns a channel that receives a signal, coalesced, after each new entry, and a
// function that stops the watch. The channel is closed when the journal closes.
func (j *Journal) Watch() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	if j == nil {
		close(ch)
		return ch, func() {}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		close(ch)
		return ch, func() {}
	}
	j.waiting[ch] = struct{}{}
	return ch, func() {
		j.mu.Lock()
		defer j.mu.Unlock()
		if _, ok := j.waiting[ch]; ok {
			delete(j.waiting, ch)
			close(ch)
		}
	}
}

// Close ends every watch, so that the streams that read the journal end as the stub stops;
// the journal records nothing more.
func (j *Journal) Close() {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.closed = true
	for ch := range j.waiting {
		delete(j.waiting, ch)
		close(ch)
	}
}

// Size returns how many entries the journal keeps at most; 0 for no journal.
func (j *Journal) Size() int {
	if j == nil {
		return 0
	}
	return j.size
}

// LastID returns the id of the newest entry ever recorded; 0 before the first.
func (j *Journal) LastID() int64 {
	if j == nil {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lastID
}
