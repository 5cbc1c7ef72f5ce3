package cli

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/internal/syncbuf"
)

// TestBroker runs the broker command until its context is cancelled, and
// talks to it with a real client in between.
func TestBroker(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()

	pr, pw := io.Pipe()
	defer func() { _ = pr.Close() }() // unblocks Main's writes if the test ends early
	var stderr syncbuf.Buffer
	exit := make(chan int, 1)
	go func() {
		exit <- Main(runCtx, []string{"broker", "--listen", "127.0.0.1:0", "--topic", "t:3", "--topic", "store:1:compact"}, pw, &stderr)
		_ = pw.Close()
	}()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func() string {
		t.Helper()
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("broker stopped writing before its banner")
			}
			return line
		case <-ctx.Done():
			t.Fatal("no output from broker:", ctx.Err())
		}
		return ""
	}

	addr, ok := strings.CutPrefix(next(), "tongagen broker listening on ")
	if !ok || !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("banner gives address %q", addr)
	}
	for _, want := range []string{"topic t: 3 partitions", "topic store: 1 partition, compacted"} {
		if got := next(); got != want {
			t.Errorf("stdout line %q, want %q", got, want)
		}
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	topics, err := kadm.NewClient(cl).ListTopics(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(topics["t"].Partitions); n != 3 {
		t.Errorf("topic t has %d partitions, want 3", n)
	}

	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("Main returned %d, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("broker did not stop on cancel:", ctx.Err())
	}
	if !strings.Contains(stderr.String(), "broker stopped") {
		t.Errorf("stderr lacks the stop line:\n%s", stderr.String())
	}
}

func TestBrokerUsage(t *testing.T) {
	for _, args := range [][]string{
		{"broker", "--topic", "t"},
		{"broker", "--topic", "t:x"},
		{"broker", "--topic", "t:0"},
		{"broker", "--topic", ":1"},
		{"broker", "--topic", "t:1:weird"},
		{"broker", "--topic", "t:1:compact:more"},
		{"broker", "--listen", "nonsense"},
		{"broker", "--listen", "127.0.0.1:0", "--topic", "bad name:1"},
		{"broker", "extra"},
	} {
		if code, _, stderr := run(t, args...); code != 2 || !strings.Contains(stderr, "--help") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, stderr)
		}
	}
}
