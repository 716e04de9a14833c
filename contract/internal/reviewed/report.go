package reviewed

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// The reports of the tools that read reviewed files end alike: the entries to remove or renew,
// each kind under a heading that counts them and says what to do, and, as JSON, the report with
// its verdict beside it.

// WriteEntries writes a section of a text report when there are entries: a heading that names
// them, counts them and says what to do about them, then a line for each.
func WriteEntries[E any](b *strings.Builder, what, todo string, entries []E, line func(E) string) {
	if len(entries) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s (%d); %s:\n", what, len(entries), todo)
	for _, e := range entries {
		fmt.Fprintf(b, "  - %s\n", line(e))
	}
}

// WriteJSON writes a report as one indented JSON document.
func WriteJSON(w io.Writer, report any) error {
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	return encoder.Encode(report)
}
