package service_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// TestSendFromRoute takes orders over HTTP, as the waiter does: a route
// sends a CoffeeOrdered with Send, the service handles it like any input
// and its bill carries the order's correlation id.
func TestSendFromRoute(t *testing.T) {
	b := startBroker(t, 2)
	var svc *service.Service
	order := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev := seed.NewCoffeeOrdered()
		ev.UUID = r.PathValue("uuid")
		ev.PartitionKey = &ev.UUID
		ev.Amount = 2.5
		if err := svc.Send(r.Context(), inTopic, ev); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprint(w, ev.CorrelationID)
	})
	svc = newService(t, b, &servicetest.CashRegister{}, 0, 1, service.Assignment(kafka.All), service.HTTP("127.0.0.1:0"),
		service.Route("POST /order/{uuid}", order))
	r := servicetest.Run(t, svc)
	addr := waitFor(t, "the HTTP server", svc.HTTPAddr)
	correlation := map[string]string{}
	for i := range 10 {
		uuid := fmt.Sprintf("c%d", i)
		resp, err := http.Post("http://"+addr+"/order/"+uuid, "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("POST /order/%s: %d %s %v", uuid, resp.StatusCode, body, err)
		}
		correlation["bill-"+uuid] = string(body)
	}
	for _, rec := range servicetest.ReadCommitted(t, b, outTopic, 10) {
		var bill seed.BillCreated
		_, body, err := wire.ParseSingleObject(rec.Value)
		if err == nil {
			err = bill.UnmarshalAvro(body)
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := correlation[bill.UUID]; want == "" || bill.CorrelationID != want {
			t.Errorf("%s: correlation id %q, want the order's %q", bill.UUID, bill.CorrelationID, want)
		}
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := svc.Send(ctx, inTopic, seed.NewCoffeeOrdered()); !errors.Is(err, service.ErrNotRunning) {
		t.Errorf("Send after Run returned: %v, want ErrNotRunning", err)
	}
	if svc.HTTPAddr() != "" {
		t.Errorf("HTTPAddr after Run returned: %q", svc.HTTPAddr())
	}
}

// TestSendFromHandler is refused: a handler emits through its Emitter.
func TestSendFromHandler(t *testing.T) {
	b := startBroker(t, 1)
	var svc *service.Service
	errs := make(chan error, 1)
	h := seed.CoffeeOrderedHandlerFunc(func(ctx context.Context, _ *seed.CoffeeOrdered, _ tonga.Emitter) error {
		select {
		case errs <- svc.Send(ctx, outTopic, seed.NewBillCreated()):
		default:
		}
		return nil
	})
	svc = newService(t, b, h, 0, 1)
	servicetest.Run(t, svc)
	produceOrders(t, b, 0, 1)
	select {
	case err := <-errs:
		if err == nil || !strings.Contains(err.Error(), "Emitter") {
			t.Errorf("Send from a handler: %v, want an error pointing to the Emitter", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the handler was not called within 60s")
	}
}

func TestRouteClash(t *testing.T) {
	b := startBroker(t, 1)
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	_, err = service.New("svc", service.Brokers(b.Addrs()...), service.Registry(reg), service.Inputs(inTopic),
		service.Route("GET /metrics", http.NotFoundHandler()))
	if err == nil || !strings.Contains(err.Error(), `route "GET /metrics"`) {
		t.Errorf("a route clashing with /metrics: %v", err)
	}
}

// waitFor polls f until it returns a non-zero value, for up to 60s.
func waitFor[T comparable](t *testing.T, what string, f func() T) T {
	t.Helper()
	var zero T
	deadline := time.Now().Add(60 * time.Second)
	for {
		if v := f(); v != zero {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not there after 60s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, bounded above
	}
}
