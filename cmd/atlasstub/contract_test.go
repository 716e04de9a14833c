package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestContractAgainstTheInProcessStub(t *testing.T) {
	dir := t.TempDir()
	junitFile, coverageFile := filepath.Join(dir, "contract.xml"), filepath.Join(dir, "coverage.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--tags", "X.509 Authentication", "--skip-scenarios", "--require-coverage", "--junit", junitFile, "--coverage", coverageFile}, &stdout, &stderr)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	assert.Contains(t, stdout.String(), "createGroupDatabaseUserCert")
	assert.Contains(t, stdout.String(), "PASS")

	data, err := os.ReadFile(junitFile)
	require.NoError(t, err)
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal(data, &junit))
	assert.Positive(t, junit.Tests)
	assert.Zero(t, junit.Failures)

	data, err = os.ReadFile(coverageFile)
	require.NoError(t, err)
	var coverage struct{ Operations []struct{ Operation string } }
	require.NoError(t, json.Unmarshal(data, &coverage))
	assert.Len(t, coverage.Operations, 3, "the X.509 operations: create and list certificates, disable the customer CA")
}

func TestContractAgainstABaseURL(t *testing.T) {
	stub := stubtest.New(t)
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	require.NoError(t, server.WriteBootstrap(stub.Credentials, credsFile))
	var stdout bytes.Buffer
	code := run([]string{"contract", "--base-url", stub.URL, "--credentials", credsFile, "--operations", "getOrg,listOrgs", "--checks", "ignored_auth,version_negotiation"}, &stdout, io.Discard)
	assert.Equal(t, 0, code, stdout.String())
	assert.Contains(t, stdout.String(), "atlasstub contract: "+stub.URL)
}

// TestContractFailsAgainstABrokenTarget points the suite at a proxy that refuses one valid
// request of a correct stub: the run exits 1, and the JUnit report shows the failure with a
// curl command that sends the refused request again.
func TestContractFailsAgainstABrokenTarget(t *testing.T) {
	stub := stubtest.New(t)
	target, err := url.Parse(stub.URL)
	require.NoError(t, err)
	getOrg := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(res *http.Response) error {
		if res.Request.Method == http.MethodGet && res.Request.URL.Path == getOrg && res.StatusCode == http.StatusOK {
			refusal := `{"detail":"Refused by the broken proxy.","error":400,"errorCode":"INVALID_PARAMETER","parameters":[],"reason":"Bad Request"}` + "\n"
			res.StatusCode = http.StatusBadRequest
			res.Header.Set("Content-Type", "application/json")
			res.Header.Del("Content-Length")
			res.Body = io.NopCloser(strings.NewReader(refusal))
		}
		return nil
	}
	broken := httptest.NewServer(proxy)
	t.Cleanup(broken.Close)
	creds := stub.Credentials
	creds.BaseUrl = broken.URL
	dir := t.TempDir()
	credsFile, junitFile := filepath.Join(dir, "credentials.json"), filepath.Join(dir, "contract.xml")
	require.NoError(t, server.WriteBootstrap(creds, credsFile))

	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--base-url", broken.URL, "--credentials", credsFile, "--operations", "getOrg", "--skip-scenarios", "--junit", junitFile}, &stdout, &stderr)
	assert.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())

	data, err := os.ReadFile(junitFile)
	require.NoError(t, err)
	var junit struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(data, &junit))
	assert.Positive(t, junit.Failures)
	var refused string
	for _, s := range junit.Suites {
		for _, c := range s.Cases {
			if s.Name == "positive_data_acceptance" && c.Name == "getOrg" && c.Failure != nil {
				refused = c.Failure.Text
			}
		}
	}
	require.NotEmpty(t, refused, "positive_data_acceptance does not fail on getOrg:\n%s", data)
	assert.Contains(t, refused, "refused with 400")
	assert.Contains(t, refused, "reproduce: curl -i -X GET '"+broken.URL+getOrg)
	assert.NotContains(t, refused, "\n\n", "the refusal's body ends in a newline, which the report must not turn into a blank line")
	failures, _, _ := strings.Cut(stdout.String()[strings.Index(stdout.String(), "Failures:"):], "\nCoverage:")
	assert.NotContains(t, strings.TrimSpace(failures), "\n\n", "the failures are listed without blank lines")
}

func TestContractRejectsBadInput(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		says string
	}{
		"unknown check":                {[]string{"--checks", "no_such_check"}, `unknown check "no_such_check"`},
		"unknown operation":            {[]string{"--operations", "getOrg,noSuchOp"}, `unknown operation "noSuchOp"`},
		"unknown tag":                  {[]string{"--tags", "No Such Tag", "--require-coverage"}, `unknown tag "No Such Tag"; known: `},
		"a selection of nothing":       {[]string{"--operations", "getOrg", "--tags", "Projects"}, "no operation has one of the ids"},
		"credentials without a target": {[]string{"--credentials", "creds.json"}, "--credentials needs --base-url"},
		"a target without credentials": {[]string{"--base-url", "http://127.0.0.1:1"}, "--base-url needs --credentials"},
		"unreadable credentials":       {[]string{"--base-url", "http://127.0.0.1:1", "--credentials", filepath.Join(t.TempDir(), "missing.json")}, "missing.json"},
		"stray argument":               {[]string{"now"}, "takes no arguments"},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 2, run(append([]string{"contract"}, tc.args...), &stdout, &stderr))
			assert.Contains(t, stderr.String(), "atlasstub contract: ")
			assert.Contains(t, stderr.String(), tc.says)
			assert.Empty(t, stdout.String(), "nothing ran, so there is no report")
		})
	}
}
