package service_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/internal/servicetest"
)

// TestExactlyOnceWithBrokerFaults runs the pipeline while the broker fails
// produce requests, transaction ends and transactional offset commits; the
// loop retries or aborts, rewinds and redoes, and a read_committed reader
// sees every bill exactly once, in order.
func TestExactlyOnceWithBrokerFaults(t *testing.T) {
	b := startBroker(t, 1)
	svc := newService(t, b, &servicetest.CashRegister{}, 0, 1)
	r := servicetest.Run(t, svc)
	produceOrders(t, b, 0, 500)
	servicetest.ReadCommitted(t, b, outTopic, 500)

	faults := b.Cluster().Fault(
		kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: outTopic, Err: kerr.NotLeaderForPartition, Count: 3},
		kfake.Fault{Keys: []kmsg.Key{kmsg.EndTxn}, Err: kerr.UnknownServerError, Count: 2},
		kfake.Fault{Keys: []kmsg.Key{kmsg.TxnOffsetCommit}, Err: kerr.RequestTimedOut, Count: 2},
	)
	defer faults.Remove()
	produceOrders(t, b, 500, 2500)
	servicetest.ReadCommitted(t, b, outTopic, 3000)
	if err := r.Stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkBills(t, servicetest.ReadAll(t, b, outTopic, 1, true), 3000)
	if hits := faults.Hits(); hits == 0 {
		t.Error("no fault was injected")
	}
	t.Logf("metrics %+v", svc.Metrics())
}
