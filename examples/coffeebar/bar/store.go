package bar

import (
	"context"
	"errors"

	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Store is what one instance of a service knows of one kind of record:
// the records it owns, in its local store (read and written by its
// handlers, inside their transactions), and those the other instances
// own, in its global store (read-only, eventually consistent). HTTP
// routes read both with Find, so any instance answers for any key.
type Store[T any, P interface {
	*T
	tonga.Record
}] struct {
	local  *store.Local
	global *store.Global
	own    *store.Typed[T, P]
	others *store.Typed[T, P]
}

// NewStore creates the local and global stores of svc, joined to its
// transactions, with the backend o says.
func NewStore[T any, P interface {
	*T
	tonga.Record
}](o Options, svc *service.Service, name string) *Store[T, P] {
	local := o.LocalStore(svc, name)
	global := store.NewGlobal(svc)
	return &Store[T, P]{local: local, global: global, own: store.NewTyped[T, P](local), others: store.NewTyped[T, P](global)}
}

// Get returns this instance's record under key (in a handler, with the
// writes of its open transaction), or store.ErrNotFound.
func (s *Store[T, P]) Get(ctx context.Context, key string) (P, error) { return s.own.Get(ctx, key) }

// Set stores v under key in the handler's transaction.
func (s *Store[T, P]) Set(ctx context.Context, key string, v P) error { return s.own.Set(ctx, key, v) }

// Find returns the record under key whichever instance owns it: from the
// local store, else from the global store; store.ErrNotFound if neither
// has it (yet).
func (s *Store[T, P]) Find(ctx context.Context, key string) (P, error) {
	v, err := s.own.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return s.others.Get(ctx, key)
	}
	return v, err
}

// Ready reports whether both stores are rebuilt and serving.
func (s *Store[T, P]) Ready() bool { return s.local.Ready() && s.global.Ready() }

// Close closes the local store's backend; Instance.Run calls it.
func (s *Store[T, P]) Close() error { return s.local.Close() }
