package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// ShapeResponses holds back every response, errors included, until the request is done; then
// it labels a success with the negotiated version and a deprecated version's response with its
// Deprecation and Sunset, checks the response against the specification (strict mode), applies
// the envelope and pretty query parameters, and delivers it as an injected fault asks: at once,
// slowly, or not at all.
func ShapeResponses(check ResponseChecker) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			res := c.Response()
			client := res.Writer
			held := &heldResponse{header: http.Header{}}
			res.Writer = held
			defer func() { res.Writer = client }()

			if err := next(c); err != nil {
				c.Error(err) // written into held, so that errors are checked and shaped too
			}
			res.Writer = client

			if held.status == 0 {
				held.status = http.StatusOK
			}
			req := c.Request()
			info := RequestOf(req.Context())
			labelVersion(info, held)
			labelDeprecation(info, held.header)
			if violation := check.validate(req, info, held); violation != nil {
				unexpected := apierror.UnexpectedError.New()
				noteErrorCode(c, unexpected.Code)
				held = heldError(unexpected)
			}
			body := shape(info, held)
			for name, values := range held.header {
				client.Header()[name] = values
			}
			client.Header().Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
			res.Status = held.status
			if info.Fault != nil && info.Fault.Drop {
				res.Status = 0 // no status went out, as the access log says
			}
			return deliver(req.Context(), client, held.status, body, info.Fault)
		}
	}
}

// labelVersion names the negotiated version in the Content-Type of every success of a versioned
// operation, as Atlas does: application/vnd.atlas.<version>+json;charset=utf-8, on a 202 and a 204
// too, which say so though they have no body to describe. The version served is the one the
// request's Accept header negotiated, whatever version the handler's generated response type was
// written for; the format is the handler's (json unless it wrote another versioned one).
func labelVersion(info *Request, held *heldResponse) {
	if info.Version == "" || held.status < http.StatusOK || held.status >= http.StatusMultipleChoices {
		return
	}
	format := "json"
	if _, written, ok := openapi.ParseMediaType(held.mediaType()); ok {
		format = written
	}
	held.header.Set(echo.HeaderContentType, openapi.MediaType(info.Version, format)+versionedCharset)
}

// versionedCharset is the parameter Atlas adds to every versioned media type it answers with,
// written as Atlas writes it, without a space.
const versionedCharset = ";charset=utf-8"

// heldResponse is an http.ResponseWriter that keeps the response in memory.
type heldResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

// mediaType is the media type of the response's Content-Type, without its parameters, in lower
// case. The handlers of the stub write it, well formed: cutting it at its parameters is enough,
// and spares each response the map of parameters that mime.ParseMediaType builds.
func (h *heldResponse) mediaType() string {
	mediaType, _, _ := strings.Cut(h.header.Get(echo.HeaderContentType), ";")
	return strings.ToLower(strings.TrimSpace(mediaType))
}

func (h *heldResponse) WriteHeader(status int) {
	if h.status == 0 {
		h.status = status
	}
}

func (h *heldResponse) Write(p []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(p)
}

func heldError(apiErr *apierror.Error) *heldResponse {
	h := &heldResponse{header: http.Header{}, status: apiErr.Status}
	setErrorHeaders(h.header, apiErr.Code)
	_ = json.NewEncoder(&h.body).Encode(apiErr)
	return h
}

// ResponseChecker validates responses against the specification in strict mode. A mismatch is a
// bug of the stub: it is logged loudly, reported, and the client gets 500 UNEXPECTED_ERROR.
type ResponseChecker struct {
	Strict bool
	Log    *slog.Logger
	// OnViolation, when set, is told about every response that violates the specification.
	OnViolation func(error)
}

