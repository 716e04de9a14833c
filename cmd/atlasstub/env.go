package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// applyEnv sets every flag of fs that has an environment variable named prefix + the flag name
// in upper snake case (--credentials-out reads ATLASSTUB_CREDENTIALS_OUT). Flags given on the
// command line are parsed afterwards and win.
func applyEnv(fs *flag.FlagSet, prefix string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := prefix + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if value, ok := os.LookupEnv(name); ok && err == nil {
			if setErr := f.Value.Set(value); setErr != nil {
				err = fmt.Errorf("%s=%q: %w", name, value, setErr)
			}
		}
	})
	return err
}
