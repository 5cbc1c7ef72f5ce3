package audit

import (
	"strings"
	"testing"

	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/partition"
	"github.com/tonga-go/tonga/runtime/tonga"
)

const partitions = 2

// flow returns the records a coffee leaves when all goes well.
func flow(ticket string) []Seen {
	order := records.NewCoffeeOrdered()
	order.UUID, order.Amount = ticket, 3
	billed := records.NewBillCreatedFrom(order)
	billed.UUID, billed.CoffeeUUID, billed.Amount = cashregister.BillNumber(ticket), ticket, 3
	asked := records.NewMakeCoffeeFrom(order)
	asked.UUID, asked.ProcessingGuarantee = ticket, "exactly_once"
	started := records.NewCoffeeStartedFrom(order)
	started.UUID = ticket
	made := records.NewMakeCoffeeResultFrom(order)
	made.UUID = ticket
	finished := records.NewCoffeeFinishedFrom(order)
	finished.UUID = ticket
	served := records.NewCoffeeServedFrom(order)
	served.UUID = ticket
	paid := records.NewBillPaidFrom(order)
	paid.UUID, paid.CoffeeUUID, paid.Amount = billed.UUID, ticket, 3
	p := int32(partition.Murmur2Partition([]byte(ticket), partitions))
	var out []Seen
	for k, r := range []tonga.Enveloped{order, billed, asked, started, made, finished, served, paid} {
		out = append(out, Seen{Kind: Kind(k), Record: r, Topic: kindInfo[k].topic, Partition: p, Key: ticket})
	}
	return out
}

func TestCheck(t *testing.T) {
	tickets := []string{"t1", "t2", "t3"}
	all := func() []Seen {
		var s []Seen
		for _, tk := range tickets {
			s = append(s, flow(tk)...)
		}
		return s
	}
	tests := []struct {
		name     string
		edit     func([]Seen) []Seen
		problems []string // each must appear in a problem
		earlier  int
	}{
		{"all good", func(s []Seen) []Seen { return s }, nil, 0},
		{"a duplicate bill", func(s []Seen) []Seen { return append(s, flow("t1")[Billed]) }, []string{"coffee t1: 2 BillCreated records"}, 0},
		{"a coffee never paid", func(s []Seen) []Seen { return s[:len(s)-1] }, []string{"coffee t3: 0 BillPaid records"}, 0},
		{"another flow's correlation id", func(s []Seen) []Seen {
			s[Finished].Record.TongaEnvelope().CorrelationID = "other"
			return s
		}, []string{"coffee t1: CoffeeFinished has correlation id other"}, 0},
		{"the wrong partition", func(s []Seen) []Seen { s[Served].Partition = 1 - s[Served].Partition; return s }, []string{"coffee t1: CoffeeServed keyed"}, 0},
		{"the wrong topic", func(s []Seen) []Seen { s[Started].Topic = "elsewhere"; return s }, []string{"coffee t1: CoffeeStarted on elsewhere"}, 0},
		{"another bill paid", func(s []Seen) []Seen { s[Paid].Record.(*records.BillPaid).UUID = "b"; return s }, []string{"coffee t1: bill created"}, 0},
		{"the wrong guarantee", func(s []Seen) []Seen {
			s[Asked].Record.(*records.MakeCoffee).ProcessingGuarantee = "at_most_once"
			return s
		}, []string{`processing_guarantee "at_most_once"`}, 0},
		{"a failed coffee", func(s []Seen) []Seen {
			s[Made].Record.(*records.MakeCoffeeResult).Error = &tonga.ResultError{Label: "no_milk"}
			return s
		}, []string{"coffee t1: the coffee maker failed: no_milk"}, 0},
		{"an order nobody holds", func(s []Seen) []Seen { return append(s, flow("t4")...) }, []string{"coffee t4 was ordered but nobody holds its ticket"}, 0},
		{"an earlier run's coffee", func(s []Seen) []Seen { return append(s, flow("t0")[Finished:]...) }, nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := check(tt.edit(all()), tickets, partitions)
			if r.Earlier != tt.earlier {
				t.Errorf("Earlier = %d, want %d", r.Earlier, tt.earlier)
			}
			if r.OK() != (len(tt.problems) == 0) {
				t.Errorf("OK() = %v with problems %q", r.OK(), r.Problems)
			}
			if len(r.Problems) != len(tt.problems) {
				t.Errorf("problems %q, want %d", r.Problems, len(tt.problems))
			}
			for _, want := range tt.problems {
				if !strings.Contains(strings.Join(r.Problems, "\n"), want) {
					t.Errorf("no problem says %q: %q", want, r.Problems)
				}
			}
			if len(tt.problems) == 0 && (r.Complete != 3 || len(r.Total) != 3 || len(r.Stages[Paid]) != 3) {
				t.Errorf("complete %d, latencies %d, want 3", r.Complete, len(r.Total))
			}
		})
	}
}
