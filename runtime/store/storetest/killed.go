package storetest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/internal/syncbuf"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
)

// childEnv tells a re-executed test binary to run the till, configured
// by the variable's JSON value (a childConfig).
const childEnv = "STORETEST_TILL"

// childConfig configures the till of a child process.
type childConfig struct {
	Brokers []string
	Dir     string
	// Hang is "point:n": the till stops dead the nth time it reaches
	// point, after printing "hanging point". Points: handle (an order's
	// writes staged, in an open batch), flushed (the batch's changelog
	// and bills acknowledged, not committed), apply (a committed batch
	// about to be written to the store), rebuild (a rebuild's write).
	// Empty: run until SIGTERM.
	Hang string
}

// The kills of testKilled, in order, on one directory; each restart
// redoes what the previous one left.
var kills = []string{"handle:125", "flushed:2", "apply:2", "rebuild:1"}

// childSession are the child's group session settings: a killed child's
// consumer group member is dropped after 2 s, so that the next one joins
// without waiting the default 45 s.
var childSession = map[string]string{"session.timeout.ms": "2000", "heartbeat.interval.ms": "400"}

func testKilled(t *testing.T, open OpenDir) {
	b := startTillBroker(t)
	addrs := b.Addrs()
	allowShortSessions(t, addrs)
	dir := t.TempDir()
	const n = 600
	produceOrders(t, addrs, 0, n)
	for _, hang := range kills {
		c := startChild(t, childConfig{Brokers: addrs, Dir: dir, Hang: hang})
		c.waitLine(t, "hanging "+strings.SplitN(hang, ":", 2)[0])
		c.kill(t)
		checkCheckpoint(t, open, dir, addrs, "after the kill at "+hang)
		waitGroupEmpty(t, addrs)
	}
	c := startChild(t, childConfig{Brokers: addrs, Dir: dir})
	waitCommitted(t, addrs, n)
	c.terminate(t)

	be := mustOpen(t, open, dir)
	got, err := backendState(be)
	closeIf(be)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffStates(mustCommittedState(t, addrs), got); d != "" {
		t.Errorf("after the restarts, the store is not the committed changelog: %s", d)
	}
	wantModel(t, "the store after the restarts", got, n)
	checkBills(t, addrs, n)
}

// allowShortSessions lowers the broker's minimum group session timeout
// (6 s by default) to 1 s.
func allowShortSessions(t *testing.T, addrs []string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v := "1000"
	resp, err := kadm.NewClient(cl).AlterBrokerConfigs(ctx, []kadm.AlterConfig{{Name: "group.min.session.timeout.ms", Value: &v}})
	if err == nil {
		for _, r := range resp {
			err = errors.Join(err, r.Err)
		}
	}
	if err != nil {
		t.Fatalf("lowering the minimum session timeout: %v", err)
	}
}

// waitGroupEmpty waits until the broker dropped the killed child from
// the till's consumer group. (A child started while the dead member is
// still part of a join round can stall on the embedded broker: its
// SyncGroup, as the group's leader, went unanswered for over a minute.)
func waitGroupEmpty(t *testing.T, addrs []string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	waitFor(t, "the killed child out of the group", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		groups, err := adm.DescribeGroups(ctx, tillName)
		if err != nil {
			return false
		}
		g, ok := groups[tillName]
		return ok && g.Err == nil && len(g.Members) == 0
	})
}

// checkCheckpoint opens dir and checks that it holds the committed
// changelog folded up to the checkpoint stored with it (none: empty).
func checkCheckpoint(t *testing.T, open OpenDir, dir string, addrs []string, when string) {
	t.Helper()
	be := mustOpen(t, open, dir)
	defer closeIf(be)
	offs, err := be.Offsets()
	if err != nil {
		t.Fatal(err)
	}
	got, err := backendState(be)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readCommitted(context.Background(), addrs, changelogTopic)
	if err != nil {
		t.Fatal(err)
	}
	checkpoint, ok := offs[0]
	if !ok {
		checkpoint = 0
	}
	want, err := fold(recs, checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffStates(want, got); d != "" {
		t.Errorf("%s: the store is not the changelog up to its checkpoint %d: %s", when, checkpoint, d)
	}
	t.Logf("%s: checkpoint %d of %d changelog records, %d keys", when, checkpoint, len(recs), len(got))
}

// child is the test binary running the till in another process.
type child struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *syncbuf.Buffer
	done   bool
}

