package store

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
)

// Global is the read-only union of the other instances' local stores: it
// reads every partition of the changelog but the instance's own, is
// rebuilt before the service processes input, and follows the changelog
// while the service runs. Its reads are eventually consistent: a write
// shows once the other instance's transaction commits and the global
// store has read it.
type Global struct {
	opts    options
	backend Backend
	ready   atomic.Bool
	r       *rebuilder
}

// NewGlobal creates a global store over the changelog of the service's
// local store (or the one named with Topic) and joins it to svc.
func NewGlobal(svc *service.Service, opts ...Option) *Global {
	o := defaults()
	for _, opt := range opts {
		opt(&o)
	}
	g := &Global{opts: o}
	svc.Join(g)
	return g
}

// Ready reports whether the store has caught up once.
func (g *Global) Ready() bool { return g.ready.Load() }

// Get returns the value of key as last read from the changelog.
func (g *Global) Get(ctx context.Context, key string) ([]byte, error) {
	if !g.ready.Load() {
		return nil, errNotReady
	}
	v, err := g.backend.Get(key)
	return v, unusable(ctx, err)
}

// Range calls fn for each key in [start, end).
func (g *Global) Range(ctx context.Context, start, end string, fn func(key string, value []byte) bool) error {
	if !g.ready.Load() {
		return errNotReady
	}
	return unusable(ctx, g.backend.Range(start, end, fn))
}

// Close closes the backend. Call it once the service's Run has returned.
func (g *Global) Close() error {
	if g.backend == nil {
		return nil
	}
	return g.backend.Close()
}

// Start rebuilds the store, then follows the changelog until ctx ends.
func (g *Global) Start(ctx context.Context, env service.Env) error {
	if g.opts.topic == "" {
		g.opts.topic = env.Name + "-stores"
	}
	log := env.Logger.With("global_store", g.opts.topic)
	b, err := g.opts.openBackend(log)
	if err != nil {
		return fmt.Errorf("global store %s: %w", g.opts.topic, err)
	}
	g.backend = b
	if err := env.Client.Admin().CreateTopic(ctx, g.opts.topic, env.Replicas, map[string]string{"cleanup.policy": "compact"}); err != nil {
		return fmt.Errorf("global store %s: changelog topic: %w", g.opts.topic, err)
	}
	var parts []int32
	for p := range env.Replicas {
		if p != env.Instance {
			parts = append(parts, int32(p))
		}
	}
	g.r = &rebuilder{env: env, backend: b, topic: g.opts.topic, partitions: parts, log: log, follow: true,
		identity: []byte(g.opts.topic + "/global-" + strconv.Itoa(env.Instance)), fresh: g.opts.rebuild}
	if len(parts) == 0 {
		g.ready.Store(true)
		return nil
	}
	if err := g.r.run(ctx); err != nil {
		return fmt.Errorf("global store %s: %w", g.opts.topic, err)
	}
	g.ready.Store(true)
	go g.follow(ctx, log)
	return nil
}

// follow applies changelog records as they commit, until ctx ends.
func (g *Global) follow(ctx context.Context, log interface{ Error(string, ...any) }) {
	defer g.r.client.Close()
	dec := newChangelogDecoder()
	b := &Batch{Offsets: map[int32]int64{}}
	for ctx.Err() == nil {
		recs, err := g.r.client.Poll(ctx, 10000)
		if err != nil {
			if ctx.Err() == nil {
				// Stale from now on: say so rather than serve old values.
				g.ready.Store(false)
				log.Error("global store stopped following its changelog; it is not ready any more", "err", err)
			}
			return
		}
		b.Reset()
		for _, rec := range recs {
			if op, err := decodeChange(dec, rec.Value, false); err == nil {
				b.Ops = append(b.Ops, op)
			}
		}
		for tp, pos := range g.r.client.Positions() {
			b.Offsets[tp.Partition] = pos
		}
		if err := g.backend.Apply(b); err != nil {
			log.Error("global store apply failed", "err", err)
		}
	}
}

// Stage does nothing: a global store only reads.
func (g *Global) Stage(context.Context, kafka.Client) error { return nil }

// Flushed is part of service.Participant.
func (g *Global) Flushed() error { return nil }

// Committed is part of service.Participant.
func (g *Global) Committed() {}

// Aborted is part of service.Participant.
func (g *Global) Aborted() {}
