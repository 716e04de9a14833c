package suite_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
)

// droppedOrgID is a target that leaves the required orgId out of every project it returns, as
// the server that dropped a required field.
var droppedOrgID = defect{
	name: "orgId dropped from projects",
	rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
		var project map[string]any
		if status == http.StatusOK && json.Unmarshal(body, &project) == nil && project["clusterCount"] != nil {
			delete(project, "orgId")
			body, _ = json.Marshal(project)
		}
		return status, h, body
	},
}

// TestTheHTMLReportShowsWhatARunFound renders the page of a failed run in headless Chromium and
// reads what a person sees: the verdict, the coverage matrix coloured covered, missed and failed,
// and the failure, grouped over the operations that had it, with its request, response and curl.
func TestTheHTMLReportShowsWhatARunFound(t *testing.T) {
	creds := brokenServer(t, droppedOrgID)
	report, err := suite.Run(context.Background(), suite.Config{
		Credentials: creds, Seed: 1, SkipScenarios: true,
		Operations: []string{"getGroup", "getGroupByName", "getOrg"},
		Checks:     []string{"positive_data_acceptance", "response_schema_conformance"},
	})
	require.NoError(t, err)
	require.True(t, report.Failed())
	page := filepath.Join(t.TempDir(), "contract.html")
	f, err := os.Create(page)
	require.NoError(t, err)
	require.NoError(t, report.WriteHTML(f))
	require.NoError(t, f.Close())

	var seen struct {
		Verdict      string
		VerdictColor string
		Groups       []struct {
			Check      string
			Operations string
			Request    string
			Response   string
			Curl       string
		}
		Cells map[string]string // operation/status -> background colour
	}
	browse(t, "file://"+page, `({
		verdict: document.getElementById("verdict").innerText,
		verdictColor: getComputedStyle(document.getElementById("verdict")).backgroundColor,
		groups: [...document.querySelectorAll(".failure")].map(g => ({
			check: g.querySelector(".check").innerText,
			operations: g.querySelector("p").innerText,
			request: (g.querySelector("details[open] pre.request") || {}).innerText || "",
			response: (g.querySelector("details[open] pre.response") || {}).innerText || "",
			curl: (g.querySelector("details[open] pre.curl") || {}).innerText || "",
		})),
		cells: Object.fromEntries([...document.querySelectorAll("#coverage td[data-status]")].map(td =>
			[td.closest("tr").dataset.operation + "/" + td.dataset.status, getComputedStyle(td).backgroundColor])),
	})`, &seen)

	assert.Equal(t, "FAIL", seen.Verdict)
	assert.Equal(t, "rgb(207, 34, 46)", seen.VerdictColor, "a failed run is red")
	require.NotEmpty(t, seen.Groups)
	var schema bool
	for _, g := range seen.Groups {
		if g.Check != "response_schema_conformance" {
			continue
		}
		schema = true
		assert.Equal(t, "on 2 operations: getGroup, getGroupByName", g.Operations, "one failure, grouped over the operations that had it")
		assert.Regexp(t, `^GET http://127\.0\.0\.1:\d+/api/atlas/v2/groups/`, g.Request)
		assert.Regexp(t, `^200 application/vnd\.atlas\.2023-01-01\+json`, g.Response)
		assert.NotContains(t, g.Response, `"orgId"`, "the response as the target sent it")
		assert.Regexp(t, `^curl -i -X GET 'http://127\.0\.0\.1:\d+/api/atlas/v2/groups/`, g.Curl)
	}
	assert.True(t, schema, "the dropped field is shown as a failure of response_schema_conformance: %+v", seen.Groups)

	const covered, missed, failed, serverError = "rgb(172, 238, 187)", "rgb(255, 216, 181)", "rgb(255, 129, 130)", "rgb(234, 238, 242)"
	assert.Equal(t, failed, seen.Cells["getGroup/200"])
	assert.Equal(t, failed, seen.Cells["getGroupByName/200"])
	assert.Equal(t, covered, seen.Cells["getOrg/200"])
	assert.Equal(t, missed, seen.Cells["getOrg/404"], "no selected check asks for a missing organization")
	assert.Equal(t, serverError, seen.Cells["getOrg/500"])
}

// browse opens url in headless Chromium and evaluates expression there into result.
func browse(t *testing.T, url, expression string, result any) {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	require.NoError(t, err, "the test renders the page in Chromium: apt-get install chromium (scripts/test-tools.sh)")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // as root, which CI is
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), // the machines reach no network but loopback
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAllocator()
	browser, cancelBrowser := chromedp.NewContext(allocator)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(browser, time.Minute)
	defer cancel()
	_, err = chromedp.Run(ctx, chromedp.Navigate(url))
	require.NoError(t, err)
	if shot := os.Getenv("ATLASSTUB_HTML_SCREENSHOT"); shot != "" { // to look at the page by eye
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(shot, png, 0o644))
	}
	data, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expression))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, result), "%s", data)
}
