// Package cashregister is the coffee bar's cash register. It bills every
// coffee ordered (CoffeeOrdered → BillCreated) and takes the payment of
// every coffee served (CoffeeServed → BillPaid), on cash-register-events,
// keeping each bill in its store under the bill's number.
//
// A bill's number follows from its coffee's ticket (see [BillNumber]):
// serving a coffee finds its bill without an index, and a customer holding
// a ticket can look the bill up with GET /cash-register/bill/{uuid}, which
// any instance answers (from its local store for the bills it wrote, from
// its global store for the others').
package cashregister
