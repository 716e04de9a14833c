package specdiff

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// CompareSpecs compares two versions of one specification and returns every change: oasdiff's
// findings at all levels (the changelog), with promotedChecks raised to Breaking, plus the
// checks of our own extensions. name labels the findings, e.g. openapi/atlas.yaml.
func CompareSpecs(name string, base, revision []byte) ([]Finding, error) {
	baseSpec, err := loadSpec(name, "base", base)
	if err != nil {
		return nil, err
	}
	revisionSpec, err := loadSpec(name, "revision", revision)
	if err != nil {
		return nil, err
	}
	report, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), baseSpec, revisionSpec)
	if err != nil {
		return nil, fmt.Errorf("%s: compare: %w", name, err)
	}
	config := checker.NewConfig(checker.GetAllChecks(), checker.WithSeverityLevels(severityLevels()))
	changes := checker.CheckBackwardCompatibilityUntilLevel(config, report, sources, checker.INFO)

	localize := checker.NewDefaultLocalizer()
	findings := make([]Finding, 0, len(changes))
	for _, change := range changes {
		findings = append(findings, Finding{
			ID:          change.GetId(),
			Level:       levelOf(change.GetLevel()),
			Source:      name,
			Method:      change.GetOperation(),
			Path:        change.GetPath(),
			OperationID: change.GetOperationId(),
			Text:        change.GetUncolorizedText(localize),
		})
	}
	findings = append(findings, extensionFindings(name, baseSpec.Spec, revisionSpec.Spec)...)
	sortFindings(findings)
	return findings, nil
}

// loadSpec parses one side. Each side gets its own loader: both carry the same name, and a shared
// loader would serve the first document again from its cache.
func loadSpec(name, side string, data []byte) (*load.SpecInfo, error) {
	spec, err := load.NewSpecInfoFromData(openapi3.NewLoader(), data, name)
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", name, side, err)
	}
	if doc := spec.Spec; doc.OpenAPI == "" || doc.Info == nil || doc.Paths == nil {
		return nil, fmt.Errorf("%s (%s): not an OpenAPI document: it needs openapi, info and paths", name, side)
	}
	return spec, nil
}
