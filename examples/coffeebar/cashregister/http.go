package cashregister

import (
	"errors"
	"net/http"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/internal/api"
	"github.com/tonga-go/tonga/examples/coffeebar/state"
	"github.com/tonga-go/tonga/runtime/store"
)

// Bill is a bill as GET /cash-register/bill/{uuid} answers it.
type Bill struct {
	UUID       string     `json:"uuid"`
	CoffeeUUID string     `json:"coffee_uuid"`
	Amount     float32    `json:"amount"`
	Paid       bool       `json:"paid"`
	BilledAt   time.Time  `json:"billed_at"`
	PaidAt     *time.Time `json:"paid_at,omitempty"`
}

func billOf(b *state.Bill) Bill {
	return Bill{UUID: b.UUID, CoffeeUUID: b.CoffeeUUID, Amount: b.Amount, Paid: b.PaidAt != nil, BilledAt: b.BilledAt, PaidAt: b.PaidAt}
}

// getBill serves GET /cash-register/bill/{uuid}. A bill shows once the
// cash register's transaction that created it committed, and, on another
// instance than the one that wrote it, once its global store has read it:
// until then the answer is 404.
func (c *CashRegister) getBill(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("uuid")
	if !api.IsUUID(number) {
		api.Error(w, http.StatusBadRequest, "%q is not a bill number (a UUID)", number)
		return
	}
	if !c.bills.Ready() {
		api.Unavailable(w, time.Second, "the cash register is starting: its stores are being rebuilt")
		return
	}
	bill, err := c.bills.Find(r.Context(), number)
	switch {
	case errors.Is(err, store.ErrNotFound):
		api.Error(w, http.StatusNotFound, "no bill %s (yet: a bill shows shortly after its coffee is ordered)", number)
	case err != nil:
		api.Error(w, http.StatusInternalServerError, "bill %s: %v", number, err)
	default:
		api.JSON(w, http.StatusOK, billOf(bill))
	}
}
