package waiter

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/examples/coffeebar/state"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Name is the service's name: its consumer group, the prefix of its
// transactional id and of its store's changelog, waiter-stores.
const Name = "waiter"

// Waiter takes orders, follows every coffee, and hands coffees over.
type Waiter struct {
	svc     *service.Service
	coffees *bar.Store[state.Coffee, *state.Coffee]
	desk    desk
}

// HandleCoffeeOrdered writes the coffee ordered down.
func (w *Waiter) HandleCoffeeOrdered(ctx context.Context, order *records.CoffeeOrdered, _ tonga.Emitter) error {
	return w.update(ctx, order.UUID, func(c *state.Coffee) { // a new coffee is ordered, the first state
		c.CorrelationID = order.CorrelationID
		c.CoffeeType, c.CupType, c.CoffeeFor, c.Amount = order.CoffeeType, order.CupType, order.CoffeeFor, order.Amount
		at := order.Time()
		c.OrderedAt = &at
	})
}

// HandleCoffeeFinished marks the coffee ready, awaiting its customer.
func (w *Waiter) HandleCoffeeFinished(ctx context.Context, finished *records.CoffeeFinished, _ tonga.Emitter) error {
	return w.update(ctx, finished.UUID, func(c *state.Coffee) {
		if c.CoffeeFor == "" {
			c.CoffeeFor = finished.CoffeeFor
		}
		at := finished.Time()
		c.ReadyAt = &at
		c.State = max(c.State, state.CoffeeStateAwaiting)
	})
}

// HandleCoffeeServed marks the coffee served.
func (w *Waiter) HandleCoffeeServed(ctx context.Context, served *records.CoffeeServed, _ tonga.Emitter) error {
	return w.update(ctx, served.UUID, func(c *state.Coffee) {
		at := served.Time()
		c.ServedAt = &at
		c.State = state.CoffeeStateServed
	})
}

// update applies change to the coffee under ticket, a new one if the
// store has none. A coffee only moves forward (ordered, awaiting,
// served), and each change fills in what its event knows, so the events
// of a coffee may come in any order: after a restart, the bartender's
// CoffeeFinished can be read before the order it finishes.
func (w *Waiter) update(ctx context.Context, ticket string, change func(*state.Coffee)) error {
	coffee, err := w.coffees.Get(ctx, ticket)
	if errors.Is(err, store.ErrNotFound) {
		coffee, err = &state.Coffee{Ticket: ticket}, nil
	}
	if err != nil {
		return err
	}
	change(coffee)
	return w.coffees.Set(ctx, ticket, coffee)
}

// New returns an instance of the waiter. Its HTTP server, when opts.HTTP
// is set, serves the routes of the package doc.
func New(opts bar.Options) (*bar.Instance, error) {
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	w := &Waiter{desk: newDesk()}
	svc, err := opts.NewService(Name, reg, []string{bar.WaiterEvents, bar.BartenderEvents},
		service.Route("POST /waiter/order-coffee", http.HandlerFunc(w.orderCoffee)),
		service.Route("GET /waiter/coffee/{ticket}", http.HandlerFunc(w.getCoffee)),
		service.Route("POST /waiter/coffee/{ticket}/collect", http.HandlerFunc(w.collectCoffee)),
	)
	if err != nil {
		return nil, err
	}
	w.svc = svc
	w.coffees = bar.NewStore[state.Coffee](opts, svc, Name)
	if err := records.RegisterHandlers(reg, w); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return bar.NewInstance(svc, w.coffees), nil
}
