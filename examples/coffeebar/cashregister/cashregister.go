package cashregister

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
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
// transactional id and of its store's changelog, cash-register-stores.
const Name = "cash-register"

// CashRegister bills coffees and takes their payment.
type CashRegister struct {
	bills *bar.Store[state.Bill, *state.Bill]
}

// HandleCoffeeOrdered bills the coffee ordered.
func (c *CashRegister) HandleCoffeeOrdered(ctx context.Context, order *records.CoffeeOrdered, out tonga.Emitter) error {
	number := BillNumber(order.UUID)
	switch _, err := c.bills.Get(ctx, number); {
	case err == nil:
		return nil // billed already: a coffee is billed once
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	bill := records.NewBillCreatedFrom(order)
	bill.UUID, bill.CoffeeUUID, bill.Amount = number, order.UUID, order.Amount
	if err := c.bills.Set(ctx, number, &state.Bill{UUID: number, CoffeeUUID: order.UUID, Amount: order.Amount, BilledAt: bill.Time()}); err != nil {
		return err
	}
	return out.Emit(ctx, bar.CashRegisterEvents, bill)
}

// HandleCoffeeServed takes the payment of the coffee served.
func (c *CashRegister) HandleCoffeeServed(ctx context.Context, served *records.CoffeeServed, out tonga.Emitter) error {
	bill, err := c.bills.Get(ctx, BillNumber(served.UUID))
	if err != nil {
		return fmt.Errorf("the bill of coffee %s: %w", served.UUID, err)
	}
	if bill.PaidAt != nil {
		return nil // paid already: a coffee handed over twice is paid once
	}
	paid := records.NewBillPaidFrom(served)
	paid.UUID, paid.CoffeeUUID, paid.Amount = bill.UUID, bill.CoffeeUUID, bill.Amount
	at := paid.Time()
	bill.PaidAt = &at
	if err := c.bills.Set(ctx, bill.UUID, bill); err != nil {
		return err
	}
	return out.Emit(ctx, bar.CashRegisterEvents, paid)
}

// billNamespace is the namespace of bill numbers, name-based UUIDs of the
// coffee's ticket (a random UUID, chosen once).
var billNamespace = [16]byte{0x6b, 0x2f, 0x4e, 0x0a, 0x93, 0x1c, 0x4d, 0x57, 0xa1, 0x88, 0x3e, 0x5b, 0xc2, 0x0d, 0x71, 0xf4}

// BillNumber returns the number of the bill of the coffee whose ticket
// is coffee: the version-5 (SHA-1, name-based) UUID of the ticket.
func BillNumber(coffee string) string {
	h := sha1.New()
	h.Write(billNamespace[:])
	h.Write([]byte(coffee))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	hex.Encode(out[9:13], u[4:6])
	hex.Encode(out[14:18], u[6:8])
	hex.Encode(out[19:23], u[8:10])
	hex.Encode(out[24:], u[10:])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// New returns an instance of the cash register. Its HTTP server, when
// opts.HTTP is set, serves GET /cash-register/bill/{uuid}.
func New(opts bar.Options) (*bar.Instance, error) {
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	c := &CashRegister{}
	svc, err := opts.NewService(Name, reg, []string{bar.WaiterEvents},
		service.Route("GET /cash-register/bill/{uuid}", http.HandlerFunc(c.getBill)))
	if err != nil {
		return nil, err
	}
	c.bills = bar.NewStore[state.Bill](opts, svc, Name)
	if err := records.RegisterHandlers(reg, c); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return bar.NewInstance(svc, c.bills), nil
}
