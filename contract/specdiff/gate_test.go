package specdiff_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/junit"
	"github.com/atlasstub/atlasstub/contract/specdiff"
)

const (
	widgetBase     = "package widget\n\ntype Widget struct {\n\tName  string\n\tColor string\n}\n"
	widgetRevision = "package widget\n\ntype Widget struct {\n\tName string\n}\n"
)

// trees writes a base and a revision tree: a module with openapi/atlas.yaml and the package
// gen/widget, where the revision removes the deleteGroup operation and the field Widget.Color.
func trees(t *testing.T) (base, revision string) {
	t.Helper()
	base = tree(t, map[string]string{"openapi/atlas.yaml": string(baseSpec(t)), "gen/widget/widget.go": widgetBase})
	revision = tree(t, map[string]string{"openapi/atlas.yaml": string(revise(t, deleteGroupOperation, "")), "gen/widget/widget.go": widgetRevision})
	return base, revision
}

// tree writes the files of a module in a new directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module example.com/tree\n\ngo 1.26\n"
	for name, content := range files {
		path := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return root
}

var treeOptions = specdiff.Options{
	Specs:      []string{"openapi/atlas.yaml", "openapi/stub.yaml"},
	GoPackages: []string{"gen/widget", "client"},
	Now:        today,
}

func TestRunComparesSpecsAndGoPackagesOfTwoTrees(t *testing.T) {
	base, revision := trees(t)
	report, err := specdiff.Run(base, revision, treeOptions)
	require.NoError(t, err)

	assert.Equal(t, []string{"openapi/atlas.yaml", "gen/widget"}, report.Compared)
	assert.Equal(t, []string{
		"openapi/stub.yaml: on neither side; not compared",
		"client: on neither side; not compared",
	}, report.Notes)
	breaking := report.Unexempted()
	assert.Contains(t, ids(breaking), "api-removed-without-deprecation")
	assert.Contains(t, breaking, specdiff.Finding{
		ID: specdiff.GoAPIRemovedID, Level: specdiff.Breaking, Source: "gen/widget", Symbol: "Widget.Color", Text: "removed",
	})
	assert.True(t, report.Failed())
}

func TestRunLetsExemptedChangesThrough(t *testing.T) {
	base, revision := trees(t)
	opts := treeOptions
	opts.Exemptions = []specdiff.Exemption{
		{ID: "api-removed-without-deprecation", Operation: "deleteGroup", Reason: "Atlas removed it", Expires: "2026-12-31"},
		{ID: specdiff.GoAPIRemovedID, Package: "gen/widget", Symbol: "Widget.*", Reason: "follows the spec", Expires: "2026-12-31"},
		{ID: specdiff.RoleRemovedID, Operation: "getGroup", Reason: "nothing changed there", Expires: "2026-12-31"},
	}
	report, err := specdiff.Run(base, revision, opts)
	require.NoError(t, err)

	assert.Empty(t, report.Unexempted())
	exempted := map[string]string{}
	for _, f := range report.Exempted() {
		exempted[f.ID] = f.Exemption.Reason
	}
	assert.Equal(t, map[string]string{
		"api-removed-without-deprecation": "Atlas removed it",
		specdiff.GoAPIRemovedID:           "follows the spec",
	}, exempted)
	assert.Equal(t, []specdiff.Exemption{opts.Exemptions[2]}, report.UnusedExemptions, "an unused exemption is reported")
	assert.False(t, report.Failed())
}

func TestRunFailsOnAnExpiredExemption(t *testing.T) {
	base, revision := trees(t)
	opts := treeOptions
	expired := specdiff.Exemption{ID: "api-removed-without-deprecation", Operation: "deleteGroup", Reason: "Atlas removed it", Expires: "2026-11-21"}
	opts.Exemptions = []specdiff.Exemption{
		expired,
		{ID: specdiff.GoAPIRemovedID, Package: "gen/widget", Symbol: "*", Reason: "follows the spec", Expires: "2026-12-31"},
	}
	report, err := specdiff.Run(base, revision, opts)
	require.NoError(t, err)

	assert.Equal(t, []specdiff.Exemption{expired}, report.ExpiredExemptions)
	assert.Equal(t, []string{"api-removed-without-deprecation"}, ids(report.Unexempted()), "an expired exemption lets nothing through")
	assert.True(t, report.Failed())

	var text bytes.Buffer
	require.NoError(t, report.WriteText(&text))
	assert.Contains(t, text.String(), "Expired exemptions (1)")
	assert.Contains(t, text.String(), "FAIL: 1 breaking changes without exemption and 1 expired exemptions")
}

