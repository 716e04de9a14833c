package main

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/engine"
)

// writeServed writes how the stub serves each official operation, in format (text, json or
// markdown).
func writeServed(w io.Writer, format string) error {
	spec, err := engine.LoadSpec()
	if err != nil {
		return err
	}
	servings := spec.Servings()
	switch format {
	case "json":
		return writeJSON(w, servings)
	case "markdown":
		return writeServedMarkdown(w, servings)
	case "text":
		return writeServedText(w, servings)
	}
	return fmt.Errorf("unknown format %q; want text, json or markdown", format)
}

// byTag groups operations under their first tag, tags in order, operations by path then method.
func byTag(servings []engine.Serving) (tags []string, ops map[string][]engine.Serving) {
	ops = map[string][]engine.Serving{}
	for _, s := range servings {
		tag := "(untagged)"
		if len(s.Tags) > 0 {
			tag = s.Tags[0]
		}
		ops[tag] = append(ops[tag], s)
	}
	for tag := range ops {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	return tags, ops
}

func countHow(servings []engine.Serving) map[string]int {
	counts := map[string]int{}
	for _, s := range servings {
		counts[s.How]++
	}
	return counts
}

// source is the module and version of the embedded official specification.
func source() string {
	var module, version string
	sc := bufio.NewScanner(bytes.NewReader(openapi.OfficialSource()))
	for sc.Scan() {
		key, value, _ := strings.Cut(sc.Text(), ": ")
		switch key {
		case "module":
			module = value
		case "version":
			version = value
		}
	}
	return strings.TrimSpace(module + " " + version)
}

// served describes how one operation is served, for people.
func served(s engine.Serving) string {
	out := s.How
	if s.Kind != "" {
		out += " (" + s.Kind
		if s.Lifecycle {
			out += ", lifecycle"
		}
		out += ")"
	}
	if s.Hook != "" {
		out += ": " + s.Hook
	}
	return out
}

func writeServedText(w io.Writer, servings []engine.Serving) error {
	var b strings.Builder
	counts := countHow(servings)
	fmt.Fprintf(&b, "The %d operations of the official specification (%s):\n", len(servings), source())
	for _, how := range []string{engine.Curated, engine.Generic, engine.GenericWithHook} {
		fmt.Fprintf(&b, "  %-20s %3d\n", how, counts[how])
	}
	tags, ops := byTag(servings)
	for _, tag := range tags {
		fmt.Fprintf(&b, "\n%s\n", tag)
		for _, s := range ops[tag] {
			fmt.Fprintf(&b, "  %-6s %-95s %-55s %s\n", s.Method, s.Path, s.OperationID, served(s))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeServedMarkdown writes the tables of docs/coverage.md: the counts by tag, then each tag's
// operations.
func writeServedMarkdown(w io.Writer, servings []engine.Serving) error {
	var b strings.Builder
	counts := countHow(servings)
	tags, ops := byTag(servings)
	fmt.Fprintf(&b, "The %d operations of the official specification (`%s`): %d curated, %d generic, %d generic with a hook.\n\n",
		len(servings), source(), counts[engine.Curated], counts[engine.Generic], counts[engine.GenericWithHook])
	b.WriteString("| Tag | Operations | Curated | Generic | Generic with a hook | Hooks |\n|---|---:|---:|---:|---:|---|\n")
	for _, tag := range tags {
		c := countHow(ops[tag])
		var families []string
		for _, s := range ops[tag] {
			if s.Hook != "" && !slices.Contains(families, s.Hook) {
				families = append(families, s.Hook)
			}
		}
		slices.Sort(families)
		fmt.Fprintf(&b, "| [%s](#%s) | %d | %d | %d | %d | %s |\n", tag, anchor(tag), len(ops[tag]), c[engine.Curated], c[engine.Generic], c[engine.GenericWithHook], strings.Join(families, ", "))
	}
	for _, tag := range tags {
		fmt.Fprintf(&b, "\n### %s\n\n| Operation | Method and path | Served |\n|---|---|---|\n", tag)
		list := slices.Clone(ops[tag])
		slices.SortFunc(list, func(a, b engine.Serving) int { return cmp.Compare(a.OperationID, b.OperationID) })
		for _, s := range list {
			fmt.Fprintf(&b, "| `%s` | `%s %s` | %s |\n", s.OperationID, s.Method, s.Path, served(s))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// anchor is the fragment GitHub gives a heading.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		}
	}
	return b.String()
}
