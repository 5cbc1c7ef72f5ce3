package crowd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/state"
	"github.com/tonga-go/tonga/examples/coffeebar/waiter"
)

// Config describes the crowd.
type Config struct {
	// Orders is how many customers come, one coffee each.
	Orders int
	// Customers is how many are at the bar at once.
	Customers int
	// Waiters and CashRegisters return the base URLs
	// (http://host:port) of the instances serving now.
	Waiters, CashRegisters func() []string
	// Patience bounds each step of a customer (ordering, waiting for the
	// coffee, collecting it, seeing the bill paid); 2 minutes if zero.
	Patience time.Duration
	// Transport carries the requests; nil is a transport without
	// keep-alives (see New).
	Transport http.RoundTripper
}

// Result is what the crowd saw.
type Result struct {
	// Tickets are the tickets customers got, one per order taken.
	Tickets []string
	// Paid counts the customers who saw their bill paid.
	Paid int
	// Failures says why the other customers gave up.
	Failures []string
	// Latencies as customers saw them, over HTTP: the order request; from
	// the order to the coffee shown awaiting; the collect request; from
	// collecting to the bill shown paid.
	Order, Ready, Collect, Payment []time.Duration
	// Elapsed is how long the crowd took.
	Elapsed time.Duration
}

// Crowd is a running crowd.
type Crowd struct {
	cfg    Config
	client *http.Client
	paid   atomic.Int64

	mu  sync.Mutex
	res Result
}

// pollEvery is how often a waiting customer asks again.
const pollEvery = 50 * time.Millisecond

// New returns a crowd. Without cfg.Transport, every request opens its
// own connection: a request that fails to connect was surely not
// handled, so a customer tries another instance; one that fails after
// being sent may have been, so the customer gives up rather than order
// twice.
func New(cfg Config) *Crowd {
	if cfg.Patience == 0 {
		cfg.Patience = 2 * time.Minute
	}
	cfg.Customers = max(1, cfg.Customers)
	t := cfg.Transport
	if t == nil {
		t = &http.Transport{DisableKeepAlives: true}
	}
	return &Crowd{cfg: cfg, client: &http.Client{Transport: t, Timeout: 30 * time.Second}}
}

// PaidSoFar returns how many customers have seen their bill paid.
func (c *Crowd) PaidSoFar() int { return int(c.paid.Load()) }

// Run lets the customers in and returns once each is done or gave up, or
// ctx ends.
func (c *Crowd) Run(ctx context.Context) Result {
	begun := time.Now()
	next := make(chan int)
	var wg sync.WaitGroup
	for range c.cfg.Customers {
		wg.Go(func() {
			for i := range next {
				if err := c.customer(ctx, i); err != nil {
					c.mu.Lock()
					c.res.Failures = append(c.res.Failures, fmt.Sprintf("customer %d: %v", i, err))
					c.mu.Unlock()
				}
			}
		})
	}
	for i := range c.cfg.Orders {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.res.Elapsed = time.Since(begun)
	c.res.Paid = int(c.paid.Load())
	slices.Sort(c.res.Failures)
	return c.res
}

var (
	menu = []struct {
		coffee string
		price  float32
	}{{"espresso", 1.8}, {"cappuccino", 2.9}, {"latte", 3.2}, {"americano", 2.2}, {"flat white", 3.1}, {"mocha", 3.5}}
	cups = []string{"small", "medium", "large"}
)

// customer is the visit of customer i.
func (c *Crowd) customer(ctx context.Context, i int) error {
	item := menu[i%len(menu)]
	order := waiter.Order{CoffeeType: item.coffee, CoffeeFor: fmt.Sprintf("customer %d", i), CupType: cups[i%len(cups)], Amount: &item.price}
	began := time.Now()
	var ticket waiter.Ticket
	if _, _, err := c.send(ctx, c.cfg.Waiters, i, http.MethodPost, "/waiter/order-coffee", order, http.StatusCreated, &ticket); err != nil {
		return fmt.Errorf("ordering: %w", err)
	}
	ordered := time.Now()
	c.took(&c.res.Order, ordered.Sub(began))
	c.mu.Lock()
	c.res.Tickets = append(c.res.Tickets, ticket.Ticket)
	c.mu.Unlock()

	// Ask another waiter than the one who took the order.
	path := "/waiter/coffee/" + ticket.Ticket
	var coffee waiter.Coffee
	at, err := c.await(ctx, c.cfg.Waiters, i+1, path, &coffee, func() bool { return coffee.State == state.CoffeeStateAwaiting })
	if err != nil {
		return fmt.Errorf("waiting for coffee %s: %w", ticket.Ticket, err)
	}
	c.took(&c.res.Ready, time.Since(ordered))

	collecting := time.Now()
	if err := c.collect(ctx, at, path); err != nil {
		return fmt.Errorf("collecting coffee %s: %w", ticket.Ticket, err)
	}
	collected := time.Now()
	c.took(&c.res.Collect, collected.Sub(collecting))

	var bill cashregister.Bill
	billPath := "/cash-register/bill/" + cashregister.BillNumber(ticket.Ticket)
	if _, err := c.await(ctx, c.cfg.CashRegisters, i, billPath, &bill, func() bool { return bill.Paid }); err != nil {
		return fmt.Errorf("checking the bill of coffee %s: %w", ticket.Ticket, err)
	}
	c.took(&c.res.Payment, time.Since(collected))
	c.paid.Add(1)
	return nil
}

// collect collects the coffee at the waiter that said it is ready; a 409
// (another instance's store not there yet) means asking again shortly.
func (c *Crowd) collect(ctx context.Context, at int, path string) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Patience)
	defer cancel()
	for {
		status, _, err := c.send(ctx, c.cfg.Waiters, at, http.MethodPost, path+"/collect", nil, http.StatusOK, nil)
		if err == nil || status != http.StatusConflict {
			return err
		}
		if perr := pause(ctx); perr != nil {
			return fmt.Errorf("%w (last answer: %w)", perr, err)
		}
	}
}

