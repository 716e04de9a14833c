package pipeline

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// passedResponses remembers the responses that passed strict validation, so that a response
// sent again is not validated again: validating decodes the body and walks its schema, which
// costs more than all the rest of a small request, and a load test or a client that polls gets
// the same answer over and over. A response is the same when its operation, status, Content-Type,
// the headers that its specification declares, and its body are the same, byte for byte: the
// validator reads nothing else of it. A response that fails is validated again each time, and
// reported each time.
//
// It is shared by every stub of the process, as their specification is (SpecRouter), and holds
// at most rememberedBytes of bodies: when full, it forgets them all and starts again.
var passedResponses = &verdicts{}

const rememberedBytes = 16 << 20

type verdicts struct {
	mu     sync.Mutex
	passed map[responseHead]map[string]struct{} // head -> bodies
	bytes  int
}

// responseHead is what a response is besides its body, for the validator.
type responseHead struct {
	operation   *openapi3.Operation
	status      int
	contentType string
	headers     string // the declared headers, name and values
}

func headOf(op *openapi3.Operation, status int, header http.Header) responseHead {
	head := responseHead{operation: op, status: status, contentType: header.Get(echo.HeaderContentType)}
	response := op.Responses.Status(status)
	if response == nil {
		response = op.Responses.Default()
	}
	if response == nil || response.Value == nil || len(response.Value.Headers) == 0 {
		return head
	}
	var declared strings.Builder
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range response.Value.Headers {
			if !yield(name) {
				return
			}
		}
	}) {
		declared.WriteString(name)
		for _, v := range header.Values(name) {
			declared.WriteString("\x00" + v)
		}
		declared.WriteString("\x01")
	}
	head.headers = declared.String()
	return head
}

func (v *verdicts) hasPassed(head responseHead, body []byte) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.passed[head][string(body)]
	return ok
}

func (v *verdicts) pass(head responseHead, body []byte) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.passed == nil || v.bytes+len(body) > rememberedBytes {
		v.passed, v.bytes = map[responseHead]map[string]struct{}{}, 0
	}
	bodies := v.passed[head]
	if bodies == nil {
		bodies = map[string]struct{}{}
		v.passed[head] = bodies
	}
	bodies[string(body)] = struct{}{}
	v.bytes += len(body)
}
