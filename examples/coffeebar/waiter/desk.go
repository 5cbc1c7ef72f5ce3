package waiter

import (
	"sync"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/state"
)

// deskMemory is how long the desk remembers a coffee its stores have not
// shown: far longer than the window between sending an event and the
// owner's store having it, even across the owner's restart.
const deskMemory = 2 * time.Minute

// desk is what this waiter instance sent and its stores may not show yet:
// the orders it took and the coffees it handed over. The events are on
// the broker when the desk notes them; the stores have them once the
// instance owning the ticket has handled them and committed (and, on the
// other instances, once their global store has read that). So that a
// customer asking the waiter who served them never hears "unknown ticket"
// or "ready" again, answers take the further along of the stores and the
// desk; the desk forgets a coffee once the stores have caught up.
//
// The desk also makes one collect of a ticket at a time: two customers
// collecting the same coffee at one instance cannot both be served. At
// two instances they can, for a moment; the second CoffeeServed then
// changes nothing (the coffee is served already, the bill paid already).
type desk struct {
	mu         sync.Mutex
	sent       map[string]noted
	collecting map[string]bool
	pruned     time.Time
}

type noted struct {
	coffee state.Coffee
	at     time.Time
}

func newDesk() desk {
	return desk{sent: map[string]noted{}, collecting: map[string]bool{}}
}

// note remembers c as sent.
func (d *desk) note(c *state.Coffee) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	d.sent[c.Ticket] = noted{*c, now}
	if now.Sub(d.pruned) > deskMemory/4 {
		for t, n := range d.sent {
			if now.Sub(n.at) > deskMemory {
				delete(d.sent, t)
			}
		}
		d.pruned = now
	}
}

// latest returns the further along of stored (nil if the stores have
// none) and what the desk sent for ticket, or nil if neither knows it.
func (d *desk) latest(ticket string, stored *state.Coffee) *state.Coffee {
	d.mu.Lock()
	defer d.mu.Unlock()
	n, ok := d.sent[ticket]
	switch {
	case !ok:
		return stored
	case stored == nil:
		c := n.coffee
		return &c
	case stored.State >= n.coffee.State:
		delete(d.sent, ticket) // the stores caught up
		return stored
	}
	c := *stored
	c.State, c.ServedAt = n.coffee.State, n.coffee.ServedAt
	return &c
}

// claim reserves ticket for one collect; false if another is under way.
func (d *desk) claim(ticket string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.collecting[ticket] {
		return false
	}
	d.collecting[ticket] = true
	return true
}

// release ends the collect of ticket.
func (d *desk) release(ticket string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.collecting, ticket)
}
