package bartender

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Name is the service's name: its consumer group and the prefix of its
// transactional id.
const Name = "bartender"

// Bartender passes billed orders to the coffee maker and finished coffees
// to the waiter.
type Bartender struct {
	log *slog.Logger
}

// HandleBillCreated asks the coffee maker for the coffee billed.
func (b *Bartender) HandleBillCreated(ctx context.Context, bill *records.BillCreated, out tonga.Emitter) error {
	slip := bar.SlipOf(bill)
	cmd := records.NewMakeCoffeeFrom(bill)
	cmd.UUID = bill.CoffeeUUID
	cmd.CoffeeType, cmd.CupType = slip.CoffeeType, slip.CupType
	cmd.ProcessingGuarantee = tonga.ExactlyOnce // a coffee is made once, even if the coffee maker crashes
	return out.Emit(ctx, bar.CoffeeMakerCommands, cmd)
}

// OnMakeCoffeeResult announces the coffee made, for the waiter.
func (b *Bartender) OnMakeCoffeeResult(ctx context.Context, made *records.MakeCoffeeResult, out tonga.Emitter) error {
	if made.Error != nil {
		b.log.Error("the coffee maker could not make a coffee", "coffee", made.UUID, "err", made.Error)
		return nil // nothing to hand over
	}
	slip := bar.SlipOf(made)
	finished := records.NewCoffeeFinishedFrom(made)
	finished.UUID = made.UUID
	finished.CoffeeFor = slip.CoffeeFor
	finished.CoffeeTime = float32(finished.Time().Sub(slip.OrderedAt).Seconds()) // since the order
	return out.Emit(ctx, bar.BartenderEvents, finished)
}

// New returns an instance of the bartender.
func New(opts bar.Options) (*bar.Instance, error) {
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := records.RegisterHandlers(reg, &Bartender{log: log}); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	svc, err := opts.NewService(Name, reg, []string{bar.CashRegisterEvents, bar.CoffeeMakerResults})
	if err != nil {
		return nil, err
	}
	return bar.NewInstance(svc), nil
}
