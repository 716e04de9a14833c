package upstream_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/upstream"
	"github.com/atlasstub/atlasstub/openapi"
)

// TestOurSpecificationAgainstTheOfficialOneOfTheSDK compares openapi/atlas.yaml with the official
// specification that the Atlas Go SDK module of go.mod ships, with the reviewed differences of
// openapi/upstream-differences.yaml: nothing is left to review, and every reviewed entry still
// explains a finding, so that the file cannot rot. A newer SDK in go.mod runs this against its
// specification.
func TestOurSpecificationAgainstTheOfficialOneOfTheSDK(t *testing.T) {
	official := officialSpecification(t)
	ours, err := upstream.Load("openapi/atlas.yaml", openapi.AtlasYAML())
	require.NoError(t, err)
	differences, err := upstream.ParseDifferences(openapi.UpstreamDifferencesYAML())
	require.NoError(t, err)

	report := upstream.Compare(ours, official)
	upstream.ApplyDifferences(&report, differences)

	assert.Empty(t, describe(report.Unexplained()), "differences to review")
	assert.Empty(t, whats(report.UnusedDifferences), "reviewed differences that no longer show; remove them")
	assert.Positive(t, report.Matched)
}

// TestDeprecationsOfTheOfficialSpecificationOfTheSDK reads the deprecated operations of the
// official specification, which the SDK's copy marks deprecated with an x-sunset on the operation,
// as the stub and the kit read them.
func TestDeprecationsOfTheOfficialSpecificationOfTheSDK(t *testing.T) {
	official := officialSpecification(t)
	addUser := official.Paths.Value("/api/atlas/v2/groups/{groupId}/access").Post
	d, deprecated := openapi.VersionDeprecation(addUser, openapi.Versions(addUser)[0])
	require.True(t, deprecated)
	assert.Equal(t, "2026-09-15", d.Sunset.Format(time.DateOnly))
	assert.True(t, d.Since.IsZero(), "the SDK's copy lists one version: what replaced it is not said")

	getGroup := official.Paths.Value("/api/atlas/v2/groups/{groupId}").Get
	_, deprecated = openapi.VersionDeprecation(getGroup, openapi.Versions(getGroup)[0])
	assert.False(t, deprecated)
}

// officialDoc is the official specification of the SDK module, loaded once for the tests that
// read it: it is large, and the tests only read it.
var officialDoc struct {
	sync.Once
	doc *openapi3.T
}

func officialSpecification(t *testing.T) *openapi3.T {
	t.Helper()
	officialDoc.Do(func() { officialDoc.doc = load(t, filepath.Join(sdkModuleDir(t), "openapi", "atlas-api.yaml")) })
	require.NotNil(t, officialDoc.doc, "the official specification did not load")
	return officialDoc.doc
}

// sdkModuleDir downloads (or finds in the module cache) the official Atlas Go SDK module that
// go.mod requires and returns its directory.
func sdkModuleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", "go.mongodb.org/atlas-sdk/...").Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go mod download: %v\n%s\n%s", err, out, exit.Stderr)
	}
	require.NoError(t, err)
	var dirs []string
	decoder := json.NewDecoder(bytes.NewReader(out))
	for {
		var module struct{ Path, Dir, Error string }
		if err := decoder.Decode(&module); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		require.Empty(t, module.Error, module.Path)
		dirs = append(dirs, module.Dir)
	}
	require.Len(t, dirs, 1, "go.mod requires one Atlas Go SDK module")
	return dirs[0]
}
