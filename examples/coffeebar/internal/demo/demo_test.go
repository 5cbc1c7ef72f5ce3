package demo

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/audit"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/crowd"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/standalone"
	"github.com/tonga-go/tonga/examples/coffeebar/waiter"
	"github.com/tonga-go/tonga/runtime/service"
)

// serviceEnv makes the test binary, run as a child process, run one
// service instance as its cmd/<service> does (see proc).
const serviceEnv = "COFFEEBAR_TEST_SERVICE"

func TestMain(m *testing.M) {
	if name := os.Getenv(serviceEnv); name != "" {
		s, ok := serviceNamed(name)
		if !ok {
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := standalone.Main(ctx, s.Name, s.New, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

const orders = 300

// testBatch keeps the latency low and many transactions going.
var testBatch = service.Batch(200, 20*time.Millisecond)

// TestCoffeeBar runs the whole bar in this process, with a crowd of
// customers over HTTP, and checks, by reading every topic back with a
// read_committed consumer, that each coffee left exactly one record of
// each kind, linked by correlation id.
func TestCoffeeBar(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b, err := Open(ctx, BarConfig{Instances: 2, Service: []service.Option{testBatch}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	a, err := audit.New(ctx, b.Brokers, 2)
	if err != nil {
		t.Fatal(err)
	}
	c := crowd.New(crowd.Config{Orders: orders, Customers: 16,
		Waiters:       func() []string { return b.URLs(waiter.Name) },
		CashRegisters: func() []string { return b.URLs(cashregister.Name) },
	})
	res := c.Run(ctx)
	if err := b.StopAll(); err != nil {
		t.Errorf("stopping the bar: %v", err)
	}
	checkExactlyOnce(ctx, t, a, res, b.Failures())
}

// checkExactlyOnce reads the topics back and checks every coffee went
// through the flow exactly once.
func checkExactlyOnce(ctx context.Context, t *testing.T, a *audit.Audit, res crowd.Result, failures []error) {
	t.Helper()
	for _, f := range res.Failures {
		t.Errorf("crowd: %s", f)
	}
	for _, err := range failures {
		t.Errorf("bar: %v", err)
	}
	if len(res.Tickets) != orders || res.Paid != orders {
		t.Errorf("%d orders taken, %d paid, want %d", len(res.Tickets), res.Paid, orders)
	}
	report, err := a.Check(ctx, res.Tickets)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range report.Problems {
		t.Errorf("audit: %s", p)
	}
	if !report.OK() || report.Complete != orders || report.Records != orders*audit.NumKinds {
		t.Errorf("audit: %d of %d coffees complete, %d records (want %d), %d problems",
			report.Complete, report.Coffees, report.Records, orders*audit.NumKinds, report.NumProblems)
	}
	n := a.Counts()
	for k := range audit.NumKinds {
		if n[k] != orders {
			t.Errorf("%d %s records, want %d", n[k], audit.Kind(k), orders)
		}
	}
}
