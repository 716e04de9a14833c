package suite_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestTheStubPassesTheSuite runs every check and scenario against the stub: everything passes,
// every operation is exercised with every status a client can provoke, in every version.
func TestTheStubPassesTheSuite(t *testing.T) {
	stub := stubtest.New(t)
	report, err := suite.Run(context.Background(), suite.Config{Credentials: stub.Credentials, Seed: 42})
	require.NoError(t, err)
	if report.Failed() || !report.Coverage.Complete() {
		require.NoError(t, report.WriteText(os.Stdout))
	}
	assert.False(t, report.Failed())
	assert.True(t, report.Coverage.Complete())
	assert.Empty(t, report.Uncounted(), "with nothing left out, every violation is counted")
}
