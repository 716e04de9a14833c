// Package apidrift reports how the exported API of Go packages changed between two source trees
// of the module, for example the generated bindings in gen/ before and after a specification
// change. Users import those packages, so a removed or changed type, field or method breaks their
// build even when the HTTP contract stays compatible.
//
// The comparison itself is golang.org/x/exp/apidiff; this package loads the two versions of each
// package with golang.org/x/tools/go/packages and names each change by package and symbol.
package apidrift

import (
	"errors"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"
)

// Change is one difference in the exported API of a package.
type Change struct {
	// Package is the package directory relative to the tree's root, e.g. gen/atlasapi.
	Package string `json:"package"`
	// Symbol names the changed object as apidiff does: Type, Type.Field, (*Type).Method.
	Symbol string `json:"symbol"`
	// Message says what happened to it: "removed", "added", "changed from X to Y".
	Message string `json:"message"`
	// Compatible is false when code that compiled against the base may no longer compile.
	Compatible bool `json:"compatible"`
}

// Removed reports whether the change removes the symbol.
func (c Change) Removed() bool { return c.Message == "removed" }

// ExtendsInterface reports whether the change adds a method to an interface: code that calls the
// interface still compiles, code that implements it does not until it adds the method. apidiff
// calls this the one incompatible addition.
func (c Change) ExtendsInterface() bool { return !c.Compatible && c.Message == "added" }

// Result is the API drift of a list of packages between two trees.
type Result struct {
	Changes []Change `json:"changes"`
	// Compared lists the packages found on both sides.
	Compared []string `json:"compared"`
	// Removed lists the packages of the base that the revision no longer has: code that imports
	// one of them no longer builds.
	Removed []string `json:"removed,omitempty"`
	// Skipped explains each package that the base does not have and so was not compared.
	Skipped []string `json:"skipped,omitempty"`
}

// Compare loads each package directory (relative to the roots, e.g. gen/atlasapi) from the base
// and the revision tree and reports the changes of its exported API. A package that only the base
// has is listed in Removed; one that the base lacks is skipped with a note, since a new package
// has no API to break yet.
func Compare(baseRoot, revisionRoot string, dirs []string) (Result, error) {
	var result Result
	for _, dir := range dirs {
		inBase, inRevision := hasGoFiles(filepath.Join(baseRoot, dir)), hasGoFiles(filepath.Join(revisionRoot, dir))
		switch {
		case inBase && !inRevision:
			result.Removed = append(result.Removed, dir)
			continue
		case !inBase:
			result.Skipped = append(result.Skipped, skipNote(dir, inRevision))
			continue
		}
		base, err := load(baseRoot, dir)
		if err != nil {
			return Result{}, fmt.Errorf("base: %w", err)
		}
		revision, err := load(revisionRoot, dir)
		if err != nil {
			return Result{}, fmt.Errorf("revision: %w", err)
		}
		result.Compared = append(result.Compared, dir)
		for _, change := range apidiff.Changes(base, revision).Changes {
			result.Changes = append(result.Changes, newChange(dir, change))
		}
	}
	return result, nil
}

func skipNote(dir string, inRevision bool) string {
	if inRevision {
		return dir + ": new in the revision; not compared"
	}
	return dir + ": on neither side; not compared"
}

// newChange splits apidiff's "Symbol: message" into its parts.
func newChange(dir string, change apidiff.Change) Change {
	symbol, message, found := strings.Cut(change.Message, ": ")
	if !found {
		symbol, message = "", change.Message
	}
	return Change{Package: dir, Symbol: symbol, Message: message, Compatible: change.Compatible}
}

// load type-checks the package in root/dir within its module.
func load(root, dir string) (*types.Package, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes,
		Dir:  root,
		// The base tree is an extracted copy of the module; a go.work around it must not
		// replace the module with the working tree.
		Env: append(os.Environ(), "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./"+filepath.ToSlash(dir))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("load %s: found %d packages, want 1", dir, len(pkgs))
	}
	pkg := pkgs[0]
	if len(pkg.Errors) > 0 {
		errs := make([]error, 0, len(pkg.Errors))
		for _, e := range pkg.Errors {
			errs = append(errs, e)
		}
		return nil, fmt.Errorf("load %s: %w", dir, errors.Join(errs...))
	}
	return pkg.Types, nil
}

func hasGoFiles(dir string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(matches) > 0
}
