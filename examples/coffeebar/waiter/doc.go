// Package waiter is the coffee bar's waiter: it takes orders and hands
// coffees over, over HTTP, and keeps the state of every coffee in its
// store.
//
// The routes send events (CoffeeOrdered, CoffeeServed) to waiter-events;
// the waiter's handlers consume them, with the bartender's CoffeeFinished,
// and record each coffee's state in the waiter's store inside the
// transaction that commits the event's offset. The store is thus a fold of
// the events: the two never diverge, whatever crashes.
//
//	POST /waiter/order-coffee        {coffee_type, coffee_for, cup_type, amount} → 201 {ticket}
//	GET  /waiter/coffee/{ticket}     → the coffee, state ordered, awaiting or served
//	POST /waiter/coffee/{ticket}/collect → CoffeeServed if awaiting; 409 otherwise
//
// Any instance answers for any ticket: the instance whose partition the
// ticket hashes to holds the coffee in its local store, the others in
// their global store. Between an order and its being in a store lies a
// short window (until the owner's next commit, one batch interval; longer
// while the owner restarts): the instance that took the order answers
// from what it sent (see desk), another answers 404 with Retry-After
// until its global store has it.
package waiter
