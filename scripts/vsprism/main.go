// Command vsprism measures atlasstub beside Prism (`prism mock`) on the same specification, in
// one run: the same load generator sends the same operation with a bearer token over the same
// number of connections to each server in turn, round after round, so that a burst of other work
// on the machine does not fall on one server alone. It prints the median over the rounds of the
// requests served per second, p50 and p99 of all the rounds' latencies, and the ratios of the
// medians. It also draws the run as an SVG chart. scripts/bench-vs-prism.sh
// installs Prism, builds and starts the servers, and runs it.
//
//	go run ./scripts/vsprism -stub URL -strict-stub URL -prism URL [-duration 10s] [-rounds 3] [-connections 32] [-chart out.svg]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

// accept is the version that both operations have.
const accept = "application/vnd.atlas.2023-01-01+json"

// server is one server under the load.
type server struct{ name, base string }

// operation is one operation that the load sends, by the path it reads.
type operation struct {
	name string
	path func(seeded) string
}

var operations = []operation{
	{"list 10 certificates", func(s seeded) string {
		return "/api/atlas/v2/groups/" + s.project + "/databaseUsers/" + s.username + "/certs"
	}},
	{"get project", func(s seeded) string { return "/api/atlas/v2/groups/" + s.project }},
}

// measurement is one operation of one server under the load.
type measurement struct {
	operation, server string
	Result
}

func main() {
	stub := flag.String("stub", "", "base URL of atlasstub serve")
	strictStub := flag.String("strict-stub", "", "base URL of atlasstub serve --strict")
	prism := flag.String("prism", "", "base URL of prism mock")
	duration := flag.Duration("duration", 10*time.Second, "how long each server is under load, per operation")
	warmup := flag.Duration("warmup", 2*time.Second, "load before each measurement, not counted")
	connections := flag.Int("connections", 32, "connections at once")
	rounds := flag.Int("rounds", 3, "measurements of each server and operation, one server after the other")
	chart := flag.String("chart", "", "write the run as an SVG chart to this file")
	flag.Parse()
	if *stub == "" || *strictStub == "" || *prism == "" {
		fmt.Fprintln(os.Stderr, "vsprism: -stub, -strict-stub and -prism are required")
		os.Exit(2)
	}
	servers := []server{{"Prism", *prism}, {"stub", *stub}, {"stub --strict", *strictStub}}
	seeds := map[string]seeded{}
	for _, s := range servers[1:] {
		seeded, err := seed(s.base, accept, 10)
		if err != nil {
			fail(err)
		}
		seeds[s.name] = seeded
	}
	// Prism answers any identifiers of the right form, and checks only that a token is there.
	seeds["Prism"] = seeds["stub"]

	fmt.Printf("%d connections, %d rounds of %s per server and operation (each after %s of warm-up), bearer token, only 2xx answers counted\n", *connections, *rounds, *duration, *warmup)
	fmt.Println("req/s: the median of the rounds; p50 and p99: of all the rounds' requests; ratios: of the medians")
	fmt.Println()
	ctx := context.Background()
	var run []measurement
	for _, op := range operations {
		perServer := make([][]Result, len(servers))
		for range *rounds {
			for i, s := range servers {
				target := Target{URL: s.base + op.path(seeds[s.name]), Token: seeds[s.name].token, Accept: accept}
				Drive(ctx, target, *connections, *warmup)
				perServer[i] = append(perServer[i], Drive(ctx, target, *connections, *duration))
			}
		}
		for i, s := range servers {
			run = append(run, measurement{op.name, s.name, merge(perServer[i])})
		}
	}
	fmt.Println("| operation | server | req/s | p50 | p99 | failed | vs Prism |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for i, m := range run {
		prism := run[i-i%len(servers)]
		fmt.Printf("| %s | %s | %.0f | %.1f ms | %.1f ms | %d | %.1fx |\n", m.operation, m.server, m.PerSecond(),
			ms(m.Percentile(0.50)), ms(m.Percentile(0.99)), m.Failed, m.PerSecond()/prism.PerSecond())
	}
	fmt.Println()
	for i := 0; i < len(run); i += len(servers) {
		fmt.Printf("%s: --strict serves %.2fx what the default mode does\n", run[i].operation, run[i+2].PerSecond()/run[i+1].PerSecond())
	}
	if *chart != "" {
		if err := os.WriteFile(*chart, []byte(drawChart(run, *connections, *rounds, *duration)), 0o644); err != nil {
			fail(err)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "vsprism:", err)
	os.Exit(1)
}
