package gen_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckGeneratedCatchesAnUnregeneratedSpecChange runs scripts/check-generated.sh on a copy of
// the specifications and generated code: the copy passes as committed, and fails once the
// specification changes without regeneration.
func TestCheckGeneratedCatchesAnUnregeneratedSpecChange(t *testing.T) {
	root := t.TempDir()
	for _, file := range []string{
		"openapi/atlas.yaml", "openapi/stub.yaml",
		"gen/atlasapi/oapi-codegen.yaml", "gen/atlasapi/atlasapi.gen.go",
		"gen/stubapi/oapi-codegen.yaml", "gen/stubapi/stubapi.gen.go",
	} {
		copyFile(t, filepath.Join("..", file), filepath.Join(root, file))
	}

	out, err := checkGenerated(root)
	require.NoError(t, err, "the committed generated code must match the specifications:\n%s", out)

	spec := filepath.Join(root, "openapi/atlas.yaml")
	data, err := os.ReadFile(spec)
	require.NoError(t, err)
	const linkSchema = "    Link:\n      type: object\n      properties:\n"
	require.Contains(t, string(data), linkSchema)
	changed := strings.Replace(string(data), linkSchema, linkSchema+"        title:\n          type: string\n", 1)
	require.NoError(t, os.WriteFile(spec, []byte(changed), 0o644))

	out, err = checkGenerated(root)
	assert.Error(t, err, "a specification change without regeneration must fail the check")
	assert.Contains(t, out, "gen/atlasapi/atlasapi.gen.go is out of date")
	assert.Contains(t, out, "Title")
}

func checkGenerated(root string) (string, error) {
	out, err := exec.Command("../scripts/check-generated.sh", root).CombinedOutput()
	return string(out), err
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, data, 0o644))
}
