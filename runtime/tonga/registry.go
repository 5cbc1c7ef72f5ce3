package tonga

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
)

// Emitter sends the records a handler produces. The runtime gives each
// handler call an Emitter bound to the input being handled: under
// exactly-once the records join the input's transaction, and records that
// start a flow inherit the input's correlation id and context (see
// [Envelope.Inherit]). Tests of a handler can pass any implementation,
// such as one that appends to a slice.
type Emitter interface {
	// Emit sends r to topic, keyed by r's partition key.
	Emit(ctx context.Context, topic string, r Record) error
}

// HandlerFunc handles one decoded record of the type it was registered for.
type HandlerFunc func(ctx context.Context, r Record, out Emitter) error

// Errors a registry returns.
var (
	// ErrUnknownSchema means no registered type has the schema identity.
	ErrUnknownSchema = errors.New("tonga: unknown schema")
	// ErrNoHandler means the record's type has no handler.
	ErrNoHandler = errors.New("tonga: no handler")
	// ErrIncompatible means data was written with a schema the reader's
	// type cannot read, or holds a value it has no place for.
	ErrIncompatible = errors.New("tonga: incompatible schema")
)

// Registry maps schema identity — full name and fingerprint — to record
// types, and record types to handlers. Build it before processing starts;
// lookups are then safe for concurrent use.
type Registry struct {
	byFingerprint map[uint64]*Schema
	byName        map[string]*Schema
	handlers      map[*Schema]HandlerFunc
}

// NewRegistry returns a registry of the given record types, typically the
// Schemas() of one or more generated packages. Two types with one full
// name or one fingerprint are an error.
func NewRegistry(schemas ...*Schema) (*Registry, error) {
	r := &Registry{
		byFingerprint: map[uint64]*Schema{},
		byName:        map[string]*Schema{},
		handlers:      map[*Schema]HandlerFunc{},
	}
	if err := r.Add(schemas...); err != nil {
		return nil, err
	}
	return r, nil
}

// Add registers more record types.
func (r *Registry) Add(schemas ...*Schema) error {
	for _, s := range schemas {
		if old, ok := r.byName[s.FullName]; ok && old != s {
			return fmt.Errorf("tonga: two record types named %s (fingerprints %016x and %016x)", s.FullName, old.Fingerprint, s.Fingerprint)
		}
		if old, ok := r.byFingerprint[s.Fingerprint]; ok && old != s {
			return fmt.Errorf("tonga: %s and %s have the same fingerprint %016x", old.FullName, s.FullName, s.Fingerprint)
		}
		r.byName[s.FullName] = s
		r.byFingerprint[s.Fingerprint] = s
	}
	return nil
}

// ByFingerprint returns the type whose canonical schema has fingerprint fp.
func (r *Registry) ByFingerprint(fp uint64) (*Schema, bool) {
	s, ok := r.byFingerprint[fp]
	return s, ok
}

// ByName returns the type with the given full name.
func (r *Registry) ByName(fullName string) (*Schema, bool) {
	s, ok := r.byName[fullName]
	return s, ok
}

// Schemas returns the registered types, sorted by full name.
func (r *Registry) Schemas() []*Schema {
	out := make([]*Schema, 0, len(r.byName))
	for _, s := range r.byName {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Schema) int { return cmp.Compare(a.FullName, b.FullName) })
	return out
}

// Handle registers h as the handler of records of type s. Generated
// Register functions call it with a HandlerFunc that asserts the concrete
// type; user code rarely needs it.
func (r *Registry) Handle(s *Schema, h HandlerFunc) error {
	if r.byName[s.FullName] != s {
		return fmt.Errorf("tonga: %s is not in the registry; add its package's Schemas() first", s.FullName)
	}
	if s.Kind == KindNone {
		return fmt.Errorf("tonga: %s is a plain record, not an event, command or result, and cannot be handled", s.FullName)
	}
	if _, dup := r.handlers[s]; dup {
		return fmt.Errorf("tonga: %s already has a handler", s.FullName)
	}
	r.handlers[s] = h
	return nil
}

// Handled returns the types that have a handler, sorted by full name.
func (r *Registry) Handled() []*Schema {
	out := make([]*Schema, 0, len(r.handlers))
	for s := range r.handlers {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Schema) int { return cmp.Compare(a.FullName, b.FullName) })
	return out
}

// Decode decodes data, written with the schema whose fingerprint is fp,
// into a new record. Writer schemas other than the registered ones are the
// wire package's business; here fp must be a registered type's.
func (r *Registry) Decode(fp uint64, data []byte) (Record, error) {
	s, ok := r.byFingerprint[fp]
	if !ok {
		return nil, fmt.Errorf("%w: fingerprint %016x", ErrUnknownSchema, fp)
	}
	rec := s.New()
	if err := rec.UnmarshalAvro(data); err != nil {
		return nil, fmt.Errorf("tonga: decode %s: %w", s.FullName, err)
	}
	return rec, nil
}

// Dispatch calls the handler registered for rec's type.
func (r *Registry) Dispatch(ctx context.Context, rec Record, out Emitter) error {
	s := rec.AvroSchema()
	h, ok := r.handlers[s]
	if !ok {
		return fmt.Errorf("%w for %s", ErrNoHandler, s.FullName)
	}
	return h(ctx, rec, out)
}
