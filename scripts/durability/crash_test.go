package durability

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// binary is atlasstub, built once for the package's tests by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "durability-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "atlasstub")
	if out, err := exec.Command("go", "build", "-o", binary, "github.com/atlasstub/atlasstub/cmd/atlasstub").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build ./cmd/atlasstub: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// writers is how many clients change the state at once.
const writers = 16

// TestCrashSafety runs the stub with --data-dir as a child process, has 16 writers change its
// state over HTTP (projects, users, certificates, service accounts and their secrets, API keys
// and their access lists, tokens, the clock; and the deletes of each), kills it with SIGKILL at
// a random moment, and starts it again on the directory, CYCLES times (10 unless the
// environment says). Some kills come while the stub starts, the first on a new directory. After
// each restart the state must hold every acknowledged write, every operation cut off by the kill
// done whole or not at all, and records that hold together (see Checker); certificates issued
// before must verify against their project's CA, a token minted before must work and a revoked
// one stay revoked, and the bootstrap credentials must be the first ones. SEED repeats a run.
func TestCrashSafety(t *testing.T) {
	cycles := fromEnvironment(t, "CYCLES", 10)
	seed := uint64(fromEnvironment(t, "SEED", int(time.Now().UnixNano()%1e9)))
	t.Logf("CYCLES=%d SEED=%d", cycles, seed)
	random := rand.New(rand.NewPCG(seed, 0))
	dir := t.TempDir()
	logFile := filepath.Join(dir, "stub.log")
	args := []string{"--data-dir", filepath.Join(dir, "data"), "--key-type", "ecdsa-p256", "--key-pool", "4"}
	ctx := context.Background()
	fail := func(format string, a ...any) {
		t.Helper()
		log, _ := os.ReadFile(logFile)
		lines := strings.Split(strings.TrimSpace(string(log)), "\n")
		t.Fatalf(format+"\nthe stub's last log lines:\n%s", append(a, strings.Join(lines[max(0, len(lines)-20):], "\n"))...)
	}

	ledgers := make([]*Ledger, writers)
	all := make([]*Writer, writers)
	for i := range all {
		ledgers[i] = NewLedger()
		all[i] = NewWriter(i, nil, "", ledgers[i], seed)
		all[i].Clock = i == 0
	}
	checker := NewChecker()
	var first Credentials
	var token string
	var acknowledged, killedStarting int
	for cycle := 0; cycle <= cycles; cycle++ {
		p, err := Start(binary, logFile, args...)
		require.NoError(t, err)
		if cycle < cycles && (cycle == 0 || random.IntN(5) == 0) {
			time.Sleep(time.Duration(random.IntN(40)) * time.Millisecond)
			require.NoError(t, p.Kill())
			killedStarting++
			if p, err = Start(binary, logFile, args...); err != nil {
				fail("start again: %v", err)
			}
		}
		creds, err := p.Ready(30 * time.Second)
		if err != nil {
			fail("cycle %d: %v", cycle, err)
		}
		if first.OrgID == "" {
			first = creds
		}
		if creds.OrgID != first.OrgID || creds.APIKey != first.APIKey || creds.ServiceAccount != first.ServiceAccount {
			fail("cycle %d: the bootstrap credentials changed from %+v to %+v", cycle, first, creds)
		}
		client := NewClient(creds, token)
		if token != "" {
			if err := TokenWorks(ctx, client, creds.OrgID, token); err != nil {
				fail("cycle %d: %v", cycle, err)
			}
		}
		if problems := checker.Check(ctx, client, ledgers); len(problems) > 0 {
			fail("cycle %d (SEED=%d), after a kill:\n%s", cycle, seed, strings.Join(problems, "\n"))
		}
		if cycle == cycles {
			require.NoError(t, p.Stop(), "the stub stops cleanly at the end")
			client.Close()
			break
		}

		running, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		errs := make([]error, writers)
		var mu sync.Mutex
		for i, w := range all {
			w.SetClient(client)
			w.org = creds.OrgID
			w.Observe = func(Op, int, time.Duration) { mu.Lock(); acknowledged++; mu.Unlock() }
			wg.Go(func() { errs[i] = w.Run(running) })
		}
		time.Sleep(time.Duration(50+random.IntN(550)) * time.Millisecond)
		require.NoError(t, p.Kill())
		stop()
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			fail("cycle %d (SEED=%d): %v", cycle, seed, err)
		}
		if token, err = client.Token(ctx); err != nil {
			token = "" // minted before the kill, or to be minted after the restart
		}
		client.Close()
	}
	t.Logf("%d cycles, %d kills while starting; %d answers to writers; %d operations cut off by a kill found done whole, %d not done",
		cycles, killedStarting, acknowledged, checker.Applied, checker.Cut)
}

// fromEnvironment reads a positive number from the environment, or returns def.
func fromEnvironment(t *testing.T, name string, def int) int {
	value, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(value)
	require.NoError(t, err, "%s=%q", name, value)
	require.Positive(t, n, name)
	return n
}
