package main

import (
	"fmt"
	"strings"
	"testing"
)

// loopResults is benchmark output for the loop's franz-go rows: impl's
// records/s at each batch size.
func loopResults(rates map[string][4]float64) string {
	var b strings.Builder
	for impl, rs := range rates {
		for i, batch := range loopBatches {
			fmt.Fprintf(&b, "BenchmarkLoop/transport=franz/guarantee=exactly-once/batch=%s/impl=%s-2 \t 1000 \t %.0f ns/op \t %.0f records/s\n",
				batch, impl, 1e9/rs[i], rs[i])
		}
	}
	return b.String()
}

func TestLoopTargets(t *testing.T) {
	tests := []struct {
		name       string
		ours, hand [4]float64 // records/s at batch 1, 100, 1000, default
		share      string     // the state of the 0.8x target
		gain       string     // the state of the 1000x target
		want       []string   // in the verdicts' details
	}{
		{
			name: "all met", ours: [4]float64{900, 90e3, 900e3, 1e6}, hand: [4]float64{1000, 100e3, 1e6, 1e6},
			share: stateMet, gain: stateMet, want: []string{"batch=1: 0.90x (900 vs 1.00k records/s)", "1111x"},
		},
		{
			name: "missed", ours: [4]float64{1000, 50e3, 900e3, 500e3}, hand: [4]float64{1000, 100e3, 1e6, 1e6},
			share: stateMissed, gain: stateMissed,
			want: []string{
				"missed at batch=100: 0.50x (50.0k vs 100k records/s; 0.8x needs 80.0k, 1.6x tongagen's rate now)",
				"met at batch=1: 1.00x",
				"500x (500k records/s at the default batch, 1.00k at batch=1)",
				"the hand-written loop gains 1000x",
				"1000x needs 1.00M records/s at the default batch, 2.0x its rate now",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tables, _, err := parseResults([]byte(loopResults(map[string][4]float64{ourImpl: tt.ours, handWritten: tt.hand})))
			if err != nil {
				t.Fatal(err)
			}
			tb := tables["Loop"]
			share := loopShareAt(tb, "franz", "exactly-once", loopBatches...)
			gain := batchingGainOn(tb, "franz")
			if share.State != tt.share || gain.State != tt.gain {
				t.Errorf("states %q, %q; want %q, %q", share.State, gain.State, tt.share, tt.gain)
			}
			details := share.Detail + "\n" + gain.Detail
			for _, w := range tt.want {
				if !strings.Contains(details, w) {
					t.Errorf("details lack %q:\n%s", w, details)
				}
			}
			if v := loopShareAt(tb, "rdkafka", "exactly-once", loopBatches...); v.State != stateUnmeasured {
				t.Errorf("rdkafka, not in the results: %q, want %q", v.State, stateUnmeasured)
			}
		})
	}
}

func TestStoresTargets(t *testing.T) {
	out := "BenchmarkStores/op=restore/backend=memory/impl=plain-consumer-2 \t 1 \t 1000000000 ns/op \t 1000000 records/s\n" +
		"BenchmarkStores/op=restore/backend=memory/impl=tongagen-2 \t 1 \t 1111111111 ns/op \t 900000 records/s\n" +
		"BenchmarkStores/op=restore/backend=pebble/impl=plain-consumer-2 \t 1 \t 1000000000 ns/op \t 1000000 records/s\n" +
		"BenchmarkStores/op=restore/backend=pebble/impl=tongagen-2 \t 1 \t 2500000000 ns/op \t 400000 records/s\n"
	tables, _, err := parseResults([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	tb := tables["Stores"]
	tests := []struct {
		backend, state, want string
	}{
		{"memory", stateMet, "0.90x (900k vs 1.00M records/s)"},
		{"pebble", stateMissed, "0.40x (400k vs 1.00M records/s); 0.8x needs 800k records/s, 2.0x the store's rate now"},
		{"rocksdb", stateUnmeasured, "not measured"},
	}
	for _, tt := range tests {
		v := restoreShareOn(tb, tt.backend)
		if v.State != tt.state || !strings.Contains(v.Detail, tt.want) {
			t.Errorf("%s: %s: %s, want %s containing %q", tt.backend, v.State, v.Detail, tt.state, tt.want)
		}
	}
}
