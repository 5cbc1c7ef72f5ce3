package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
)

// Local is the store of the keys this instance owns. Handler writes are
// changelog records in the batch's transaction: they reach the backend
// when the transaction commits and are dropped when it aborts, and the
// handler reads its own uncommitted writes. Reads from elsewhere (an HTTP
// endpoint) see committed state. The changelog partition is the instance
// ordinal; the topic is created compacted with one partition per replica.
type Local struct {
	opts    options
	svc     *service.Service
	backend Backend
	part    int32
	ready   atomic.Bool

	// staged holds the open transaction's writes, by key; order keeps
	// them in write order for the changelog.
	staged map[string]Op
	order  []string

	mu       sync.Mutex
	inFlight []Op  // written to the changelog in this batch
	last     int64 // offset of the last acknowledged changelog record
	failed   error
	batch    Batch
	env      service.Env
}

// NewLocal creates a local store and joins it to svc: it is rebuilt when
// svc starts, before any input is processed.
func NewLocal(svc *service.Service, opts ...Option) *Local {
	o := defaults()
	for _, opt := range opts {
		opt(&o)
	}
	l := &Local{opts: o, svc: svc, staged: map[string]Op{}, last: -1}
	svc.Join(l)
	return l
}

// Ready reports whether the store is rebuilt.
func (l *Local) Ready() bool { return l.ready.Load() }

// Get returns the value of key: the handler's own uncommitted write if
// ctx is a handler's, else the committed value.
func (l *Local) Get(ctx context.Context, key string) ([]byte, error) {
	if service.Handling(ctx) {
		if op, ok := l.staged[key]; ok {
			if op.Delete {
				return nil, ErrNotFound
			}
			return slices.Clone(op.Value), nil
		}
	}
	if !l.ready.Load() {
		return nil, errNotReady
	}
	v, err := l.backend.Get(key)
	return v, unusable(ctx, err)
}

// errNotReady is what a store that is rebuilding, or that failed, answers.
// A handler never meets a rebuilding store, so for a handler it means the
// store cannot be used: it matches service.ErrStop.
var errNotReady = fmt.Errorf("store: not ready: the store is being rebuilt, or failed (%w)", service.ErrStop)

// unusable marks, for a handler, a backend error other than ErrNotFound
// (a corrupt or closed backend) as one that stops the service: retrying
// or dead-lettering the record would not help.
func unusable(ctx context.Context, err error) error {
	if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, service.ErrStop) || !service.Handling(ctx) {
		return err
	}
	return fmt.Errorf("%w: %w", service.ErrStop, err)
}

