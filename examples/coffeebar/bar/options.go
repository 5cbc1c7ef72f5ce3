package bar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"

	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/pebble"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Options say how to start one instance of a coffee-bar service.
type Options struct {
	// Brokers are the Kafka bootstrap addresses.
	Brokers []string
	// Instance is this instance's ordinal among Replicas (a StatefulSet
	// pod's ordinal): it consumes partition Instance of each input topic,
	// which must have Replicas partitions.
	Instance, Replicas int
	// HTTP is the address of the instance's HTTP server: its routes and
	// /metrics, /healthz, /readyz. Empty serves none.
	HTTP string
	// DataDir, when set, keeps the local store in Pebble under
	// DataDir/<service>-<instance>, so a restart replays only the
	// changelog written since; empty keeps it in memory, rebuilt from the
	// whole changelog at every start. Global stores are always in memory.
	DataDir string
	// Logger receives the service's log lines; nil discards them.
	Logger *slog.Logger
	// Service are further service options (service.Batch,
	// service.ClientOptions, ...), applied after the bar's own.
	Service []service.Option
}

// NewService returns the service name, consuming inputs, with the records
// of reg and the options of o, then extra.
func (o Options) NewService(name string, reg *tonga.Registry, inputs []string, extra ...service.Option) (*service.Service, error) {
	opts := []service.Option{
		service.Brokers(o.Brokers...),
		service.Registry(reg),
		service.Inputs(inputs...),
		service.Instance(o.Instance, o.Replicas),
	}
	if o.HTTP != "" {
		opts = append(opts, service.HTTP(o.HTTP))
	}
	if o.Logger != nil {
		opts = append(opts, service.Logger(o.Logger))
	}
	opts = append(append(opts, extra...), o.Service...)
	return service.New(name, opts...)
}

// LocalStore returns svc's local store: in Pebble under DataDir when it is
// set, in memory otherwise.
func (o Options) LocalStore(svc *service.Service, name string) *store.Local {
	if o.DataDir == "" {
		return store.NewLocal(svc)
	}
	dir := filepath.Join(o.DataDir, name+"-"+strconv.Itoa(o.Instance))
	return store.NewLocal(svc, store.Persistent(dir, pebble.Opener()))
}

// Instance is one instance of a coffee-bar service: the service, whose
// Run also closes the stores once it returns.
type Instance struct {
	*service.Service
	stores []io.Closer
}

// NewInstance returns svc as an Instance owning stores.
func NewInstance(svc *service.Service, stores ...io.Closer) *Instance {
	return &Instance{Service: svc, stores: stores}
}

// Run runs the service until ctx is cancelled (see service.Service.Run),
// then closes its stores.
func (in *Instance) Run(ctx context.Context) error {
	err := in.Service.Run(ctx)
	for _, s := range in.stores {
		if cerr := s.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close store: %w", cerr))
		}
	}
	return err
}
