// Command cashregister runs the test cash-register service in its own
// process, so that a test can kill it with SIGKILL in the middle of a
// batch and restart it. It prints "handled <uuid>" for every order it
// handles, before the batch commits.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

type cashRegister struct{}

func (cashRegister) HandleCoffeeOrdered(ctx context.Context, ev *seed.CoffeeOrdered, out tonga.Emitter) error {
	bill := seed.NewBillCreated()
	bill.UUID, bill.CoffeeUUID, bill.Amount, bill.PartitionKey = "bill-"+ev.UUID, ev.UUID, ev.Amount, ev.PartitionKey
	fmt.Println("handled", ev.UUID)
	return out.Emit(ctx, "cash-register-events", bill)
}

func main() {
	brokers := flag.String("brokers", "", "bootstrap addresses, comma-separated")
	flag.Parse()
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err == nil {
		err = seed.RegisterHandlers(reg, cashRegister{})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	svc, err := service.New("cash-register",
		service.Brokers(strings.Split(*brokers, ",")...),
		service.Registry(reg),
		service.Inputs("waiter-events"),
		service.Batch(50, time.Second),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := svc.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
