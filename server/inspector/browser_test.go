package inspector_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

var update = flag.Bool("update", false, "write the page's screenshot to docs/inspector.png")

// screenshotPath is where -update writes the screenshot that the README shows.
const screenshotPath = "../../docs/inspector.png"

// TestTheInspectorInABrowser drives the page in headless Chromium, one browser for every case:
// it follows the API live, shows the refusing rule of a refused request, marks a certificate
// expired when the clock moves from the page, and shows no secret.
func TestTheInspectorInABrowser(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithRateLimits(limits.Off))
	api := atlasAPI{t: t, stub: stub}
	ctx := openBrowser(t, stub.URL+"/_stub/ui/")
	waitFor(t, ctx, `document.getElementById("live").textContent === "live"`)

	t.Run("a project created over the API appears in the state view without a reload", func(t *testing.T) {
		var project struct{ ID string }
		api.call(http.MethodPost, "/api/atlas/v2/groups", map[string]any{"name": "seen-live", "orgId": stub.Credentials.OrgId}, http.StatusCreated, &project)
		waitFor(t, ctx, fmt.Sprintf(`!!document.querySelector('.project[data-id="%s"]')`, project.ID))
		summary := eval[string](t, ctx, fmt.Sprintf(`document.querySelector('.project[data-id="%s"] > summary').textContent`, project.ID))
		assert.Contains(t, summary, "project seen-live")
		// And in the journal, the Digest handshake's two legs, whenever the page's first read
		// of the journal came back.
		waitFor(t, ctx, `document.querySelectorAll('#requests tbody tr[data-operation="createGroup"]').length === 2`)
	})

	t.Run("a request the contract refuses appears in the journal with the refusing rule", func(t *testing.T) {
		api.call(http.MethodPost, "/api/atlas/v2/groups", map[string]any{"name": "refused", "orgId": stub.Credentials.OrgId, "colour": "green"}, http.StatusBadRequest, nil)
		row := `[...document.querySelectorAll("#requests tbody tr")].find(tr => tr.textContent.includes("colour"))`
		waitFor(t, ctx, "!!"+row)
		cells := eval[[]string](t, ctx, `[...`+row+`.cells].map(td => td.textContent)`)
		require.Len(t, cells, 9)
		assert.Equal(t, "400 INVALID_ATTRIBUTE", cells[3])
		assert.Equal(t, "createGroup", cells[4])
		assert.Equal(t, `✗ INVALID_ATTRIBUTE – colour: property "colour" is unsupported`, cells[7], "the request's verdict names the rule")
		assert.Equal(t, "✓ keeps the contract", cells[8], "the stub's answer keeps the contract")

		eval[chromedp.Void](t, ctx, row+`.click()`)
		waitFor(t, ctx, `document.getElementById("detail-curl").textContent.includes("colour")`)
		verdicts := eval[string](t, ctx, `document.getElementById("detail-verdicts").innerText`)
		curl := eval[string](t, ctx, `document.getElementById("detail-curl").textContent`)
		assert.Contains(t, verdicts, `request: breaks the contract (INVALID_ATTRIBUTE)`)
		assert.Contains(t, verdicts, `colour: property "colour" is unsupported`)
		assert.Contains(t, curl, `--digest -u "$PUBLIC_KEY:$PRIVATE_KEY"`, "credentials are variables")
	})

	var pem string
	t.Run("advancing the clock from the page marks a three-month certificate expired", func(t *testing.T) {
		project := stub.Credentials.ProjectId
		api.call(http.MethodPost, "/api/atlas/v2/groups/"+project+"/databaseUsers", map[string]any{
			"groupId": project, "databaseName": "$external", "username": "x509-user", "x509Type": "MANAGED",
		}, http.StatusCreated, nil)
		pem = api.call(http.MethodPost, "/api/atlas/v2/groups/"+project+"/databaseUsers/x509-user/certs", map[string]any{"monthsUntilExpiration": 3}, http.StatusCreated, nil)
		require.Contains(t, pem, "PRIVATE KEY")
		waitFor(t, ctx, `!!document.querySelector(".certificate.valid")`)

		// 93 days: three months from any day are at most 92.
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#duration"), "2232h"), chromedp.Click(chromedp.CSS("#advance")))
		waitFor(t, ctx, `!!document.querySelector(".certificate.expired")`)
		text := eval[string](t, ctx, `document.querySelector(".certificate.expired").textContent`)
		assert.Regexp(t, `^expired · serial \d+ · CN=x509-user · not after `, text)
	})

	t.Run("nothing in the page shows a secret", func(t *testing.T) {
		token := stub.Token(t) // a token request and its answer, journaled
		require.NotEmpty(t, token)
		// The page as it is, and with each exchange that carried a secret open: the
		// certificate's private key, the token.
		page := eval[string](t, ctx, `document.documentElement.outerHTML + document.body.innerText`)
		for _, operation := range []string{"createGroupDatabaseUserCert", "createOAuthToken"} {
			row := fmt.Sprintf(`document.querySelector('#requests tbody tr[data-operation="%s"]')`, operation)
			waitFor(t, ctx, "!!"+row)
			eval[chromedp.Void](t, ctx, row+`.click()`)
			waitFor(t, ctx, fmt.Sprintf(`document.getElementById("detail-title").textContent.includes("(%s)")`, operation))
			page += eval[string](t, ctx, `document.documentElement.outerHTML + document.body.innerText`)
		}
		assert.Contains(t, page, "-----BEGIN PRIVATE KEY-----\n********", "the private key is shown masked")
		creds := stub.Credentials
		secrets := map[string]string{
			"the API key's private key":  creds.ApiKey.PrivateKey,
			"the service account secret": creds.ServiceAccount.ClientSecret,
			"the access token":           token,
		}
		for _, line := range regexp.MustCompile(`[A-Za-z0-9+/]{40,}`).FindAllString(privateKeyOf(pem), -1) {
			secrets["a line of the certificate's private key"] = line
			assert.NotContains(t, page, line, "a line of the certificate's private key")
		}
		for what, secret := range secrets {
			require.NotEmpty(t, secret, what)
			assert.NotContains(t, page, secret, what)
		}
	})

	if *update {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is a PNG
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(screenshotPath, png, 0o644))
	}
}

