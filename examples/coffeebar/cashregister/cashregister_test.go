package cashregister_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/cashregister"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/audit"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/bartest"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/tonga"
)

func TestBillNumber(t *testing.T) {
	a, b := cashregister.BillNumber("910ea1ea-998a-49d0-a550-d8ed0d1c7287"), cashregister.BillNumber("910ea1ea-998a-49d0-a550-d8ed0d1c7288")
	if a == b || a != cashregister.BillNumber("910ea1ea-998a-49d0-a550-d8ed0d1c7287") {
		t.Errorf("bill numbers %s, %s: want one per coffee, always the same", a, b)
	}
	if len(a) != 36 || a[14] != '5' || !strings.ContainsRune("89ab", rune(a[19])) {
		t.Errorf("bill number %s is not a version-5 RFC 4122 UUID", a)
	}
}

func TestBillPaidOnce(t *testing.T) {
	b := bartest.Broker(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), bartest.Timeout)
	defer cancel()
	a, err := audit.New(ctx, b.Addrs(), 1)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := cashregister.New(bartest.Options(b, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	url := bartest.Run(t, inst)

	order := records.NewCoffeeOrdered()
	ticket := tonga.NewUUID()
	order.UUID, order.PartitionKey, order.Amount = ticket, &ticket, 2.5
	bartest.Send(t, b, bar.WaiterEvents, 1, order)
	billURL := url + "/cash-register/bill/" + cashregister.BillNumber(ticket)
	var bill cashregister.Bill
	bartest.Eventually(t, "the bill", func() bool { return bartest.Do(t, "GET", billURL, "", &bill) == http.StatusOK })
	if bill.Paid || bill.CoffeeUUID != ticket || bill.Amount != 2.5 || bill.PaidAt != nil {
		t.Errorf("open bill: %+v", bill)
	}

	// The coffee is handed over twice (two waiters collecting at once):
	// the bill is paid once.
	for range 2 {
		served := records.NewCoffeeServedFrom(order)
		served.UUID, served.PartitionKey = ticket, &ticket
		bartest.Send(t, b, bar.WaiterEvents, 1, served)
	}
	bartest.Eventually(t, "the bill paid", func() bool { return bartest.Do(t, "GET", billURL, "", &bill) == http.StatusOK && bill.Paid })
	tp := kafka.TopicPartition{Topic: bar.WaiterEvents}
	bartest.Eventually(t, "every event handled", func() bool { return inst.Metrics().Committed[tp] >= 3 })
	if err := a.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if n := a.Counts(); n[audit.Billed] != 1 || n[audit.Paid] != 1 {
		t.Errorf("cash-register-events holds %d BillCreated and %d BillPaid, want 1 each", n[audit.Billed], n[audit.Paid])
	}
}

func TestErrors(t *testing.T) {
	b := bartest.Broker(t, 1)
	inst, err := cashregister.New(bartest.Options(b, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	url := bartest.Run(t, inst)
	for _, tt := range []struct {
		path   string
		status int
		says   string
	}{
		{"/cash-register/bill/42", 400, "not a bill number"},
		{"/cash-register/bill/" + cashregister.BillNumber("nothing ordered"), 404, "no bill"},
	} {
		var e bartest.ErrorBody
		if s := bartest.Do(t, "GET", url+tt.path, "", &e); s != tt.status || !strings.Contains(e.Error, tt.says) {
			t.Errorf("GET %s: %d %q, want %d and an error saying %q", tt.path, s, e.Error, tt.status, tt.says)
		}
	}
}
