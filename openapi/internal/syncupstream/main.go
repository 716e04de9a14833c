// Command syncupstream vendors the official Atlas Administration API specification and prepares
// the form of it that the stub embeds.
//
//	go run ./openapi/internal/syncupstream [-o DIR]
//
// It reads openapi/atlas-api.yaml from the official Atlas Go SDK module that go.mod requires, so
// that the version is pinned where every other dependency is, and writes under DIR (default: the
// current directory, the module's root):
//
//   - openapi/upstream/atlas-api.yaml, the official specification byte for byte;
//   - openapi/upstream/atlas-api.prepared.json, the document the generic engine serves (see
//     prepare.go for every change and why);
//   - openapi/upstream/SOURCE, the module, its version and the specification's SHA-256.
//
// scripts/generate.sh runs it, and scripts/check-generated.sh fails when the committed files
// differ from what it writes.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// sdkModules matches the official Atlas Go SDK module whatever its date: go.mod requires one.
const sdkModules = "go.mongodb.org/atlas-sdk/..."

// Where the files go, under the output directory.
const (
	vendoredPath = "openapi/upstream/atlas-api.yaml"
	preparedPath = "openapi/upstream/atlas-api.prepared.json"
	sourcePath   = "openapi/upstream/SOURCE"
)

func main() {
	out := flag.String("o", ".", "the directory to write openapi/upstream/ under")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "syncupstream:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	module, err := sdkModule()
	if err != nil {
		return err
	}
	official, err := os.ReadFile(filepath.Join(module.Dir, "openapi", "atlas-api.yaml"))
	if err != nil {
		return err
	}
	prepared, err := prepare(official)
	if err != nil {
		return fmt.Errorf("prepare %s@%s: %w", module.Path, module.Version, err)
	}
	source := fmt.Sprintf("module: %s\nversion: %s\nfile: openapi/atlas-api.yaml\nsha256: %x\n",
		module.Path, module.Version, sha256.Sum256(official))
	for path, data := range map[string][]byte{vendoredPath: official, preparedPath: prepared, sourcePath: []byte(source)} {
		target := filepath.Join(out, path)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// module is what `go mod download -json` says of a module.
type module struct{ Path, Version, Dir, Error string }

// sdkModule downloads (or finds in the module cache) the Atlas Go SDK module of go.mod.
func sdkModule() (module, error) {
	cmd := exec.Command("go", "mod", "download", "-json", sdkModules)
	cmd.Stderr = os.Stderr
	output, err := cmd.Output()
	if err != nil {
		return module{}, fmt.Errorf("go mod download %s: %w", sdkModules, err)
	}
	var found []module
	decoder := json.NewDecoder(bytes.NewReader(output))
	for {
		var m module
		if err := decoder.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return module{}, err
		}
		if m.Error != "" {
			return module{}, fmt.Errorf("%s: %s", m.Path, m.Error)
		}
		found = append(found, m)
	}
	if len(found) != 1 {
		return module{}, fmt.Errorf("go.mod must require one module of %s, found %d", sdkModules, len(found))
	}
	return found[0], nil
}