// TestTheInspectorWithoutAJournal opens the page of a stub that keeps no journal: the page says
// so and never opens the journal's stream, which the stub would end at once and the browser
// open again and again.
func TestTheInspectorWithoutAJournal(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithJournalSize(-1))
	ctx := openBrowser(t, stub.URL+"/_stub/ui/")
	waitFor(t, ctx, `document.getElementById("live").textContent === "journal off"`)
	assert.Equal(t, "The stub keeps no journal: it runs with --journal-size 0.", eval[string](t, ctx, `document.getElementById("journal-empty").textContent`))
	assert.True(t, eval[bool](t, ctx, `events === null`), "the page opened no stream")
	waitFor(t, ctx, `!!document.querySelector(".project")`) // the state is still shown
}

// privateKeyOf is the private key block of a PEM file.
func privateKeyOf(pem string) string {
	_, key, _ := strings.Cut(pem, "-----BEGIN PRIVATE KEY-----")
	key, _, _ = strings.Cut(key, "-----END")
	return key
}

// atlasAPI calls the stub's Atlas API as the bootstrap API key, over Digest.
type atlasAPI struct {
	t    *testing.T
	stub *stubtest.Stub
}

// call sends a JSON request, requires the status, and decodes the answer into out (when set);
// it returns the body.
func (a atlasAPI) call(method, path string, body any, status int, out any) string {
	a.t.Helper()
	data, err := json.Marshal(body)
	require.NoError(a.t, err)
	req, err := http.NewRequest(method, a.stub.URL+path, bytes.NewReader(data))
	require.NoError(a.t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
	req.Header.Set("Content-Type", "application/json")
	res, err := a.stub.DigestClient().Do(req)
	require.NoError(a.t, err)
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	require.NoError(a.t, err)
	require.Equal(a.t, status, res.StatusCode, "%s %s: %s", method, path, answer)
	if out != nil {
		require.NoError(a.t, json.Unmarshal(answer, out))
	}
	return string(answer)
}

// openBrowser opens url in headless Chromium, launched as contract/suite's HTML test launches
// it, for the rest of the test.
func openBrowser(t *testing.T, url string) context.Context {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	require.NoError(t, err, "the test drives the page in Chromium: apt-get install chromium (scripts/test-tools.sh)")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // as root, which CI is
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1500, 1000),
		chromedp.Flag("disable-background-networking", true), // the machines reach no network but loopback
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocator)
	ctx, cancel := context.WithTimeout(browser, time.Minute)
	// Registered after stubtest's cleanup, so run before it: the browser closes its stream first.
	t.Cleanup(func() { cancel(); cancelBrowser(); cancelAllocator() })
	run(t, ctx, chromedp.Navigate(url))
	return ctx
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, actions...))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expression string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	require.NoError(t, err, expression)
	return v
}

// waitFor waits until a JavaScript condition holds in the page. The bound is far beyond what
// the page needs (a stream event and a fetch); it only keeps a broken page from hanging the test.
func waitFor(t *testing.T, ctx context.Context, condition string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](condition, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	require.NoError(t, err, "waiting for %s", condition)
}
