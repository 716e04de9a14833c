package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedFileIsUpToDate fails when client/operations.gen.go differs from what the
// specification and the generated bindings produce now.
func TestGeneratedFileIsUpToDate(t *testing.T) {
	want, err := generate()
	require.NoError(t, err)
	got, err := os.ReadFile("../../operations.gen.go")
	require.NoError(t, err)
	assert.True(t, string(got) == string(want), "client/operations.gen.go is out of date; run `make generate`")
}

func TestWrapKeepsCommentLinesShort(t *testing.T) {
	text := strings.Repeat("word ", 60)
	lines := wrap(text)
	require.Greater(t, len(lines), 1)
	for _, line := range lines {
		assert.LessOrEqual(t, len(line), 96)
	}
	assert.Equal(t, strings.Fields(text), strings.Fields(strings.Join(lines, " ")), "no word is lost")
}

func TestGoNameSpellsInitialisms(t *testing.T) {
	assert.Equal(t, "groupID", goName("groupId"))
	assert.Equal(t, "apiUserID", goName("apiUserId"))
	assert.Equal(t, "username", goName("username"))
}
