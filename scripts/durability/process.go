package durability

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Credentials are the bootstrap credentials that a stub prints on start.
type Credentials struct {
	BaseURL   string `json:"baseUrl"`
	OrgID     string `json:"orgId"`
	ProjectID string `json:"projectId"`
	APIKey    struct {
		ID, PublicKey, PrivateKey string
	} `json:"apiKey"`
	ServiceAccount struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
	} `json:"serviceAccount"`
}

// Process is an atlasstub serve running as a child process.
type Process struct {
	cmd   *exec.Cmd
	done  chan error
	ready chan Credentials
	// Credentials are what the stub printed once it was serving; zero until then.
	Credentials Credentials
}

// Start runs binary serve on a free loopback port with the extra arguments, its log appended to
// logFile. It returns once the process runs; Ready waits until it serves.
func Start(binary, logFile string, args ...string) (*Process, error) {
	log, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	// Without Atlas's rate limits: the writers measure durability and throughput, many times
	// the requests a minute that Atlas lets one organization make.
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--rate-limits", "off"}, args...)...)
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Process{cmd: cmd, done: make(chan error, 1), ready: make(chan Credentials, 1)}
	go func() {
		if creds, err := readCredentials(stdout); err == nil {
			p.ready <- creds
		}
		_, _ = io.Copy(io.Discard, stdout)
		p.done <- cmd.Wait()
	}()
	return p, nil
}

// Ready waits until the stub prints its credentials, which it does once it listens, and returns
// them; an error if it exits first or takes longer than timeout.
func (p *Process) Ready(timeout time.Duration) (Credentials, error) {
	select {
	case creds := <-p.ready:
		p.Credentials = creds
		return creds, nil
	case err := <-p.done:
		p.done <- err
		return Credentials{}, fmt.Errorf("the stub exited before it served: %v", err)
	case <-time.After(timeout):
		return Credentials{}, errors.New("the stub did not serve within " + timeout.String())
	}
}

// Kill ends the process with SIGKILL, as a crash does, and waits for it.
func (p *Process) Kill() error { return p.end(syscall.SIGKILL) }

// Stop ends the process with SIGTERM, as a person does, and waits for it.
func (p *Process) Stop() error { return p.end(syscall.SIGTERM) }

func (p *Process) end(signal syscall.Signal) error {
	if err := p.cmd.Process.Signal(signal); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	err := <-p.done
	p.done <- err
	var exit *exec.ExitError
	if signal == syscall.SIGKILL && errors.As(err, &exit) {
		return nil // killed, as asked
	}
	return err
}

// readCredentials reads what serve prints: "atlasstub is serving on URL", "bootstrap
// credentials:", and the credentials as indented JSON, which ends with a line "}".
func readCredentials(stdout io.Reader) (Credentials, error) {
	lines := bufio.NewScanner(stdout)
	var doc strings.Builder
	started := false
	for lines.Scan() {
		line := lines.Text()
		if line == "bootstrap credentials:" {
			started = true
			continue
		}
		if !started {
			continue
		}
		doc.WriteString(line + "\n")
		if line == "}" {
			var creds Credentials
			err := json.Unmarshal([]byte(doc.String()), &creds)
			return creds, err
		}
	}
	return Credentials{}, errors.New("the stub printed no credentials")
}
