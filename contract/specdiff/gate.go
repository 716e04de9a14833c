package specdiff

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/atlasstub/atlasstub/contract/apidrift"
)

// Options says what the gate compares inside two source trees, and what it lets through.
type Options struct {
	// Specs are the specification files, relative to the tree roots.
	Specs []string
	// GoPackages are the package directories whose exported API is compared, relative to the
	// tree roots. A package the revision removed is a breaking change; one the base lacks is
	// skipped with a note.
	GoPackages []string
	// Exemptions let reviewed breaking changes through until they expire.
	Exemptions []Exemption
	// Now decides which exemptions have expired.
	Now time.Time
}

// Run compares base with revision and applies the exemptions. base and revision are either two
// specification files, or two source trees of the repository (for example an extracted commit
// and the working tree), in which opts.Specs and opts.GoPackages are compared.
func Run(base, revision string, opts Options) (Report, error) {
	baseIsTree, err := isDir(base)
	if err != nil {
		return Report{}, err
	}
	revisionIsTree, err := isDir(revision)
	if err != nil {
		return Report{}, err
	}
	report := Report{Base: base, Revision: revision}
	switch {
	case baseIsTree && revisionIsTree:
		err = compareTrees(&report, opts)
	case !baseIsTree && !revisionIsTree:
		report.comparedFiles = true
		err = compareFiles(&report, filepath.ToSlash(revision), base, revision)
	default:
		err = errors.New("compare two specification files or two directories, not one of each")
	}
	if err != nil {
		return Report{}, err
	}
	sortFindings(report.Findings)
	applyExemptions(&report, opts.Exemptions, opts.Now)
	return report, nil
}

func compareTrees(report *Report, opts Options) error {
	for _, spec := range opts.Specs {
		basePath, revisionPath := filepath.Join(report.Base, spec), filepath.Join(report.Revision, spec)
		inBase, inRevision := exists(basePath), exists(revisionPath)
		if !inBase || !inRevision {
			report.Notes = append(report.Notes, missingNote(spec, inBase, inRevision))
			continue
		}
		if err := compareFiles(report, spec, basePath, revisionPath); err != nil {
			return err
		}
	}
	if len(opts.GoPackages) == 0 {
		return nil
	}
	drift, err := apidrift.Compare(report.Base, report.Revision, opts.GoPackages)
	if err != nil {
		return fmt.Errorf("go API: %w", err)
	}
	// A removed package counts as compared (with nothing), so that its breaking change has a
	// place in the report's sources and JUnit suites.
	report.Compared = append(report.Compared, drift.Compared...)
	report.Compared = append(report.Compared, drift.Removed...)
	report.Findings = append(report.Findings, goAPIFindings(drift.Changes)...)
	report.Findings = append(report.Findings, removedPackageFindings(drift.Removed)...)
	report.Notes = append(report.Notes, drift.Skipped...)
	return nil
}

func compareFiles(report *Report, name, basePath, revisionPath string) error {
	base, err := os.ReadFile(basePath)
	if err != nil {
		return err
	}
	revision, err := os.ReadFile(revisionPath)
	if err != nil {
		return err
	}
	findings, err := CompareSpecs(name, base, revision)
	if err != nil {
		return err
	}
	report.Compared = append(report.Compared, name)
	report.Findings = append(report.Findings, findings...)
	return nil
}

func missingNote(name string, inBase, inRevision bool) string {
	switch {
	case inBase:
		return name + ": not in the revision; not compared"
	case inRevision:
		return name + ": new in the revision; not compared"
	default:
		return name + ": on neither side; not compared"
	}
}

func isDir(path string) (bool, error) {
	info, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
