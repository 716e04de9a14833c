package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/atlasstub/atlasstub/contract/suite"
)

// progressPrinter reports a contract run's progress on w: one line updated in place when w is a
// terminal, and a line per operation and scenario otherwise, as a CI log wants it.
func progressPrinter(w io.Writer) func(suite.Progress) { return printProgress(w, isTerminal(w)) }

func printProgress(w io.Writer, terminal bool) func(suite.Progress) {
	return func(p suite.Progress) {
		done := p.Scenario
		if done == "" {
			done = p.Operation
		}
		line := fmt.Sprintf("contract: operations %d/%d, checks %d/%d, scenarios %d/%d, failed %d, %s: %s",
			p.OperationsDone, p.Operations, p.CasesDone, p.Cases, p.ScenariosDone, p.Scenarios, p.Failed, p.Elapsed.Round(100*time.Millisecond), done)
		if !terminal {
			fmt.Fprintln(w, line)
			return
		}
		fmt.Fprint(w, "\r\033[K"+line) // back to the line's start, clear it, write it anew
		if p.OperationsDone == p.Operations && p.ScenariosDone == p.Scenarios {
			fmt.Fprintln(w)
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}
