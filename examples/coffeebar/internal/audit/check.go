package audit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/partition"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Kind is a step of a coffee's flow: the record it leaves.
type Kind int

// The kinds of record of a flow, in flow order.
const (
	Ordered  Kind = iota // CoffeeOrdered on waiter-events
	Billed               // BillCreated on cash-register-events
	Asked                // MakeCoffee on coffee-maker-commands
	Started              // CoffeeStarted on coffee-maker-events
	Made                 // MakeCoffeeResult on coffee-maker-results
	Finished             // CoffeeFinished on bartender-events
	Served               // CoffeeServed on waiter-events
	Paid                 // BillPaid on cash-register-events
	numKinds
)

// NumKinds is the number of kinds.
const NumKinds = int(numKinds)

var kindInfo = [numKinds]struct{ name, record, topic string }{
	{"ordered", "CoffeeOrdered", bar.WaiterEvents},
	{"billed", "BillCreated", bar.CashRegisterEvents},
	{"asked", "MakeCoffee", bar.CoffeeMakerCommands},
	{"started", "CoffeeStarted", bar.CoffeeMakerEvents},
	{"made", "MakeCoffeeResult", bar.CoffeeMakerResults},
	{"finished", "CoffeeFinished", bar.BartenderEvents},
	{"served", "CoffeeServed", bar.WaiterEvents},
	{"paid", "BillPaid", bar.CashRegisterEvents},
}

func (k Kind) String() string { return kindInfo[k].name }

// kindOf returns the kind of a flow record.
func kindOf(r tonga.Record) (Kind, bool) {
	switch r.(type) {
	case *records.CoffeeOrdered:
		return Ordered, true
	case *records.BillCreated:
		return Billed, true
	case *records.MakeCoffee:
		return Asked, true
	case *records.CoffeeStarted:
		return Started, true
	case *records.MakeCoffeeResult:
		return Made, true
	case *records.CoffeeFinished:
		return Finished, true
	case *records.CoffeeServed:
		return Served, true
	case *records.BillPaid:
		return Paid, true
	}
	return 0, false
}

// coffeeOf returns the ticket of the coffee a flow record is about.
func coffeeOf(s Seen) string {
	switch r := s.Record.(type) {
	case *records.CoffeeOrdered:
		return r.UUID
	case *records.BillCreated:
		return r.CoffeeUUID
	case *records.MakeCoffee:
		return r.UUID
	case *records.CoffeeStarted:
		return r.UUID
	case *records.MakeCoffeeResult:
		return r.UUID
	case *records.CoffeeFinished:
		return r.UUID
	case *records.CoffeeServed:
		return r.UUID
	case *records.BillPaid:
		return r.CoffeeUUID
	}
	return ""
}

// Report is what Check found.
type Report struct {
	// Coffees is how many tickets were checked; Complete how many of them
	// left exactly one record of each kind, correctly linked.
	Coffees, Complete int
	// Records is how many flow records of the run were read.
	Records int
	// Earlier counts records of flows ordered before the audit started
	// (an earlier run on the same broker), which are not checked.
	Earlier int
	// DeadLettered counts records sent to dead-letter topics meanwhile.
	DeadLettered int64
	// Problems lists the violations found, one per line, the first
	// maxProblems of NumProblems.
	Problems    []string
	NumProblems int
	// Stages holds, per step of the flow (Kind k > Ordered: from the
	// record of kind k-1 to that of kind k, by their envelope
	// timestamps), the latency of every complete coffee; Total from order
	// to payment.
	Stages [numKinds][]time.Duration
	Total  []time.Duration
}

// OK reports whether every coffee went through the flow exactly once.
func (r *Report) OK() bool { return r.NumProblems == 0 && r.Complete == r.Coffees }

// maxProblems bounds the problems listed.
const maxProblems = 50

// Check reads the topics to their end (CatchUp) and checks that each of
// tickets — the coffees the crowd holds tickets for — left exactly one
// record of each kind, on its topic, keyed and partitioned by the ticket,
// all with the correlation id of its CoffeeOrdered; that the bill paid is
// the bill created; and that no record of the run belongs to a coffee
// nobody holds a ticket for.
func (a *Audit) Check(ctx context.Context, tickets []string) (*Report, error) {
	if err := a.CatchUp(ctx); err != nil {
		return nil, err
	}
	dead, err := a.deadLettered(ctx)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	seen, bad := slices.Clone(a.seen), slices.Clone(a.bad)
	a.mu.Unlock()
	r := check(seen, tickets, a.partitions)
	r.DeadLettered = dead
	if dead > 0 {
		r.problem("%d records were dead-lettered", dead)
	}
	for _, b := range bad {
		r.problem("%s", b)
	}
	return r, nil
}

