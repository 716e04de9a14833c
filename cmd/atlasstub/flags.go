package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// newFlagSet returns a flag set that reports errors instead of exiting, and prints usage (the
// command's synopsis followed by its flags) to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, synopsis)
		fmt.Fprintln(stderr, "\nflags:")
		flags.PrintDefaults()
	}
	return flags
}

// parseFlags sets the flags from their environment variables (envPrefix and the flag's name, see
// applyEnv), then from args, which win. ok is false when the command must stop, with status as
// its exit status: 0 after -h, 2 for bad input, which the flag set or badInput has reported.
func parseFlags(flags *flag.FlagSet, envPrefix string, args []string, stderr io.Writer) (status int, ok bool) {
	if err := applyEnv(flags, envPrefix); err != nil {
		return badInput(stderr, flags.Name(), err), false
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	return 0, true
}

// list splits a comma-separated flag value, dropping empty items.
func list(value string) []string {
	var items []string
	for _, item := range strings.Split(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// badInput reports an error in what the user gave on one line and returns exit code 2.
func badInput(stderr io.Writer, command string, err error) int {
	fmt.Fprintf(stderr, "%s: %s\n", command, strings.Join(strings.Fields(err.Error()), " "))
	return 2
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
