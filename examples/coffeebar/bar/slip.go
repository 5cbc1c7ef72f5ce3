package bar

import (
	"math"
	"time"

	"github.com/tonga-go/tonga/runtime/tonga"
)

// Slip is the order slip: what the waiter writes down when a coffee is
// ordered. It travels in the context of every record of the coffee's flow
// (records emitted while handling another inherit its context), so the
// bartender knows what to ask the coffee maker for, and for whom, without
// asking the waiter.
type Slip struct {
	CoffeeType string
	CupType    string
	CoffeeFor  string
	OrderedAt  time.Time
}

// The context keys of a slip. Times are epoch milliseconds, as Tonga
// writes timestamps.
const (
	slipCoffeeType = "coffee_type"
	slipCupType    = "cup_type"
	slipCoffeeFor  = "coffee_for"
	slipOrderedAt  = "ordered_at"
)

// Context returns the slip as a flow context.
func (s Slip) Context() tonga.Context {
	return tonga.Context{
		slipCoffeeType: tonga.ContextString(s.CoffeeType),
		slipCupType:    tonga.ContextString(s.CupType),
		slipCoffeeFor:  tonga.ContextString(s.CoffeeFor),
		slipOrderedAt:  tonga.ContextDouble(float64(s.OrderedAt.UnixMicro()) / 1000),
	}
}

// SlipOf reads the slip from the context of r's flow; what is missing
// reads as zero.
func SlipOf(r tonga.Enveloped) Slip {
	c := r.TongaEnvelope().Context
	s := Slip{CoffeeType: text(c[slipCoffeeType]), CupType: text(c[slipCupType]), CoffeeFor: text(c[slipCoffeeFor])}
	if ms, ok := number(c[slipOrderedAt]); ok {
		s.OrderedAt = time.UnixMicro(int64(math.Round(ms * 1000))).UTC()
	}
	return s
}

func text(v tonga.ContextValue) string {
	s, _ := v.(tonga.ContextString)
	return string(s)
}

// number reads any numeric context value: Python Tonga writes every
// number as a double.
func number(v tonga.ContextValue) (float64, bool) {
	switch v := v.(type) {
	case tonga.ContextDouble:
		return float64(v), true
	case tonga.ContextFloat:
		return float64(v), true
	case tonga.ContextLong:
		return float64(v), true
	case tonga.ContextInt:
		return float64(v), true
	}
	return 0, false
}
