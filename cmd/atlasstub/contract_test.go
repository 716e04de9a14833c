package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestContractAgainstTheInProcessStub(t *testing.T) {
	dir := t.TempDir()
	junitFile, coverageFile := filepath.Join(dir, "contract.xml"), filepath.Join(dir, "coverage.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"contract", "--tags", "X.509 Authentication", "--skip-scenarios", "--require-coverage", "--junit", junitFile, "--coverage", coverageFile}, &stdout, &stderr)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	assert.Contains(t, stdout.String(), "createGroupDatabaseUserCert")
	assert.Contains(t, stdout.String(), "PASS")

	data, err := os.ReadFile(junitFile)
	require.NoError(t, err)
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal(data, &junit))
	assert.Positive(t, junit.Tests)
	assert.Zero(t, junit.Failures)

	data, err = os.ReadFile(coverageFile)
	require.NoError(t, err)
	var coverage struct{ Operations []struct{ Operation string } }
	require.NoError(t, json.Unmarshal(data, &coverage))
	assert.Len(t, coverage.Operations, 3, "the X.509 operations: create and list certificates, disable the customer CA")
}

func TestContractAgainstABaseURL(t *testing.T) {
	stub := stubtest.New(t)
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	require.NoError(t, server.WriteBootstrap(stub.Credentials, credsFile))
	var stdout bytes.Buffer
	code := run([]string{"contract", "--base-url", stub.URL, "--credentials", credsFile, "--operations", "getOrg,listOrgs", "--checks", "ignored_auth,version_negotiation"}, &stdout, io.Discard)
	assert.Equal(t, 0, code, stdout.String())
	assert.Contains(t, stdout.String(), "atlasstub contract: "+stub.URL)
}

func TestContractRejectsBadInput(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown check":                {"--checks", "no_such_check"},
		"credentials without a target": {"--credentials", "creds.json"},
		"a target without credentials": {"--base-url", "http://127.0.0.1:1"},
		"unreadable credentials":       {"--base-url", "http://127.0.0.1:1", "--credentials", filepath.Join(t.TempDir(), "missing.json")},
		"stray argument":               {"now"},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			assert.Equal(t, 2, run(append([]string{"contract"}, args...), io.Discard, &stderr))
			assert.Contains(t, stderr.String(), "atlasstub contract")
		})
	}
}
