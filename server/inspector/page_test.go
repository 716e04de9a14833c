package inspector_test

import (
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/inspector"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

func TestThePageAndItsFilesComeFromTheBinaryUnderAStrictPolicy(t *testing.T) {
	stub := stubtest.New(t)
	for path, mediaType := range map[string]string{
		"/_stub/ui": "text/html", "/_stub/ui/": "text/html",
		"/_stub/ui/app.js": "text/javascript", "/_stub/ui/style.css": "text/css",
	} {
		res, body := get(t, stub.URL+path)
		require.Equal(t, http.StatusOK, res.StatusCode, path)
		assert.Equal(t, mediaType, res.Header.Get("Content-Type"), path)
		assert.Equal(t, inspector.ContentSecurityPolicy, res.Header.Get("Content-Security-Policy"), path)
		assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"), path)
		assert.NotEmpty(t, body, path)
	}
	assert.Contains(t, inspector.ContentSecurityPolicy, "script-src 'self';", "no inline script runs")
	assert.Contains(t, inspector.ContentSecurityPolicy, "style-src 'self';", "no inline style applies")

	_, page := get(t, stub.URL+"/_stub/ui/")
	assert.NotRegexp(t, regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`), page, "no inline script")
	assert.NotRegexp(t, regexp.MustCompile(`<style|\sstyle=|\son[a-z]+=`), page, "no inline style or handler")
	assert.NotRegexp(t, regexp.MustCompile(`(?:src|href)="(?:https?:)?//`), page, "nothing from another origin")

	for path, status := range map[string]int{
		"/_stub/ui/nothing.js":  http.StatusNotFound,
		"/_stub/ui/page.html":   http.StatusBadRequest, // the template is no file of the page's
		"/_stub/ui/..%2Fapp.js": http.StatusBadRequest,
	} {
		res, _ := get(t, stub.URL+path)
		assert.Equal(t, status, res.StatusCode, path)
	}
}

func TestThePageFollowsTheControlAPIsGuard(t *testing.T) {
	stub := stubtest.New(t)
	req, err := http.NewRequest(http.MethodGet, stub.URL+"/_stub/ui/", nil)
	require.NoError(t, err)
	req.Host = "rebound.example"
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
}
