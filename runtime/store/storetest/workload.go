package storetest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// The service-level tests run a "till": one instance consuming orders
// (CoffeeOrdered events c0, c1, ...) from a one-partition topic, keeping
// them in a typed local store, deleting some, and billing each order.
const (
	tillName       = "till"
	ordersTopic    = "orders"
	billsTopic     = "bills"
	changelogTopic = tillName + "-stores"
	// keySpace is the number of distinct store keys: orders overwrite
	// and delete keys many times over.
	keySpace = 701
)

// tillKey is the store key an order index writes.
func tillKey(n int) string { return fmt.Sprintf("k%04d", n%keySpace) }

// tillWrites calls set and del with order i's writes, in the till's
// order: set the order's key to the order, then, for every third order,
// delete another key.
func tillWrites(i int, set func(key string), del func(key string)) {
	set(tillKey(i))
	if i%3 == 0 {
		del(tillKey(i*7 + 3))
	}
}

// tillModel is the store after orders 0 to n-1, each applied once: key →
// order uuid.
func tillModel(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		uuid := "c" + strconv.Itoa(i)
		tillWrites(i, func(k string) { m[k] = uuid }, func(k string) { delete(m, k) })
	}
	return m
}

// till is the handler of the service-level tests.
type till struct {
	coffees *store.Typed[records.CoffeeOrdered, *records.CoffeeOrdered]
	// handled, when set, is called once an order's writes are staged.
	handled func(i int)
}

func (h *till) HandleCoffeeOrdered(ctx context.Context, ev *records.CoffeeOrdered, out tonga.Emitter) error {
	i, err := strconv.Atoi(strings.TrimPrefix(ev.UUID, "c"))
	if err != nil {
		return fmt.Errorf("storetest: order %q: %w", ev.UUID, err)
	}
	var werr error
	written := map[string]string{} // key → uuid, "" once deleted
	tillWrites(i,
		func(k string) { werr, written[k] = errors.Join(werr, h.coffees.Set(ctx, k, ev)), ev.UUID },
		func(k string) { werr, written[k] = errors.Join(werr, h.coffees.Delete(ctx, k)), "" })
	if werr != nil {
		return werr
	}
	// The handler reads its own uncommitted writes.
	for k, want := range written {
		got, err := h.coffees.Get(ctx, k)
		if want == "" && !errors.Is(err, store.ErrNotFound) || want != "" && (err != nil || got.UUID != want) {
			return fmt.Errorf("storetest: read-your-write of %s (want %q): %v, %w", k, want, got, err)
		}
	}
	if h.handled != nil {
		h.handled(i)
	}
	bill := records.NewBillCreatedFrom(ev)
	bill.UUID, bill.CoffeeUUID, bill.Amount = "bill-"+ev.UUID, ev.UUID, ev.Amount
	return out.Emit(ctx, billsTopic, bill)
}

// startTillBroker starts an embedded broker with the till's input and
// output topics; the till's store creates its changelog.
func startTillBroker(t testing.TB) *broker.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Topic(ordersTopic, 1, nil), broker.Topic(billsTopic, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// produceOrders writes orders from to from+n-1 to the till's input.
func produceOrders(t testing.TB, addrs []string, from, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	recs := make([]*kgo.Record, 0, n)
	for i := from; i < from+n; i++ {
		ev := records.NewCoffeeOrdered()
		ev.UUID, ev.Amount, ev.CoffeeFor = "c"+strconv.Itoa(i), float32(i), "customer "+strconv.Itoa(i)
		ev.PartitionKey = &ev.UUID
		v, err := wire.AppendSingleObject(nil, ev)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: ordersTopic, Key: []byte(ev.UUID), Value: v})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// tillConfig says how to run a till.
type tillConfig struct {
	brokers []string
	// store are the local store's options: its backend.
	store []store.Option
	// join are participants joined after the store.
	join   []service.Participant
	logger *slog.Logger
	batch  int
	// handled is the till's hook.
	handled func(i int)
	// local, when set, is given the local store before the service runs.
	local func(*store.Local)
	// client are the transport's options.
	client map[string]string
}

// newTill creates a till service with its local store.
func newTill(cfg tillConfig) (*service.Service, *store.Local, error) {
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		return nil, nil, err
	}
	if cfg.batch == 0 {
		cfg.batch = 100
	}
	opts := []service.Option{
		service.Brokers(cfg.brokers...),
		service.Registry(reg),
		service.Inputs(ordersTopic),
		service.Batch(cfg.batch, 20*time.Millisecond),
		// A failing handler stops the service: the tests fail loudly
		// rather than dead-letter an order.
		service.OnError(service.ErrorPolicy{Retries: 1, Backoff: time.Millisecond, MaxBackoff: time.Millisecond, Then: service.Stop}),
	}
	if cfg.logger != nil {
		opts = append(opts, service.Logger(cfg.logger))
	}
	if cfg.client != nil {
		opts = append(opts, service.ClientOptions(cfg.client))
	}
	svc, err := service.New(tillName, opts...)
	if err != nil {
		return nil, nil, err
	}
	local := store.NewLocal(svc, append([]store.Option{store.Topic(changelogTopic)}, cfg.store...)...)
	for _, p := range cfg.join {
		svc.Join(p)
	}
	if cfg.local != nil {
		cfg.local(local)
	}
	h := &till{coffees: store.NewTyped[records.CoffeeOrdered](local), handled: cfg.handled}
	if err := records.RegisterHandlers(reg, h); err != nil {
		return nil, nil, err
	}
	return svc, local, nil
}

// runningTill is a till running in this process.
type runningTill struct {
	svc    *service.Service
	local  *store.Local
	cancel context.CancelFunc
	done   chan error

	haltOnce, closeOnce sync.Once
	err                 error
}

// runTill starts a till; it is stopped when the test ends, if not before.
func runTill(t testing.TB, cfg tillConfig) *runningTill {
	t.Helper()
	svc, local, err := newTill(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningTill{svc: svc, local: local, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- svc.Run(ctx) }()
	t.Cleanup(func() { _ = r.stop() })
	return r
}

// halt cancels the till and waits for Run to return: every batch it
// committed is then applied to the store, which stays open.
func (r *runningTill) halt() error {
	r.haltOnce.Do(func() {
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(time.Minute):
			r.err = errors.New("storetest: Run did not return within a minute of cancel")
		}
	})
	return r.err
}

// stop halts the till and closes its store.
func (r *runningTill) stop() error {
	err := r.halt()
	r.closeOnce.Do(func() { err = errors.Join(err, r.local.Close()) })
	return err
}

// haltOK halts the till and fails t on an error.
func (r *runningTill) haltOK(t testing.TB) {
	t.Helper()
	if err := r.halt(); err != nil {
		t.Fatalf("till: %v", err)
	}
}

// stopOK stops the till and fails t on an error.
func (r *runningTill) stopOK(t testing.TB) {
	t.Helper()
	if err := r.stop(); err != nil {
		t.Fatalf("till: %v", err)
	}
}

// waitReady waits until the till processes input, or its Run fails.
func (r *runningTill) waitReady(t testing.TB) {
	t.Helper()
	waitFor(t, "the till ready", func() bool {
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("till stopped before it was ready: %v", err)
		default:
		}
		return r.svc.Ready()
	})
}

// waitFor polls cond until it holds, failing t after a minute.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
		time.Sleep(10 * time.Millisecond) // a condition poll, bounded above
	}
}
