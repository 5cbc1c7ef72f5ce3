package service_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/internal/servicetest"
)

func TestHTTPEndpoints(t *testing.T) {
	b := startBroker(t, 1)
	svc := newService(t, b, &servicetest.CashRegister{}, 0, 1)
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("/readyz"); code != 503 {
		t.Errorf("/readyz before Run: %d, want 503", code)
	}
	r := servicetest.Run(t, svc)
	produceOrders(t, b, 0, 20)
	servicetest.ReadCommitted(t, b, outTopic, 20)
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz while running: %d", code)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz while running: %d", code)
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	code, body := get("/metrics")
	for _, want := range []string{
		"# TYPE tonga_records_in_total counter",
		`tonga_records_out_total{service="cash-register",instance="0"} 20`,
		"tonga_transactions_committed_total{",
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
}
