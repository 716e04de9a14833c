package compat

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// recipeBase is the line of a recipe block that names the stub; the tests replace its host and
// nothing else.
var recipeBase = regexp.MustCompile(`(?m)^BASE=http://127\.0\.0\.1:8080$`)

// shellRecipes returns the first shell block of a document's section (a "## " heading),
// pointed at baseURL.
func shellRecipes(t *testing.T, document, heading, baseURL string) string {
	t.Helper()
	block := shellBlock(t, document, heading)
	require.Len(t, recipeBase.FindAllString(block, -1), 1, "the recipes set BASE=http://127.0.0.1:8080 once")
	return recipeBase.ReplaceAllLiteralString(block, "BASE="+baseURL)
}

// shellBlock returns the first ```sh block of a document's section (a "## " heading), as it is.
func shellBlock(t *testing.T, document, heading string) string {
	t.Helper()
	text, err := os.ReadFile(document)
	require.NoError(t, err)
	_, section, found := strings.Cut(string(text), "\n## "+heading+"\n")
	require.True(t, found, "%s has no %q section", document, heading)
	_, block, found := strings.Cut(section, "\n```sh\n")
	require.True(t, found, "the section has no ```sh block")
	block, _, found = strings.Cut(block, "\n```\n")
	require.True(t, found, "the ```sh block does not end")
	return block
}

// TestReadmeCurlRecipes runs the README's recipes as written, host aside, and checks that each
// of the four did what it says.
func TestReadmeCurlRecipes(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	creds := stub.Credentials
	accountPath := "/api/atlas/v2/orgs/" + creds.OrgId + "/serviceAccounts/" + creds.ServiceAccount.ClientId
	var before serviceAccount
	require.Equal(t, http.StatusOK, stubAPI(t, stub, accountPath, &before))
	require.Len(t, before.Secrets, 1)

	shell := newRecipeShell(t, nil)
	out := string(shell.run(shellRecipes(t, "../../README.md", "Develop against the stub", stub.URL)))

	// 1. The service account's token listed the bootstrap project (pretty-printed).
	assert.Contains(t, out, `"id": "`+creds.ProjectId+`"`)

	// 2. The API key created the project "recipe".
	var project struct{ ID string }
	require.Equal(t, http.StatusOK, stubAPI(t, stub, "/api/atlas/v2/groups/byName/recipe", &project))

	// 3. The certificate verifies against the project's CA, for openssl and for Go, and is listed.
	assert.Contains(t, out, "myX509User.pem: OK")
	requireIssuedCertificate(t, string(shell.file("myX509User.pem")), projectCA(t, stub, project.ID), "myX509User")
	assert.Equal(t, string(projectCA(t, stub, project.ID)), string(shell.file("ca.pem")))
	assert.Contains(t, out, `"subject": "CN=myX509User"`)

	// 4. The old secret was revoked; the new one is the account's only secret.
	var after serviceAccount
	require.Equal(t, http.StatusOK, stubAPI(t, stub, accountPath, &after))
	require.Len(t, after.Secrets, 1)
	assert.NotEqual(t, before.Secrets[0].ID, after.Secrets[0].ID)
	assert.Equal(t, http.StatusUnauthorized, tokenStatus(t, stub.URL, creds.ServiceAccount.ClientId, creds.ServiceAccount.ClientSecret),
		"the old secret mints no token")
}

// TestReadmeControlAPI runs the README's control-API block as written, host aside: curl's -d
// sends the clock's JSON labelled as a form, which the stub reads; the reset puts the clock back;
// health answers; the specification is written to a file.
func TestReadmeControlAPI(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	shell := newRecipeShell(t, nil)
	out := string(shell.run(shellRecipes(t, "../../README.md", "The control API", stub.URL)))
	assert.Contains(t, out, `"offsetSeconds":3660`, "the advance and the clock's read show the hour and a minute")
	assert.Contains(t, out, `{"status":"ok"}`)
	assert.Zero(t, stub.Server.Clock().Offset(), "the reset puts the clock back")
	assert.Contains(t, string(shell.file("atlas.yaml")), "servers:\n  - url: "+stub.URL+"\n")
}

type serviceAccount struct {
	Secrets []struct{ ID string }
}

// tokenStatus asks the token endpoint for a token and returns the status of its answer.
func tokenStatus(t *testing.T, baseURL, clientID, secret string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, baseURL+"/api/oauth/token", strings.NewReader("grant_type=client_credentials"))
	require.NoError(t, err)
	req.SetBasicAuth(clientID, secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	return res.StatusCode
}

// TestReadmeSnapshotRecipe runs the curl lines of the README's "Keep the state" section: the
// export of one stub, and its import into another, which then holds the first one's project
// and credentials. Its serve line is cmd/atlasstub's TestServeStartsFromAState.
func TestReadmeSnapshotRecipe(t *testing.T) {
	t.Parallel()
	lines := strings.Split(shellBlock(t, "../../README.md", "Keep the state"), "\n")
	require.Len(t, lines, 3)
	require.True(t, strings.HasPrefix(lines[1], "atlasstub serve --state "), lines[1])

	from, to := stubtest.New(t), stubtest.New(t)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, from.URL+"/api/atlas/v2/groups",
		strings.NewReader(`{"name": "fixture", "orgId": "`+from.Credentials.OrgId+`"}`))
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
	req.Header.Set("Content-Type", "application/json")
	res, err := from.DigestClient().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusCreated, res.StatusCode)

	shell := newRecipeShell(t, nil)
	shell.run("BASE=" + from.URL + "\n" + lines[0])
	shell.run("BASE=" + to.URL + "\nJSON='Content-Type: application/json'\n" + lines[2])
	imported := *to
	imported.Credentials = from.Credentials
	assert.Equal(t, http.StatusOK, stubAPI(t, &imported, "/api/atlas/v2/groups/byName/fixture", nil), "the second stub holds the first one's state")
}
