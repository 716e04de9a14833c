package main

import (
	"fmt"
	"io"
)

// runServe runs the stub server.
func runServe(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "atlasstub serve: the stub server is not built yet; the contract is in openapi/")
	return 1
}
