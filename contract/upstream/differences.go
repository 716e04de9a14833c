package upstream

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/atlasstub/atlasstub/contract/internal/glob"
	"github.com/atlasstub/atlasstub/contract/internal/reviewed"
)

// Difference is a reviewed, intended difference from the official specification. Its selectors
// (every field but What and Reason) say which findings it explains; a finding must match all of
// the selectors that are set. In the text selectors, * matches any text. The file writes one
// operation as `operation: getOrg` and several as `operation: [getOrg, listOrgs]`.
type Difference struct {
	Kind       Kind      `yaml:"kind" json:"kind"`
	Only       string    `yaml:"only,omitempty" json:"only,omitempty"`
	Operations OneOrMore `yaml:"operation,omitempty" json:"operation,omitempty"` // the finding shows in one of them
	Path       string    `yaml:"path,omitempty" json:"path,omitempty"`
	Where      string    `yaml:"where,omitempty" json:"where,omitempty"`
	Usage      string    `yaml:"usage,omitempty" json:"usage,omitempty"`
	Schema     string    `yaml:"schema,omitempty" json:"schema,omitempty"`
	Field      string    `yaml:"field,omitempty" json:"field,omitempty"`
	Name       string    `yaml:"name,omitempty" json:"name,omitempty"`
	Ours       string    `yaml:"ours,omitempty" json:"ours,omitempty"`
	Official   string    `yaml:"official,omitempty" json:"official,omitempty"`
	// What says what differs, and Reason why we differ on purpose.
	What   string `yaml:"what" json:"what"`
	Reason string `yaml:"reason" json:"reason"`
}

// Matches reports whether the difference explains the finding.
func (d Difference) Matches(f Finding) bool {
	if d.Kind != f.Kind || (d.Only != "" && d.Only != f.Only) {
		return false
	}
	if len(d.Operations) > 0 && !slices.ContainsFunc(f.Operations, d.showsIn) {
		return false
	}
	for _, selector := range [][2]string{
		{d.Path, f.Path}, {d.Where, f.Where}, {d.Usage, f.Usage}, {d.Schema, f.Schema}, {d.Field, f.Field},
		{d.Name, f.Name}, {d.Ours, f.Ours}, {d.Official, f.Official},
	} {
		if selector[0] != "" && !glob.Match(selector[0], selector[1]) {
			return false
		}
	}
	return true
}

// showsIn reports whether an operationId is one of the difference's operations.
func (d Difference) showsIn(operationID string) bool {
	return slices.ContainsFunc(d.Operations, func(pattern string) bool { return glob.Match(pattern, operationID) })
}

// OneOrMore is a list of texts that YAML may also write as one scalar.
type OneOrMore []string

// UnmarshalYAML reads a scalar as a list of one.
func (l *OneOrMore) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind == yaml.ScalarNode {
		*l = OneOrMore{node.Value}
		return nil
	}
	var list []string
	if err := node.Decode(&list); err != nil {
		return err
	}
	*l = list
	return nil
}

// LoadDifferences reads a known-differences file; see ParseDifferences.
func LoadDifferences(path string) ([]Difference, error) {
	return reviewed.Load(path, ParseDifferences)
}

// ParseDifferences reads the YAML of a known-differences file:
//
//	differences:
//	  - kind: minimum
//	    schema: UserCert
//	    field: monthsUntilExpiration
//	    what: ours has minimum 1, the official schema none
//	    reason: a certificate valid for zero months is never valid
//
// Unknown keys and kinds, entries without what or reason, and entries with no selector besides
// kind are errors, so that a typo cannot hide every difference of a kind.
func ParseDifferences(data []byte) ([]Difference, error) {
	return reviewed.Parse(data, reviewed.File[Difference]{
		Key: "differences", Name: "known-differences", Entry: "difference",
		Label:    func(d Difference) string { return string(d.Kind) },
		Validate: Difference.validate,
	})
}

func (d Difference) validate() error {
	switch {
	case !slices.Contains(slices.Concat(presenceKinds, attributeKinds, []Kind{KindPath, KindRequired}), d.Kind):
		return fmt.Errorf("unknown kind %q", d.Kind)
	case d.Only != "" && d.Only != Ours && d.Only != Official:
		return fmt.Errorf("only is %q; want %s or %s", d.Only, Ours, Official)
	case strings.TrimSpace(d.What) == "":
		return errors.New("what is missing")
	case strings.TrimSpace(d.Reason) == "":
		return errors.New("reason is missing")
	case d.Only == "" && len(d.Operations) == 0 && d.Path == "" && d.Where == "" && d.Usage == "" && d.Schema == "" &&
		d.Field == "" && d.Name == "" && d.Ours == "" && d.Official == "":
		return errors.New("no selector besides kind")
	}
	return nil
}

// ApplyDifferences marks each finding that a reviewed difference explains, and records the
// differences that explain nothing.
func ApplyDifferences(report *Report, differences []Difference) {
	report.UnusedDifferences = reviewed.Apply(report.Findings, differences, Difference.Matches,
		func(f *Finding, d *Difference) { f.Known = d })
	report.Differences = differences
}
