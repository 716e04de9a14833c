package scripts_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"
)

// TestTheReadmesFirstScreenShowsTheThreeWaysToStart: the README's first code block, within its
// first screen, is at most six lines and starts the stub with go install (of this module's
// command), in a container built by make image, and with make run.
func TestTheReadmesFirstScreenShowsTheThreeWaysToStart(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	gomod, err := os.ReadFile("../go.mod")
	require.NoError(t, err)
	module := modfile.ModulePath(gomod)

	start := strings.Index(string(readme), "```sh\n")
	require.Positive(t, start)
	assert.LessOrEqual(t, strings.Count(string(readme[:start]), "\n"), 10, "the block is on the first screen")
	block, _, found := strings.Cut(string(readme[start+len("```sh\n"):]), "```")
	require.True(t, found)
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	assert.LessOrEqual(t, len(lines), 6, "%s", block)
	assert.Contains(t, block, "go install "+module+"/cmd/atlasstub@latest && atlasstub serve\n")
	assert.Regexp(t, `(?m)^make image && docker run --rm -p 127\.0\.0\.1:8080:8080 atlasstub\b`, block)
	assert.Regexp(t, `(?m)^make run\b`, block)

	makefile, err := os.ReadFile("../Makefile")
	require.NoError(t, err)
	for _, target := range []string{"image", "run", "install"} {
		assert.Regexp(t, `(?m)^`+target+`:`, string(makefile), "make %s exists", target)
	}
}

// TestTheDocsPointOnlyIntoTheRepository: every relative link of the README and docs/ names a file
// of the repository, and no path climbs out of it: the docs stand alone wherever the repository
// is cloned.
func TestTheDocsPointOnlyIntoTheRepository(t *testing.T) {
	pages, err := filepath.Glob("../docs/*.md")
	require.NoError(t, err)
	pages = append(pages, "../README.md", "../CHANGELOG.md")
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)]*)?\)`)
	outside := regexp.MustCompile("`\\.\\./[^`]*`|\\]\\(\\.\\./\\.\\./")
	for _, page := range pages {
		text, err := os.ReadFile(page)
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			resolved := filepath.Join(filepath.Dir(page), target)
			rel, err := filepath.Rel("..", resolved)
			require.NoError(t, err)
			assert.False(t, strings.HasPrefix(rel, ".."), "%s links outside the repository: %s", page, target)
			assert.FileExists(t, resolved, "%s links to %s", page, target)
		}
		assert.Empty(t, outside.FindAllString(string(text), -1), "%s names a path outside the repository", page)
	}
}