func (c *Crowd) took(d *[]time.Duration, t time.Duration) {
	c.mu.Lock()
	*d = append(*d, t)
	c.mu.Unlock()
}

func pause(ctx context.Context) error {
	t := time.NewTimer(pollEvery)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// await GETs path from the instances of addrs, starting with the i-th,
// until the answer decoded into v satisfies done. Not found (not yet in
// that instance's stores) and unavailable (an instance starting) mean
// asking again. It returns the instance that answered.
func (c *Crowd) await(ctx context.Context, addrs func() []string, i int, path string, v any, done func() bool) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Patience)
	defer cancel()
	var last error
	for {
		status, at, err := c.send(ctx, addrs, i, http.MethodGet, path, nil, http.StatusOK, v)
		switch {
		case err == nil && done():
			return at, nil
		case err == nil:
			last = fmt.Errorf("%+v", v)
		case status == http.StatusNotFound || status == http.StatusServiceUnavailable:
			last = err
		default:
			return at, err
		}
		if perr := pause(ctx); perr != nil {
			return at, fmt.Errorf("%w (last answer: %w)", perr, last)
		}
	}
}

// send makes a request to the instances of addrs, starting with the i-th,
// trying the next one when an instance cannot be reached (nothing was
// sent), answers 503 (it says nothing was done), or, for a GET, fails to
// answer; and decodes the answer into out if it has status want. It
// returns the status of the last answer (0 for none) and the instance
// that gave it.
func (c *Crowd) send(ctx context.Context, addrs func() []string, i int, method, path string, body any, want int, out any) (status, at int, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Patience)
	defer cancel()
	for at = i; ; at++ {
		urls := addrs()
		if len(urls) == 0 {
			if err := pause(ctx); err != nil {
				return 0, at, errors.New("no instance is serving")
			}
			continue
		}
		status, err = c.do(ctx, method, urls[at%len(urls)]+path, body, want, out)
		var op *net.OpError
		switch {
		case err == nil || ctx.Err() != nil:
			return status, at, err
		case status == http.StatusServiceUnavailable, errors.As(err, &op) && op.Op == "dial",
			method == http.MethodGet && status == 0: // a GET that got no answer can be asked again
			if perr := pause(ctx); perr != nil {
				return status, at, fmt.Errorf("%w (last answer: %w)", perr, err)
			}
		default:
			return status, at, err
		}
	}
}

func (c *Crowd) do(ctx context.Context, method, url string, body any, want int, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode != want {
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, bytes.TrimSpace(data))
	}
	if out == nil {
		return resp.StatusCode, nil
	}
	return resp.StatusCode, json.Unmarshal(data, out)
}
