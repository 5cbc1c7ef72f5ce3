package demo

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/audit"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/bartest"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/crowd"
	"github.com/tonga-go/tonga/examples/coffeebar/waiter"
	"github.com/tonga-go/tonga/internal/syncbuf"
	"github.com/tonga-go/tonga/runtime/service"
)

// TestCoffeeBarSurvivesKills runs instance 0 of each service in this
// process and instance 1 of each in a child process (this test binary,
// running the service as its cmd/<service> does), with its local store in
// Pebble. When a third of the coffees are paid, it kills the four children
// with SIGKILL — open transactions are left hanging, group members vanish,
// stores stop mid-write — and starts them again on the same directories.
// Every coffee must still go through the flow exactly once.
func TestCoffeeBarSurvivesKills(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	b, err := Open(ctx, BarConfig{Instances: 2, Service: []service.Option{testBatch}, Skip: func(_ string, i int) bool { return i == 1 }})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	procs := map[string]*proc{}
	stores := t.TempDir() // the children's stores are in Pebble, and survive the kill
	for _, s := range Services {
		procs[s.Name] = &proc{t: t, name: s.Name, args: []string{
			"--instance", "1", "--replicas", "2", "--brokers", strings.Join(b.Brokers, ","), "--data-dir", stores,
			"--http", "127.0.0.1:0", "--create-topics=false", "--log-level", "warn",
			"--batch", "200", "--batch-interval", "20ms",
			// A killed member leaves the group when its session expires.
			"--client-option", "session.timeout.ms=6000", "--client-option", "heartbeat.interval.ms=500",
		}}
		procs[s.Name].start(ctx)
	}
	a, err := audit.New(ctx, b.Brokers, 2)
	if err != nil {
		t.Fatal(err)
	}
	everything, err := audit.New(ctx, b.Brokers, 2, audit.ReadUncommitted())
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{base: &http.Transport{DisableKeepAlives: true}}
	c := crowd.New(crowd.Config{Orders: orders, Customers: 16, Transport: g,
		Waiters:       func() []string { return append(b.URLs(waiter.Name), procs[waiter.Name].urls()...) },
		CashRegisters: func() []string { return append(b.URLs(cashregister.Name), procs[cashregister.Name].urls()...) },
	})
	done := make(chan crowd.Result, 1)
	go func() { done <- c.Run(ctx) }()

	bartest.Eventually(t, "a third of the coffees paid", func() bool { return c.PaidSoFar() >= orders/3 })
	g.closed(func() {
		for _, p := range procs {
			p.kill()
		}
	})
	t.Logf("killed instance 1 of each service with %d of %d coffees paid", c.PaidSoFar(), orders)
	for _, p := range procs {
		p.start(ctx)
	}
	res := <-done
	for _, p := range procs {
		p.stop()
	}
	if err := b.StopAll(); err != nil {
		t.Errorf("stopping the bar: %v", err)
	}
	checkExactlyOnce(ctx, t, a, res, b.Failures())
	if err := everything.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	aborted, committed := everything.Counts(), a.Counts()
	total := 0
	for k := range audit.NumKinds {
		total += aborted[k] - committed[k]
	}
	t.Logf("the topics hold %d flow records of aborted transactions, which read_committed readers never see", total)
}

// gate holds back the crowd's POSTs while the children are killed: a
// request whose answer a SIGKILL cuts off has an outcome nobody knows
// (the order may or may not be on the broker), which no server can settle
// for a client that sends no idempotency key. Requests the dead instances
// refuse afterwards are plainly not handled, and go to a live instance.
type gate struct {
	base http.RoundTripper
	mu   sync.RWMutex
}

func (g *gate) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost {
		g.mu.RLock()
		defer g.mu.RUnlock() // the answer's header is back: the handler has done its work
	}
	return g.base.RoundTrip(req)
}

// closed runs fn with no POST under way.
func (g *gate) closed(fn func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fn()
}

// proc is a service instance in a child process.
type proc struct {
	t    *testing.T
	name string
	args []string

	mu     sync.Mutex
	cmd    *exec.Cmd
	url    string
	stderr *syncbuf.Buffer
	runs   int
}

// start starts the child and waits until it is ready.
func (p *proc) start(ctx context.Context) {
	p.t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], p.args...)
	cmd.Env = append(os.Environ(), serviceEnv+"="+p.name)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.runs++
	p.stderr = &syncbuf.Buffer{}
	cmd.Stderr = p.stderr
	p.mu.Unlock()
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		addr := ""
		for sc.Scan() {
			line := sc.Text()
			if a, ok := strings.CutPrefix(line, "http "); ok {
				addr = a
			}
			if line == "ready" {
				ready <- addr
			}
		}
	}()
	name := p.name + "-1 (run " + strconv.Itoa(p.runs) + ")"
	select {
	case addr := <-ready:
		p.mu.Lock()
		p.cmd, p.url = cmd, "http://"+addr
		p.mu.Unlock()
	case <-time.After(bartest.Timeout):
		_ = cmd.Process.Kill()
		p.t.Fatalf("%s not ready within %v; its stderr:\n%s", name, bartest.Timeout, p.stderr)
	}
	p.t.Cleanup(func() {
		if p.t.Failed() {
			p.t.Logf("%s stderr:\n%s", name, p.stderr)
		}
	})
}

// urls returns the child's base URL while it runs.
func (p *proc) urls() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.url == "" {
		return nil
	}
	return []string{p.url}
}

// kill kills the child with SIGKILL.
func (p *proc) kill() {
	p.mu.Lock()
	cmd := p.cmd
	p.cmd, p.url = nil, ""
	p.mu.Unlock()
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// stop stops the child with SIGTERM, as Kubernetes does, and checks it
// exits cleanly.
func (p *proc) stop() {
	p.mu.Lock()
	cmd := p.cmd
	p.cmd, p.url = nil, ""
	p.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		p.t.Errorf("%s-1 on SIGTERM: %v", p.name, err)
	}
}
