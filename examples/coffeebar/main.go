// Command coffeebar runs the Tonga coffee bar in one process: an embedded
// Kafka broker, two instances of each of its four services (waiter, cash
// register, bartender, coffee maker), and a crowd of customers who order
// and collect coffees over HTTP. It prints progress every second and a
// summary at the end, checked by reading every topic back with a
// read_committed consumer; it exits 0 only when every order was billed,
// made, finished, served and paid exactly once.
//
//	go run ./examples/coffeebar --orders 200 --exit-when-done
//
// Flags:
//
//	--orders N          customers, one coffee each (default 300)
//	--customers N       customers at the bar at once (default 16)
//	--instances N       instances of each service, and partitions of each topic (default 2)
//	--exit-when-done    exit after the summary instead of serving until Ctrl-C
//	--brokers H:P,...   use an existing Kafka cluster instead of the embedded broker
//	--broker-listen A   the embedded broker's address, for other tools to watch the topics
//	--data-dir DIR      keep broker data and the stores (Pebble) in DIR across runs
//	--http-port P       listen on consecutive ports from P instead of free ones
//	--verbose           log the services' info lines
//
// Each service also runs alone, as in production: see cmd/ and README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/tonga-go/tonga/examples/coffeebar/internal/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses args and runs the demo, returning the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "coffeebar:", err)
		return 2
	}
	return demo.Run(ctx, cfg, stdout, stderr)
}

func parse(args []string, stderr io.Writer) (demo.Config, error) {
	var cfg demo.Config
	var brokers string
	fs := flag.NewFlagSet("coffeebar", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.Orders, "orders", 300, "customers, one coffee each")
	fs.IntVar(&cfg.Customers, "customers", 16, "customers at the bar at once")
	fs.IntVar(&cfg.Instances, "instances", 2, "instances of each service, and partitions of each topic")
	fs.BoolVar(&cfg.ExitWhenDone, "exit-when-done", false, "exit after the summary instead of serving until Ctrl-C")
	fs.StringVar(&brokers, "brokers", "", "comma-separated `host:port`s of an existing Kafka cluster (default: the embedded broker)")
	fs.StringVar(&cfg.BrokerListen, "broker-listen", "", "`address` of the embedded broker (default: a free port on 127.0.0.1)")
	fs.StringVar(&cfg.DataDir, "data-dir", "", "`directory` keeping broker data and Pebble stores across runs (default: memory)")
	fs.IntVar(&cfg.HTTPPort, "http-port", 0, "first of the consecutive `port`s the instances listen on (default: free ports)")
	fs.BoolVar(&cfg.Verbose, "verbose", false, "log the services' info lines")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if brokers != "" {
		cfg.Brokers = strings.Split(brokers, ",")
	}
	switch {
	case cfg.Orders < 1, cfg.Customers < 1, cfg.Instances < 1:
		return cfg, errors.New("--orders, --customers and --instances must be at least 1")
	case cfg.BrokerListen != "" && len(cfg.Brokers) > 0:
		return cfg, errors.New("--broker-listen sets the embedded broker's address; with --brokers there is none")
	}
	return cfg, nil
}
