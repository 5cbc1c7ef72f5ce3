package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/bartender"
	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/coffeemaker"
	"github.com/tonga-go/tonga/examples/coffeebar/waiter"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
)

// Service is one of the bar's services.
type Service struct {
	Name string
	New  func(bar.Options) (*bar.Instance, error)
}

// Services are the bar's services, in flow order.
var Services = []Service{
	{waiter.Name, waiter.New},
	{cashregister.Name, cashregister.New},
	{bartender.Name, bartender.New},
	{coffeemaker.Name, coffeemaker.New},
}

// BarConfig says how to run the bar.
type BarConfig struct {
	// Brokers are an existing Kafka cluster's; none starts the embedded
	// broker, listening on BrokerListen (a free loopback port if empty).
	Brokers      []string
	BrokerListen string
	// DataDir keeps the embedded broker's data (DataDir/broker) and the
	// local stores (DataDir/stores, in Pebble) across runs; empty keeps
	// everything in memory.
	DataDir string
	// Instances is the number of instances of each service, and of
	// partitions of each topic.
	Instances int
	// HTTPPort, if set, is the first of the consecutive ports the
	// instances listen on (waiters first, then cash registers, bartenders
	// and coffee makers); otherwise each gets a free port on 127.0.0.1.
	HTTPPort int
	// Logger receives the services' log lines.
	Logger *slog.Logger
	// Service are further options for every service.
	Service []service.Option
	// Skip, if set, names instances not to start (a test runs them in
	// other processes).
	Skip func(service string, instance int) bool
}

// Bar is the coffee bar running in this process: the broker, unless it
// is an existing one, and the instances of each service.
type Bar struct {
	cfg     BarConfig
	Brokers []string
	broker  *broker.Broker

	mu        sync.Mutex
	instances map[string][]*running
	failures  []error
}

// running is an instance being run.
type running struct {
	inst   *bar.Instance
	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

// Open starts the broker (unless cfg.Brokers are given), creates the
// topics, and starts every instance, returning once all are ready.
func Open(ctx context.Context, cfg BarConfig) (*Bar, error) {
	b := &Bar{cfg: cfg, Brokers: cfg.Brokers, instances: map[string][]*running{}}
	if cfg.Logger == nil {
		b.cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(b.Brokers) == 0 {
		var opts []broker.Option
		if cfg.BrokerListen != "" {
			opts = append(opts, broker.Listen(cfg.BrokerListen))
		}
		if cfg.DataDir != "" {
			opts = append(opts, broker.DataDir(filepath.Join(cfg.DataDir, "broker")))
		}
		br, err := broker.Start(ctx, opts...)
		if err != nil {
			return nil, err
		}
		b.broker, b.Brokers = br, br.Addrs()
	}
	if err := bar.CreateTopics(ctx, b.Brokers, cfg.Instances); err != nil {
		_ = b.Close()
		return nil, err
	}
	for _, s := range Services {
		b.instances[s.Name] = make([]*running, cfg.Instances)
		for i := range cfg.Instances {
			if cfg.Skip != nil && cfg.Skip(s.Name, i) {
				continue
			}
			if err := b.Start(s.Name, i); err != nil {
				_ = b.Close()
				return nil, err
			}
		}
	}
	if err := b.WaitReady(ctx); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

// Start starts instance i of the service name (again).
func (b *Bar) Start(name string, i int) error {
	s, ok := serviceNamed(name)
	if !ok {
		return fmt.Errorf("no service %q", name)
	}
	inst, err := s.New(b.options(name, i))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{inst: inst, cancel: cancel, done: make(chan struct{})}
	b.mu.Lock()
	if old := b.instances[name][i]; old != nil {
		b.mu.Unlock()
		cancel()
		return fmt.Errorf("%s-%d is running", name, i)
	}
	b.instances[name][i] = r
	b.mu.Unlock()
	go func() {
		defer close(r.done)
		r.err = inst.Run(ctx)
		if r.err != nil && ctx.Err() == nil {
			b.mu.Lock()
			b.failures = append(b.failures, fmt.Errorf("%s-%d stopped: %w", name, i, r.err))
			b.mu.Unlock()
		}
	}()
	return nil
}

// Stop stops instance i of the service name: it finishes the transaction
// under way and returns, as a pod does on SIGTERM.
func (b *Bar) Stop(name string, i int) error {
	b.mu.Lock()
	r := b.instances[name][i]
	b.instances[name][i] = nil
	b.mu.Unlock()
	if r == nil {
		return nil
	}
	r.cancel()
	<-r.done
	return r.err
}

// StopAll stops every instance.
func (b *Bar) StopAll() error {
	var errs []error
	for _, s := range Services {
		for i := range b.instances[s.Name] {
			if err := b.Stop(s.Name, i); err != nil {
				errs = append(errs, fmt.Errorf("%s-%d: %w", s.Name, i, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Close stops every instance and the embedded broker.
func (b *Bar) Close() error {
	err := b.StopAll()
	if b.broker != nil {
		err = errors.Join(err, b.broker.Close())
	}
	return err
}

// Failures returns the errors of instances that stopped by themselves.
func (b *Bar) Failures() []error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]error(nil), b.failures...)
}

// URLs returns the base URLs (http://host:port) of the running instances
// of the service name.
func (b *Bar) URLs(name string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var urls []string
	for _, r := range b.instances[name] {
		if r == nil {
			continue
		}
		if addr := r.inst.HTTPAddr(); addr != "" {
			urls = append(urls, "http://"+addr)
		}
	}
	return urls
}

// readyPoll is how often WaitReady looks.
const readyPoll = 10 * time.Millisecond

// WaitReady waits until every running instance processes input and
// serves HTTP, or one failed, or ctx ends.
func (b *Bar) WaitReady(ctx context.Context) error {
	for {
		waiting := ""
		b.mu.Lock()
		for _, s := range Services {
			for i, r := range b.instances[s.Name] {
				if r != nil && (!r.inst.Ready() || r.inst.HTTPAddr() == "") && waiting == "" {
					waiting = s.Name + "-" + strconv.Itoa(i)
				}
			}
		}
		failures := b.failures
		b.mu.Unlock()
		switch {
		case len(failures) > 0:
			return errors.Join(failures...)
		case waiting == "":
			return nil
		}
		t := time.NewTimer(readyPoll)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s not ready: %w", waiting, ctx.Err())
		}
	}
}

func (b *Bar) options(name string, i int) bar.Options {
	o := bar.Options{
		Brokers: b.Brokers, Instance: i, Replicas: b.cfg.Instances,
		HTTP: "127.0.0.1:0", Logger: b.cfg.Logger, Service: b.cfg.Service,
	}
	if b.cfg.HTTPPort != 0 {
		k := 0
		for _, s := range Services {
			if s.Name == name {
				break
			}
			k += b.cfg.Instances
		}
		o.HTTP = net.JoinHostPort("127.0.0.1", strconv.Itoa(b.cfg.HTTPPort+k+i))
	}
	if b.cfg.DataDir != "" {
		o.DataDir = filepath.Join(b.cfg.DataDir, "stores")
	}
	return o
}

func serviceNamed(name string) (Service, bool) {
	for _, s := range Services {
		if s.Name == name {
			return s, true
		}
	}
	return Service{}, false
}
