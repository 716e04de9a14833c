// Command idleconns opens keep-alive connections to a stub, sends one request on each, leaves
// them idle, and reports how many the stub still holds open as time passes: scripts/hardening.sh
// runs it to show the idle timeout of `atlasstub serve` at work.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "the stub's address")
	n := flag.Int("n", 1000, "connections to open")
	watch := flag.Duration("for", 180*time.Second, "how long to watch them at most")
	flag.Parse()

	var open atomic.Int64
	for range *n {
		conn, err := net.Dial("tcp", *addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "idleconns:", err)
			os.Exit(1)
		}
		reader := bufio.NewReader(conn)
		fmt.Fprintf(conn, "GET /_stub/clock HTTP/1.1\r\nHost: %s\r\n\r\n", *addr)
		res, err := http.ReadResponse(reader, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "idleconns:", err)
			os.Exit(1)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		open.Add(1)
		go func() {
			_, _ = reader.ReadByte() // returns when the stub closes the connection
			open.Add(-1)
		}()
	}
	start := time.Now()
	for elapsed := time.Duration(0); elapsed <= *watch; elapsed = time.Since(start) {
		fmt.Printf("   after %3.0f s: %d of %d connections open\n", elapsed.Seconds(), open.Load(), *n)
		if open.Load() == 0 {
			return
		}
		time.Sleep(30 * time.Second)
	}
}