func TestRunPassesBetweenEqualTrees(t *testing.T) {
	base, _ := trees(t)
	report, err := specdiff.Run(base, base, treeOptions)
	require.NoError(t, err)
	assert.Empty(t, report.Findings)
	assert.False(t, report.Failed())

	var text bytes.Buffer
	require.NoError(t, report.WriteText(&text))
	assert.Contains(t, text.String(), "PASS: 0 breaking (0 exempted), 0 warnings, 0 other changes")
}

func TestRunComparesTwoFiles(t *testing.T) {
	base, revision := trees(t)
	report, err := specdiff.Run(filepath.Join(base, "openapi/atlas.yaml"), filepath.Join(revision, "openapi/atlas.yaml"), specdiff.Options{Now: today})
	require.NoError(t, err)
	assert.Len(t, report.Compared, 1)
	assert.Contains(t, ids(report.Unexempted()), "api-removed-without-deprecation")
}

func TestRunRejectsAFileAndADirectory(t *testing.T) {
	base, revision := trees(t)
	_, err := specdiff.Run(filepath.Join(base, "openapi/atlas.yaml"), revision, treeOptions)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not one of each")

	_, err = specdiff.Run(filepath.Join(base, "missing.yaml"), revision, treeOptions)
	require.Error(t, err)
}

func TestReportRendersAsJSON(t *testing.T) {
	base, revision := trees(t)
	report, err := specdiff.Run(base, revision, treeOptions)
	require.NoError(t, err)

	var out bytes.Buffer
	require.NoError(t, report.WriteJSON(&out))
	var parsed struct {
		Failed   bool `json:"failed"`
		Summary  specdiff.Summary
		Findings []specdiff.Finding
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &parsed))
	assert.True(t, parsed.Failed)
	assert.Equal(t, report.Summary(), parsed.Summary)
	assert.Equal(t, len(report.Findings), len(parsed.Findings))
	assert.Positive(t, parsed.Summary.Breaking)
}

func TestReportRendersAsJUnit(t *testing.T) {
	base, revision := trees(t)
	opts := treeOptions
	opts.Exemptions = []specdiff.Exemption{
		{ID: specdiff.GoAPIRemovedID, Package: "gen/widget", Symbol: "Widget.Color", Reason: "follows the spec", Expires: "2026-12-31"},
		{ID: specdiff.RoleRemovedID, Operation: "getGroup", Reason: "old", Expires: "2026-01-31"},
	}
	report, err := specdiff.Run(base, revision, opts)
	require.NoError(t, err)

	var out bytes.Buffer
	require.NoError(t, report.WriteJUnit(&out))
	var parsed junit.Suites
	require.NoError(t, xml.Unmarshal(out.Bytes(), &parsed), out.String())

	suites := map[string]junit.Suite{}
	for _, s := range parsed.Suites {
		suites[s.Name] = s
	}
	require.Contains(t, suites, "openapi/atlas.yaml")
	require.Contains(t, suites, "gen/widget")
	require.Contains(t, suites, "exemptions")
	assert.Equal(t, len(report.Unexempted()), suites["openapi/atlas.yaml"].Failures)
	assert.Equal(t, 1, suites["gen/widget"].Skipped, "the exempted Go change is skipped")
	assert.Equal(t, 0, suites["gen/widget"].Failures)
	assert.Equal(t, 1, suites["exemptions"].Failures, "the expired exemption fails")
	assert.Equal(t, parsed.Failures, suites["openapi/atlas.yaml"].Failures+1)
}