// Range calls fn for each key in [start, end), with the handler's
// uncommitted writes merged in when ctx is a handler's.
func (l *Local) Range(ctx context.Context, start, end string, fn func(key string, value []byte) bool) error {
	if !l.ready.Load() {
		return errNotReady
	}
	if !service.Handling(ctx) || len(l.staged) == 0 {
		return unusable(ctx, l.backend.Range(start, end, fn))
	}
	var keys []string
	for k := range l.staged {
		if k >= start && (end == "" || k < end) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	stop := false
	emitStaged := func(upTo string, inclusive bool) {
		for len(keys) > 0 && !stop && (keys[0] < upTo || (inclusive && keys[0] == upTo) || upTo == "") {
			if op := l.staged[keys[0]]; !op.Delete {
				stop = !fn(keys[0], op.Value)
			}
			keys = keys[1:]
		}
	}
	err := l.backend.Range(start, end, func(k string, v []byte) bool {
		emitStaged(k, false)
		if stop {
			return false
		}
		if _, shadowed := l.staged[k]; !shadowed {
			stop = !fn(k, v)
		}
		return !stop
	})
	if err == nil && !stop {
		for _, k := range keys {
			if op := l.staged[k]; !op.Delete && !fn(k, op.Value) {
				break
			}
		}
	}
	return unusable(ctx, err)
}

// Set writes key in the open transaction. Only handlers write.
func (l *Local) Set(ctx context.Context, key string, value []byte) error {
	return l.write(ctx, Op{Key: key, Value: slices.Clone(value)})
}

// Delete deletes key in the open transaction.
func (l *Local) Delete(ctx context.Context, key string) error {
	return l.write(ctx, Op{Key: key, Delete: true})
}

func (l *Local) write(ctx context.Context, op Op) error {
	if !service.Handling(ctx) {
		return errors.New("store: local stores are written by handlers, inside the service's transaction")
	}
	if _, ok := l.staged[op.Key]; !ok {
		l.order = append(l.order, op.Key)
	}
	l.staged[op.Key] = op
	return nil
}

// Start opens the backend and rebuilds it from the changelog.
func (l *Local) Start(ctx context.Context, env service.Env) error {
	l.env = env
	if l.opts.topic == "" {
		l.opts.topic = env.Name + "-stores"
	}
	l.part = int32(env.Instance)
	log := env.Logger.With("store", l.opts.topic, "partition", l.part)
	b, err := l.opts.openBackend(log)
	if err != nil {
		return fmt.Errorf("store %s: %w", l.opts.topic, err)
	}
	l.backend = b
	if err := env.Client.Admin().CreateTopic(ctx, l.opts.topic, env.Replicas, map[string]string{"cleanup.policy": "compact"}); err != nil {
		return fmt.Errorf("store %s: changelog topic: %w", l.opts.topic, err)
	}
	identity := []byte(l.opts.topic + "/" + strconv.Itoa(int(l.part)))
	r := rebuilder{env: env, backend: b, topic: l.opts.topic, partitions: []int32{l.part}, log: log, identity: identity, fresh: l.opts.rebuild}
	if err := r.run(ctx); err != nil {
		return fmt.Errorf("store %s: %w", l.opts.topic, err)
	}
	l.ready.Store(true)
	return nil
}

// Stage produces the open transaction's writes to the changelog, inside
// the transaction.
func (l *Local) Stage(ctx context.Context, client kafka.Client) error {
	if len(l.order) == 0 {
		return nil
	}
	now := time.Now()
	for _, k := range l.order {
		op := l.staged[k]
		value, err := encodeChange(l.opts.framing, op, now)
		if err != nil {
			return err
		}
		l.mu.Lock()
		l.inFlight = append(l.inFlight, op)
		l.mu.Unlock()
		client.Produce(ctx, &kafka.Record{Topic: l.opts.topic, Partition: l.part, Key: []byte(op.Key), Value: value}, l.delivered)
	}
	return nil
}

func (l *Local) delivered(r *kafka.Record, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		if l.failed == nil {
			l.failed = err
		}
		return
	}
	l.last = max(l.last, r.Offset)
}

// Flushed reports a changelog write that failed.
func (l *Local) Flushed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failed
}

// Committed applies the committed writes, with the changelog offset they
// bring the store to.
func (l *Local) Committed() {
	l.mu.Lock()
	ops, last := l.inFlight, l.last
	l.inFlight, l.failed = nil, nil
	l.mu.Unlock()
	defer l.clearStaged()
	if len(ops) == 0 {
		return
	}
	b := &l.batch
	b.Reset()
	b.Ops = append(b.Ops, ops...)
	if last >= 0 {
		if b.Offsets == nil {
			b.Offsets = map[int32]int64{}
		}
		b.Offsets[l.part] = last + 1
	}
	if err := l.backend.Apply(b); err != nil {
		// The changelog holds the writes: a restart rebuilds them.
		l.env.Logger.Error("store apply failed; the store is behind its changelog until restart", "store", l.opts.topic, "err", err)
		l.ready.Store(false)
	}
}

// Aborted drops the open transaction's writes.
func (l *Local) Aborted() {
	l.mu.Lock()
	l.inFlight, l.failed = nil, nil
	l.mu.Unlock()
	l.clearStaged()
}

func (l *Local) clearStaged() {
	clear(l.staged)
	l.order = l.order[:0]
}

// Close closes the backend.
func (l *Local) Close() error {
	if l.backend == nil {
		return nil
	}
	return l.backend.Close()
}
