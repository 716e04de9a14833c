//go:build !unix

package server_test

import "time"

// processTime is unknown here: busy-procs reads 0, and the ratio per processor-second is not a
// number.
func processTime() time.Duration { return 0 }
