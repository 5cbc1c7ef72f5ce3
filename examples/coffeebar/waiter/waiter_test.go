package waiter_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/bartest"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/examples/coffeebar/state"
	"github.com/tonga-go/tonga/examples/coffeebar/waiter"
)

func start(t *testing.T) (url string, finish func(ticket string)) {
	t.Helper()
	b := bartest.Broker(t, 1)
	inst, err := waiter.New(bartest.Options(b, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	url = bartest.Run(t, inst)
	// finish does what the bartender does once the coffee is made.
	finish = func(ticket string) {
		done := records.NewCoffeeFinished()
		done.UUID, done.PartitionKey, done.CoffeeFor = ticket, &ticket, "ann"
		bartest.Send(t, b, bar.BartenderEvents, 1, done)
	}
	return url, finish
}

func TestOrderCollect(t *testing.T) {
	url, finish := start(t)
	var ticket waiter.Ticket
	if s := bartest.Do(t, "POST", url+"/waiter/order-coffee", `{"coffee_type":"latte","coffee_for":"ann","cup_type":"large","amount":3.2}`, &ticket); s != http.StatusCreated || ticket.Ticket == "" {
		t.Fatalf("order: %d %+v", s, ticket)
	}
	coffee := url + "/waiter/coffee/" + ticket.Ticket
	var got waiter.Coffee
	// Right after the order, the waiter that took it knows it: from its
	// desk, then from its store.
	if s := bartest.Do(t, "GET", coffee, "", &got); s != http.StatusOK || got.State != state.CoffeeStateOrdered || got.CoffeeFor != "ann" || got.Amount != 3.2 {
		t.Fatalf("coffee just ordered: %d %+v", s, got)
	}
	var e bartest.ErrorBody
	if s := bartest.Do(t, "POST", coffee+"/collect", "", &e); s != http.StatusConflict || !strings.Contains(e.Error, "not ready") {
		t.Errorf("collecting a coffee being made: %d %q, want 409 not ready", s, e.Error)
	}

	finish(ticket.Ticket)
	bartest.Eventually(t, "the coffee awaiting", func() bool {
		return bartest.Do(t, "GET", coffee, "", &got) == http.StatusOK && got.State == state.CoffeeStateAwaiting
	})
	if got.ReadyAt == nil || got.OrderedAt == nil || got.CupType != "large" {
		t.Errorf("awaiting coffee: %+v", got)
	}
	if s := bartest.Do(t, "POST", coffee+"/collect", "", &got); s != http.StatusOK || got.State != state.CoffeeStateServed {
		t.Fatalf("collect: %d %+v", s, got)
	}
	if s := bartest.Do(t, "POST", coffee+"/collect", "", &e); s != http.StatusConflict || !strings.Contains(e.Error, "collected already") {
		t.Errorf("second collect: %d %q, want 409 collected already", s, e.Error)
	}
	// The waiter's own handler records CoffeeServed in its store.
	bartest.Eventually(t, "the store's coffee served", func() bool {
		return bartest.Do(t, "GET", coffee, "", &got) == http.StatusOK && got.State == state.CoffeeStateServed && got.ServedAt != nil
	})
}

func TestErrors(t *testing.T) {
	url, _ := start(t)
	const unknown = "00000000-0000-4000-8000-000000000000"
	tests := []struct {
		name, method, path, body string
		status                   int
		says                     string
	}{
		{"empty body", "POST", "/waiter/order-coffee", "", 400, "empty"},
		{"bad JSON", "POST", "/waiter/order-coffee", `{"coffee_type":`, 400, "not a valid JSON object"},
		{"not an object", "POST", "/waiter/order-coffee", `["latte"]`, 400, "not a valid JSON object"},
		{"two objects", "POST", "/waiter/order-coffee", `{"coffee_type":"latte","coffee_for":"ann","cup_type":"large","amount":3} {}`, 400, "more than one"},
		{"unknown field", "POST", "/waiter/order-coffee", `{"coffee_type":"latte","coffee_for":"ann","cup_type":"large","amount":3,"sugar":2}`, 400, `unknown field "sugar"`},
		{"missing fields", "POST", "/waiter/order-coffee", `{"coffee_type":"latte"}`, 400, "coffee_for is missing; cup_type is missing; amount is missing"},
		{"blank field", "POST", "/waiter/order-coffee", `{"coffee_type":" ","coffee_for":"ann","cup_type":"large","amount":3}`, 400, "coffee_type is missing"},
		{"amount a string", "POST", "/waiter/order-coffee", `{"coffee_type":"latte","coffee_for":"ann","cup_type":"large","amount":"3"}`, 400, "field amount: want a JSON number"},
		{"amount zero", "POST", "/waiter/order-coffee", `{"coffee_type":"latte","coffee_for":"ann","cup_type":"large","amount":0}`, 400, "amount must be a positive"},
		{"amount negative", "POST", "/waiter/order-coffee", `{"coffee_type":"latte","coffee_for":"ann","cup_type":"large","amount":-1}`, 400, "amount must be a positive"},
		{"malformed ticket", "GET", "/waiter/coffee/abc", "", 400, "not a ticket"},
		{"unknown ticket", "GET", "/waiter/coffee/" + unknown, "", 404, "unknown ticket"},
		{"collect malformed ticket", "POST", "/waiter/coffee/abc/collect", "", 400, "not a ticket"},
		{"collect unknown ticket", "POST", "/waiter/coffee/" + unknown + "/collect", "", 404, "unknown ticket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e bartest.ErrorBody
			if s := bartest.Do(t, tt.method, url+tt.path, tt.body, &e); s != tt.status || !strings.Contains(e.Error, tt.says) {
				t.Errorf("%s %s: %d %q, want %d and an error saying %q", tt.method, tt.path, s, e.Error, tt.status, tt.says)
			}
		})
	}
}

// TestUnavailable checks that a waiter whose stores are not rebuilt yet
// says so, with a JSON error and a Retry-After, rather than "unknown
// ticket".
func TestUnavailable(t *testing.T) {
	inst, err := waiter.New(bartest.Options(bartest.Broker(t, 1), 0, 1)) // never run
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(inst.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/waiter/coffee/00000000-0000-4000-8000-000000000000")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var e bartest.ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != http.StatusServiceUnavailable ||
		resp.Header.Get("Retry-After") == "" || !strings.Contains(e.Error, "starting") {
		t.Errorf("a waiter not started: %s, Retry-After %q, %q (%v); want 503 saying it is starting", resp.Status, resp.Header.Get("Retry-After"), e.Error, err)
	}
}
