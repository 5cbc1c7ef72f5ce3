package rdkafka_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/kafka"
	svc "github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// TestServiceDeadLetters sends an order the handler always fails on, a
// poison pill and a record of an unknown type, then good orders: the three
// reach the dead-letter topic, as they were and with headers naming where
// they came from and why, while the orders after them are billed.
func TestServiceDeadLetters(t *testing.T) {
	b := startLoopBroker(t, 1)
	h := &servicetest.CashRegister{}
	h.Failures.Store(3) // the first order fails its call and both retries
	s := newLoopService(t, b, h, 0, 1)
	r := servicetest.Run(t, s)
	failing := servicetest.NewOrders(0, 1, 0)
	servicetest.ProduceOrders(t, b, failing)
	poison := []byte("poison")
	unknown := append([]byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, 0) // single-object framing, no such schema
	servicetest.ProduceRaw(t, b, servicetest.Orders, poison, unknown)
	good := servicetest.NewOrders(1, 5, 0)
	servicetest.ProduceOrders(t, b, good)

	dead := servicetest.ReadCommitted(t, b, servicetest.Orders+".dlq", 3)
	wantErr := []string{"cash register jammed", "bad framing", "unknown schema"}
	wantValue := [][]byte{nil, poison, unknown}
	for i, rec := range dead {
		h := servicetest.Headers(rec)
		if h[svc.HeaderSourceTopic] != servicetest.Orders || h[svc.HeaderSourcePartition] != "0" || h[svc.HeaderSourceOffset] != strconv.Itoa(i) {
			t.Errorf("dead letter %d: headers %v, want it from %s[0]@%d", i, h, servicetest.Orders, i)
		}
		if !strings.Contains(h[svc.HeaderError], wantErr[i]) {
			t.Errorf("dead letter %d: error %q, want it to mention %q", i, h[svc.HeaderError], wantErr[i])
		}
		if _, err := time.Parse(time.RFC3339Nano, h[svc.HeaderTime]); err != nil {
			t.Errorf("dead letter %d: time %q: %v", i, h[svc.HeaderTime], err)
		}
		if h[svc.HeaderService] != servicetest.Name || h[svc.HeaderInstance] != "0" {
			t.Errorf("dead letter %d: service %q instance %q, want %s 0", i, h[svc.HeaderService], h[svc.HeaderInstance], servicetest.Name)
		}
		if wantValue[i] != nil && string(rec.Value) != string(wantValue[i]) {
			t.Errorf("dead letter %d: value %q, want the input's %q", i, rec.Value, wantValue[i])
		}
	}
	if len(dead) == 3 && string(dead[0].Key) != failing[0].Key {
		t.Errorf("dead-lettered order keyed %q, want its key %q", dead[0].Key, failing[0].Key)
	}
	servicetest.ReadCommitted(t, b, servicetest.Bills, len(good))
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, 1, true), good)
	if got := len(servicetest.ReadAll(t, b, servicetest.Orders+".dlq", 1, true)); got != 3 {
		t.Errorf("%d dead letters, want 3", got)
	}
	if m := s.Metrics(); m.DeadLettered != 3 || m.HandlerErrors != 3 {
		t.Errorf("%d dead-lettered, %d handler errors; want 3 and 3", m.DeadLettered, m.HandlerErrors)
	}
}

// TestServiceOnlyOwnPartitionMismatch: under only_own, an input topic with
// 3 partitions for 2 replicas fails the start with an error naming the
// topic and both numbers, as on franz-go.
func TestServiceOnlyOwnPartitionMismatch(t *testing.T) {
	b := startLoopBroker(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), servicetest.WaitLimit)
	defer cancel()
	err := newLoopService(t, b, &servicetest.CashRegister{}, 0, 2).Run(ctx)
	t.Logf("Run: %v", err)
	if !servicetest.Contains(err, servicetest.Orders, "3 partitions", "2 replicas") {
		t.Errorf("Run = %v, want an error naming %s, its 3 partitions and the 2 replicas", err, servicetest.Orders)
	}
}

// TestServiceAllAssignment: under all, instance 1 of 2 consumes every
// partition of a 3-partition topic (all checks no partition count) and
// bills every order once.
func TestServiceAllAssignment(t *testing.T) {
	const partitions = 3
	b := startLoopBroker(t, partitions)
	s := newLoopService(t, b, &servicetest.CashRegister{}, 1, 2, svc.Assignment(kafka.All))
	r := servicetest.Run(t, s)
	orders := servicetest.NewOrders(0, 60, 0)
	servicetest.ProduceOrders(t, b, orders)
	servicetest.ReadCommitted(t, b, servicetest.Bills, len(orders))
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	bills := servicetest.ReadAll(t, b, servicetest.Bills, partitions, true)
	servicetest.CheckBills(t, bills, orders)
	perPartition := map[int32]int64{}
	for _, bill := range bills {
		perPartition[bill.Partition]++ // the same murmur2 partition as its order, same count
	}
	committed := s.Metrics().Committed
	for p := range int32(partitions) {
		tp := kafka.TopicPartition{Topic: servicetest.Orders, Partition: p}
		if perPartition[p] == 0 || committed[tp] != perPartition[p] {
			t.Errorf("partition %d: %d orders, committed up to %d", p, perPartition[p], committed[tp])
		}
	}
}

