package apidrift_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/apidrift"
)

func TestCompareReportsRemovedAndChangedSymbols(t *testing.T) {
	result, err := apidrift.Compare("testdata/base", "testdata/revision", []string{"widget"})
	require.NoError(t, err)

	incompatible := map[string]string{}
	compatible := map[string]string{}
	var extended []string
	for _, change := range result.Changes {
		assert.Equal(t, "widget", change.Package)
		if change.Compatible {
			compatible[change.Symbol] = change.Message
		} else {
			incompatible[change.Symbol] = change.Message
		}
		if change.ExtendsInterface() {
			extended = append(extended, change.Symbol)
		}
	}
	assert.Equal(t, map[string]string{
		"Widget.Color":    "removed",
		"(*Widget).Close": "removed",
		"Gauge":           "removed",
		"Widget.Size":     "changed from int to int64",
		"Store.Put":       "added",
	}, incompatible)
	assert.Equal(t, []string{"Store.Put"}, extended, "adding a method to an interface breaks its implementations")
	assert.Equal(t, map[string]string{"Widget.Weight": "added"}, compatible)
	assert.Equal(t, []string{"widget"}, result.Compared)
	assert.Empty(t, result.Skipped)
}

func TestCompareFindsNothingBetweenIdenticalTrees(t *testing.T) {
	result, err := apidrift.Compare("testdata/base", "testdata/base", []string{"widget"})
	require.NoError(t, err)
	assert.Empty(t, result.Changes)
}

func TestCompareSkipsPackagesTheBaseLacks(t *testing.T) {
	result, err := apidrift.Compare("testdata/base", "testdata/revision", []string{"gadget", "client"})
	require.NoError(t, err)
	assert.Empty(t, result.Changes)
	assert.Empty(t, result.Compared)
	assert.Equal(t, []string{
		"gadget: new in the revision; not compared",
		"client: on neither side; not compared",
	}, result.Skipped)
	assert.Empty(t, result.Removed)
}

func TestCompareListsPackagesTheRevisionRemoved(t *testing.T) {
	// The revision fixture has gadget; compared the other way round, gadget is removed.
	result, err := apidrift.Compare("testdata/revision", "testdata/base", []string{"gadget", "widget"})
	require.NoError(t, err)
	assert.Equal(t, []string{"gadget"}, result.Removed)
	assert.Equal(t, []string{"widget"}, result.Compared)
	assert.Empty(t, result.Skipped)
}

func TestCompareFailsOnAPackageThatDoesNotBuild(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "go.mod", "module example.com/broken\n\ngo 1.26\n")
	writeFile(t, root, "widget/widget.go", "package widget\n\nvar X int = \"not an int\"\n")
	_, err := apidrift.Compare(root, "testdata/revision", []string{"widget"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "base: load widget")
}

func writeFile(t *testing.T, root, name, content string) {
	t.Helper()
	path := filepath.Join(root, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}
