package standalone

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/runtime/service"
)

// Config is what the flags set.
type Config struct {
	Options      bar.Options
	CreateTopics bool
}

// Main runs the instance of the service name that newInstance builds,
// configured by args, until ctx ends (main cancels it on SIGTERM), and
// returns the exit status. It prints "http <addr>" and then "ready" on
// stdout once the instance serves and processes; logs go to stderr.
func Main(ctx context.Context, name string, newInstance func(bar.Options) (*bar.Instance, error), args []string, stdout, stderr io.Writer) int {
	cfg, err := Parse(name, args, stderr, os.Hostname)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 2
	}
	o := cfg.Options
	if cfg.CreateTopics {
		tctx, cancel := context.WithTimeout(ctx, time.Minute)
		err := bar.CreateTopics(tctx, o.Brokers, o.Replicas)
		cancel()
		if err != nil {
			_, _ = fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 1
		}
	}
	inst, err := newInstance(o)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	done := make(chan error, 1)
	go func() { done <- inst.Run(ctx) }()
	go announce(ctx, inst, o.HTTP != "", stdout)
	if err := <-done; err != nil {
		_, _ = fmt.Fprintf(stderr, "%s-%d: %v\n", name, o.Instance, err)
		return 1
	}
	return 0
}

// announce prints the HTTP address once known, then "ready" once the
// instance processes input.
func announce(ctx context.Context, inst *bar.Instance, http bool, stdout io.Writer) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	addr := ""
	for ctx.Err() == nil {
		if http && addr == "" {
			if addr = inst.HTTPAddr(); addr != "" {
				_, _ = fmt.Fprintf(stdout, "http %s\n", addr)
			}
		}
		if (addr != "" || !http) && inst.Ready() {
			_, _ = fmt.Fprintln(stdout, "ready")
			return
		}
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

// Parse reads the flags of the service name; hostname gives the ordinal
// when --instance is not set.
func Parse(name string, args []string, stderr io.Writer, hostname func() (string, error)) (Config, error) {
	cfg := Config{}
	o := &cfg.Options
	var brokers, logLevel string
	var batch int
	var batchEvery time.Duration
	clientOpts := options{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.Instance, "instance", -1, "this instance's `ordinal`, from 0 (default: the N of a host name ending in -N, as StatefulSet pods are named)")
	fs.IntVar(&o.Replicas, "replicas", 1, "the `number` of instances of the service; each topic has as many partitions")
	fs.StringVar(&brokers, "brokers", "localhost:9092", "comma-separated Kafka bootstrap `host:port`s")
	fs.StringVar(&o.HTTP, "http", ":8080", "`address` of the HTTP server (routes, /metrics, /healthz, /readyz); empty for none")
	fs.StringVar(&o.DataDir, "data-dir", "", "`directory` of the Pebble local store (default: in memory, rebuilt from the changelog at start)")
	fs.BoolVar(&cfg.CreateTopics, "create-topics", true, "create the flow's topics if they are missing, with --replicas partitions")
	fs.IntVar(&batch, "batch", service.DefaultBatchSize, "most `records` per transaction")
	fs.DurationVar(&batchEvery, "batch-interval", service.DefaultBatchInterval, "longest `time` between commits")
	fs.Var(clientOpts, "client-option", "`key=value` passed to the Kafka client (such as session.timeout.ms=10000); repeatable")
	fs.StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return cfg, fmt.Errorf("--log-level: %w", err)
	}
	o.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if o.Instance < 0 {
		host, err := hostname()
		if err != nil {
			return cfg, fmt.Errorf("--instance not given, and no host name to read it from: %w", err)
		}
		if o.Instance, err = Ordinal(host); err != nil {
			return cfg, fmt.Errorf("--instance not given: %w", err)
		}
	}
	if o.Instance >= o.Replicas {
		return cfg, fmt.Errorf("instance %d is out of range for %d replicas (--instance, --replicas)", o.Instance, o.Replicas)
	}
	o.Brokers = strings.Split(brokers, ",")
	o.Service = []service.Option{service.Batch(batch, batchEvery)}
	if len(clientOpts) > 0 {
		o.Service = append(o.Service, service.ClientOptions(clientOpts))
	}
	return cfg, nil
}

// Ordinal returns the ordinal a StatefulSet gives a pod in its name,
// <statefulset>-<ordinal>, which is also the pod's host name.
func Ordinal(hostname string) (int, error) {
	host, _, _ := strings.Cut(hostname, ".") // a fully qualified name
	i := strings.LastIndexByte(host, '-')
	if i < 0 {
		return 0, fmt.Errorf("host name %q does not end in -N, a StatefulSet pod's ordinal; pass --instance", hostname)
	}
	n, err := strconv.Atoi(host[i+1:])
	if err != nil || n < 0 || host[i+1:] != strconv.Itoa(n) {
		return 0, fmt.Errorf("host name %q does not end in -N, a StatefulSet pod's ordinal; pass --instance", hostname)
	}
	return n, nil
}

// options is a repeatable key=value flag.
type options map[string]string

func (o options) String() string {
	parts := make([]string, 0, len(o))
	for k, v := range o {
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ",")
}

func (o options) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not key=value", s)
	}
	o[k] = v
	return nil
}
