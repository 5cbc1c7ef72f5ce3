package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cfg, err := parse([]string{"--orders", "50", "--instances", "3", "--brokers", "a:9092,b:9092", "--exit-when-done"}, &bytes.Buffer{})
	if err != nil || cfg.Orders != 50 || cfg.Instances != 3 || len(cfg.Brokers) != 2 || !cfg.ExitWhenDone || cfg.Customers != 16 {
		t.Errorf("parse: %+v, %v", cfg, err)
	}
	for _, args := range [][]string{
		{"--orders", "0"},
		{"--instances", "-1"},
		{"--brokers", "a:9092", "--broker-listen", "127.0.0.1:9092"},
		{"--orders", "many"},
		{"extra"},
	} {
		if _, err := parse(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parse(%q) succeeded", args)
		}
	}
}

func TestRunUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--nope"}, &bytes.Buffer{}, &stderr); code != 2 || !strings.Contains(stderr.String(), "-orders") {
		t.Errorf("run with a bad flag: exit %d, stderr %q", code, stderr.String())
	}
	if code := run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &stderr); code != 0 {
		t.Errorf("run -h: exit %d", code)
	}
}

// TestDemo runs the demo as `go run ./examples/coffeebar --orders 40
// --exit-when-done` would.
func TestDemo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--orders", "40", "--customers", "8", "--exit-when-done"}, &stdout, &stderr)
	out := stdout.String()
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	for _, want := range []string{
		"coffee bar: 2 instances of each service, embedded broker on 127.0.0.1:",
		"  waiter        http://127.0.0.1:",
		"ordered   40/40  billed   40  made   40  finished   40  served   40  paid   40",
		"40 orders taken, 40 paid",
		"CoffeeOrdered → BillPaid (the whole flow)",
		"read back, read_committed, from every topic: 320 records of 40 coffees",
		"exactly once: each of the 40 coffees",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}