// TestServiceAtLeastOnce: outputs are acknowledged before the input
// offsets are committed, outside transactions.
func TestServiceAtLeastOnce(t *testing.T) {
	b := startLoopBroker(t, 1)
	s := newLoopService(t, b, &servicetest.CashRegister{}, 0, 1, svc.WithGuarantee(svc.AtLeastOnce))
	r := servicetest.Run(t, s)
	orders := servicetest.NewOrders(0, 200, 0)
	servicetest.ProduceOrders(t, b, orders)
	tp := kafka.TopicPartition{Topic: servicetest.Orders}
	servicetest.WaitUntil(t, "200 orders committed", func() bool { return s.Metrics().Committed[tp] == int64(len(orders)) })
	if got := servicetest.CommittedOffset(t, b, servicetest.Name, servicetest.Orders, 0); got != int64(len(orders)) {
		t.Errorf("the group's committed offset: %d, want %d", got, len(orders))
	}
	// Every output of a committed input is there already.
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, 1, true), orders)
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, 1, true), orders)
	if m := s.Metrics(); m.TransactionsAborted != 0 || m.TransactionsCommitted < 2 {
		t.Errorf("%d batches committed, %d aborted", m.TransactionsCommitted, m.TransactionsAborted)
	}
}

// coffeeMaker executes MakeCoffee commands; it tells the test it started
// and waits for it before it returns.
type coffeeMaker struct {
	executed chan string
	proceed  chan struct{}
}

func (c *coffeeMaker) ExecuteMakeCoffee(ctx context.Context, cmd *seed.MakeCoffee, out tonga.Emitter) error {
	c.executed <- cmd.UUID
	select {
	case <-c.proceed:
	case <-ctx.Done():
		return ctx.Err()
	}
	res := seed.NewMakeCoffeeResultFrom(cmd)
	res.UUID = cmd.UUID
	return out.Emit(ctx, servicetest.Bills, res)
}

// TestServiceAtMostOnceCommand: a command whose processing_guarantee is
// at_most_once has its input committed before it executes, under either
// guarantee of the service; its result follows.
func TestServiceAtMostOnceCommand(t *testing.T) {
	for _, g := range []svc.Guarantee{svc.ExactlyOnce, svc.AtLeastOnce} {
		t.Run(map[svc.Guarantee]string{svc.ExactlyOnce: "ExactlyOnce", svc.AtLeastOnce: "AtLeastOnce"}[g], func(t *testing.T) {
			b := startLoopBroker(t, 1)
			h := &coffeeMaker{executed: make(chan string, 1), proceed: make(chan struct{})}
			s := newLoopService(t, b, h, 0, 1, svc.WithGuarantee(g))
			r := servicetest.Run(t, s)
			cmd := seed.NewMakeCoffee()
			cmd.UUID, cmd.ProcessingGuarantee = "m1", "at_most_once"
			v, err := wire.AppendSingleObject(nil, cmd)
			if err != nil {
				t.Fatal(err)
			}
			servicetest.ProduceRaw(t, b, servicetest.Orders, v)
			select {
			case <-h.executed:
			case <-time.After(servicetest.WaitLimit):
				t.Fatalf("command not executed within %v", servicetest.WaitLimit)
			}
			// The handler is still running, and waits: its input is
			// committed all the same.
			servicetest.WaitUntil(t, "the command's input committed while it executes", func() bool {
				return servicetest.CommittedOffset(t, b, servicetest.Name, servicetest.Orders, 0) == 1
			})
			close(h.proceed)
			res := servicetest.ReadCommitted(t, b, servicetest.Bills, 1)
			var result seed.MakeCoffeeResult
			_, body, err := wire.ParseSingleObject(res[0].Value)
			if err == nil {
				err = result.UnmarshalAvro(body)
			}
			if err != nil || result.UUID != "m1" || result.CorrelationID != cmd.CorrelationID {
				t.Errorf("result %+v (%v), want m1's in its flow %s", result, err, cmd.CorrelationID)
			}
			if err := r.Stop(); err != nil {
				t.Fatal(err)
			}
			if m := s.Metrics(); m.TransactionsCommitted < 2 {
				t.Errorf("the command's input and its result committed in %d batches, want 2", m.TransactionsCommitted)
			}
		})
	}
}