func (r *Report) problem(format string, args ...any) {
	r.NumProblems++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// check is Check on records already read.
func check(seen []Seen, tickets []string, partitions int) *Report {
	r := &Report{Coffees: len(tickets)}
	byCoffee := map[string][numKinds][]Seen{}
	for _, s := range seen {
		c := coffeeOf(s)
		flow := byCoffee[c]
		flow[s.Kind] = append(flow[s.Kind], s)
		byCoffee[c] = flow
	}
	held := map[string]bool{}
	for _, t := range tickets {
		held[t] = true
		flow := byCoffee[t]
		r.Records += count(flow)
		if r.checkFlow(t, &flow, partitions) {
			r.Complete++
			r.addLatencies(&flow)
		}
	}
	for c, flow := range byCoffee {
		switch {
		case held[c]:
		case len(flow[Ordered]) == 0:
			r.Earlier += count(flow) // ordered before the run
		default:
			r.Records += count(flow)
			r.problem("coffee %s was ordered but nobody holds its ticket (%d records)", c, count(flow))
		}
	}
	slices.Sort(r.Problems)
	return r
}

func count(flow [numKinds][]Seen) int {
	n := 0
	for _, s := range flow {
		n += len(s)
	}
	return n
}

// checkFlow checks one coffee's records, reporting each problem.
func (r *Report) checkFlow(ticket string, flow *[numKinds][]Seen, partitions int) bool {
	before := r.NumProblems
	want := partition.Murmur2Partition([]byte(ticket), partitions)
	for k := range numKinds {
		if n := len(flow[k]); n != 1 {
			r.problem("coffee %s: %d %s records (%s), want exactly 1", ticket, n, kindInfo[k].record, k)
			continue
		}
		s := flow[k][0]
		switch {
		case s.Topic != kindInfo[k].topic:
			r.problem("coffee %s: %s on %s, want %s", ticket, kindInfo[k].record, s.Topic, kindInfo[k].topic)
		case s.Key != ticket || int(s.Partition) != want:
			r.problem("coffee %s: %s keyed %q on partition %d, want keyed by the ticket on partition %d", ticket, kindInfo[k].record, s.Key, s.Partition, want)
		}
	}
	if r.NumProblems > before {
		return false
	}
	order := flow[Ordered][0].Record.(*records.CoffeeOrdered)
	if !order.IsRoot() {
		r.problem("coffee %s: CoffeeOrdered does not start a flow (correlation id %s)", ticket, order.CorrelationID)
	}
	for k := Billed; k < numKinds; k++ {
		if id := flow[k][0].Record.TongaEnvelope().CorrelationID; id != order.CorrelationID {
			r.problem("coffee %s: %s has correlation id %s, want the order's %s", ticket, kindInfo[k].record, id, order.CorrelationID)
		}
	}
	billed, paid := flow[Billed][0].Record.(*records.BillCreated), flow[Paid][0].Record.(*records.BillPaid)
	if number := cashregister.BillNumber(ticket); billed.UUID != number || paid.UUID != number {
		r.problem("coffee %s: bill created %s, paid %s, want both %s", ticket, billed.UUID, paid.UUID, number)
	}
	if billed.Amount != order.Amount || paid.Amount != order.Amount {
		r.problem("coffee %s: ordered for %v, billed %v, paid %v", ticket, order.Amount, billed.Amount, paid.Amount)
	}
	if g := flow[Asked][0].Record.(*records.MakeCoffee).ProcessingGuarantee; g != tonga.ExactlyOnce {
		r.problem("coffee %s: MakeCoffee carries processing_guarantee %q, want exactly_once", ticket, g)
	}
	if e := flow[Made][0].Record.(*records.MakeCoffeeResult).Error; e != nil {
		r.problem("coffee %s: the coffee maker failed: %v", ticket, e)
	}
	return r.NumProblems == before
}

func (r *Report) addLatencies(flow *[numKinds][]Seen) {
	at := func(k Kind) time.Time { return flow[k][0].Record.TongaEnvelope().Time() }
	for k := Billed; k < numKinds; k++ {
		r.Stages[k] = append(r.Stages[k], at(k).Sub(at(k-1)))
	}
	r.Total = append(r.Total, at(Paid).Sub(at(Ordered)))
}

// StageName names the step that ends with a record of kind k.
func StageName(k Kind) string {
	return kindInfo[k-1].record + " → " + kindInfo[k].record
}
