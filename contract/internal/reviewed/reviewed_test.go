package reviewed_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/internal/reviewed"
)

// waiver is the entry of a made-up kind of reviewed file.
type waiver struct {
	Rule   string `yaml:"rule"`
	Reason string `yaml:"reason"`
}

var waivers = reviewed.File[waiver]{
	Key: "waivers", Name: "waivers", Entry: "waiver",
	Label: func(w waiver) string { return w.Rule },
	Validate: func(w waiver) error {
		if w.Reason == "" {
			return errors.New("reason is missing")
		}
		return nil
	},
}

func parseWaivers(data []byte) ([]waiver, error) { return reviewed.Parse(data, waivers) }

func TestParseReadsTheEntriesUnderTheKey(t *testing.T) {
	entries, err := parseWaivers([]byte("waivers:\n  - rule: a\n    reason: r1\n  - rule: b\n    reason: r2\n"))
	require.NoError(t, err)
	assert.Equal(t, []waiver{{"a", "r1"}, {"b", "r2"}}, entries)
}

func TestParseTakesAnEmptyDocumentForNoEntries(t *testing.T) {
	for _, data := range []string{"", "# nothing yet\n", "waivers: []\n", "waivers:\n"} {
		entries, err := parseWaivers([]byte(data))
		require.NoError(t, err, "%q", data)
		assert.Empty(t, entries, "%q", data)
	}
}

func TestParseRefusesWhatItDoesNotKnow(t *testing.T) {
	for name, c := range map[string]struct{ yaml, wantErr string }{
		"not YAML":          {"waivers: [", "invalid waivers file: "},
		"unknown entry key": {"waivers:\n  - rule: a\n    reason: r\n    owner: me\n", "invalid waivers file: yaml: unmarshal errors:\n  line 4: field owner not found"},
		"unknown top key":   {"waivers: []\nwaiver: []\n", "invalid waivers file: field waiver not found: the file lists its entries under waivers"},
		"not a list":        {"waivers: everything\n", "invalid waivers file: "},
		"invalid entry":     {"waivers:\n  - rule: a\n    reason: r\n  - rule: b\n", "waiver 2 (b): reason is missing"},
	} {
		_, err := parseWaivers([]byte(c.yaml))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.wantErr, name)
	}
}

func TestLoadNamesTheFileInItsErrors(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.yaml"), filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(good, []byte("waivers:\n  - rule: a\n    reason: r\n"), 0o600))
	require.NoError(t, os.WriteFile(bad, []byte("waivers:\n  - rule: a\n"), 0o600))

	entries, err := reviewed.Load(good, parseWaivers)
	require.NoError(t, err)
	assert.Equal(t, []waiver{{"a", "r"}}, entries)
	_, err = reviewed.Load(bad, parseWaivers)
	assert.EqualError(t, err, bad+": waiver 1 (a): reason is missing")
	_, err = reviewed.Load(filepath.Join(dir, "missing.yaml"), parseWaivers)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// finding is what a made-up tool finds: a rule broken, and the waiver that explains it.
type finding struct {
	rule   string
	waiver *waiver
}

func TestApplyExplainsEachFindingByTheFirstEntryThatCoversIt(t *testing.T) {
	entries := []waiver{{Rule: "a", Reason: "first"}, {Rule: "a", Reason: "second"}, {Rule: "b"}, {Rule: "c"}}
	findings := []finding{{rule: "a"}, {rule: "c"}, {rule: "d"}}
	unused := reviewed.Apply(findings, entries,
		func(w waiver, f finding) bool { return w.Rule == f.rule },
		func(f *finding, w *waiver) { f.waiver = w })

	assert.Same(t, &entries[0], findings[0].waiver, "the first entry that covers it, in the list")
	assert.Same(t, &entries[3], findings[1].waiver)
	assert.Nil(t, findings[2].waiver, "no entry covers it")
	assert.Equal(t, []waiver{{Rule: "a", Reason: "second"}, {Rule: "b"}}, unused, "in their order")
	assert.Empty(t, reviewed.Apply(findings, entries[3:], func(waiver, finding) bool { return true }, func(*finding, *waiver) {}),
		"none unused")
}
