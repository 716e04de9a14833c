package compat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The curl recipes extract values with jq, which a CI machine may lack. Instead of skipping
// them there, or rewriting them, the tests put this test binary on the recipes' PATH under the
// name jq, and it plays jq for the one form the recipes use: `jq -r PATH`, with a PATH of
// .field and [index] steps such as .apiKey.publicKey or .secrets[0].id. Any other jq program
// fails loudly, so a recipe that starts to use more of jq fails its test until the stand-in
// learns it.

// TestMain runs the tests, or plays jq when the binary is called by that name.
func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == "jq" {
		os.Exit(jqStandIn(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// jqStandIn is `jq -r PATH` over one JSON document on stdin: strings are printed raw, missing
// values as null, anything else as JSON. It returns jq's exit status.
func jqStandIn(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "-r" {
		fmt.Fprintf(stderr, "jq stand-in: only `jq -r PATH` is supported, not jq %s\n", strings.Join(args, " "))
		return 2
	}
	steps, err := parseJQPath(args[1])
	if err != nil {
		fmt.Fprintf(stderr, "jq stand-in: %v\n", err)
		return 2
	}
	var value any
	decoder := json.NewDecoder(stdin)
	decoder.UseNumber()
	if err := decoder.Decode(&value); err != nil {
		fmt.Fprintf(stderr, "jq stand-in: the input is not JSON: %v\n", err)
		return 2
	}
	for _, step := range steps {
		if value, err = step(value); err != nil {
			fmt.Fprintf(stderr, "jq stand-in: %s: %v\n", args[1], err)
			return 5
		}
	}
	switch v := value.(type) {
	case string:
		fmt.Fprintln(stdout, v)
	default:
		encoded, _ := json.Marshal(v) // null for a missing value, as jq prints it
		fmt.Fprintln(stdout, string(encoded))
	}
	return 0
}

var jqStep = regexp.MustCompile(`^(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\])`)

// parseJQPath turns a path such as .secrets[0].id into steps that each descend one level.
func parseJQPath(path string) ([]func(any) (any, error), error) {
	var steps []func(any) (any, error)
	for rest := path; rest != ""; {
		m := jqStep.FindStringSubmatch(rest)
		if m == nil {
			return nil, fmt.Errorf("unsupported filter %q: only .field and [index] steps", path)
		}
		rest = rest[len(m[0]):]
		if m[1] != "" {
			key := m[1]
			steps = append(steps, func(v any) (any, error) {
				switch obj := v.(type) {
				case nil:
					return nil, nil
				case map[string]any:
					return obj[key], nil
				}
				return nil, fmt.Errorf("cannot index %T with %q", v, key)
			})
			continue
		}
		index, _ := strconv.Atoi(m[2])
		steps = append(steps, func(v any) (any, error) {
			switch list := v.(type) {
			case nil:
				return nil, nil
			case []any:
				if index < len(list) {
					return list[index], nil
				}
				return nil, nil
			}
			return nil, fmt.Errorf("cannot index %T with [%d]", v, index)
		})
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("unsupported filter %q: only .field and [index] steps", path)
	}
	return steps, nil
}

func TestJQStandIn(t *testing.T) {
	const doc = `{"orgId": "abc", "apiKey": {"publicKey": "xyz"}, "secrets": [{"id": "s1"}], "expires_in": 3600}`
	for filter, want := range map[string]string{
		".orgId":            "abc\n",
		".apiKey.publicKey": "xyz\n",
		".secrets[0].id":    "s1\n",
		".expires_in":       "3600\n",
		".missing":          "null\n",
		".missing.deeper":   "null\n",
		".secrets[3].id":    "null\n",
	} {
		var out, errOut bytes.Buffer
		require.Equal(t, 0, jqStandIn([]string{"-r", filter}, strings.NewReader(doc), &out, &errOut), "%s: %s", filter, &errOut)
		assert.Equal(t, want, out.String(), filter)
	}
	for name, args := range map[string][]string{
		"another program":    {"-r", ".secrets | length"},
		"without -r":         {".orgId"},
		"index into a value": {"-r", ".orgId.more"},
	} {
		var out, errOut bytes.Buffer
		assert.NotZero(t, jqStandIn(args, strings.NewReader(doc), &out, &errOut), name)
		assert.Contains(t, errOut.String(), "jq stand-in", name)
	}
}
