// Package reviewed reads the files in which people record what they reviewed and accepted, and
// pairs their entries with what a tool finds: the breaking-change gate's exemptions
// (openapi/breaking-exemptions.yaml) and the intended differences from the official specification
// (openapi/upstream-differences.yaml). Each file is a YAML list of entries under one key; each
// entry says what it covers and why. The packages that own the files keep their entries' schema,
// rules and messages; this package holds what the files and their reports share: strict reading,
// the checking of every entry, the pairing of entries with findings, and the report of the entries
// that cover nothing, so that a file cannot rot.
package reviewed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"go.yaml.in/yaml/v3"
)

// File describes one kind of reviewed file.
type File[E any] struct {
	// Key is the document's one key, under which the entries are listed: "exemptions".
	Key string
	// Name names the file in errors, as "invalid <Name> file".
	Name string
	// Entry names one entry in errors, before its position and label: "exemption 2 (<label>)".
	Entry string
	// Label is what names an entry in errors beside its position, such as its check id.
	Label func(E) string
	// Validate refuses an entry that is malformed or could cover more than was reviewed.
	Validate func(E) error
}

// Parse reads the YAML of a file: a document whose one key lists the entries, or an empty
// document for none. Keys that neither the document nor an entry has are errors, and so is an
// entry that Validate refuses, so that a typo cannot silently cover nothing or everything.
func Parse[E any](data []byte, file File[E]) ([]E, error) {
	entries, err := decode[E](data, file.Key)
	if err != nil {
		return nil, fmt.Errorf("invalid %s file: %w", file.Name, err)
	}
	for i, e := range entries {
		if err := file.Validate(e); err != nil {
			return nil, fmt.Errorf("%s %d (%s): %w", file.Entry, i+1, file.Label(e), err)
		}
	}
	return entries, nil
}

// decode reads the entries listed under key. The decoder refuses unknown keys of the entries; the
// document's own keys are checked here, since they are those of a map.
func decode[E any](data []byte, key string) ([]E, error) {
	var document map[string][]E
	decoder := yaml.NewDecoder(bytes.NewReader(data))
	decoder.KnownFields(true)
	if err := decoder.Decode(&document); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(document)) {
		if name != key {
			return nil, fmt.Errorf("field %s not found: the file lists its entries under %s", name, key)
		}
	}
	return document[key], nil
}

// Load reads the file at path with parse, and names the file in parse's errors.
func Load[E any](path string, parse func([]byte) ([]E, error)) ([]E, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	entries, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}
