package upstream_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/upstream"
)

func TestCompareReportsEachKindOfDifference(t *testing.T) {
	report := compareFixtures(t)

	assert.Equal(t, "2.0", report.OfficialVersion)
	assert.Equal(t, 4, report.Operations)
	assert.Equal(t, 3, report.Matched)
	assert.ElementsMatch(t, []string{
		// the legacy operation exists only in ours
		"getLegacyGroup: operation GET /api/atlas/v1.0/groups/{groupId} only in ours",
		// the official specification has a parameter, a status and a version more
		"getGroup: parameter query.envelope only in official",
		"getGroup: status 404 only in official",
		"getGroup: version 2025-03-12 only in official",
		// and we declare 406, and accept application/json
		"getGroup: status 406 only in ours",
		"createGroup request body: media-type application/json only in ours",
		// schema differences, each reported once at our component schema
		"Group.name: pattern differs: ours `^[\\p{L} ]{1,64}$`, official `^[\\p{L}]{1,64}$`",
		"Group.region: enum AP_SOUTH_1 only in official",
		"Group.clusterCount: format differs: ours `int64`, official `int32`",
		"Group: field tags only in official",
		"GroupRequest: additionalProperties differs: ours `false`, official (unset)",
		"GroupRequest.ipAddress: pattern differs: ours `^[0-9.]+$`, official `^((25[0-5]|(2[0-4]|1\\d|[1-9]|)\\d)(\\.(?!$)|$)){4}$`",
		// an official operation on a path we serve
		"updateGroup: operation PATCH /api/atlas/v2/groups/{groupId} only in official",
	}, describe(report.Findings), "the 204 version marker and the allOf composition are no differences")

	group := find(t, report.Findings, "Group: field tags only in official")
	assert.Equal(t, []string{"createGroup", "getGroup"}, group.Operations, "a schema difference lists every compared operation that shows it")
	assert.Equal(t, "response", group.Usage)
	assert.Equal(t, "request", find(t, report.Findings, "GroupRequest: additionalProperties differs: ours `false`, official (unset)").Usage)
}

func TestKnownDifferencesDoNotFail(t *testing.T) {
	report := compareFixtures(t)
	differences, err := upstream.LoadDifferences("testdata/differences.yaml")
	require.NoError(t, err)
	upstream.ApplyDifferences(&report, differences)

	assert.ElementsMatch(t, []string{
		"getLegacyGroup: operation GET /api/atlas/v1.0/groups/{groupId} only in ours",
		"getGroup: status 406 only in ours",
		"createGroup request body: media-type application/json only in ours",
		"GroupRequest: additionalProperties differs: ours `false`, official (unset)",
		"GroupRequest.ipAddress: pattern differs: ours `^[0-9.]+$`, official `^((25[0-5]|(2[0-4]|1\\d|[1-9]|)\\d)(\\.(?!$)|$)){4}$`",
	}, describe(report.Explained()))
	assert.Len(t, report.Unexplained(), 7)
	assert.Equal(t, []string{"updateGroup: operation PATCH /api/atlas/v2/groups/{groupId} only in official"}, describe(report.Informational()))
	assert.Equal(t, []string{"JSON bodies declare 415"}, whats(report.UnusedDifferences))
	assert.True(t, report.Failed())

	// Reviewing the remaining differences makes the comparison pass; the official-only
	// operation never fails it.
	report = compareFixtures(t)
	upstream.ApplyDifferences(&report, append(differences,
		upstream.Difference{Kind: upstream.KindParameter, Name: "query.envelope", What: "w", Reason: "r"},
		upstream.Difference{Kind: upstream.KindStatus, Only: upstream.Official, Name: "404", What: "w", Reason: "r"},
		upstream.Difference{Kind: upstream.KindVersion, Name: "2025-03-12", What: "w", Reason: "r"},
		upstream.Difference{Kind: upstream.KindPattern, Schema: "Group", What: "w", Reason: "r"},
		upstream.Difference{Kind: upstream.KindEnum, Field: "region", What: "w", Reason: "r"},
		upstream.Difference{Kind: upstream.KindFormat, Ours: "int64", What: "w", Reason: "r"},
		upstream.Difference{Kind: upstream.KindField, Name: "tags", What: "w", Reason: "r"},
	))
	assert.Empty(t, report.Unexplained())
	assert.False(t, report.Failed())
}

func TestCompareFindsNothingBetweenASpecAndItself(t *testing.T) {
	ours := load(t, "testdata/ours.yaml")
	report := upstream.Compare(ours, load(t, "testdata/ours.yaml"))
	assert.Empty(t, report.Findings)
	assert.Equal(t, report.Operations, report.Matched)
}

