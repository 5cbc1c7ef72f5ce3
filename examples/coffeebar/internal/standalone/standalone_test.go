package standalone

import (
	"errors"
	"io"
	"testing"
)

func TestOrdinal(t *testing.T) {
	for _, tt := range []struct {
		host string
		want int
		ok   bool
	}{
		{"waiter-0", 0, true},
		{"waiter-1", 1, true},
		{"coffee-maker-12", 12, true},
		{"waiter-3.waiter.bar.svc.cluster.local", 3, true},
		{"waiter", 0, false},
		{"waiter-", 0, false},
		{"waiter-x", 0, false},
		{"waiter-01", 0, false},
	} {
		got, err := Ordinal(tt.host)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Ordinal(%q) = %d, %v; want %d, ok %v", tt.host, got, err, tt.want, tt.ok)
		}
	}
}

func TestParse(t *testing.T) {
	host := func(name string) func() (string, error) { return func() (string, error) { return name, nil } }
	cfg, err := Parse("waiter", []string{"--replicas", "3", "--brokers", "k1:9092,k2:9092", "--http", ":9000",
		"--client-option", "session.timeout.ms=6000", "--batch-interval", "50ms"}, io.Discard, host("waiter-2"))
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.Options
	if o.Instance != 2 || o.Replicas != 3 || len(o.Brokers) != 2 || o.HTTP != ":9000" || !cfg.CreateTopics || len(o.Service) != 2 {
		t.Errorf("options: %+v", o)
	}
	cfg, err = Parse("waiter", []string{"--instance", "0", "--replicas", "2"}, io.Discard, host("laptop"))
	if err != nil || cfg.Options.Instance != 0 {
		t.Errorf("--instance 0 on a host without an ordinal: %+v, %v", cfg.Options, err)
	}
	for _, tt := range []struct {
		args []string
		host func() (string, error)
	}{
		{[]string{"--replicas", "2"}, host("laptop")},
		{[]string{"--replicas", "2"}, func() (string, error) { return "", errors.New("no name") }},
		{[]string{"--instance", "2", "--replicas", "2"}, host("x")},
		{[]string{"--log-level", "loud"}, host("waiter-0")},
		{[]string{"--client-option", "novalue"}, host("waiter-0")},
		{[]string{"--batch-interval", "soon"}, host("waiter-0")},
		{[]string{"stray"}, host("waiter-0")},
	} {
		if _, err := Parse("waiter", tt.args, io.Discard, tt.host); err == nil {
			t.Errorf("Parse(%q) succeeded", tt.args)
		}
	}
}
