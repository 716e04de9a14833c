package journal

import (
	"net/http"
	"sync"
)

// Entry is one exchange the journal keeps, with its id: 1 for the first exchange a journal
// records, one more for each after it.
type Entry struct {
	ID int64
	Exchange

	// cost is what the entry takes in memory, its view included once computed; the journal
	// guards it.
	cost    int64
	journal *Journal
	once    sync.Once
	view    View
}

// View is an entry as a reader sees it: without a secret, with its verdicts against the
// specification and a curl that repeats it. It is computed when the entry is first read.
type View struct {
	Query          string
	RequestHeader  http.Header
	RequestBody    string
	ResponseHeader http.Header
	ResponseBody   string
	Verdicts       Verdicts
	Curl           string
}

// Verdicts are the judgements of an exchange against the specification.
type Verdicts struct {
	Request  Verdict
	Response Verdict
}

// Verdict is the judgement of a request or a response.
type Verdict struct {
	// Checked says that it was checked; Note says why not when it was not.
	Checked bool
	Note    string
	// ErrorCode and Detail are the Atlas error that the stub's checks answer a request that
	// breaks the contract with.
	ErrorCode string
	Detail    string
	// Violations are the ways it breaks the contract; none when it keeps it.
	Violations []Violation
}

// Passed reports whether it was checked and found to keep the contract.
func (v Verdict) Passed() bool { return v.Checked && len(v.Violations) == 0 && v.ErrorCode == "" }

// Violation is one way a request or response breaks the contract: the field (or "body") and the
// rule it breaks.
type Violation struct {
	Field       string
	Description string
}

// View returns the entry as a reader sees it, computing it on the first call.
func (e *Entry) View() *View {
	e.once.Do(func() {
		e.view = View{
			Query:          MaskPairs(e.RawQuery),
			RequestHeader:  MaskHeader(e.RequestHeader),
			RequestBody:    MaskBody(e.RequestHeader.Get("Content-Type"), e.RequestBody.Bytes),
			ResponseHeader: MaskHeader(e.ResponseHeader),
			ResponseBody:   MaskBody(e.ResponseHeader.Get("Content-Type"), e.ResponseBody.Bytes),
		}
		if e.RawQuery == "" {
			e.view.Query = ""
		}
		if e.journal.verify != nil {
			e.view.Verdicts = e.journal.verify(&e.Exchange)
		}
		e.view.Curl = curl(&e.Exchange, &e.view)
		e.journal.grow(e, e.view.cost())
	})
	return &e.view
}

// cost is roughly what the view takes in memory beyond the exchange.
func (v *View) cost() int64 {
	n := int64(len(v.Query)+len(v.RequestBody)+len(v.ResponseBody)+len(v.Curl)) + headerCost(v.RequestHeader) + headerCost(v.ResponseHeader)
	for _, verdict := range []Verdict{v.Verdicts.Request, v.Verdicts.Response} {
		n += int64(len(verdict.Note) + len(verdict.Detail) + len(verdict.ErrorCode))
		for _, x := range verdict.Violations {
			n += int64(len(x.Field)+len(x.Description)) + 32
		}
	}
	return n
}
