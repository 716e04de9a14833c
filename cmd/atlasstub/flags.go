package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// The command line's one convention, for every command:
//
//   - -h, -help or --help prints the command's usage to stdout and exits 0;
//   - a usage error (an unknown command or flag, a missing or stray argument, a flag's value that
//     does not parse) and bad input (a file that cannot be read, a value out of range) print one
//     line naming the command to stderr and exit 2, as does a command that cannot start;
//   - a command that ran and found a failure (a contract run or a spec gate that failed, a server
//     that stopped with an error) exits 1.

// newFlagSet returns a flag set that reports errors instead of exiting. Its usage is the
// command's synopsis followed by its flags; parseFlags decides where it goes.
func newFlagSet(name, synopsis string) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), synopsis)
		if hasFlags(flags) {
			fmt.Fprintln(flags.Output(), "\nflags:")
			flags.PrintDefaults()
		}
	}
	return flags
}

func hasFlags(flags *flag.FlagSet) bool {
	found := false
	flags.VisitAll(func(*flag.Flag) { found = true })
	return found
}

// parseFlags sets the flags from their environment variables (envPrefix and the flag's name, see
// applyEnv), then from args, which win. ok is false when the command must stop, with status as
// its exit status: 0 after -h, which printed the usage to stdout, or 2 after a usage error, which
// it reported on stderr.
func parseFlags(flags *flag.FlagSet, envPrefix string, args []string, stdout, stderr io.Writer) (status int, ok bool) {
	if err := applyEnv(flags, envPrefix); err != nil {
		return badInput(stderr, flags.Name(), err), false
	}
	flags.SetOutput(io.Discard) // the flag package's own reports; ours follow
	err := flags.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		flags.SetOutput(stdout)
		flags.Usage()
		return 0, false
	case err != nil:
		return usageError(stderr, flags.Name(), err), false
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

// usageError reports a command line that the command does not understand on one line, which
// says where its usage is, and returns exit code 2.
func usageError(stderr io.Writer, command string, err error) int {
	return badInput(stderr, command, fmt.Errorf("%w (see '%s -h')", err, command))
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
