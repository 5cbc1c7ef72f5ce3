package storetest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/internal/changelog"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// The oracle reads topics with its own franz-go consumer, apart from the
// runtime's transport: a read_committed consumer that keeps control
// records, so that its position passes transaction markers and reaches
// the partition's last stable offset.

// readCommitted returns the committed data records of partition 0 of
// topic, from its start to its last stable offset as of the call.
func readCommitted(ctx context.Context, addrs []string, topic string) ([]*kgo.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {0: kgo.NewOffset().AtStart()}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords())
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ends, err := kadm.NewClient(cl).ListCommittedOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("end of %s: %w", topic, err)
	}
	end, ok := ends.Lookup(topic, 0)
	switch {
	case !ok:
		return nil, fmt.Errorf("end of %s: partition 0 not listed", topic)
	case end.Err != nil:
		return nil, fmt.Errorf("end of %s: %w", topic, end.Err)
	}
	var out []*kgo.Record
	for pos := int64(0); pos < end.Offset; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err(); err != nil {
			return nil, fmt.Errorf("read %s at %d of %d: %w", topic, pos, end.Offset, err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			pos = r.Offset + 1
			if !r.Attrs.IsControl() {
				out = append(out, r)
			}
		})
	}
	return out, nil
}

// changelogDecoder decodes changelog values, in either framing.
func changelogDecoder() *wire.Decoder {
	reg, err := tonga.NewRegistry(changelog.Schemas()...)
	if err != nil {
		panic(err) // fixed generated schemas
	}
	dec, err := wire.NewDecoder(reg)
	if err != nil {
		panic(err)
	}
	return dec
}

// fold replays changelog records into the state they describe; only the
// records before offset upTo count (-1: all).
func fold(recs []*kgo.Record, upTo int64) (map[string][]byte, error) {
	dec := changelogDecoder()
	state := map[string][]byte{}
	for _, r := range recs {
		if upTo >= 0 && r.Offset >= upTo {
			break
		}
		v, _, err := dec.Decode(r.Value)
		if err != nil {
			return nil, fmt.Errorf("changelog offset %d: %w", r.Offset, err)
		}
		rec := v.(*changelog.Record)
		switch rec.OperationType {
		case "set":
			state[rec.Key] = rec.Value
		case "del":
			delete(state, rec.Key)
		default:
			return nil, fmt.Errorf("changelog offset %d: operation %q", r.Offset, rec.OperationType)
		}
		if string(r.Key) != rec.Key {
			return nil, fmt.Errorf("changelog offset %d: Kafka key %q for store key %q", r.Offset, r.Key, rec.Key)
		}
	}
	return state, nil
}

// committedState folds the whole committed changelog.
func committedState(ctx context.Context, addrs []string) (map[string][]byte, error) {
	recs, err := readCommitted(ctx, addrs, changelogTopic)
	if err != nil {
		return nil, err
	}
	return fold(recs, -1)
}

// mustCommittedState is committedState, failing t.
func mustCommittedState(t testing.TB, addrs []string) map[string][]byte {
	t.Helper()
	s, err := committedState(context.Background(), addrs)
	if err != nil {
		t.Fatalf("the committed changelog: %v", err)
	}
	return s
}

// storeState reads every key of s.
func storeState(s store.Store) (map[string][]byte, error) {
	state := map[string][]byte{}
	err := s.Range(context.Background(), "", "", func(k string, v []byte) bool {
		state[k] = bytes.Clone(v)
		return true
	})
	return state, err
}

// backendState reads every key of b.
func backendState(b store.Backend) (map[string][]byte, error) {
	state := map[string][]byte{}
	err := b.Range("", "", func(k string, v []byte) bool {
		state[k] = bytes.Clone(v)
		return true
	})
	return state, err
}

// diffStates describes how got differs from want, or returns "".
func diffStates(want, got map[string][]byte) string {
	var d []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[k]; !ok {
			d = append(d, "missing "+k)
		} else if !bytes.Equal(g, want[k]) {
			d = append(d, "different "+k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			d = append(d, "extra "+k)
		}
	}
	if len(d) == 0 {
		return ""
	}
	return fmt.Sprintf("%d keys, want %d; %d differences: %s", len(got), len(want), len(d), strings.Join(d[:min(len(d), 8)], ", "))
}

// wantModel checks that state holds exactly the orders of tillModel(n).
func wantModel(t testing.TB, what string, state map[string][]byte, n int) {
	t.Helper()
	want := tillModel(n)
	got := map[string]string{}
	for k, v := range state {
		var c records.CoffeeOrdered
		if err := c.UnmarshalAvro(v); err != nil {
			t.Fatalf("%s: value of %s: %v", what, k, err)
		}
		got[k] = c.UUID
	}
	if !maps.Equal(got, want) {
		var d []string
		for k, w := range want {
			if got[k] != w {
				d = append(d, fmt.Sprintf("%s=%q want %q", k, got[k], w))
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				d = append(d, "extra "+k)
			}
		}
		slices.Sort(d)
		t.Errorf("%s: %d keys, want %d (orders 0 to %d applied once each): %s", what, len(got), len(want), n-1, strings.Join(d[:min(len(d), 8)], ", "))
	}
}

// checkBills checks that the committed bills are one per order 0 to n-1.
func checkBills(t testing.TB, addrs []string, n int) {
	t.Helper()
	recs, err := readCommitted(context.Background(), addrs, billsTopic)
	if err != nil {
		t.Fatalf("bills: %v", err)
	}
	seen := map[string]int{}
	for _, r := range recs {
		var bill records.BillCreated
		_, body, err := wire.ParseSingleObject(r.Value)
		if err == nil {
			err = bill.UnmarshalAvro(body)
		}
		if err != nil {
			t.Fatalf("bill at offset %d: %v", r.Offset, err)
		}
		seen[bill.CoffeeUUID]++
	}
	bad := 0
	for i := range n {
		if c := seen["c"+strconv.Itoa(i)]; c != 1 && bad < 8 {
			t.Errorf("order c%d billed %d times", i, c)
			bad++
		}
	}
	if len(recs) != n {
		t.Errorf("%d bills for %d orders", len(recs), n)
	}
}

// committedInput returns the till's committed offset of its input.
func committedInput(ctx context.Context, addrs []string) (int64, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	offs, err := kadm.NewClient(cl).FetchOffsets(ctx, tillName)
	if err != nil {
		return 0, err
	}
	o, ok := offs.Lookup(ordersTopic, 0)
	if !ok {
		return 0, nil
	}
	return o.At, o.Err
}

// waitCommitted waits until the till committed its input up to n.
func waitCommitted(t testing.TB, addrs []string, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		o, err := committedInput(ctx, addrs)
		cancel()
		switch {
		case err == nil && o == int64(n):
			return
		case err == nil && o > int64(n):
			t.Fatalf("input committed up to %d, past the %d orders", o, n)
		case time.Now().After(deadline):
			t.Fatalf("input committed up to %d, not %d, after a minute (%v)", o, n, err)
		}
		time.Sleep(10 * time.Millisecond) // a condition poll, bounded above
	}
}
