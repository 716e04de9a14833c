package pipeline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/journal"
)

// RecordExchanges is the journal's step: it copies every exchange of the Atlas API (the control
// API's own are left out) into the journal as it leaves: its request as sent, the response as the
// client got it, and what the pipeline learnt on the way. It computes nothing: masking and the
// verdicts (Verdicts) wait until the journal is read. Without a journal it is no step at all.
func RecordExchanges(j *journal.Journal) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if j == nil {
			return next
		}
		return func(c echo.Context) error {
			req := c.Request()
			if strings.HasPrefix(req.URL.Path, ControlPrefix) {
				return next(c)
			}
			start := time.Now()
			// Copied before the steps rewrite them (the query string, the JSON media type).
			x := journal.Exchange{
				Time: start, Method: req.Method, Path: req.URL.Path, RawQuery: req.URL.RawQuery,
				Host: req.Host, RequestHeader: req.Header.Clone(),
			}
			var body *recordedBody
			if req.Body != nil && req.Body != http.NoBody {
				// On a copy of the request: the server reads the body type of its own request
				// to decide what to do with a body the handler left unread (a 413 closes the
				// connection rather than read on), and must still find its own there.
				body = &recordedBody{ReadCloser: req.Body}
				req = req.WithContext(req.Context())
				req.Body = body
				c.SetRequest(req)
			}
			res := c.Response()
			w := &recordedResponse{ResponseWriter: res.Writer}
			res.Writer = w
			err := next(c)
			res.Writer = w.ResponseWriter

			x.Latency = time.Since(start)
			if body != nil {
				x.RequestBody = body.kept(req.ContentLength)
			}
			x.Status, x.ResponseHeader, x.ResponseBody = res.Status, res.Header().Clone(), w.kept()
			if code, ok := c.Get(errorCodeKey).(string); ok {
				x.ErrorCode = code
			}
			info := RequestOf(c.Request().Context())
			if op := info.Operation(); op != nil {
				x.OperationID, x.Route, x.PathParams = op.OperationID, info.Route, info.PathParams
			}
			if info.Principal != nil {
				x.Caller = info.Principal.PublicID()
			}
			x.Unchecked = unchecked(info)
			if info.Fault != nil && info.Fault.Rule != "" {
				x.Fault = "rule " + info.Fault.Rule + ": " + info.Fault.Action
			}
			j.Record(x)
			return err
		}
	}
}

// unchecked says why the response of a request is not checked against the specification, as
// strict mode does not check it.
func unchecked(info *Request) string {
	switch {
	case info.Fault != nil && info.Fault.Drop:
		return "the connection was dropped by a fault rule"
	case info.Fault != nil && info.Fault.Replaced:
		return "a fault rule answered"
	case info.RateLimited:
		return "Atlas's rate limits answered"
	}
	return ""
}

// recordedBody passes a request body on to whoever reads it and keeps a copy of its beginning.
type recordedBody struct {
	io.ReadCloser
	data []byte
	read int64
}

func (b *recordedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if room := journal.MaxBodyBytes - len(b.data); room > 0 {
		b.data = append(b.data, p[:min(n, room)]...)
	}
	b.read += int64(n)
	return n, err
}

// kept is the body as the journal keeps it, of a request that declared length bytes.
func (b *recordedBody) kept(length int64) journal.Body {
	return journal.Body{Bytes: b.data, Size: max(b.read, length), Unread: b.read == 0 && length != 0}
}

// recordedResponse passes a response on to the client and keeps what it wrote. It keeps the
// slices written to it, not copies: its only writer is deliver, which hands it the shaped body
// and never changes it afterwards, so that the journal's copy of a response costs nothing.
type recordedResponse struct {
	http.ResponseWriter
	written [][]byte // each write's bytes, as many as went out
	size    int64
}

func (w *recordedResponse) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.written = append(w.written, p[:n:n])
	w.size += int64(n)
	return n, err
}

// kept is the body as the journal keeps it: its first MaxBodyBytes bytes. A body written at
// once and no longer is kept as it is; the pieces of a slow body are joined, and a longer
// body's beginning copied, so that the journal holds no more than it counts.
func (w *recordedResponse) kept() journal.Body {
	body := journal.Body{Size: w.size}
	if len(w.written) == 1 && len(w.written[0]) <= journal.MaxBodyBytes {
		body.Bytes = w.written[0]
		return body
	}
	for _, p := range w.written {
		room := journal.MaxBodyBytes - len(body.Bytes)
		if room <= 0 {
			break
		}
		body.Bytes = append(body.Bytes, p[:min(len(p), room)]...)
	}
	return body
}

