// Command cashregister runs one instance of the coffee bar's cash register:
// it bills coffees and takes their payment.
//
//	go run ./examples/coffeebar/cmd/cashregister --instance 0 --replicas 2 --brokers localhost:9092 --http :8080
//
// Without --instance, the ordinal is read from the host name, as a
// Kubernetes StatefulSet names its pods (cash-register-0, cash-register-1,
// ...); see examples/coffeebar/README.md and deploy/. Run it with -h for
// every flag.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/standalone"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := standalone.Main(ctx, cashregister.Name, cashregister.New, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
