package servicetest

import (
	"strconv"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// Order is an input of the pipeline: CoffeeOrdered UUID, partition key
// Key, in the flow Correlation (set by ProduceOrders).
type Order struct {
	UUID, Key, Correlation string
	Seq                    int // i: per key, orders are produced in increasing Seq
}

// NewOrders returns orders from..from+n-1: order i is c<i>, keyed
// k<i mod keys>, or c<i> when keys is 0 (one order a key).
func NewOrders(from, n, keys int) []Order {
	out := make([]Order, n)
	for j := range out {
		i := from + j
		o := Order{UUID: "c" + strconv.Itoa(i), Seq: i}
		o.Key = o.UUID
		if keys > 0 {
			o.Key = "k" + strconv.Itoa(i%keys)
		}
		out[j] = o
	}
	return out
}

// OrderRecords returns the orders as records of the Orders topic, in
// single-object framing, and sets the correlation id each got.
func OrderRecords(t testing.TB, orders []Order) []*kgo.Record {
	t.Helper()
	recs := make([]*kgo.Record, len(orders))
	for i := range orders {
		o := &orders[i]
		ev := seed.NewCoffeeOrdered()
		ev.UUID, ev.PartitionKey, ev.Amount = o.UUID, &o.Key, float32(o.Seq)
		o.Correlation = ev.CorrelationID
		v, err := wire.AppendSingleObject(nil, ev)
		if err != nil {
			t.Fatal(err)
		}
		recs[i] = &kgo.Record{Topic: Orders, Key: []byte(o.Key), Value: v}
	}
	return recs
}

// ProduceOrders writes the orders to the Orders topic, partitioned by key
// with murmur2 as the service partitions, and sets the correlation id each
// got.
func ProduceOrders(t testing.TB, b *broker.Broker, orders []Order) {
	t.Helper()
	Produce(t, b, kgo.StickyKeyPartitioner(nil), OrderRecords(t, orders)...)
}

// DecodeBill decodes an output record as a BillCreated.
func DecodeBill(t testing.TB, r *kgo.Record) *seed.BillCreated {
	t.Helper()
	var bill seed.BillCreated
	fp, body, err := wire.ParseSingleObject(r.Value)
	if err != nil || fp != bill.AvroSchema().Fingerprint {
		t.Fatalf("%s[%d]@%d is not a BillCreated: %v", r.Topic, r.Partition, r.Offset, err)
	}
	if err := bill.UnmarshalAvro(body); err != nil {
		t.Fatal(err)
	}
	return &bill
}

// CheckBills checks that every order was billed exactly once, keyed like
// the order, in the order's flow (correlation id), and that each key's
// bills come in the order its orders were produced.
func CheckBills(t testing.TB, recs []*kgo.Record, orders []Order) {
	t.Helper()
	byUUID := make(map[string]*Order, len(orders))
	for i := range orders {
		byUUID[orders[i].UUID] = &orders[i]
	}
	seen := map[string]int{}
	lastSeq := map[string]int{}
	errs := 0
	fail := func(format string, args ...any) {
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	for _, r := range recs {
		bill := DecodeBill(t, r)
		o, ok := byUUID[bill.CoffeeUUID]
		if !ok {
			fail("a bill for %q, which was never ordered", bill.CoffeeUUID)
			continue
		}
		seen[o.UUID]++
		if string(r.Key) != o.Key || bill.PartitionKey == nil || *bill.PartitionKey != o.Key {
			fail("bill of %s keyed %q, want the order's key %q", o.UUID, r.Key, o.Key)
		}
		if bill.CorrelationID != o.Correlation {
			fail("bill of %s: correlation id %q, want the order's %q", o.UUID, bill.CorrelationID, o.Correlation)
		}
		if last, ok := lastSeq[o.Key]; ok && o.Seq < last {
			fail("key %s: the bill of order %d after that of order %d", o.Key, o.Seq, last)
		}
		lastSeq[o.Key] = o.Seq
	}
	for _, o := range orders {
		if n := seen[o.UUID]; n != 1 {
			fail("order %s billed %d times", o.UUID, n)
		}
	}
	if len(recs) != len(orders) {
		t.Errorf("%d bills for %d orders", len(recs), len(orders))
	}
	if errs > 20 {
		t.Errorf("... and %d more errors", errs-20)
	}
}
