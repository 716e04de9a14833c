package upstream

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/atlasstub/atlasstub/contract/internal/reviewed"
)

// WriteText writes the report for a person: the differences to review first, then the known
// ones grouped by the reviewed entry that explains them (each finding listed when verbose).
func (r Report) WriteText(w io.Writer, verbose bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Compared %s with %s (version %s): %d of our %d operations are in the official specification.\n",
		r.Ours, r.Official, r.OfficialVersion, r.Matched, r.Operations)

	unexplained := r.Unexplained()
	if len(unexplained) > 0 {
		fmt.Fprintf(&b, "\nDifferences to review (%d; %s):\n", len(unexplained), countByKind(unexplained))
		for _, f := range unexplained {
			writeFinding(&b, "  - ", f)
		}
	}

	explained := r.Explained()
	if len(explained) > 0 {
		byEntry := map[*Difference][]Finding{}
		for _, f := range explained {
			byEntry[f.Known] = append(byEntry[f.Known], f)
		}
		fmt.Fprintf(&b, "\nKnown differences (%d findings, explained by %d reviewed entries):\n", len(explained), len(byEntry))
		for i := range r.Differences {
			d := &r.Differences[i]
			if len(byEntry[d]) == 0 {
				continue
			}
			fmt.Fprintf(&b, "  - %s (%d): %s\n", d.What, len(byEntry[d]), d.Reason)
			if verbose {
				for _, f := range byEntry[d] {
					writeFinding(&b, "      ", f)
				}
			}
		}
	}

	if info := r.Informational(); len(info) > 0 {
		fmt.Fprintf(&b, "\nOfficial operations on our paths that ours does not declare, which the engine serves (%d):\n", len(info))
		for _, f := range info {
			fmt.Fprintf(&b, "  - %s (%s)\n", strings.Join(f.Operations, ", "), f.Name)
		}
	}

	reviewed.WriteEntries(&b, "Reviewed differences that no longer show", "the official specification may have changed", r.UnusedDifferences,
		func(d Difference) string { return d.What })

	result := "PASS"
	if r.Failed() {
		result = "FAIL"
	}
	fmt.Fprintf(&b, "\n%s: %d differences to review, %d known, %d official operations ours does not declare\n",
		result, len(unexplained), len(explained), len(r.Informational()))
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFinding(b *strings.Builder, indent string, f Finding) {
	fmt.Fprintf(b, "%s%s: %s", indent, f.Location(), f.Description())
	if f.Schema != "" {
		fmt.Fprintf(b, " (%s; in %s)", f.Usage, abbreviate(f.Operations, 3))
	}
	b.WriteString("\n")
}

// abbreviate lists the first n items and counts the rest.
func abbreviate(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// countByKind summarizes findings as "field 3, status 2", most frequent first.
func countByKind(findings []Finding) string {
	counts := map[Kind]int{}
	var kinds []Kind
	for _, f := range findings {
		if counts[f.Kind] == 0 {
			kinds = append(kinds, f.Kind)
		}
		counts[f.Kind]++
	}
	slices.SortStableFunc(kinds, func(a, b Kind) int { return counts[b] - counts[a] })
	parts := make([]string, 0, len(kinds))
	for _, kind := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", kind, counts[kind]))
	}
	return strings.Join(parts, ", ")
}

// WriteJSON writes the report with its result as one JSON document.
func (r Report) WriteJSON(w io.Writer) error {
	return reviewed.WriteJSON(w, struct {
		Report
		Unexplained int  `json:"unexplained"`
		Failed      bool `json:"failed"`
	}{r, len(r.Unexplained()), r.Failed()})
}