func TestRunFailsOnARemovedGoPackage(t *testing.T) {
	base, _ := trees(t)
	revision := tree(t, map[string]string{"openapi/atlas.yaml": string(baseSpec(t))})
	report, err := specdiff.Run(base, revision, treeOptions)
	require.NoError(t, err)

	removed := specdiff.Finding{
		ID: specdiff.GoPackageRemovedID, Level: specdiff.Breaking, Source: "gen/widget",
		Text: "the package was removed; code that imports it no longer builds",
	}
	assert.Equal(t, []specdiff.Finding{removed}, report.Unexempted())
	assert.True(t, report.Failed())
	assert.Contains(t, report.Compared, "gen/widget")
	assert.NotContains(t, report.Notes, "gen/widget: not in the revision; not compared")

	var text, junitXML bytes.Buffer
	require.NoError(t, report.WriteText(&text))
	assert.Contains(t, text.String(), "  - gen/widget: the package was removed; code that imports it no longer builds [go-package-removed]")
	require.NoError(t, report.WriteJUnit(&junitXML))
	var parsed junit.Suites
	require.NoError(t, xml.Unmarshal(junitXML.Bytes(), &parsed))
	assert.Equal(t, 1, parsed.Failures, "the removed package fails its suite")

	opts := treeOptions
	opts.Exemptions = []specdiff.Exemption{{ID: specdiff.GoPackageRemovedID, Package: "gen/widget", Reason: "merged into gen/atlasapi", Expires: "2026-12-31"}}
	report, err = specdiff.Run(base, revision, opts)
	require.NoError(t, err)
	assert.False(t, report.Failed(), "an exemption lets the removal through")
	assert.Len(t, report.Exempted(), 1)
}

func TestReportTextSaysWhatWasCompared(t *testing.T) {
	base, revision := trees(t)
	for name, c := range map[string]struct {
		base, revision string
		opts           specdiff.Options
		want           string
	}{
		"trees": {base, revision, treeOptions, "Compared " + base + " (base) with " + revision + " (revision): openapi/atlas.yaml, gen/widget\n"},
		"files": {
			filepath.Join(base, "openapi/atlas.yaml"), filepath.Join(revision, "openapi/atlas.yaml"), specdiff.Options{Now: today},
			"Compared " + filepath.Join(base, "openapi/atlas.yaml") + " (base) with " + filepath.Join(revision, "openapi/atlas.yaml") + " (revision)\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			report, err := specdiff.Run(c.base, c.revision, c.opts)
			require.NoError(t, err)
			var text bytes.Buffer
			require.NoError(t, report.WriteText(&text))
			first, _, _ := strings.Cut(text.String(), "\n")
			assert.Equal(t, c.want, first+"\n")
		})
	}
}

func TestRunWarnsAboutAMethodAddedToAnInterface(t *testing.T) {
	// A new operation adds a method to the generated interfaces: the specification change is
	// additive and the Go change breaks only implementations, so the gate warns and passes.
	const newOperation = "    patch:\n      operationId: updateGroup\n      responses:\n        \"200\":\n          description: OK.\n"
	base := tree(t, map[string]string{
		"openapi/atlas.yaml":   string(baseSpec(t)),
		"gen/widget/widget.go": "package widget\n\ntype Client interface {\n\tGetGroup() error\n}\n",
	})
	revision := tree(t, map[string]string{
		"openapi/atlas.yaml":   string(revise(t, deleteGroupOperation, deleteGroupOperation+newOperation)),
		"gen/widget/widget.go": "package widget\n\ntype Client interface {\n\tGetGroup() error\n\tUpdateGroup() error\n}\n",
	})
	report, err := specdiff.Run(base, revision, treeOptions)
	require.NoError(t, err)

	assert.False(t, report.Failed())
	assert.Equal(t, []specdiff.Finding{{
		ID: specdiff.GoAPIInterfaceExtendedID, Level: specdiff.Warning, Source: "gen/widget", Symbol: "Client.UpdateGroup",
		Text: "added to the interface; implementations must add the method",
	}}, report.AtLevel(specdiff.Warning))
	assert.Contains(t, ids(report.AtLevel(specdiff.Info)), "endpoint-added")
}
