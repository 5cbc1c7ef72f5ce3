package pebble

import (
	"sync"
	"sync/atomic"
)

// gate lets calls into the engine run concurrently and Close wait for
// them: once closing, new calls are refused and Close returns when the
// last call in flight leaves. A call made from inside another (Get from
// a Range callback) is refused rather than waited for, so it cannot
// deadlock with Close.
type gate struct {
	state   atomic.Int64 // calls in flight, plus closing once Close began
	once    sync.Once
	drained chan struct{}
}

const closing = 1 << 62

func newGate() *gate { return &gate{drained: make(chan struct{})} }

// enter reports whether a call may proceed; if so it must call leave.
func (g *gate) enter() bool {
	if g.state.Add(1) >= closing {
		g.leave()
		return false
	}
	return true
}

func (g *gate) leave() {
	if g.state.Add(-1) == closing {
		g.once.Do(func() { close(g.drained) })
	}
}

// close refuses new calls and waits for those in flight. It reports
// whether this call closed the gate (false if it was closed already).
func (g *gate) close() bool {
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