// Unwrap lets http.ResponseController flush (a slow body) and hijack (a dropped connection).
func (w *recordedResponse) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Verdicts judges a recorded exchange against the specification, off the request's way: the
// request as the pipeline's own checks judge it (media type, nulls, the query string, the
// validator), and the response as strict mode does, whether the stub runs strict or not.
func Verdicts(x *journal.Exchange) journal.Verdicts {
	if x.Route == nil {
		note := "no operation of the specification has this method and path"
		return journal.Verdicts{Request: journal.Verdict{Note: note}, Response: journal.Verdict{Note: note}}
	}
	return journal.Verdicts{Request: requestVerdict(x), Response: responseVerdict(x)}
}

// verdictEcho makes the contexts that the request's checks run in.
var verdictEcho = echo.New()

func requestVerdict(x *journal.Exchange) journal.Verdict {
	op := x.Route.Operation
	switch {
	case x.RequestBody.Truncated():
		return journal.Verdict{Note: "the journal keeps only the beginning of its body"}
	case x.RequestBody.Unread && op.RequestBody != nil:
		return journal.Verdict{Note: "the stub answered before it read the body"}
	}
	req := replayedRequest(x)
	query := parseQuery(x.RawQuery, x.Route)
	req.URL.RawQuery = query.raw
	info := &Request{Route: x.Route, PathParams: x.PathParams, URL: req.URL, Query: query.values, queryViolations: query.violations}
	req = req.WithContext(context.WithValue(req.Context(), requestKey{}, info))
	checks := AcceptJSONBodies(ReadNullsAsAbsent(ValidateRequests(func(echo.Context) error { return nil })))
	err := checks(verdictEcho.NewContext(req, discardResponse{}))
	verdict := journal.Verdict{Checked: true}
	var apiErr *apierror.Error
	switch {
	case err == nil:
	case errors.As(err, &apiErr):
		verdict.ErrorCode, verdict.Detail = apiErr.Code, apiErr.Detail
		if apiErr.BadRequestDetail != nil {
			for _, f := range apiErr.BadRequestDetail.Fields {
				verdict.Violations = append(verdict.Violations, journal.Violation{Field: f.Field, Description: f.Description})
			}
		}
	default:
		verdict.Violations = []journal.Violation{{Field: "request", Description: err.Error()}}
	}
	return verdict
}

func responseVerdict(x *journal.Exchange) journal.Verdict {
	switch {
	case x.Unchecked != "":
		return journal.Verdict{Note: x.Unchecked}
	case x.ResponseBody.Truncated():
		return journal.Verdict{Note: "the journal keeps only the beginning of its body"}
	}
	req := replayedRequest(x)
	info := &Request{Route: x.Route, Query: req.URL.Query()}
	if declaresQuery(info, "envelope") && isTrue(info.Query.Get("envelope")) {
		return journal.Verdict{Note: "envelope=true wraps the response the specification describes"}
	}
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: x.PathParams, Route: x.Route, Options: responseValidation,
		},
		Status:  x.Status,
		Header:  x.ResponseHeader,
		Body:    io.NopCloser(bytes.NewReader(x.ResponseBody.Bytes)),
		Options: responseValidation,
	})
	return journal.Verdict{Checked: true, Violations: responseViolations(err)}
}

// responseViolations flattens the validator's answer about a response.
func responseViolations(err error) []journal.Violation {
	if err == nil {
		return nil
	}
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		var all []journal.Violation
		for _, inner := range multi {
			all = append(all, responseViolations(inner)...)
		}
		return all
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		field := strings.Join(se.JSONPointer(), ".")
		if field == "" {
			field = "body"
		}
		return []journal.Violation{{Field: field, Description: se.Reason}}
	}
	var resErr *openapi3filter.ResponseError
	if errors.As(err, &resErr) && resErr.Err != nil && !errors.Is(resErr.Err, err) {
		if inner := responseViolations(resErr.Err); len(inner) > 0 {
			return inner
		}
	}
	return []journal.Violation{{Field: "response", Description: err.Error()}}
}

// replayedRequest rebuilds the recorded request, for the validator.
func replayedRequest(x *journal.Exchange) *http.Request {
	target := x.Path
	if x.RawQuery != "" {
		target += "?" + x.RawQuery
	}
	req, err := http.NewRequestWithContext(context.Background(), x.Method, target, bytes.NewReader(x.RequestBody.Bytes))
	if err != nil { // a path that no router matched does not get here
		req, _ = http.NewRequestWithContext(context.Background(), x.Method, "/", bytes.NewReader(x.RequestBody.Bytes))
	}
	req.Host = x.Host
	req.Header = x.RequestHeader.Clone()
	req.ContentLength = int64(len(x.RequestBody.Bytes))
	if len(x.RequestBody.Bytes) == 0 {
		req.Body = http.NoBody
	}
	return req
}

// discardResponse is where the request's checks write what they would answer: nowhere.
type discardResponse struct{}

func (discardResponse) Header() http.Header         { return http.Header{} }
func (discardResponse) Write(p []byte) (int, error) { return len(p), nil }
func (discardResponse) WriteHeader(int)             {}
