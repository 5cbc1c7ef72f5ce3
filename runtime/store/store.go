package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/tonga-go/tonga/runtime/wire"
)

// Store is the key-value view handlers and HTTP endpoints use. Keys are
// strings, values bytes; [Typed] stores hold generated records.
type Store interface {
	// Get returns the value of key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Range calls fn for each key in [start, end) in key order until fn
	// returns false; an empty end means no bound.
	Range(ctx context.Context, start, end string, fn func(key string, value []byte) bool) error
	// Ready reports whether the store is rebuilt and serving.
	Ready() bool
}

// ErrReadOnly is returned by writes to a store that does not own the key:
// a global store.
var ErrReadOnly = errors.New("store: read-only store")

// Option configures a local or global store.
type Option func(*options)

type options struct {
	topic   string
	open    func() (Backend, error)
	dir     string
	framing wire.Framing
	rebuild bool
}

func defaults() options {
	return options{open: func() (Backend, error) { return NewMemory(), nil }, framing: wire.FramingSingleObject}
}

// Topic names the changelog topic; the default is <service>-stores.
func Topic(name string) Option { return func(o *options) { o.topic = name } }

// WithBackend sets an in-memory or otherwise dir-less backend.
func WithBackend(open func() (Backend, error)) Option {
	return func(o *options) { o.open, o.dir = open, "" }
}

// Persistent keeps the store in dir with open (pebble.Open, rocksdb.Open).
// A directory that is missing, corrupt or belongs to another changelog is
// rebuilt from the changelog, with a log line saying why.
func Persistent(dir string, open func(dir string) (Backend, error)) Option {
	return func(o *options) { o.dir, o.open = dir, func() (Backend, error) { return open(dir) } }
}

// Rebuild drops the local state at start and replays the changelog from
// its beginning.
func Rebuild() Option { return func(o *options) { o.rebuild = true } }

// TongaFraming writes changelog messages in Python Tonga's container
// framing, so that Python Tonga services read them; the default is
// single-object encoding, which carries no schema per message. Both are
// read either way.
func TongaFraming() Option { return func(o *options) { o.framing = wire.FramingContainer } }

// openBackend opens the backend, rebuilding a corrupt directory.
func (o *options) openBackend(log *slog.Logger) (Backend, error) {
	b, err := o.open()
	if err == nil || o.dir == "" || !errors.Is(err, ErrCorrupt) {
		return b, err
	}
	log.Warn("store directory is corrupt; removing it and rebuilding from the changelog", "dir", o.dir, "err", err)
	if err := os.RemoveAll(o.dir); err != nil {
		return nil, fmt.Errorf("store: remove corrupt directory %s: %w", o.dir, err)
	}
	return o.open()
}
