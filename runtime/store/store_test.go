package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/pebble"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

const input = "waiter-events"

// register keeps each ordered coffee in its local store, and deletes the
// ones whose amount is odd, so that the store sees sets and deletes.
type register struct {
	coffees *store.Typed[seed.CoffeeOrdered, *seed.CoffeeOrdered]
}

func (r *register) HandleCoffeeOrdered(ctx context.Context, ev *seed.CoffeeOrdered, _ tonga.Emitter) error {
	if err := r.coffees.Set(ctx, ev.UUID, ev); err != nil {
		return err
	}
	// The handler reads its own uncommitted write.
	got, err := r.coffees.Get(ctx, ev.UUID)
	if err != nil || got.UUID != ev.UUID {
		return fmt.Errorf("read-your-write: %v: %w", got, err)
	}
	if int(ev.Amount)%2 == 1 {
		return r.coffees.Delete(ctx, ev.UUID)
	}
	return nil
}

func startBroker(t *testing.T, partitions int) *broker.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Topic(input, partitions, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

type instance struct {
	svc    *service.Service
	local  *store.Local
	global *store.Global
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, b *broker.Broker, ordinal, replicas int, opts ...store.Option) *instance {
	t.Helper()
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New("register", service.Brokers(b.Addrs()...), service.Registry(reg),
		service.Inputs(input), service.Instance(ordinal, replicas), service.Batch(100, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{svc: svc, local: store.NewLocal(svc, opts...), global: store.NewGlobal(svc), done: make(chan error, 1)}
	if err := seed.RegisterHandlers(reg, &register{coffees: store.NewTyped[seed.CoffeeOrdered](in.local)}); err != nil {
		t.Fatal(err)
	}
	var ctx context.Context
	ctx, in.cancel = context.WithCancel(context.Background())
	go func() { in.done <- svc.Run(ctx) }()
	t.Cleanup(func() { in.stop(t) })
	return in
}

func (in *instance) stop(t *testing.T) {
	if in.cancel == nil {
		return
	}
	in.cancel()
	in.cancel = nil
	select {
	case err := <-in.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Error("Run did not stop")
	}
	_ = in.local.Close()
}

func produce(t *testing.T, b *broker.Broker, partition int32, from, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := from; i < from+n; i++ {
		ev := seed.NewCoffeeOrdered()
		ev.UUID, ev.Amount = "c"+strconv.Itoa(i), float32(i)
		v, _ := wire.AppendSingleObject(nil, ev)
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: input, Partition: partition, Value: v}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
}

// waitFor polls cond until it holds, failing after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
		time.Sleep(5 * time.Millisecond) // a condition poll, bounded by the deadline above
	}
}

func count(t *testing.T, s store.Store) (n int, keys map[string]bool) {
	t.Helper()
	keys = map[string]bool{}
	err := s.Range(context.Background(), "", "", func(k string, _ []byte) bool {
		keys[k] = true
		return true
	})
	if err != nil {
		return -1, nil
	}
	return len(keys), keys
}

func TestLocalStoreRebuild(t *testing.T) {
	for _, backend := range []string{"memory", "pebble"} {
		t.Run(backend, func(t *testing.T) {
			b := startBroker(t, 1)
			var opts []store.Option
			if backend == "pebble" {
				opts = append(opts, store.Persistent(t.TempDir(), pebble.Opener()))
			}
			const n = 1000
			first := start(t, b, 0, 1, opts...)
			produce(t, b, 0, 0, n)
			waitFor(t, "every order stored", func() bool { c, _ := count(t, first.local); return c == n/2 })
			first.stop(t)

			// Restarted (on the same directory for pebble), the store holds
			// exactly the committed changelog: even amounts only.
			second := start(t, b, 0, 1, opts...)
			waitFor(t, "the restarted service ready", second.svc.Ready)
			c, keys := count(t, second.local)
			if c != n/2 || !keys["c0"] || keys["c1"] {
				t.Errorf("rebuilt store has %d keys (c0 %v, c1 %v), want %d", c, keys["c0"], keys["c1"], n/2)
			}
			coffee, err := store.NewTyped[seed.CoffeeOrdered](second.local).Get(context.Background(), "c998")
			if err != nil || coffee.Amount != 998 {
				t.Errorf("c998: %+v, %v", coffee, err)
			}
			if _, err := second.local.Get(context.Background(), "c999"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("deleted key: %v", err)
			}
		})
	}
}

func TestGlobalStore(t *testing.T) {
	b := startBroker(t, 2)
	zero := start(t, b, 0, 2)
	one := start(t, b, 1, 2)
	produce(t, b, 0, 0, 10) // instance 0's orders
	produce(t, b, 1, 10, 10)
	waitFor(t, "instance 1 sees instance 0's keys", func() bool { c, _ := count(t, one.global); return c == 5 })
	waitFor(t, "instance 0 sees instance 1's keys", func() bool { c, _ := count(t, zero.global); return c == 5 })
	_, keys := count(t, one.global)
	if !keys["c0"] || keys["c10"] {
		t.Errorf("instance 1's global store: %v", keys)
	}
	if _, err := one.local.Get(context.Background(), "c0"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("instance 1's local store holds c0: %v", err)
	}
}
