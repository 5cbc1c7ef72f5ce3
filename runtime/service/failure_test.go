package service_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// TestDeadLetters sends a poison pill, a record of an unknown type and an
// order the handler always fails on; each reaches the dead-letter topic
// with its origin while the orders around them are billed.
func TestDeadLetters(t *testing.T) {
	b := startBroker(t, 1)
	h := &servicetest.CashRegister{}
	h.Failures.Store(3) // the first order fails its call and both retries
	svc := newService(t, b, h, 0, 1)
	r := servicetest.Run(t, svc)
	unknown := append([]byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, 0)
	produceOrders(t, b, 0, 1) // fails 3 times: dead-lettered
	servicetest.ProduceRaw(t, b, inTopic, []byte("poison"), unknown)
	produceOrders(t, b, 1, 5)

	dead := servicetest.ReadCommitted(t, b, inTopic+".dlq", 3)
	wantErr := []string{"cash register jammed", "bad framing", "unknown schema"}
	for i, rec := range dead {
		h := map[string]string{}
		for _, hd := range rec.Headers {
			h[hd.Key] = string(hd.Value)
		}
		if h[service.HeaderSourceTopic] != inTopic || h[service.HeaderSourcePartition] != "0" || h[service.HeaderSourceOffset] != strconv.Itoa(i) {
			t.Errorf("dead letter %d: headers %v", i, h)
		}
		if !strings.Contains(h[service.HeaderError], wantErr[i]) || h[service.HeaderTime] == "" {
			t.Errorf("dead letter %d: error %q, want it to mention %q", i, h[service.HeaderError], wantErr[i])
		}
		if h[service.HeaderService] != "cash-register" || h[service.HeaderInstance] != "0" {
			t.Errorf("dead letter %d: service %q instance %q, want cash-register 0", i, h[service.HeaderService], h[service.HeaderInstance])
		}
	}
	bills := servicetest.ReadCommitted(t, b, outTopic, 5)
	if len(bills) != 5 {
		t.Errorf("%d bills, want 5", len(bills))
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	if m := svc.Metrics(); m.DeadLettered != 3 || m.HandlerErrors != 3 {
		t.Errorf("metrics %+v", m)
	}
}

func TestStopPolicy(t *testing.T) {
	b := startBroker(t, 1)
	svc := newService(t, b, &servicetest.CashRegister{}, 0, 1, service.OnError(service.ErrorPolicy{Then: service.Stop}))
	r := servicetest.Run(t, svc)
	servicetest.ProduceRaw(t, b, inTopic, []byte("poison"))
	if err := r.Wait(); err == nil || !strings.Contains(err.Error(), "waiter-events[0] offset 0") {
		t.Errorf("Run = %v, want an error naming the record", err)
	}
}

func TestAtLeastOnce(t *testing.T) {
	b := startBroker(t, 1)
	svc := newService(t, b, &servicetest.CashRegister{}, 0, 1, service.WithGuarantee(service.AtLeastOnce))
	r := servicetest.Run(t, svc)
	produceOrders(t, b, 0, 200)
	checkBills(t, servicetest.ReadCommitted(t, b, outTopic, 200), 200)
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
}

// at-most-once commands: the bartender executes MakeCoffee commands.
type coffeeMaker struct{ executed chan string }

func (c *coffeeMaker) ExecuteMakeCoffee(ctx context.Context, cmd *seed.MakeCoffee, out tonga.Emitter) error {
	c.executed <- cmd.UUID
	res := seed.NewMakeCoffeeResultFrom(cmd)
	res.UUID = cmd.UUID
	return out.Emit(ctx, outTopic, res)
}

func TestAtMostOnceCommand(t *testing.T) {
	b := startBroker(t, 1)
	h := &coffeeMaker{executed: make(chan string, 10)}
	svc := newService(t, b, h, 0, 1)
	r := servicetest.Run(t, svc)
	cmd := seed.NewMakeCoffee()
	cmd.UUID, cmd.ProcessingGuarantee = "m1", "at_most_once"
	v, err := wire.AppendSingleObject(nil, cmd)
	if err != nil {
		t.Fatal(err)
	}
	servicetest.ProduceRaw(t, b, inTopic, v)
	select {
	case <-h.executed:
	case <-time.After(60 * time.Second):
		t.Fatal("command not executed")
	}
	// Its input offset was committed before it executed.
	if got := servicetest.CommittedOffset(t, b, "cash-register", inTopic, 0); got != 1 {
		t.Errorf("committed offset when the command executed: %d, want 1", got)
	}
	results := servicetest.ReadCommitted(t, b, outTopic, 1)
	if len(results) != 1 {
		t.Fatalf("%d results", len(results))
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	if m := svc.Metrics(); m.TransactionsCommitted < 2 {
		t.Errorf("the command's input and its result committed in %d transactions, want 2", m.TransactionsCommitted)
	}
}

// TestKilledMidBatch kills the service with SIGKILL while a transaction is
// open, restarts it, and checks that every order was billed exactly once.
func TestKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a helper binary")
	}
	bin := filepath.Join(t.TempDir(), "cashregister")
	build := exec.Command("go", "build", "-o", bin, "./testdata/cashregister")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	b := startBroker(t, 1)
	const n = 500
	produceOrders(t, b, 0, n)

	start := func() (*exec.Cmd, *bufio.Scanner) {
		cmd := exec.Command(bin, "-brokers", strings.Join(b.Addrs(), ","))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, bufio.NewScanner(out)
	}
	first, lines := start()
	// Wait until it is in the middle of a batch (batches are 50 records),
	// then kill it.
	handled := 0
	for handled < 125 && lines.Scan() {
		handled++
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	second, lines := start()
	go func() {
		for lines.Scan() { // drain its output
		}
	}()
	servicetest.ReadCommitted(t, b, outTopic, n)
	_ = second.Process.Signal(syscall.SIGTERM)
	if err := second.Wait(); err != nil {
		t.Errorf("restarted service: %v", err)
	}
	checkBills(t, servicetest.ReadAll(t, b, outTopic, 1, true), n)
}

// TestErrStop: a handler error wrapping ErrStop is neither retried nor
// dead-lettered; Run returns it and the record's batch does not commit.
func TestErrStop(t *testing.T) {
	b := startBroker(t, 1)
	var calls atomic.Int64
	h := seed.CoffeeOrderedHandlerFunc(func(ctx context.Context, ev *seed.CoffeeOrdered, out tonga.Emitter) error {
		calls.Add(1)
		if ev.UUID == "c3" {
			return fmt.Errorf("the bills store: %w", service.ErrStop)
		}
		bill := seed.NewBillCreatedFrom(ev)
		bill.UUID = "bill-" + ev.UUID
		return out.Emit(ctx, outTopic, bill)
	})
	svc := newService(t, b, h, 0, 1)
	r := servicetest.Run(t, svc)
	produceOrders(t, b, 0, 5)
	err := r.Wait()
	if !errors.Is(err, service.ErrStop) || !strings.Contains(err.Error(), "offset 3") {
		t.Fatalf("Run = %v, want an error matching ErrStop naming the record", err)
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("the handler was called %d times, want 4 (no retry of c3, nothing after it)", n)
	}
	// c0..c2 may have committed in an earlier batch; c3 never does.
	if m := svc.Metrics(); m.DeadLettered != 0 || m.Committed[kafka.TopicPartition{Topic: inTopic}] > 3 {
		t.Errorf("dead-lettered %d, committed up to %d; want none, and not past c3", m.DeadLettered, m.Committed[kafka.TopicPartition{Topic: inTopic}])
	}
}
