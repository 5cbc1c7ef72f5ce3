package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/audit"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/crowd"
	"github.com/tonga-go/tonga/examples/coffeebar/waiter"
	"github.com/tonga-go/tonga/runtime/service"
)

// Config is what the demo's flags set.
type Config struct {
	Orders, Instances, Customers int
	// ExitWhenDone ends the demo after the summary; otherwise the bar
	// keeps serving until ctx ends.
	ExitWhenDone bool
	Brokers      []string
	BrokerListen string
	DataDir      string
	HTTPPort     int
	// Verbose logs the services' info lines, not only warnings.
	Verbose bool
	// Service are further options for every service.
	Service []service.Option
}

// DefaultBatch is the demo's transaction batch: up to 1000 records or
// 20 ms. A coffee crosses four services, each committing once per batch,
// so the interval bounds the latency of every step.
var DefaultBatch = service.Batch(1000, 20*time.Millisecond)

// Run runs the demo and returns the exit status: 0 only when every order
// was billed, made, finished, served and paid exactly once, as read back
// from the topics.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer) int {
	level := slog.LevelWarn
	if cfg.Verbose {
		level = slog.LevelInfo
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	fail := func(format string, args ...any) int {
		_, _ = fmt.Fprintf(stderr, "coffeebar: "+format+"\n", args...)
		return 1
	}
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	b, err := Open(startCtx, BarConfig{
		Brokers: cfg.Brokers, BrokerListen: cfg.BrokerListen, DataDir: cfg.DataDir,
		Instances: cfg.Instances, HTTPPort: cfg.HTTPPort, Logger: logger,
		Service: append([]service.Option{DefaultBatch}, cfg.Service...),
	})
	if err != nil {
		return fail("%v", err)
	}
	defer func() { _ = b.Close() }()
	printBar(stdout, cfg, b)

	auditCtx, stopAudit := context.WithCancel(context.WithoutCancel(ctx))
	defer stopAudit()
	a, err := audit.New(auditCtx, b.Brokers, cfg.Instances)
	if err != nil {
		return fail("%v", err)
	}
	res := runCrowd(ctx, stdout, cfg, b, a)
	if ctx.Err() != nil {
		return fail("interrupted: %d of %d customers had their coffee", res.Paid, cfg.Orders)
	}

	if cfg.ExitWhenDone {
		// Stop the services first: once they are gone, nothing more can
		// be written, so the audit reads everything there will ever be.
		if err := b.StopAll(); err != nil {
			_, _ = fmt.Fprintf(stderr, "coffeebar: stopping: %v\n", err)
		}
	}
	checkCtx, cancelCheck := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancelCheck()
	report, err := a.Check(checkCtx, res.Tickets)
	if err != nil {
		return fail("%v", err)
	}
	ok := summarize(stdout, cfg, res, report, b.Failures())
	if !cfg.ExitWhenDone && ctx.Err() == nil {
		_, _ = fmt.Fprintln(stdout, "\nthe bar keeps serving until Ctrl-C:")
		printURLs(stdout, b)
		<-ctx.Done()
	}
	if !ok {
		return 1
	}
	return 0
}

func printBar(w io.Writer, cfg Config, b *Bar) {
	where := "embedded broker on " + strings.Join(b.Brokers, ",")
	if len(cfg.Brokers) > 0 {
		where = "Kafka at " + strings.Join(cfg.Brokers, ",")
	}
	state := "in memory"
	if cfg.DataDir != "" {
		state = "in " + cfg.DataDir + " (broker data, Pebble stores)"
	}
	_, _ = fmt.Fprintf(w, "coffee bar: %d instances of each service, %s, state %s\n", cfg.Instances, where, state)
	printURLs(w, b)
	_, _ = fmt.Fprintf(w, "%d customers, %d at a time\n", cfg.Orders, cfg.Customers)
}

func printURLs(w io.Writer, b *Bar) {
	for _, s := range Services {
		_, _ = fmt.Fprintf(w, "  %-13s %s\n", s.Name, strings.Join(b.URLs(s.Name), " "))
	}
	if urls := b.URLs(waiter.Name); len(urls) > 0 {
		_, _ = fmt.Fprintf(w, "  try: curl -s -XPOST %s/waiter/order-coffee -d '{\"coffee_type\":\"latte\",\"coffee_for\":\"you\",\"cup_type\":\"large\",\"amount\":3.2}'\n", urls[0])
	}
}

// runCrowd runs the crowd, printing progress every second.
func runCrowd(ctx context.Context, w io.Writer, cfg Config, b *Bar, a *audit.Audit) crowd.Result {
	c := crowd.New(crowd.Config{
		Orders: cfg.Orders, Customers: cfg.Customers,
		Waiters:       func() []string { return b.URLs(waiter.Name) },
		CashRegisters: func() []string { return b.URLs(cashregister.Name) },
	})
	done := make(chan crowd.Result, 1)
	begun := time.Now()
	go func() { done <- c.Run(ctx) }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case res := <-done:
			progress(w, begun, cfg.Orders, a.Counts())
			return res
		case <-tick.C:
			progress(w, begun, cfg.Orders, a.Counts())
		}
	}
}

func progress(w io.Writer, begun time.Time, orders int, n [audit.NumKinds]int) {
	_, _ = fmt.Fprintf(w, "%6.1fs  ordered %4d/%d  billed %4d  made %4d  finished %4d  served %4d  paid %4d\n",
		time.Since(begun).Seconds(), n[audit.Ordered], orders, n[audit.Billed], n[audit.Made], n[audit.Finished], n[audit.Served], n[audit.Paid])
}
