package client

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRetryAfter: whatever a server puts in Retry-After, a delay the client accepts is never
// negative, which would retry at once instead of waiting.
func FuzzRetryAfter(f *testing.F) {
	for _, seed := range []string{"0", "42", "-1", "1.5", "Sun, 22 Nov 2026 10:01:00 GMT", "99999999999999999"} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, header string) {
		if d, ok := retryAfter(header, now); ok && d < 0 {
			t.Fatalf("Retry-After %q gives a negative delay %v", header, d)
		}
	})
}

// FuzzErrorBody: whatever body an error response has, the client reads it into an APIError with
// the response's status, a valid UTF-8 detail, and a message that names the status.
func FuzzErrorBody(f *testing.F) {
	for _, seed := range []string{
		`{"error":404,"errorCode":"GROUP_NOT_FOUND","detail":"No group","reason":"Not Found","parameters":["x"]}`,
		`{"error":"invalid_client","error_description":"bad secret"}`,
		`{"error":400,"errorCode":"INVALID_ATTRIBUTE","badRequestDetail":{"fields":[{"field":"name","description":"x"}]}}`,
		"<html>Bad Gateway</html>", "\xff\xfe", strings.Repeat("é", 600), `{"error":null}`, `[]`,
	} {
		f.Add(502, seed)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		e := newAPIError(resp, []byte(body))
		if e.StatusCode != status {
			t.Fatalf("status %d, want %d", e.StatusCode, status)
		}
		if !utf8.ValidString(e.Detail) {
			t.Fatalf("detail %q is not valid UTF-8", e.Detail)
		}
		if !strings.Contains(e.Error(), strconv.Itoa(status)) {
			t.Fatalf("message %q does not name the status %d", e.Error(), status)
		}
	})
}
