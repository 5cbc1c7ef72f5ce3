package storetest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/store"
)

// gatedBackend holds the first write with data until released.
type gatedBackend struct {
	once     sync.Once
	entered  chan struct{}
	released chan struct{}
}

func (g *gatedBackend) wrap(b store.Backend) store.Backend {
	return &hookBackend{Backend: b, before: func(batch *store.Batch) {
		if batch.Len() == 0 {
			return
		}
		g.once.Do(func() {
			close(g.entered)
			<-g.released
		})
	}}
}

func testReadiness(t *testing.T, open OpenDir) {
	b := startTillBroker(t)
	addrs := b.Addrs()
	const n = 300
	first := runTill(t, tillConfig{brokers: addrs, store: []store.Option{backendOption(open, t.TempDir(), nil)}})
	first.waitReady(t)
	produceOrders(t, addrs, 0, n)
	waitCommitted(t, addrs, n)
	first.stopOK(t)

	// Restarted on a new directory, the store rebuilds from the beginning
	// of the changelog, through a backend that holds the first write.
	gate := &gatedBackend{entered: make(chan struct{}), released: make(chan struct{})}
	r := runTill(t, tillConfig{brokers: addrs, store: []store.Option{backendOption(open, t.TempDir(), gate.wrap)}})
	srv := httptest.NewServer(r.svc.Handler())
	defer srv.Close()
	readyz := func() int {
		resp, err := srv.Client().Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	select {
	case <-gate.entered:
	case <-time.After(time.Minute):
		close(gate.released)
		t.Fatal("the rebuild wrote nothing within a minute")
	}
	if code := readyz(); code != http.StatusServiceUnavailable || r.local.Ready() || r.svc.Ready() {
		t.Errorf("while rebuilding: /readyz %d, store ready %v, service ready %v; want 503, false, false", code, r.local.Ready(), r.svc.Ready())
	}
	close(gate.released)
	waitFor(t, "/readyz 200 after the rebuild", func() bool { return readyz() == http.StatusOK })
	got, err := storeState(r.local)
	if err != nil || !r.local.Ready() {
		t.Fatalf("after the rebuild: ready %v, %v", r.local.Ready(), err)
	}
	if d := diffStates(mustCommittedState(t, addrs), got); d != "" {
		t.Errorf("the rebuilt store is not the committed changelog: %s", d)
	}
	wantModel(t, "the rebuilt store", got, n)
	r.stopOK(t)
}