func startChild(t *testing.T, cfg childConfig) *child {
	t.Helper()
	env, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var pattern []string
	for _, part := range strings.Split(t.Name(), "/") {
		pattern = append(pattern, "^"+regexp.QuoteMeta(part)+"$")
	}
	c := &child{lines: make(chan string, 16), stderr: &syncbuf.Buffer{}}
	c.cmd = exec.Command(os.Args[0], "-test.run="+strings.Join(pattern, "/"))
	c.cmd.Env = append(os.Environ(), childEnv+"="+string(env))
	c.cmd.Stderr = c.stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.lines)
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			c.lines <- lines.Text()
		}
	}()
	t.Cleanup(func() {
		if !c.done {
			_ = c.cmd.Process.Kill()
			_ = c.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("child %s: stderr:\n%s", cfg.Hang, c.stderr.String())
		}
	})
	return c
}

// waitLine reads the child's output until want.
func (c *child) waitLine(t *testing.T, want string) {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				t.Fatalf("the child exited before printing %q: %v\n%s", want, c.cmd.Wait(), c.stderr.String())
			}
			if line == want {
				return
			}
		case <-timeout:
			t.Fatalf("the child did not print %q within a minute", want)
		}
	}
}

// kill kills the child with SIGKILL.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
	c.done = true
}

// terminate stops the child with SIGTERM; it must exit cleanly.
func (c *child) terminate(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := c.cmd.Wait()
	c.done = true
	if err != nil {
		t.Fatalf("the child stopped with %v:\n%s", err, c.stderr.String())
	}
}

// runChild is the child of testKilled: the till on cfg's directory, until
// SIGTERM or SIGKILL.
func runChild(t *testing.T, open OpenDir, env string) {
	var cfg childConfig
	if err := json.Unmarshal([]byte(env), &cfg); err != nil {
		t.Fatal(err)
	}
	hang := newHang(cfg.Hang)
	var local atomic.Pointer[store.Local]
	wrap := func(b store.Backend) store.Backend {
		return &hookBackend{Backend: b, before: func(batch *store.Batch) {
			switch {
			case batch.Len() == 0:
			case local.Load().Ready():
				hang.at("apply")
			default:
				hang.at("rebuild")
			}
		}}
	}
	svc, l, err := newTill(tillConfig{
		brokers: cfg.Brokers,
		store:   []store.Option{backendOption(open, cfg.Dir, wrap)},
		join:    []service.Participant{&flushHook{hang: hang}},
		handled: func(int) { hang.at("handle") },
		client:  childSession,
		logger:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
		local:   func(l *store.Local) { local.Store(l) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := svc.Run(ctx); err != nil {
		t.Error(err)
	}
	if err := l.Close(); err != nil {
		t.Error(err)
	}
}

// hang stops the calling goroutine for good at the nth time it reaches
// its point.
type hang struct {
	point string
	nth   int64
	hits  atomic.Int64
}

func newHang(spec string) *hang {
	point, n, _ := strings.Cut(spec, ":")
	nth, _ := strconv.ParseInt(n, 10, 64)
	return &hang{point: point, nth: nth}
}

func (h *hang) at(point string) {
	if point != h.point || h.hits.Add(1) != h.nth {
		return
	}
	fmt.Println("hanging", point)
	<-make(chan struct{}) // until the process is killed
}

// flushHook is a participant joined after the store: its Flushed runs once
// the batch's writes are acknowledged, before the commit.
type flushHook struct{ hang *hang }

func (f *flushHook) Start(context.Context, service.Env) error  { return nil }
func (f *flushHook) Stage(context.Context, kafka.Client) error { return nil }
func (f *flushHook) Committed()                                {}
func (f *flushHook) Aborted()                                  {}

func (f *flushHook) Flushed() error {
	f.hang.at("flushed")
	return nil
}
