package loop_test

import (
	"context"
	"testing"
)

// TestDelivered runs what every benchmark checks before timing, and more:
// each implementation, on each transport and guarantee, at 100 records
// per transaction, processes its first transactions and then an input
// that is not a whole number of batches (the last one commits on the
// interval); once it stopped, every input is in the output exactly once
// (under at-least-once, at least once) and nothing else is.
func TestDelivered(t *testing.T) {
	cases := []benchCase{
		{transport: "franz", guarantee: exactlyOnce, batch: 100},
		{transport: "rdkafka", guarantee: exactlyOnce, batch: 100},
		{transport: "rdkafka", guarantee: atLeastOnce, batch: 100},
	}
	for _, c := range cases {
		for _, im := range c.impls() {
			t.Run(c.name()+"/impl="+im.name, func(t *testing.T) {
				ctx := context.Background()
				r, err := newRig(ctx, c, im)
				if err != nil {
					t.Fatal(err)
				}
				defer func() {
					if err := r.close(); err != nil {
						t.Error(err)
					}
				}()
				const more = 250
				end, err := r.feed.fill(ctx, more)
				if err != nil {
					t.Fatal(err)
				}
				if err := waitCommitted(r.run, end); err != nil {
					t.Fatal(err)
				}
				err = r.run.stop()
				r.run = nil
				if err != nil {
					t.Fatal(err)
				}
				ids, err := readAllOutputs(ctx, r.br.Addrs())
				if err != nil {
					t.Fatal(err)
				}
				if err := checkDelivered(ids, r.warmed+more, c.guarantee); err != nil {
					t.Errorf("%d output records for %d inputs:\n%v", len(ids), r.warmed+more, err)
				}
			})
		}
	}
}

// TestCheckDelivered checks the check: a missing, a repeated and a stray
// output are each caught, a repeat is allowed at least once.
func TestCheckDelivered(t *testing.T) {
	ids := func(is ...int) []string {
		out := make([]string, len(is))
		for j, i := range is {
			out[j] = orderID(i)
		}
		return out
	}
	tests := []struct {
		name string
		ids  []string
		g    guarantee
		ok   bool
	}{
		{"all once", ids(0, 1, 2), exactlyOnce, true},
		{"missing", ids(0, 2), exactlyOnce, false},
		{"repeated", ids(0, 1, 1, 2), exactlyOnce, false},
		{"repeated, at least once", ids(0, 1, 1, 2), atLeastOnce, true},
		{"missing, at least once", ids(0, 1), atLeastOnce, false},
		{"stray", append(ids(0, 1, 2), "stray"), atLeastOnce, false},
	}
	for _, tt := range tests {
		if err := checkDelivered(tt.ids, 3, tt.g); (err == nil) != tt.ok {
			t.Errorf("%s: checkDelivered = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
