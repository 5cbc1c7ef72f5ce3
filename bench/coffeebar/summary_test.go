package coffeebar_test

import (
	"testing"
	"time"
)

const sample = `
100 orders taken, 100 paid, in 1.6s: 62.6 coffees/s, 500 flow records/s

latency                                           p50      p90      p99
  CoffeeOrdered → BillCreated                    12ms     27ms     32ms
  CoffeeServed → BillPaid                        12ms     23ms     30ms
  CoffeeOrdered → BillPaid (the whole flow)     177ms    211ms    238ms
customers, over HTTP:
  POST order-coffee                              15ms     30ms     36ms

read back, read_committed, from every topic: 800 records of 100 coffees
exactly once: each of the 100 coffees was ordered, billed, made, finished, served and paid exactly once
`

// TestParseSummary checks the parse of the demo's summary, and that a run
// that was not exactly once is refused.
func TestParseSummary(t *testing.T) {
	s, err := parseSummary([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := summary{rate: 62.6, flow: [3]time.Duration{177 * time.Millisecond, 211 * time.Millisecond, 238 * time.Millisecond}}
	if s != want {
		t.Errorf("parseSummary = %+v, want %+v", s, want)
	}
	if _, err := parseSummary([]byte("100 orders taken, 99 paid, in 1.6s: 62.6 coffees/s\nNOT exactly once: ...\n")); err == nil {
		t.Error("parseSummary accepted a run that was not exactly once")
	}
}
