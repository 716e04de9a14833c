// Package oauthtoken mints a service account's access token at an Atlas-compatible token endpoint
// in one call, with the OAuth 2.0 client-credentials grant: for tests and tools that need a
// bearer token and nothing else. A client.Client built WithServiceAccount mints and renews its
// own tokens.
//
// It is a package of its own, importing only the standard library, so that anything can use it:
// server/stubtest does, and the client's tests import server/stubtest, so stubtest cannot import
// the client package.
package oauthtoken

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// endpoint is where the token endpoint is, below the API's base URL.
const endpoint = "/api/oauth/token"

// Mint asks the token endpoint below baseURL (such as https://cloud.mongodb.com or a stub's
// http://127.0.0.1:8080) for an access token of the service account, and returns the token.
// The request is POST grant_type=client_credentials as a form, with the client id and secret
// over HTTP Basic, each form-encoded as RFC 6749 section 2.3.1 asks. A status other than 200 is
// an *Error.
func Mint(ctx context.Context, hc *http.Client, baseURL, clientID, clientSecret string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(baseURL, "/")+endpoint, strings.NewReader(form))
	if err != nil {
		return "", err
	}
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(clientSecret))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return "", fmt.Errorf("read the token endpoint's answer: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return "", refusal(res.StatusCode, body)
	}
	var token struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &token); err != nil || token.AccessToken == "" {
		return "", fmt.Errorf("the token endpoint answered 200 without an access token: %s", start(body))
	}
	return token.AccessToken, nil
}

// Error is the token endpoint's refusal.
type Error struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the RFC 6749 error, such as invalid_client; empty when the body is not an RFC 6749
	// error (Atlas answers its rate limit in its own shape).
	Code string
	// Description is the RFC 6749 error_description, or else the start of the body.
	Description string
}

func (e *Error) Error() string {
	message := fmt.Sprintf("the token endpoint answered %d", e.StatusCode)
	if e.Code != "" {
		message += " " + e.Code
	}
	if e.Description != "" {
		message += ": " + e.Description
	}
	return message
}

// refusal reads the error of an answer other than 200.
func refusal(status int, body []byte) *Error {
	var rfc6749 struct {
		// Error is a string in RFC 6749; Atlas's own errors have the status there, as a number.
		Error       any    `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &rfc6749)
	if code, ok := rfc6749.Error.(string); ok && code != "" {
		return &Error{StatusCode: status, Code: code, Description: rfc6749.Description}
	}
	return &Error{StatusCode: status, Description: start(body)}
}

// start is the start of a body for a one-line message: its first 200 characters, on one line.
func start(body []byte) string {
	const limit = 200
	text := []rune(strings.Join(strings.Fields(string(body)), " "))
	if len(text) > limit {
		return string(text[:limit]) + "..."
	}
	return string(text)
}
