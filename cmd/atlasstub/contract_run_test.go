package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestContractTakesTheBaseURLFromTheCredentialsFile(t *testing.T) {
	stub := stubtest.New(t)
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	require.NoError(t, server.WriteBootstrap(stub.Credentials, credsFile))
	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--credentials", credsFile, "--operations", "getOrg", "--checks", "ignored_auth", "--skip-scenarios"}, &stdout, &stderr)
	assert.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	assert.True(t, strings.HasPrefix(stdout.String(), "atlasstub contract: "+stub.URL+" "), stdout.String())
}

func TestARejectedSecretSaysInvalidClient(t *testing.T) {
	stub := stubtest.New(t)
	creds := stub.Credentials
	creds.ServiceAccount.ClientSecret = "mdb_sa_sk_not-the-secret"
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	require.NoError(t, server.WriteBootstrap(creds, credsFile))
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"contract", "--credentials", credsFile}, &stdout, &stderr), "the run could not start")
	assert.Contains(t, stderr.String(), "401 invalid_client")
	assert.Contains(t, stderr.String(), creds.ServiceAccount.ClientId, "names the service account it signed in as")
	assert.NotContains(t, stderr.String(), creds.ServiceAccount.ClientSecret)
	assert.Empty(t, stdout.String())
}

// TestEveryCaseNotApplicableIsInconclusive: a selection whose every case does not apply has
// checked nothing; it says so and exits 2 instead of passing.
func TestEveryCaseNotApplicableIsInconclusive(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--checks", "conflict_detection", "--operations", "getOrg", "--skip-scenarios"}, &stdout, &stderr)
	assert.Equal(t, 2, code)
	assert.True(t, strings.HasPrefix(verdict(stdout.String()), "INCONCLUSIVE: every selected case was not applicable"), verdict(stdout.String()))
	assert.Contains(t, stderr.String(), "atlasstub contract: every selected case was not applicable, so nothing was checked (")
}

// TestProgressIsALinePerOperationInALog: off a terminal, as in CI, the run writes a line to
// stderr as each operation's checks and each scenario end, with what is done out of the total.
func TestProgressIsALinePerOperationInALog(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--tags", "X.509 Authentication", "--checks", "positive_data_acceptance,ignored_auth,scenario_x509_certificates"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	require.Len(t, lines, 4, "three operations and one scenario:\n%s", stderr.String())
	line := regexp.MustCompile(`^contract: operations (\d)/3, checks (\d)/6, scenarios (\d)/1, failed 0, [0-9.]+m?s: (\w+)$`)
	for i, want := range []string{"1 2 0", "2 4 0", "3 6 0", "3 6 1"} {
		m := line.FindStringSubmatch(lines[i])
		require.NotNil(t, m, lines[i])
		assert.Equal(t, want, strings.Join(m[1:4], " "), lines[i])
	}
	assert.True(t, strings.HasSuffix(lines[3], ": scenario_x509_certificates"), lines[3])
	assert.NotContains(t, stderr.String(), "\r", "no in-place updates in a log")
}

// refusingKitProjects serves a stub through a proxy that refuses every read of a project other
// than the bootstrap one, that is of the kit's, with 400.
func refusingKitProjects(t *testing.T) (credsFile string) {
	t.Helper()
	var bootstrapProject string
	baseURL, credsFile := brokenTarget(t, func(res *http.Response) {
		path := res.Request.URL.Path
		if res.Request.Method == http.MethodGet && regexp.MustCompile(`^/api/atlas/v2/groups/[0-9a-f]{24}$`).MatchString(path) &&
			!strings.HasSuffix(path, bootstrapProject) && res.StatusCode == http.StatusOK {
			res.StatusCode = http.StatusBadRequest
			res.Header.Set("Content-Type", "application/json")
			res.Header.Del("Content-Length")
			res.Body = io.NopCloser(strings.NewReader(`{"detail":"Refused by the broken proxy.","error":400,"errorCode":"INVALID_PARAMETER","parameters":[],"reason":"Bad Request"}`))
		}
	})
	creds, err := server.ReadBootstrap(credsFile)
	require.NoError(t, err)
	bootstrapProject = creds.ProjectId
	require.Equal(t, baseURL, creds.BaseUrl)
	return credsFile
}

// TestKeptFixturesLetAFailuresCurlReproduceAfterTheRun: the curl command of a failure on what the
// kit created gets the failing answer again after the run when --keep-fixtures kept it, and 404
// when the kit deleted it, as it does by default. Either way the report shows the response.
func TestKeptFixturesLetAFailuresCurlReproduceAfterTheRun(t *testing.T) {
	for name, keep := range map[string]bool{"kept": true, "deleted": false} {
		t.Run(name, func(t *testing.T) {
			credsFile := refusingKitProjects(t)
			jsonFile := filepath.Join(t.TempDir(), "report.json")
			args := []string{"contract", "--credentials", credsFile, "--operations", "getGroup", "--checks", "positive_data_acceptance", "--skip-scenarios", "--json", jsonFile}
			if keep {
				args = append(args, "--keep-fixtures")
			}
			var stdout bytes.Buffer
			require.Equal(t, 1, run(args, &stdout, io.Discard), stdout.String())
			assert.Contains(t, stdout.String(), "    response: 400 application/json {\"detail\":\"Refused by the broken proxy.\"", "the report carries the response")

			data, err := os.ReadFile(jsonFile)
			require.NoError(t, err)
			var report suite.Report
			require.NoError(t, json.Unmarshal(data, &report))
			var failure suite.Failure
			for _, res := range report.Results {
				if res.Check == "positive_data_acceptance" && len(res.Failures) > 0 {
					failure = res.Failures[0]
				}
			}
			require.NotEmpty(t, failure.Curl, "%s", data)
			assert.Equal(t, http.StatusBadRequest, failure.Status)
			assert.Contains(t, failure.ResponseBody, "Refused by the broken proxy.")
			if keep {
				assert.Contains(t, stdout.String(), "Kept in the target (--keep-fixtures)")
				assert.NotEmpty(t, report.Kept)
			} else {
				assert.Empty(t, report.Kept)
			}

			creds, err := suite.ReadCredentials(credsFile)
			require.NoError(t, err)
			curl := exec.Command("sh", "-c", failure.Curl)
			curl.Env = append(os.Environ(), "ATLAS_TOKEN="+mintToken(t, creds))
			out, err := curl.Output()
			require.NoError(t, err, "%s", out)
			want := map[bool]string{true: "HTTP/1.1 400 Bad Request", false: "HTTP/1.1 404 Not Found"}[keep]
			assert.True(t, strings.HasPrefix(string(out), want), "the curl command after the run answers %s", bytes.SplitN(out, []byte("\n"), 2)[0])
		})
	}
}

