package specdiff_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/specdiff"
)

var today = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func TestParseExemptionsReadsSpecAndGoEntries(t *testing.T) {
	exemptions, err := specdiff.ParseExemptions([]byte(`
exemptions:
  - id: api-removed-without-deprecation
    operation: deleteGroup
    reason: Atlas removed the endpoint
    expires: 2026-12-31
  - id: go-api-removed
    package: gen/atlasapi
    symbol: "*DeleteGroup*"
    reason: follows the removed endpoint
    expires: 2026-12-31
  - id: go-package-removed
    package: gen/legacyapi
    reason: replaced by gen/atlasapi
    expires: 2026-12-31
`))
	require.NoError(t, err)
	require.Len(t, exemptions, 3)
	assert.Equal(t, "deleteGroup", exemptions[0].Operation)
	assert.Equal(t, "2026-12-31", exemptions[0].Expires)
	assert.Equal(t, "*DeleteGroup*", exemptions[1].Symbol)
	assert.Equal(t, "go-package-removed gen/legacyapi (expires 2026-12-31)", exemptions[2].String(), "a removed package needs no symbol")
}

func TestParseExemptionsAcceptsAnEmptyList(t *testing.T) {
	for _, data := range []string{"", "# nothing yet\n", "exemptions: []\n"} {
		exemptions, err := specdiff.ParseExemptions([]byte(data))
		require.NoError(t, err, "%q", data)
		assert.Empty(t, exemptions)
	}
}

func TestParseExemptionsRejectsMalformedEntries(t *testing.T) {
	const valid = "    operation: deleteGroup\n    reason: reviewed\n    expires: 2026-12-31\n"
	cases := map[string]struct{ yaml, wantErr string }{
		"not YAML":          {"exemptions: [", "invalid exemptions file"},
		"unknown key":       {"exemptions:\n  - id: api-removed-without-deprecation\n    owner: me\n" + valid, "field owner not found"},
		"unknown top key":   {"exempt: []\n", "field exempt not found"},
		"unknown check id":  {"exemptions:\n  - id: api-removed-typo\n" + valid, `unknown check id "api-removed-typo"`},
		"missing id":        {"exemptions:\n  - operation: deleteGroup\n    reason: r\n    expires: 2026-12-31\n", "id is missing"},
		"missing reason":    {"exemptions:\n  - id: api-removed-without-deprecation\n    operation: deleteGroup\n    expires: 2026-12-31\n", "reason is missing"},
		"bad date":          {"exemptions:\n  - id: api-removed-without-deprecation\n    operation: deleteGroup\n    reason: r\n    expires: next year\n", `expires "next year" is not a date`},
		"missing expiry":    {"exemptions:\n  - id: api-removed-without-deprecation\n    operation: deleteGroup\n    reason: r\n", `expires "" is not a date`},
		"no target":         {"exemptions:\n  - id: api-removed-without-deprecation\n    reason: r\n    expires: 2026-12-31\n", "names an operation or a path"},
		"go without symbol": {"exemptions:\n  - id: go-api-removed\n    package: gen/atlasapi\n    reason: r\n    expires: 2026-12-31\n", "names a package and a symbol"},
		"spec with package": {"exemptions:\n  - id: api-removed-without-deprecation\n    package: gen/atlasapi\n" + valid, "names an operation or a path, and no package"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := specdiff.ParseExemptions([]byte(c.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.wantErr)
		})
	}
}

func TestExemptionExpiresAfterItsLastDay(t *testing.T) {
	e := specdiff.Exemption{Expires: "2026-11-22"}
	assert.False(t, e.Expired(time.Date(2026, 11, 22, 23, 59, 59, 0, time.UTC)))
	assert.True(t, e.Expired(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
}

func TestExemptionMatchesByOperationPathOrSymbol(t *testing.T) {
	removed := specdiff.Finding{ID: "api-removed-without-deprecation", Method: "DELETE", Path: "/api/atlas/v2/groups/{groupId}", OperationID: "deleteGroup"}
	goRemoved := specdiff.Finding{ID: specdiff.GoAPIRemovedID, Source: "gen/atlasapi", Symbol: "(*Client).DeleteGroup"}
	packageRemoved := specdiff.Finding{ID: specdiff.GoPackageRemovedID, Source: "gen/legacyapi"}
	cases := []struct {
		name      string
		exemption specdiff.Exemption
		finding   specdiff.Finding
		want      bool
	}{
		{"operationId", specdiff.Exemption{ID: removed.ID, Operation: "deleteGroup"}, removed, true},
		{"method and path", specdiff.Exemption{ID: removed.ID, Operation: "DELETE /api/atlas/v2/groups/{groupId}"}, removed, true},
		{"path", specdiff.Exemption{ID: removed.ID, Path: "/api/atlas/v2/groups/{groupId}"}, removed, true},
		{"other check", specdiff.Exemption{ID: "api-path-removed-without-deprecation", Operation: "deleteGroup"}, removed, false},
		{"other operation", specdiff.Exemption{ID: removed.ID, Operation: "getGroup"}, removed, false},
		{"symbol glob", specdiff.Exemption{ID: specdiff.GoAPIRemovedID, Package: "gen/atlasapi", Symbol: "*DeleteGroup*"}, goRemoved, true},
		{"other package", specdiff.Exemption{ID: specdiff.GoAPIRemovedID, Package: "gen/stubapi", Symbol: "*"}, goRemoved, false},
		{"removed package", specdiff.Exemption{ID: specdiff.GoPackageRemovedID, Package: "gen/legacyapi"}, packageRemoved, true},
		{"other removed package", specdiff.Exemption{ID: specdiff.GoPackageRemovedID, Package: "gen/atlasapi"}, packageRemoved, false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.exemption.Matches(c.finding), c.name)
	}
}
