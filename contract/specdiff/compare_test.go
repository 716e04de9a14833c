package specdiff_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/specdiff"
)

const deleteGroupOperation = `    delete:
      operationId: deleteGroup
      x-atlas-versions: ['2023-01-01']
      x-atlas-roles: [GROUP_OWNER]
      responses:
        "204":
          description: Deleted.
`

func TestCompareSpecsCatchesEachKindOfBreakingChange(t *testing.T) {
	cases := []struct {
		name         string
		replacements []string // pairs: text of the base, its replacement
		wantID       string
		wantWhere    string // one of the operations the change breaks
	}{
		{
			name:         "removed operation",
			replacements: []string{deleteGroupOperation, ""},
			wantID:       "api-removed-without-deprecation",
			wantWhere:    "DELETE /api/atlas/v2/groups/{groupId}",
		},
		{
			name: "new required parameter",
			replacements: []string{
				"      parameters:\n        - name: itemsPerPage\n",
				"      parameters:\n        - name: orgId\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: itemsPerPage\n",
			},
			wantID:    "new-required-request-parameter",
			wantWhere: "GET /api/atlas/v2/groups",
		},
		{
			name:         "request field became required",
			replacements: []string{"required: [name]", "required: [name, region]"},
			wantID:       "request-property-became-required",
			wantWhere:    "POST /api/atlas/v2/groups",
		},
		{
			name:         "narrowed parameter enum",
			replacements: []string{"enum: [ACTIVE, DELETED]", "enum: [ACTIVE]"},
			wantID:       "request-parameter-enum-value-removed",
			wantWhere:    "GET /api/atlas/v2/groups",
		},
		{
			name: "narrowed request field enum",
			replacements: []string{
				"          enum: [US_EAST_1, EU_WEST_1]\n    PaginatedGroups:",
				"          enum: [US_EAST_1]\n    PaginatedGroups:",
			},
			wantID:    "request-property-enum-value-removed",
			wantWhere: "POST /api/atlas/v2/groups",
		},
		{
			name: "changed response field type",
			replacements: []string{
				"        clusterCount:\n          type: integer\n          format: int64\n",
				"        clusterCount:\n          type: string\n",
			},
			wantID:    "response-property-type-changed",
			wantWhere: "GET /api/atlas/v2/groups/{groupId}",
		},
		{
			name: "removed optional response field (promoted)",
			replacements: []string{
				"          readOnly: true\n        name:\n          type: string\n",
				"          readOnly: true\n",
			},
			wantID:    "response-optional-property-removed",
			wantWhere: "GET /api/atlas/v2/groups/{groupId}",
		},
		{
			name:         "removed error status (promoted)",
			replacements: []string{"        \"404\":\n          description: Not found.\n", "        \"400\":\n          description: Bad request.\n"},
			wantID:       "response-non-success-status-removed",
			wantWhere:    "GET /api/atlas/v2/groups",
		},
		{
			name: "removed version",
			replacements: []string{
				"      operationId: deleteGroup\n      x-atlas-versions: ['2023-01-01']",
				"      operationId: deleteGroup\n      x-atlas-versions: ['2024-08-05']",
			},
			wantID:    specdiff.VersionRemovedID,
			wantWhere: "DELETE /api/atlas/v2/groups/{groupId}",
		},
		{
			name:         "removed role",
			replacements: []string{"[GROUP_READ_ONLY, GROUP_OWNER]", "[GROUP_OWNER]"},
			wantID:       specdiff.RoleRemovedID,
			wantWhere:    "GET /api/atlas/v2/groups",
		},
		{
			name:         "roles on an operation that required none",
			replacements: []string{"x-atlas-roles: []", "x-atlas-roles: [ORG_OWNER, ORG_MEMBER]"},
			wantID:       specdiff.RoleRequiredID,
			wantWhere:    "POST /api/oauth/token",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			findings, err := specdiff.CompareSpecs("atlas.yaml", baseSpec(t), revise(t, c.replacements...))
			require.NoError(t, err)
			breaking := atLevel(findings, specdiff.Breaking)
			require.Contains(t, ids(breaking), c.wantID, "breaking findings: %v", breaking)
			var places []string
			for _, f := range breaking {
				if f.ID == c.wantID {
					places = append(places, f.Where())
					assert.Equal(t, "atlas.yaml", f.Source)
					assert.NotEmpty(t, f.Text)
				}
			}
			assert.Contains(t, places, c.wantWhere)
		})
	}
}