// mintToken mints a token for the credentials' service account, as the report's export line does.
func mintToken(t *testing.T, creds suite.Credentials) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, creds.BaseURL+"/api/oauth/token", strings.NewReader("grant_type=client_credentials"))
	require.NoError(t, err)
	req.SetBasicAuth(creds.ServiceAccount.ClientID, creds.ServiceAccount.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var token struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&token))
	return token.AccessToken
}

// TestIdenticalFailuresAreGroupedAndTimed: a target that fails the same way on several
// operations is reported once, naming its check and the operations; the JUnit report carries
// the times of the run, each suite and each case; --html writes the page.
func TestIdenticalFailuresAreGroupedAndTimed(t *testing.T) {
	baseURL, credsFile := brokenTarget(t, func(res *http.Response) {
		if res.Request.Method == http.MethodGet && strings.HasPrefix(res.Request.URL.Path, "/api/atlas/v2/groups/") && res.StatusCode == http.StatusOK {
			var project map[string]any
			if json.NewDecoder(res.Body).Decode(&project) == nil {
				delete(project, "orgId")
				body, _ := json.Marshal(project)
				res.Header.Del("Content-Length")
				res.Body = io.NopCloser(bytes.NewReader(body))
			}
		}
	})
	dir := t.TempDir()
	junitFile, htmlFile := filepath.Join(dir, "contract.xml"), filepath.Join(dir, "contract.html")
	var stdout bytes.Buffer
	code := run([]string{"contract", "--base-url", baseURL, "--credentials", credsFile, "--operations", "getGroup,getGroupByName", "--checks", "positive_data_acceptance,response_schema_conformance",
		"--skip-scenarios", "--junit", junitFile, "--html", htmlFile}, &stdout, io.Discard)
	require.Equal(t, 1, code, stdout.String())
	text := stdout.String()
	assert.Equal(t, 1, strings.Count(text, "  - response_schema_conformance: "), "one group:\n%s", text)
	assert.Contains(t, text, "  - response_schema_conformance: response body doesn't match schema #/components/schemas/Group: at /orgId: property \"orgId\" is missing\n    on 2 operations: getGroup, getGroupByName\n")
	assert.Contains(t, text, "    reproduce (the first): curl -i -X GET '"+baseURL+"/api/atlas/v2/groups/")
	assert.Regexp(t, `\nRan 4 cases on 2 operations and 0 scenarios in [0-9.]+m?s\.\n`, text)

	data, err := os.ReadFile(junitFile)
	require.NoError(t, err)
	assert.Regexp(t, `<testsuites name="atlasstub contract" tests="4" failures="2" skipped="0" time="\d+\.\d{3}">`, string(data))
	assert.Regexp(t, `<testsuite name="positive_data_acceptance" tests="2" failures="0" skipped="0" time="\d+\.\d{3}">`, string(data))
	assert.Regexp(t, `<testcase name="getGroup" classname="contract.positive_data_acceptance" time="\d+\.\d{3}">`, string(data))

	page, err := os.ReadFile(htmlFile)
	require.NoError(t, err)
	assert.Contains(t, string(page), `<span id="verdict" class="verdict fail">FAIL</span>`)
}

// TestProgressIsOneLineInPlaceOnATerminal: each report goes back to the line's start and clears
// it, and the last one ends the line.
func TestProgressIsOneLineInPlaceOnATerminal(t *testing.T) {
	var out bytes.Buffer
	tell := printProgress(&out, true)
	tell(suite.Progress{Operation: "getOrg", OperationsDone: 1, Operations: 2, CasesDone: 9, Cases: 18, Scenarios: 1})
	tell(suite.Progress{Operation: "listOrgs", OperationsDone: 2, Operations: 2, CasesDone: 18, Cases: 18, Scenarios: 1, Failed: 1})
	tell(suite.Progress{Scenario: "scenario_x509_certificates", OperationsDone: 2, Operations: 2, CasesDone: 18, Cases: 18, ScenariosDone: 1, Scenarios: 1, Failed: 1})
	assert.Equal(t, "\r\x1b[Kcontract: operations 1/2, checks 9/18, scenarios 0/1, failed 0, 0s: getOrg"+
		"\r\x1b[Kcontract: operations 2/2, checks 18/18, scenarios 0/1, failed 1, 0s: listOrgs"+
		"\r\x1b[Kcontract: operations 2/2, checks 18/18, scenarios 1/1, failed 1, 0s: scenario_x509_certificates\n", out.String())
}
