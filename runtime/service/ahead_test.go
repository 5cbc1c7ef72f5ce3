package service_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// barista bills orders, as the cash register does, and executes MakeCoffee
// commands, checking that the input up to the command was committed
// before (their UUIDs are m<input offset>).
type barista struct {
	servicetest.CashRegister
	t *testing.T
	b *broker.Broker
}

func (h *barista) ExecuteMakeCoffee(ctx context.Context, cmd *seed.MakeCoffee, out tonga.Emitter) error {
	at, _ := strconv.Atoi(cmd.UUID[1:])
	if got := servicetest.CommittedOffset(h.t, h.b, servicetest.Name, inTopic, 0); got < int64(at)+1 {
		h.t.Errorf("command %s executed with the input committed up to %d, want %d", cmd.UUID, got, at+1)
	}
	res := seed.NewMakeCoffeeResultFrom(cmd)
	res.UUID = cmd.UUID
	return out.Emit(ctx, outTopic, res)
}

// TestCommitAhead runs a service without participants, which handles the
// records already fetched while the batch before them commits, on an
// input that mixes orders, commands to run at most once (which stop the
// handling ahead: they need the batch before them committed) and records
// that fail their first call. In small batches with the input all there,
// nearly every batch is handled ahead. Every order is billed and every
// command answered exactly once, in input order.
func TestCommitAhead(t *testing.T) {
	const n = 2000
	b := startBroker(t, 1)
	h := &barista{b: b, t: t}
	h.FailOnce = map[string]bool{"c7": true, "c555": true}
	var recs []*kgo.Record
	for i := range n {
		var r tonga.Record
		if i%97 == 0 {
			cmd := seed.NewMakeCoffee()
			cmd.UUID, cmd.ProcessingGuarantee = "m"+strconv.Itoa(i), tonga.AtMostOnce
			r = cmd
		} else {
			ev := seed.NewCoffeeOrdered()
			ev.UUID = "c" + strconv.Itoa(i)
			r = ev
		}
		v, err := wire.AppendSingleObject(nil, r)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: inTopic, Value: v})
	}
	servicetest.Produce(t, b, kgo.ManualPartitioner(), recs...)
	svc := newService(t, b, h, 0, 1, service.Batch(50, time.Second))
	r := servicetest.Run(t, svc)
	servicetest.ReadCommitted(t, b, outTopic, n) // one output per input
	if err := r.Stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	reg := servicetest.Registry(t, h)
	dec, err := wire.NewDecoder(reg)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	last := -1
	for _, rec := range servicetest.ReadAll(t, b, outTopic, 1, true) {
		out, _, err := dec.Decode(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		var id string
		switch o := out.(type) {
		case *seed.BillCreated:
			id = o.CoffeeUUID
		case *seed.MakeCoffeeResult:
			id = o.UUID
		default:
			t.Fatalf("unexpected output %T", out)
		}
		seen[id]++
		i, _ := strconv.Atoi(id[1:])
		if i < last {
			t.Errorf("output for input %d after that for %d", i, last)
		}
		last = i
	}
	for i := range n {
		id := "c" + strconv.Itoa(i)
		if i%97 == 0 {
			id = "m" + strconv.Itoa(i)
		}
		if seen[id] != 1 {
			t.Errorf("input %s: %d outputs, want 1", id, seen[id])
		}
	}
	if len(seen) != n {
		t.Errorf("%d inputs answered, want %d", len(seen), n)
	}
}