func TestCompareSpecsReportsRolesOnAnOperationThatRequiredNoneOnce(t *testing.T) {
	findings, err := specdiff.CompareSpecs("atlas.yaml", baseSpec(t), revise(t, "x-atlas-roles: []", "x-atlas-roles: [ORG_OWNER, ORG_MEMBER]"))
	require.NoError(t, err)
	assert.Equal(t, []specdiff.Finding{{
		ID: specdiff.RoleRequiredID, Level: specdiff.Breaking, Source: "atlas.yaml",
		Method: "POST", Path: "/api/oauth/token", OperationID: "createOAuthToken",
		Text: "now requires one of the roles ORG_OWNER, ORG_MEMBER, where it required none; callers that hold none of them get 403",
	}}, findings, "one breaking change, not two added roles")
}

func TestCompareSpecsPassesAdditiveChanges(t *testing.T) {
	cases := []struct {
		name         string
		replacements []string
		wantID       string
	}{
		{
			name: "new optional parameter",
			replacements: []string{
				"      parameters:\n        - name: itemsPerPage\n",
				"      parameters:\n        - name: includeCount\n          in: query\n          schema:\n            type: boolean\n        - name: itemsPerPage\n",
			},
			wantID: "new-optional-request-parameter",
		},
		{
			name:         "new response field",
			replacements: []string{"          readOnly: true\n        name:\n", "          readOnly: true\n        created:\n          type: string\n          format: date-time\n        name:\n"},
			wantID:       "response-optional-property-added",
		},
		{
			name:         "new operation",
			replacements: []string{deleteGroupOperation, deleteGroupOperation + "    patch:\n      operationId: updateGroup\n      responses:\n        \"200\":\n          description: OK.\n"},
			wantID:       "endpoint-added",
		},
		{
			name: "widened request enum",
			replacements: []string{
				"          enum: [US_EAST_1, EU_WEST_1]\n    PaginatedGroups:",
				"          enum: [US_EAST_1, EU_WEST_1, AP_SOUTH_1]\n    PaginatedGroups:",
			},
			wantID: "request-property-enum-value-added",
		},
		{
			name: "new version",
			replacements: []string{
				"      operationId: deleteGroup\n      x-atlas-versions: ['2023-01-01']",
				"      operationId: deleteGroup\n      x-atlas-versions: ['2023-01-01', '2024-08-05']",
			},
			wantID: specdiff.VersionAddedID,
		},
		{
			name:         "new role",
			replacements: []string{"x-atlas-roles: [GROUP_READ_ONLY]", "x-atlas-roles: [GROUP_READ_ONLY, GROUP_OWNER]"},
			wantID:       specdiff.RoleAddedID,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			findings, err := specdiff.CompareSpecs("atlas.yaml", baseSpec(t), revise(t, c.replacements...))
			require.NoError(t, err)
			assert.Empty(t, atLevel(findings, specdiff.Breaking))
			assert.Contains(t, ids(atLevel(findings, specdiff.Info)), c.wantID, "the changelog lists the addition")
		})
	}
}

func TestCompareSpecsFindsNothingBetweenEqualSpecs(t *testing.T) {
	findings, err := specdiff.CompareSpecs("atlas.yaml", baseSpec(t), baseSpec(t))
	require.NoError(t, err)
	assert.Empty(t, findings)
}

func TestCompareSpecsRejectsBadInput(t *testing.T) {
	_, err := specdiff.CompareSpecs("atlas.yaml", baseSpec(t), []byte("paths: [unclosed"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "atlas.yaml (revision)")

	for _, notOpenAPI := range []string{"just: yaml\n", "paths: {}\n", "openapi: 3.0.3\npaths: {}\n"} {
		_, err = specdiff.CompareSpecs("atlas.yaml", []byte(notOpenAPI), baseSpec(t))
		require.Error(t, err, notOpenAPI)
		assert.Contains(t, err.Error(), "atlas.yaml (base): not an OpenAPI document")
	}
}

func baseSpec(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/base.yaml")
	require.NoError(t, err)
	return data
}

// revise applies pairs of (text of the base, replacement) to the base fixture; each text must
// occur exactly once, so that a fixture edit cannot turn a case into a no-op.
func revise(t *testing.T, replacements ...string) []byte {
	t.Helper()
	require.Zero(t, len(replacements)%2, "replacements come in pairs")
	spec := string(baseSpec(t))
	for i := 0; i < len(replacements); i += 2 {
		require.Equal(t, 1, strings.Count(spec, replacements[i]), "the base must contain %q exactly once", replacements[i])
		spec = strings.Replace(spec, replacements[i], replacements[i+1], 1)
	}
	return []byte(spec)
}

func atLevel(findings []specdiff.Finding, level specdiff.Level) []specdiff.Finding {
	var out []specdiff.Finding
	for _, f := range findings {
		if f.Level == level {
			out = append(out, f)
		}
	}
	return out
}

func ids(findings []specdiff.Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, f.ID)
	}
	return out
}
