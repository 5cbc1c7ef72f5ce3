package kv

import (
	"sync"
	"sync/atomic"
)

// Gate lets calls into an engine run concurrently and Close wait for
// them: once closing, new calls are refused and Close returns when the
// last call in flight leaves. A call made from inside another (Get from
// a Range callback) is refused rather than waited for, so it cannot
// deadlock with Close.
type Gate struct {
	state   atomic.Int64 // calls in flight, plus closing once Close began
	once    sync.Once
	drained chan struct{}
}

const closing = 1 << 62

// NewGate returns an open gate.
func NewGate() *Gate { return &Gate{drained: make(chan struct{})} }

// Enter reports whether a call may proceed; if so it must call Leave.
func (g *Gate) Enter() bool {
	if g.state.Add(1) >= closing {
		g.Leave()
		return false
	}
	return true
}

// Leave ends a call that Enter let in.
func (g *Gate) Leave() {
	if g.state.Add(-1) == closing {
		g.once.Do(func() { close(g.drained) })
	}
}

// Close refuses new calls and waits for those in flight. It reports
// whether this call closed the Gate (false if it was closed already).
func (g *Gate) Close() bool {
	for {
		s := g.state.Load()
		if s >= closing {
			<-g.drained
			return false
		}
		if g.state.CompareAndSwap(s, s+closing) {
			break
		}
	}
	if g.state.Load() == closing {
		g.once.Do(func() { close(g.drained) })
	}
	<-g.drained
	return true
}
