package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/limits"
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

// TestTheInProcessStubTakesTheRateLimits: the in-process stub of --rate-limits atlas refuses
// the eleventh token of a minute, and with off lets it through.
func TestTheInProcessStubTakesTheRateLimits(t *testing.T) {
	for mode, eleventhRefused := range map[limits.Mode]bool{limits.Atlas: true, limits.Off: false} {
		t.Run(string(mode), func(t *testing.T) {
			stub, stop, err := startInProcessStub(mode)
			require.NoError(t, err)
			defer stop()
			account := stub.Bootstrap().ServiceAccount
			for range 10 {
				_, err := oauthtoken.Mint(t.Context(), http.DefaultClient, stub.Bootstrap().BaseUrl, account.ClientId, account.ClientSecret)
				require.NoError(t, err)
			}
			_, err = oauthtoken.Mint(t.Context(), http.DefaultClient, stub.Bootstrap().BaseUrl, account.ClientId, account.ClientSecret)
			var refused *oauthtoken.Error
			assert.Equal(t, eleventhRefused, errors.As(err, &refused) && refused.StatusCode == http.StatusTooManyRequests, "%v", err)

			require.NoError(t, advanceClock(stub)(t.Context(), time.Minute))
			_, err = oauthtoken.Mint(t.Context(), http.DefaultClient, stub.Bootstrap().BaseUrl, account.ClientId, account.ClientSecret)
			assert.NoError(t, err, "waiting out the window by the stub's clock lets the next one through")
		})
	}
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

// TestTheKitTakesEveryFieldOfTheStubsCredentials: the conversion gives what the kit reads from
// the stub's credentials document, field for field.
func TestTheKitTakesEveryFieldOfTheStubsCredentials(t *testing.T) {
	stub := stubtest.New(t).Credentials
	document, err := json.Marshal(stub)
	require.NoError(t, err)
	var read suite.Credentials
	require.NoError(t, json.Unmarshal(document, &read))
	assert.Equal(t, read, kitCredentials(stub))
	assert.NotContains(t, []string{read.BaseURL, read.OrgID, read.ProjectID, read.APIKey.ID, read.APIKey.PublicKey, read.APIKey.PrivateKey,
		read.ServiceAccount.ClientID, read.ServiceAccount.ClientSecret}, "", "every field is read")
}

// credentialsFile writes a credentials file of the given content.
func credentialsFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// brokenTarget serves a correct stub through a proxy that alters its responses, and returns the
// proxy's URL and a credentials file that names it.
func brokenTarget(t *testing.T, alter func(res *http.Response)) (baseURL, credsFile string) {
	t.Helper()
	stub := stubtest.New(t)
	target, err := url.Parse(stub.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(res *http.Response) error {
		alter(res)
		return nil
	}
	broken := httptest.NewServer(proxy)
	t.Cleanup(broken.Close)
	creds := stub.Credentials
	creds.BaseUrl = broken.URL
	credsFile = filepath.Join(t.TempDir(), "credentials.json")
	require.NoError(t, server.WriteBootstrap(creds, credsFile))
	return broken.URL, credsFile
}

// junitReport is what the tests read of a JUnit report.
type junitReport struct {
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func readJUnit(t *testing.T, path string) junitReport {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var report junitReport
	require.NoError(t, xml.Unmarshal(data, &report), "%s", data)
	return report
}

// failure returns the failure text of a case, or "" when it did not fail.
func (r junitReport) failure(suite, name string) string {
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if s.Name == suite && c.Name == name && c.Failure != nil {
				return c.Failure.Message + "\n" + c.Failure.Text
			}
		}
	}
	return ""
}

// verdict is the last line of a text report.
func verdict(stdout string) string {
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	return lines[len(lines)-1]
}

// TestContractFailsAgainstABrokenTarget points the suite at a proxy that refuses one valid
// request of a correct stub: the run exits 1, and the JUnit report shows the failure with a
// curl command that sends the refused request again.
func TestContractFailsAgainstABrokenTarget(t *testing.T) {
	var getOrg string
	baseURL, credsFile := brokenTarget(t, func(res *http.Response) {
		if res.Request.Method == http.MethodGet && res.Request.URL.Path == getOrg && res.StatusCode == http.StatusOK {
			refusal := `{"detail":"Refused by the broken proxy.","error":400,"errorCode":"INVALID_PARAMETER","parameters":[],"reason":"Bad Request"}` + "\n"
			res.StatusCode = http.StatusBadRequest
			res.Header.Set("Content-Type", "application/json")
			res.Header.Del("Content-Length")
			res.Body = io.NopCloser(strings.NewReader(refusal))
		}
	})
	creds, err := server.ReadBootstrap(credsFile)
	require.NoError(t, err)
	getOrg = "/api/atlas/v2/orgs/" + creds.OrgId
	junitFile := filepath.Join(t.TempDir(), "contract.xml")

	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--base-url", baseURL, "--credentials", credsFile, "--operations", "getOrg", "--skip-scenarios", "--junit", junitFile}, &stdout, &stderr)
	assert.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	assert.True(t, strings.HasPrefix(verdict(stdout.String()), "FAIL: "), verdict(stdout.String()))

	junit := readJUnit(t, junitFile)
	assert.Positive(t, junit.Failures)
	refused := junit.failure("positive_data_acceptance", "getOrg")
	require.NotEmpty(t, refused, "positive_data_acceptance does not fail on getOrg")
	assert.Contains(t, refused, "refused with 400")
	assert.Contains(t, refused, "reproduce: curl -i -X GET '"+baseURL+getOrg)
	assert.Contains(t, refused, `-H "Authorization: Bearer $ATLAS_TOKEN"`, "the service account of the credentials file signs the request")
	assert.NotContains(t, refused, "\n\n", "the refusal's body ends in a newline, which the report must not turn into a blank line")
	failures, _, _ := strings.Cut(stdout.String()[strings.Index(stdout.String(), "\nFailures"):], "\n\n")
	assert.Contains(t, failures, "reproduce: curl", "the failures are listed without blank lines, up to the next section")
	assert.Contains(t, stdout.String(), "\nCoverage:\n")
}

// TestViolationsOutsideTheSelectionAreShownAndNotCounted: the fixture's own requests, and the
// checks left out, are judged too; what they find is reported as not counted, and the run, the
// JUnit report and the exit status agree that the selection passed.
func TestViolationsOutsideTheSelectionAreShownAndNotCounted(t *testing.T) {
	baseURL, credsFile := brokenTarget(t, func(res *http.Response) {
		// The fixture creates a project; getOrg is what the runs below select.
		if res.Request.Method == http.MethodPost && res.Request.URL.Path == "/api/atlas/v2/groups" && res.StatusCode == http.StatusCreated {
			res.Header.Set("Content-Type", "text/plain")
		}
	})
	for name, args := range map[string][]string{
		"an operation left out": {"--operations", "getOrg"},
		"a check left out":      {"--operations", "createGroup", "--checks", "ignored_auth"},
	} {
		t.Run(name, func(t *testing.T) {
			junitFile := filepath.Join(t.TempDir(), "contract.xml")
			var stdout bytes.Buffer
			code := run(append([]string{"contract", "--base-url", baseURL, "--credentials", credsFile, "--skip-scenarios", "--junit", junitFile}, args...), &stdout, io.Discard)
			assert.Equal(t, 0, code, stdout.String())
			assert.Contains(t, stdout.String(), "Not counted")
			assert.Contains(t, stdout.String(), `content_type_conformance on createGroup (status 201): Content-Type "text/plain" is not declared`)
			assert.Regexp(t, `^PASS: 0 failures, 0 scenarios, coverage complete: (true|false), violations not counted: [1-9]`, verdict(stdout.String()))
			junit := readJUnit(t, junitFile)
			assert.Zero(t, junit.Failures)
			var shown bool
			for _, s := range junit.Suites {
				for _, c := range s.Cases {
					shown = shown || (s.Name == "not counted" && c.Skipped != nil && strings.Contains(c.Skipped.Message, "content_type_conformance on createGroup"))
				}
			}
			assert.True(t, shown, "the JUnit report shows the violation as a skipped case")
		})
	}
}

// TestRequiredCoverageDecidesTheVerdict: with --require-coverage, incomplete coverage fails the
// run, and the verdict line and the JUnit report say so.
func TestRequiredCoverageDecidesTheVerdict(t *testing.T) {
	junitFile := filepath.Join(t.TempDir(), "contract.xml")
	var stdout bytes.Buffer
	code := run([]string{"contract", "--operations", "getOrg", "--checks", "ignored_auth", "--skip-scenarios", "--require-coverage", "--junit", junitFile}, &stdout, io.Discard)
	assert.Equal(t, 1, code, stdout.String())
	assert.Equal(t, "FAIL: 0 failures, 0 scenarios, coverage complete: false (required)", verdict(stdout.String()))
	junit := readJUnit(t, junitFile)
	assert.Equal(t, 1, junit.Failures)
	assert.Contains(t, junit.failure("coverage", "getOrg"), "statuses never answered: 200")
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
		"a target without credentials": {[]string{"--base-url", "http://127.0.0.1:1"}, "--base-url needs --credentials"},
		"unreadable credentials":       {[]string{"--base-url", "http://127.0.0.1:1", "--credentials", filepath.Join(t.TempDir(), "missing.json")}, "missing.json"},
		"credentials missing fields":   {[]string{"--credentials", credentialsFile(t, `{"baseUrl": "http://127.0.0.1:1", "orgId": "4888442a3354817a7320eb61", "apiKey": {"publicKey": "zmmrboas"}, "serviceAccount": {"clientId": "mdb_sa_id_66ad205d181fc82b21b336e3"}}`)}, "lacks apiKey.privateKey, serviceAccount.clientSecret"},
		"credentials without a target": {[]string{"--credentials", credentialsFile(t, `{"orgId": "o", "apiKey": {"publicKey": "p", "privateKey": "k"}, "serviceAccount": {"clientId": "c", "clientSecret": "s"}}`)}, "lacks baseUrl (or give --base-url)"},
		"credentials not JSON":         {[]string{"--credentials", credentialsFile(t, `baseUrl: http://127.0.0.1:1`)}, "credentials file "},
		"kept fixtures of no target":   {[]string{"--keep-fixtures"}, "--keep-fixtures keeps what the kit created in a target that outlives the run"},
		"a selection that cannot fail": {[]string{"--checks", "response_schema_conformance"}, "this selection cannot fail: the selected checks send no request of their own"},
		"nothing but destructive ones": {[]string{"--checks", "positive_data_acceptance", "--skip-destructive"}, "once --skip-destructive leaves out those that create, change or delete"},
		"stray argument":               {[]string{"now"}, "takes no arguments"},
		"unknown rate limits":          {[]string{"--rate-limits", "some"}, `rate limits "some": want atlas or off`},
		"rate limits of a target":      {[]string{"--base-url", "http://127.0.0.1:1", "--credentials", "creds.json", "--rate-limits", "off"}, "--rate-limits sets the in-process stub's limits"},
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

// TestContractChecksTheOfficialSpecification: --official checks the official operations that ours
// does not declare, with requests the kit builds.
func TestContractChecksTheOfficialSpecification(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--official", "--tags", "Flex Clusters", "--skip-scenarios"}, &stdout, &stderr)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	assert.Regexp(t, `createGroupFlexCluster +POST +generated +201✓`, stdout.String())
	assert.Contains(t, stdout.String(), "PASS")
}
