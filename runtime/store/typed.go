package store

import (
	"context"

	"github.com/tonga-go/tonga/runtime/tonga"
)

// Typed is a store of one generated record type: values are encoded with
// the record's own Avro codec, so a handler reads and writes *Coffee, not
// bytes.
//
//	coffees := store.NewTyped[records.Coffee](local)
//	c, err := coffees.Get(ctx, ticket)
type Typed[T any, P interface {
	*T
	tonga.Record
}] struct {
	s Store
	w writer
}

type writer interface {
	Set(ctx context.Context, key string, value []byte) error
	Delete(ctx context.Context, key string) error
}

// NewTyped wraps a store; writes need a local store.
func NewTyped[T any, P interface {
	*T
	tonga.Record
}](s Store) *Typed[T, P] {
	t := &Typed[T, P]{s: s}
	t.w, _ = s.(writer)
	return t
}

// Get returns the record stored under key, or ErrNotFound.
func (t *Typed[T, P]) Get(ctx context.Context, key string) (P, error) {
	data, err := t.s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	v := P(new(T))
	if err := v.UnmarshalAvro(data); err != nil {
		return nil, err
	}
	return v, nil
}

// Set stores v under key.
func (t *Typed[T, P]) Set(ctx context.Context, key string, v P) error {
	if t.w == nil {
		return ErrReadOnly
	}
	data, err := v.AppendAvro(nil)
	if err != nil {
		return err
	}
	return t.w.Set(ctx, key, data)
}

// Delete removes key.
func (t *Typed[T, P]) Delete(ctx context.Context, key string) error {
	if t.w == nil {
		return ErrReadOnly
	}
	return t.w.Delete(ctx, key)
}

// Range calls fn with each record in [start, end); a value that does not
// decode ends the walk with its error.
func (t *Typed[T, P]) Range(ctx context.Context, start, end string, fn func(key string, v P) bool) error {
	var derr error
	err := t.s.Range(ctx, start, end, func(k string, data []byte) bool {
		v := P(new(T))
		if derr = v.UnmarshalAvro(data); derr != nil {
			return false
		}
		return fn(k, v)
	})
	if derr != nil {
		return derr
	}
	return err
}
