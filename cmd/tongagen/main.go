// Command tongagen generates typed Go from Avro schemas for Tonga services:
// records with direct binary codecs, handler interfaces and a registry.
// Run `tongagen --help` for its commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tonga-go/tonga/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
