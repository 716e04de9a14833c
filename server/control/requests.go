package control

import (
	"context"
	"strconv"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/journal"
)

// defaultListLimit is how many exchanges GET /_stub/requests lists unless asked for another
// number, as stub.yaml declares.
const defaultListLimit = 100

func (h *Handlers) ListRequests(ctx context.Context, req stubapi.ListRequestsRequestObject) (stubapi.ListRequestsResponseObject, error) {
	var filter journal.Filter
	p := req.Params
	if p.OperationId != nil {
		filter.OperationID = *p.OperationId
	}
	if p.Status != nil {
		status, err := journal.ParseStatus(*p.Status)
		if err != nil {
			return nil, apierror.InvalidQueryParameter.New("status")
		}
		filter.Status = status
	}
	if p.Since != nil {
		filter.Since = *p.Since
	}
	if p.After != nil {
		filter.After = *p.After
	}
	limit := defaultListLimit
	if p.Limit != nil {
		limit = int(*p.Limit)
	}
	j := h.stub.Journal()
	entries := j.Newest(filter, limit)
	page := stubapi.JournalPage{Results: make([]stubapi.JournalEntry, 0, len(entries)), Size: int32(j.Size())}
	for _, e := range entries {
		page.Results = append(page.Results, EntryOf(e))
	}
	return stubapi.ListRequests200JSONResponse(page), nil
}

func (h *Handlers) GetRequest(ctx context.Context, req stubapi.GetRequestRequestObject) (stubapi.GetRequestResponseObject, error) {
	id, err := strconv.ParseInt(req.RequestId, 10, 64)
	if err != nil {
		return nil, apierror.InvalidPathParameter.New("requestId")
	}
	e, ok := h.stub.Journal().Entry(id)
	if !ok {
		return nil, apierror.JournalEntryNotFound.New(req.RequestId)
	}
	v := e.View()
	return stubapi.GetRequest200JSONResponse{
		Entry: EntryOf(e),
		Request: stubapi.JournalMessage{
			Headers: v.RequestHeader, Body: v.RequestBody, BodyBytes: e.RequestBody.Size,
			BodyTruncated: e.RequestBody.Truncated(), BodyUnread: optional(e.RequestBody.Unread),
		},
		Response: stubapi.JournalMessage{
			Headers: v.ResponseHeader, Body: v.ResponseBody, BodyBytes: e.ResponseBody.Size,
			BodyTruncated: e.ResponseBody.Truncated(),
		},
		Curl: v.Curl,
	}, nil
}

// EntryOf is an exchange as GET /_stub/requests lists it and the stream sends it: without its
// headers and bodies, with its verdicts.
func EntryOf(e *journal.Entry) stubapi.JournalEntry {
	v := e.View()
	return stubapi.JournalEntry{
		Id:          e.ID,
		Time:        e.Time,
		Method:      e.Method,
		Path:        e.Path,
		Query:       optionalString(v.Query),
		Status:      int32(e.Status),
		ErrorCode:   optionalString(e.ErrorCode),
		OperationId: optionalString(e.OperationID),
		Caller:      optionalString(e.Caller),
		LatencyMs:   float64(e.Latency.Microseconds()) / 1000,
		Fault:       optionalString(e.Fault),
		Verdicts:    stubapi.Verdicts{Request: verdictOf(v.Verdicts.Request), Response: verdictOf(v.Verdicts.Response)},
	}
}

func verdictOf(v journal.Verdict) stubapi.Verdict {
	out := stubapi.Verdict{Checked: v.Checked, Passed: v.Passed(), Note: optionalString(v.Note), ErrorCode: optionalString(v.ErrorCode), Detail: optionalString(v.Detail)}
	if len(v.Violations) > 0 {
		violations := make([]stubapi.Violation, 0, len(v.Violations))
		for _, x := range v.Violations {
			violations = append(violations, stubapi.Violation{Field: x.Field, Description: x.Description})
		}
		out.Violations = &violations
	}
	return out
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optional(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}
