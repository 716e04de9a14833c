package journal

import (
	"net/http"
	"time"

	"github.com/getkin/kin-openapi/routers"
)

// Exchange is one request of the Atlas API and the stub's answer, as the recording step copies
// them on the request's way out: the bytes and the metadata, nothing computed. What a reader
// wants from them (masked bodies, verdicts, a curl) is derived from this when the journal is
// read (View).
type Exchange struct {
	Time    time.Time
	Latency time.Duration
	Method  string
	Path    string
	// RawQuery is the query string as the client sent it.
	RawQuery string
	// Host is the Host header, for the base URL of the curl that reproduces the request.
	Host          string
	RequestHeader http.Header
	RequestBody   Body

	Status         int
	ErrorCode      string
	ResponseHeader http.Header
	ResponseBody   Body

	// OperationID is the operation the request was routed to; empty when none matched.
	OperationID string
	// Caller is the public id of the authenticated credential (an API key's public key, a
	// service account's client id); empty when the request was not authenticated.
	Caller string
	// Route and PathParams are where routing found the operation, for the verdicts; nil when none
	// matched.
	Route      *routers.Route
	PathParams map[string]string
	// Unchecked says why the response is not checked against the specification, as strict mode
	// does not check it: Atlas's rate limits or an injected fault answered, or the connection
	// was dropped. Empty when it is checked.
	Unchecked string
	// Fault describes the fault that met the request, if one did.
	Fault string
}

// Body is a request or response body as the journal keeps it: its first MaxBodyBytes bytes.
type Body struct {
	Bytes []byte
	// Size is how many bytes the body had; more than len(Bytes) when it was cut.
	Size int64
	// Unread says that the stub answered before it read the request's body, so the journal
	// has none of it.
	Unread bool
}

// Truncated reports whether the journal keeps only part of a body that was read.
func (b Body) Truncated() bool { return !b.Unread && b.Size > int64(len(b.Bytes)) }

// MaxBodyBytes is how much of each body the journal keeps: far more than any body of the Atlas
// API but the largest lists, small enough that a full journal stays within MaxBytes.
const MaxBodyBytes = 64 << 10

// cost is roughly what an exchange takes in memory: its bodies, its headers and a fixed part
// for the rest. Its view adds its own once computed (Entry.View).
func (x *Exchange) cost() int64 {
	return int64(len(x.RequestBody.Bytes)+len(x.ResponseBody.Bytes)) + headerCost(x.RequestHeader) + headerCost(x.ResponseHeader) + 1024
}

func headerCost(h http.Header) int64 {
	var n int64
	for name, values := range h {
		n += int64(len(name)) + 32
		for _, v := range values {
			n += int64(len(v)) + 16
		}
	}
	return n
}
