package reviewed_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/internal/reviewed"
)

func TestWriteEntriesWritesASectionOnlyWhenThereAreEntries(t *testing.T) {
	var b strings.Builder
	rule := func(w waiver) string { return w.Rule }
	reviewed.WriteEntries(&b, "Stale waivers", "remove them", nil, rule)
	assert.Empty(t, b.String())
	reviewed.WriteEntries(&b, "Stale waivers", "remove them", []waiver{{Rule: "a"}, {Rule: "b"}}, rule)
	assert.Equal(t, "\nStale waivers (2); remove them:\n  - a\n  - b\n", b.String())
}

func TestWriteJSONIndentsTheDocument(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, reviewed.WriteJSON(&out, map[string]any{"failed": true, "unused": []string{"a"}}))
	assert.Equal(t, "{\n  \"failed\": true,\n  \"unused\": [\n    \"a\"\n  ]\n}\n", out.String())
}
