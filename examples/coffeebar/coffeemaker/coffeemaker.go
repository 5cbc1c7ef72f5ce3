package coffeemaker

import (
	"context"
	"fmt"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Name is the service's name: its consumer group and the prefix of its
// transactional id.
const Name = "coffee-maker"

// CoffeeMaker makes coffee.
type CoffeeMaker struct{}

// ExecuteMakeCoffee makes the coffee cmd asks for.
func (CoffeeMaker) ExecuteMakeCoffee(ctx context.Context, cmd *records.MakeCoffee, out tonga.Emitter) error {
	started := records.NewCoffeeStartedFrom(cmd) // the command's flow: correlation id, context, partition key
	started.UUID = cmd.UUID
	if err := out.Emit(ctx, bar.CoffeeMakerEvents, started); err != nil {
		return err
	}
	made := records.NewMakeCoffeeResultFrom(cmd) // no Error: made as asked
	made.UUID = cmd.UUID
	return out.Emit(ctx, bar.CoffeeMakerResults, made)
}

// New returns an instance of the coffee maker.
func New(opts bar.Options) (*bar.Instance, error) {
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	if err := records.RegisterMakeCoffeeExecutor(reg, CoffeeMaker{}); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	svc, err := opts.NewService(Name, reg, []string{bar.CoffeeMakerCommands})
	if err != nil {
		return nil, err
	}
	return bar.NewInstance(svc), nil
}
