// Package benchutil holds what every benchmark of the suite does the same
// way: the warm-up before timing.
package benchutil

import (
	"testing"
	"time"
)

// warmFor and warmMax bound the warm-up: it runs op for warmFor, at most
// warmMax times, and always at least once.
const (
	warmFor = 20 * time.Millisecond
	warmMax = 10_000
)

// Warm runs op before the timed loop, so that caches, pools, lazily built
// codecs and the branch predictor are in their steady state when timing
// starts; b.Loop resets the timer on its first call. A failure of op fails
// the benchmark.
func Warm(b *testing.B, op func() error) {
	b.Helper()
	start := time.Now()
	for i := 0; i == 0 || (i < warmMax && time.Since(start) < warmFor); i++ {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

// WarmOnce runs op once before the timed loop, for operations that take
// long enough that one run brings them to their steady state.
func WarmOnce(b *testing.B, op func() error) {
	b.Helper()
	if err := op(); err != nil {
		b.Fatal(err)
	}
}
