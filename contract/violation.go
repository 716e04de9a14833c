package contract

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// The checks the Transport applies to every exchange. The suite package adds the checks that
// send requests of their own.
const (
	// CheckNotAServerError: no response is a 5xx.
	CheckNotAServerError = "not_a_server_error"
	// CheckStatusCode: the status is one the operation declares.
	CheckStatusCode = "status_code_conformance"
	// CheckContentType: the Content-Type is one the operation declares for the status, and a
	// status declared without content has no body.
	CheckContentType = "content_type_conformance"
	// CheckResponseSchema: the body validates against the schema of its status and media type.
	CheckResponseSchema = "response_schema_conformance"
	// CheckResponseHeaders: the headers the status declares are present and valid.
	CheckResponseHeaders = "response_headers_conformance"
	// CheckRequest: the client's request matches the specification.
	CheckRequest = "request_conformance"
	// CheckUndocumented: the request's method and path belong to an operation of the specification.
	CheckUndocumented = "undocumented_operation"
	// CheckSunsetVersion: the client asks for no version that is past its sunset, which Atlas no
	// longer serves (410 VERSION_GONE).
	CheckSunsetVersion = "sunset_version"
)

// Violation is one way an exchange broke the contract.
type Violation struct {
	Check     string `json:"check"`
	Operation string `json:"operation,omitempty"`
	Method    string `json:"method"`
	URL       string `json:"url"`
	Status    int    `json:"status,omitempty"`
	Message   string `json:"message"`
	// Curl is a command that sends the same request again.
	Curl string `json:"curl"`
	// RequestBody, and the response's ContentType and ResponseBody, are what the exchange
	// carried (bodies cut at CapturedBodyLimit), so that a report shows the failure as it
	// happened, after the run and whatever the target has become.
	RequestBody  string `json:"requestBody,omitempty"`
	ContentType  string `json:"contentType,omitempty"`
	ResponseBody string `json:"responseBody,omitempty"`
}

// CapturedBodyLimit is how much of a body a Violation keeps.
const CapturedBodyLimit = 4096

// Captured is the start of a body as a report shows it: at most CapturedBodyLimit bytes, cut
// at a character's boundary, with the size of what was left out.
func Captured(body []byte) string {
	if len(body) <= CapturedBodyLimit {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	cut := CapturedBodyLimit
	for cut > 0 && !utf8.RuneStart(body[cut]) {
		cut--
	}
	return strings.ToValidUTF8(string(body[:cut]), "\uFFFD") + fmt.Sprintf("... (%d more bytes)", len(body)-cut)
}

func (v Violation) String() string {
	op := v.Operation
	if op == "" {
		op = v.Method + " " + v.URL
	}
	status := ""
	if v.Status != 0 {
		status = fmt.Sprintf(" (status %d)", v.Status)
	}
	return fmt.Sprintf("%s: %s%s: %s\n  reproduce: %s", v.Check, op, status, v.Message, v.Curl)
}

// Curl returns a curl command that sends the request again. Credentials are replaced by
// environment variables, so that the command can be printed in CI logs: $ATLAS_TOKEN for a
// bearer token, $ATLAS_PUBLIC_KEY and $ATLAS_PRIVATE_KEY for Digest, $ATLAS_CLIENT_ID and
// $ATLAS_CLIENT_SECRET for Basic, and $ATLAS_TOKEN or $ATLAS_CLIENT_SECRET for the token and
// client_secret fields of a form. A request sent with WithCurlCredentials shows those flags
// instead of its Authorization header.
func Curl(req *http.Request, body []byte) string {
	parts := []string{"curl", "-i", "-X", req.Method, ShellQuote(req.URL.String())}
	shown, replaced := curlCredentials(req.Context())
	var names []string
	for name := range req.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, value := range req.Header[name] {
			if name == "Authorization" {
				if !replaced {
					parts = append(parts, credentialFlags(value)...)
				}
				continue
			}
			parts = append(parts, "-H", ShellQuote(name+": "+value))
		}
	}
	if replaced {
		parts = append(parts, shown...)
	}
	if mediaType, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); mediaType == "application/x-www-form-urlencoded" && len(body) > 0 {
		parts = append(parts, formFlags(string(body))...)
	} else if len(body) > 0 {
		parts = append(parts, "--data-binary", ShellQuote(string(body)))
	}
	return strings.Join(parts, " ")
}

type curlCredentialsKey struct{}

// WithCurlCredentials returns a context whose requests' curl commands show flags, which are
// shell words (see ShellQuote), in place of their credentials. It is for credentials that are
// not the caller's own, which the variables of Curl would misname: deliberately wrong ones,
// which hold no secret and can be shown as they are, or ones a test made for itself, which a
// placeholder can name without showing their secret.
func WithCurlCredentials(ctx context.Context, flags ...string) context.Context {
	return context.WithValue(ctx, curlCredentialsKey{}, flags)
}

func curlCredentials(ctx context.Context) ([]string, bool) {
	flags, ok := ctx.Value(curlCredentialsKey{}).([]string)
	return flags, ok
}

func credentialFlags(authorization string) []string {
	scheme, _, _ := strings.Cut(authorization, " ")
	switch strings.ToLower(scheme) {
	case "bearer":
		return []string{"-H", `"Authorization: Bearer $ATLAS_TOKEN"`}
	case "digest":
		return []string{"--digest", "-u", `"$ATLAS_PUBLIC_KEY:$ATLAS_PRIVATE_KEY"`}
	case "basic":
		return []string{"-u", `"$ATLAS_CLIENT_ID:$ATLAS_CLIENT_SECRET"`}
	default:
		return []string{"-H", ShellQuote("Authorization: " + authorization)}
	}
}

// formSecrets are the form fields that carry credentials (RFC 7009's token, RFC 6749's
// client_secret), and the variables that stand for them.
var formSecrets = map[string]string{"token": "$ATLAS_TOKEN", "client_secret": "$ATLAS_CLIENT_SECRET"}

// formFlags sends a form field by field, in its order, with the secret fields as variables.
func formFlags(form string) []string {
	var flags []string
	for _, field := range strings.Split(form, "&") {
		name, value, _ := strings.Cut(field, "=")
		name, _ = url.QueryUnescape(name)
		value, _ = url.QueryUnescape(value)
		if variable, secret := formSecrets[name]; secret {
			flags = append(flags, "--data-urlencode", `"`+name+"="+variable+`"`)
			continue
		}
		flags = append(flags, "--data-urlencode", ShellQuote(name+"="+value))
	}
	return flags
}

// ShellQuote quotes s as one word of a POSIX shell command.
func ShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