func TestReportRenders(t *testing.T) {
	report := compareFixtures(t)
	differences, err := upstream.LoadDifferences("testdata/differences.yaml")
	require.NoError(t, err)
	upstream.ApplyDifferences(&report, differences)

	var text bytes.Buffer
	require.NoError(t, report.WriteText(&text, true))
	assert.Contains(t, text.String(), "3 of our 4 operations are in the official specification")
	assert.Contains(t, text.String(), "Differences to review (7;")
	assert.Contains(t, text.String(), "  - the legacy v1.0 paths (1): the legacy client uses them\n      getLegacyGroup: operation")
	assert.Contains(t, text.String(), "FAIL: 7 differences to review, 5 known, 1 official operations ours does not declare")

	var out bytes.Buffer
	require.NoError(t, report.WriteJSON(&out))
	var parsed struct {
		Failed      bool               `json:"failed"`
		Unexplained int                `json:"unexplained"`
		Findings    []upstream.Finding `json:"findings"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &parsed))
	assert.True(t, parsed.Failed)
	assert.Equal(t, 7, parsed.Unexplained)
	assert.Len(t, parsed.Findings, len(report.Findings))
}

func TestParseDifferencesRejectsMalformedEntries(t *testing.T) {
	cases := map[string]struct{ yaml, wantErr string }{
		"not YAML":     {"differences: [", "invalid known-differences file"},
		"unknown key":  {"differences:\n  - kind: status\n    name: '400'\n    what: w\n    reason: r\n    owner: me\n", "field owner not found"},
		"unknown kind": {"differences:\n  - kind: colour\n    name: x\n    what: w\n    reason: r\n", `unknown kind "colour"`},
		"bad side":     {"differences:\n  - kind: status\n    only: both\n    what: w\n    reason: r\n", `only is "both"`},
		"no what":      {"differences:\n  - kind: status\n    name: '400'\n    reason: r\n", "what is missing"},
		"no reason":    {"differences:\n  - kind: status\n    name: '400'\n    what: w\n", "reason is missing"},
		"no selector":  {"differences:\n  - kind: status\n    what: w\n    reason: r\n", "no selector besides kind"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := upstream.ParseDifferences([]byte(c.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.wantErr)
		})
	}
}

func TestADifferenceNamesOneOperationOrSeveral(t *testing.T) {
	differences, err := upstream.ParseDifferences([]byte(`differences:
  - kind: status
    operation: getGroup
    what: one
    reason: r
  - kind: status
    operation: [getGroup, list*]
    what: several
    reason: r
`))
	require.NoError(t, err)
	require.Len(t, differences, 2)
	one, several := differences[0], differences[1]
	assert.Equal(t, upstream.OneOrMore{"getGroup"}, one.Operations)
	assert.Equal(t, upstream.OneOrMore{"getGroup", "list*"}, several.Operations)

	for operation, want := range map[string][2]bool{
		"getGroup":   {true, true},
		"listGroups": {false, true},
		"getOrg":     {false, false},
	} {
		finding := upstream.Finding{Kind: upstream.KindStatus, Operations: []string{"createGroup", operation}}
		assert.Equal(t, want[0], one.Matches(finding), "one, %s", operation)
		assert.Equal(t, want[1], several.Matches(finding), "several, %s", operation)
	}
}

func TestLoadRejectsWhatIsNotOpenAPI(t *testing.T) {
	_, err := upstream.Load("x.yaml", []byte("paths: [unclosed"))
	assert.Error(t, err)
	for _, notOpenAPI := range []string{"just: yaml\n", "paths: {}\n", "openapi: 3.0.3\npaths: {}\n"} {
		_, err = upstream.Load("x.yaml", []byte(notOpenAPI))
		require.Error(t, err, notOpenAPI)
		assert.Contains(t, err.Error(), "x.yaml: not an OpenAPI document")
	}
}

func compareFixtures(t *testing.T) upstream.Report {
	t.Helper()
	return upstream.Compare(load(t, "testdata/ours.yaml"), load(t, "testdata/official.yaml"))
}

func load(t *testing.T, path string) *openapi3.T {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	doc, err := upstream.Load(path, data)
	require.NoError(t, err)
	return doc
}

func describe(findings []upstream.Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, f.Location()+": "+f.Description())
	}
	return out
}

func find(t *testing.T, findings []upstream.Finding, description string) upstream.Finding {
	t.Helper()
	for _, f := range findings {
		if f.Location()+": "+f.Description() == description {
			return f
		}
	}
	require.Failf(t, "no such finding", "%s", description)
	return upstream.Finding{}
}

func whats(differences []upstream.Difference) []string {
	var out []string
	for _, d := range differences {
		out = append(out, d.What)
	}
	return out
}
