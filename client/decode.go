package client

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// The generated ClientWithResponses decodes a success body only when its Content-Type equals one
// the specification lists, so a "; charset=utf-8" suffix leaves it undecoded, and it files the
// result under a field named after the media type. The client calls the plain generated Client
// instead and decodes here, by what the media type is rather than how it is spelled.

// decodeJSON reads the response of an operation that answers JSON: the decoded body on a 2xx, an
// *APIError otherwise.
func decodeJSON[T any](resp *http.Response, err error) (*T, error) {
	body, err := readSuccess(resp, err)
	if err != nil {
		return nil, err
	}
	if mediaType := resp.Header.Get("Content-Type"); !isJSON(mediaType) {
		return nil, fmt.Errorf("client: %s: the response is %q, not JSON", describe(resp), mediaType)
	}
	var v T
	if err := json.Unmarshal(unwrapEnvelope(resp.Request, body), &v); err != nil {
		return nil, fmt.Errorf("client: %s: decode the response: %w", describe(resp), err)
	}
	return &v, nil
}

// checkSuccess reads the response of an operation that answers no body (204, or the revoke
// endpoint's empty 200): nil on a 2xx, an *APIError otherwise.
func checkSuccess(resp *http.Response, err error) error {
	_, err = readSuccess(resp, err)
	return err
}

// readSuccess reads and closes the body of a response: the bytes on a 2xx, an *APIError otherwise.
// err is the error of sending the request, passed on as it is.
func readSuccess(resp *http.Response, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("client: %s: read the response: %w", describe(resp), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(resp, body)
	}
	return body, nil
}

// isJSON reports whether a Content-Type is JSON: application/json, text/json, or an application
// or text type with the +json suffix such as application/vnd.atlas.2023-01-01+json, in any case
// and with any parameters. It accepts what the official Atlas Go SDK accepts, text/json
// included. A missing type is taken for JSON.
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	mediaType, _, err := mime.ParseMediaType(contentType) // lower-cases the type
	if err != nil {
		return false
	}
	kind, subtype, _ := strings.Cut(mediaType, "/")
	return (kind == "application" || kind == "text") && (subtype == "json" || strings.HasSuffix(subtype, "+json"))
}

// unwrapEnvelope returns the entity of a response to a request with envelope=true, which Atlas
// wraps as {"status": <status>, "content": <entity>}. Lists are not wrapped (Atlas adds "status"
// to the list instead), so a body without "content" is returned as it is.
func unwrapEnvelope(req *http.Request, body []byte) []byte {
	if req == nil || req.URL.Query().Get("envelope") != "true" {
		return body
	}
	var envelope struct {
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(body, &envelope) != nil || envelope.Content == nil {
		return body
	}
	return envelope.Content
}

// describe names the request of a response for error messages.
func describe(resp *http.Response) string {
	if resp.Request == nil {
		return resp.Status
	}
	return resp.Request.Method + " " + resp.Request.URL.Redacted()
}
