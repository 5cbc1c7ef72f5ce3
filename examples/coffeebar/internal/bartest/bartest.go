package bartest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/partition"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// Timeout bounds every wait of a test.
const Timeout = time.Minute

// Broker starts an embedded broker with the flow's topics, partitions
// each, closed when the test ends.
func Broker(t testing.TB, partitions int) *broker.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	b, err := broker.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if err := bar.CreateTopics(ctx, b.Addrs(), partitions); err != nil {
		t.Fatal(err)
	}
	return b
}

// Options returns options for instance i of replicas on b, serving HTTP on
// a free port, with short transactions.
func Options(b *broker.Broker, i, replicas int) bar.Options {
	return bar.Options{Brokers: b.Addrs(), Instance: i, Replicas: replicas, HTTP: "127.0.0.1:0",
		Service: []service.Option{service.Batch(100, 10*time.Millisecond)}}
}

// Run runs the instance until the test ends, and returns its base URL
// once it is ready.
func Run(t testing.TB, inst *bar.Instance) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- inst.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	Eventually(t, "the instance ready", func() bool { return inst.Ready() && inst.HTTPAddr() != "" })
	return "http://" + inst.HTTPAddr()
}

// Eventually polls cond until it holds, failing the test after Timeout.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, Timeout)
		}
		time.Sleep(10 * time.Millisecond) // a condition poll, bounded by the deadline
	}
}

// Send writes r to topic as a service would: single-object encoded,
// keyed by its partition key, on the partition murmur2 picks.
func Send(t testing.TB, b *broker.Broker, topic string, partitions int, r tonga.Enveloped) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	v, err := wire.AppendSingleObject(nil, r)
	if err != nil {
		t.Fatal(err)
	}
	key := wire.Key(r)
	rec := &kgo.Record{Topic: topic, Key: key, Value: v, Partition: int32(partition.Murmur2Partition(key, partitions))}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// Do makes an HTTP request with body (sent as it is) and returns the
// status and the answer decoded as JSON into out (unless nil). Every
// answer must be JSON.
func Do(t testing.TB, method, url, body string, out any) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json (body %s)", method, url, ct, data)
	}
	if out != nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(out); err != nil {
			t.Fatalf("%s %s: %s: %v", method, url, data, err)
		}
	}
	return resp.StatusCode
}

// ErrorBody is the body of an error answer.
type ErrorBody struct {
	Error string `json:"error"`
}
