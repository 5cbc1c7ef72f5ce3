package waiter

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/api"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/examples/coffeebar/state"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Order is the body of POST /waiter/order-coffee.
type Order struct {
	CoffeeType string   `json:"coffee_type"`
	CoffeeFor  string   `json:"coffee_for"`
	CupType    string   `json:"cup_type"`
	Amount     *float32 `json:"amount"`
}

// problems lists what is wrong with o, in field order.
func (o Order) problems() []string {
	var p []string
	for _, f := range []struct{ name, value string }{{"coffee_type", o.CoffeeType}, {"coffee_for", o.CoffeeFor}, {"cup_type", o.CupType}} {
		if strings.TrimSpace(f.value) == "" {
			p = append(p, f.name+" is missing")
		}
	}
	switch {
	case o.Amount == nil:
		p = append(p, "amount is missing")
	case !(*o.Amount > 0):
		p = append(p, "amount must be a positive number of euros")
	}
	return p
}

// Ticket is the answer to an order.
type Ticket struct {
	Ticket string `json:"ticket"`
}

// Coffee is a coffee as GET /waiter/coffee/{ticket} answers it. State is
// "ordered", "awaiting" or "served".
type Coffee struct {
	Ticket     string            `json:"ticket"`
	State      state.CoffeeState `json:"state"`
	CoffeeType string            `json:"coffee_type,omitempty"`
	CupType    string            `json:"cup_type,omitempty"`
	CoffeeFor  string            `json:"coffee_for,omitempty"`
	Amount     float32           `json:"amount,omitempty"`
	OrderedAt  *time.Time        `json:"ordered_at,omitempty"`
	ReadyAt    *time.Time        `json:"ready_at,omitempty"`
	ServedAt   *time.Time        `json:"served_at,omitempty"`
}

func coffeeOf(c *state.Coffee) Coffee {
	return Coffee{Ticket: c.Ticket, State: c.State, CoffeeType: c.CoffeeType, CupType: c.CupType, CoffeeFor: c.CoffeeFor,
		Amount: c.Amount, OrderedAt: c.OrderedAt, ReadyAt: c.ReadyAt, ServedAt: c.ServedAt}
}

// orderCoffee serves POST /waiter/order-coffee: it sends CoffeeOrdered,
// which starts the coffee's flow, and answers with the ticket once the
// broker has the order.
func (w *Waiter) orderCoffee(rw http.ResponseWriter, r *http.Request) {
	var req Order
	if err := api.Decode(rw, r, &req); err != nil {
		api.Error(rw, http.StatusBadRequest, "%v", err)
		return
	}
	if problems := req.problems(); len(problems) > 0 {
		api.Error(rw, http.StatusBadRequest, "%s", strings.Join(problems, "; "))
		return
	}
	order := records.NewCoffeeOrdered()
	order.UUID = tonga.NewUUID()     // the ticket
	order.PartitionKey = &order.UUID // keys every record of the coffee (see package bar)
	order.CoffeeType, order.CupType, order.CoffeeFor, order.Amount = req.CoffeeType, req.CupType, req.CoffeeFor, *req.Amount
	order.Context = bar.Slip{CoffeeType: req.CoffeeType, CupType: req.CupType, CoffeeFor: req.CoffeeFor, OrderedAt: order.Time()}.Context()
	if err := w.svc.Send(r.Context(), bar.WaiterEvents, order); err != nil {
		api.Unavailable(rw, time.Second, "the order was not taken: %v", err)
		return
	}
	at := order.Time().Truncate(time.Millisecond) // as the store keeps it
	w.desk.note(&state.Coffee{Ticket: order.UUID, CorrelationID: order.CorrelationID, CoffeeType: order.CoffeeType,
		CupType: order.CupType, CoffeeFor: order.CoffeeFor, Amount: order.Amount, OrderedAt: &at})
	rw.Header().Set("Location", "/waiter/coffee/"+order.UUID)
	api.JSON(rw, http.StatusCreated, Ticket{Ticket: order.UUID})
}

// getCoffee serves GET /waiter/coffee/{ticket}.
func (w *Waiter) getCoffee(rw http.ResponseWriter, r *http.Request) {
	if coffee, ok := w.lookup(rw, r); ok {
		api.JSON(rw, http.StatusOK, coffeeOf(coffee))
	}
}

// collectCoffee serves POST /waiter/coffee/{ticket}/collect: a coffee
// awaiting its customer is handed over (CoffeeServed, which the cash
// register turns into BillPaid); any other gets 409.
func (w *Waiter) collectCoffee(rw http.ResponseWriter, r *http.Request) {
	ticket := r.PathValue("ticket")
	if !w.desk.claim(ticket) {
		api.Error(rw, http.StatusConflict, "coffee %s is being collected right now", ticket)
		return
	}
	defer w.desk.release(ticket)
	coffee, ok := w.lookup(rw, r)
	if !ok {
		return
	}
	switch {
	case coffee.State == state.CoffeeStateServed:
		api.Error(rw, http.StatusConflict, "coffee %s was collected already", ticket)
		return
	case coffee.State != state.CoffeeStateAwaiting:
		api.Error(rw, http.StatusConflict, "coffee %s is not ready yet: it is %s", ticket, coffee.State)
		return
	case coffee.CorrelationID == "":
		// Finished, but the waiter has not read the order yet (after a
		// restart): CoffeeServed would not know the flow to join.
		api.Error(rw, http.StatusConflict, "coffee %s is not ready yet: its order is still being written down", ticket)
		return
	}
	served := records.NewCoffeeServed()
	served.CorrelationID = coffee.CorrelationID // joins the coffee's flow
	served.UUID, served.PartitionKey = ticket, &ticket
	served.ServedTo, served.IsPayed, served.Amount = coffee.CoffeeFor, true, coffee.Amount
	if err := w.svc.Send(r.Context(), bar.WaiterEvents, served); err != nil {
		api.Unavailable(rw, time.Second, "coffee %s was not handed over: %v", ticket, err)
		return
	}
	at := served.Time().Truncate(time.Millisecond)
	coffee.State, coffee.ServedAt = state.CoffeeStateServed, &at
	w.desk.note(coffee)
	api.JSON(rw, http.StatusOK, coffeeOf(coffee))
}

// lookup finds the coffee of the request's ticket: in the stores, brought
// up to date with what this instance sent. It answers the request itself
// when it finds none.
func (w *Waiter) lookup(rw http.ResponseWriter, r *http.Request) (*state.Coffee, bool) {
	ticket := r.PathValue("ticket")
	if !api.IsUUID(ticket) {
		api.Error(rw, http.StatusBadRequest, "%q is not a ticket (a UUID)", ticket)
		return nil, false
	}
	if !w.coffees.Ready() {
		api.Unavailable(rw, time.Second, "the waiter is starting: its stores are being rebuilt")
		return nil, false
	}
	stored, err := w.coffees.Find(r.Context(), ticket)
	switch {
	case errors.Is(err, store.ErrNotFound):
		stored = nil
	case err != nil:
		api.Error(rw, http.StatusInternalServerError, "coffee %s: %v", ticket, err)
		return nil, false
	}
	coffee := w.desk.latest(ticket, stored)
	if coffee == nil {
		rw.Header().Set("Retry-After", "1")
		api.Error(rw, http.StatusNotFound, "unknown ticket %s (an order another waiter took a moment ago shows here shortly)", ticket)
		return nil, false
	}
	return coffee, true
}