// A response is validated once (passedResponses remembers it), and twice over only when it
// violates the specification: first as fast as the validator goes, stopping at the first
// mismatch and describing none, then, for a response that fails, with every mismatch described. The verdict is the same; describing the
// mismatches of each alternative of a large oneOf (an official alert configuration's seventeen)
// cost ten times the validation of a response that passes.
var (
	responseValidation = &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
	quickResponseValidation = &openapi3filter.Options{
		IncludeResponseStatus:   true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.FailFast()},
	}
)

func (check ResponseChecker) validate(req *http.Request, info *Request, held *heldResponse) error {
	if !check.Strict || info.Route == nil || info.RateLimited || info.Fault != nil && info.Fault.Replaced {
		return nil
	}
	validate := func(options *openapi3filter.Options) error {
		return openapi3filter.ValidateResponse(context.WithoutCancel(req.Context()), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{
				Request:    req,
				PathParams: info.PathParams,
				Route:      info.Route,
				Options:    options,
			},
			Status:  held.status,
			Header:  held.header,
			Body:    io.NopCloser(bytes.NewReader(held.body.Bytes())),
			Options: options,
		})
	}
	head := headOf(info.Operation(), held.status, held.header)
	if passedResponses.hasPassed(head, held.body.Bytes()) {
		return nil
	}
	if validate(quickResponseValidation) == nil {
		passedResponses.pass(head, held.body.Bytes())
		return nil
	}
	err := validate(responseValidation)
	if err == nil {
		return nil
	}
	check.Log.Error("CONTRACT VIOLATION: the stub's response does not match the specification",
		"operation", info.Operation().OperationID, "status", held.status, "error", err.Error(), "body", held.body.String())
	if check.OnViolation != nil {
		check.OnViolation(err)
	}
	return err
}

// shape applies envelope=true and pretty=true, where the operation declares them, to a JSON
// response. With envelope=true an entity becomes {"status", "content"} and a list gains
// "status"; errors already carry their status and stay as they are.
func shape(info *Request, held *heldResponse) []byte {
	body := held.body.Bytes()
	mediaType := held.mediaType()
	if len(body) == 0 || !(mediaType == echo.MIMEApplicationJSON || strings.HasSuffix(mediaType, "+json")) {
		return body
	}
	if held.status < http.StatusBadRequest && declaresQuery(info, "envelope") && isTrue(info.Query.Get("envelope")) {
		body = envelope(body, held.status, isList(info, held))
	}
	// After the envelope, whose encoding escapes &, < and > again.
	body = unescapeHTML(body)
	if declaresQuery(info, "pretty") && isTrue(info.Query.Get("pretty")) {
		var indented bytes.Buffer
		if json.Indent(&indented, body, "", "  ") == nil {
			body = append(bytes.TrimRight(indented.Bytes(), "\n"), '\n')
		}
	}
	return body
}

func envelope(body []byte, status int, list bool) []byte {
	var wrapped []byte
	var err error
	if list {
		var fields map[string]json.RawMessage
		if err = json.Unmarshal(body, &fields); err == nil {
			fields["status"] = json.RawMessage(strconv.Itoa(status))
			wrapped, err = json.Marshal(fields)
		}
	} else {
		wrapped, err = json.Marshal(struct {
			Status  int             `json:"status"`
			Content json.RawMessage `json:"content"`
		}{status, bytes.TrimSpace(body)})
	}
	if err != nil {
		return body
	}
	return append(wrapped, '\n')
}

// isList reports whether the operation answers this status with a page of results.
func isList(info *Request, held *heldResponse) bool {
	op := info.Operation()
	if op == nil {
		return false
	}
	response := op.Responses.Status(held.status)
	if response == nil || response.Value == nil {
		return false
	}
	for _, content := range response.Value.Content {
		if content.Schema != nil && content.Schema.Value.Properties["results"] != nil {
			return true
		}
	}
	return false
}

func declaresQuery(info *Request, name string) bool {
	op := info.Operation()
	return op != nil && op.Parameters.GetByInAndName("query", name) != nil
}

func isTrue(v string) bool {
	b, err := strconv.ParseBool(v)
	return err == nil && b
}
