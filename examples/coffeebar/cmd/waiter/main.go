// Command waiter runs one instance of the coffee bar's waiter: it takes
// orders and hands coffees over, over HTTP.
//
//	go run ./examples/coffeebar/cmd/waiter --instance 0 --replicas 2 --brokers localhost:9092 --http :8080
//
// Without --instance, the ordinal is read from the host name, as a
// Kubernetes StatefulSet names its pods (waiter-0, waiter-1, ...); see
// examples/coffeebar/README.md and deploy/. Run it with -h for every flag.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tonga-go/tonga/examples/coffeebar/internal/standalone"
	"github.com/tonga-go/tonga/examples/coffeebar/waiter"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := standalone.Main(ctx, waiter.Name, waiter.New, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
