package kafkatest

import (
	"errors"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var configTests = []test{
	{"Invalid", testInvalidConfig},
	{"UnknownInputTopic", testUnknownInputTopic},
}

// testInvalidConfig: New refuses configurations it cannot honour, with an
// error and no client.
func testInvalidConfig(e *env) {
	e.start(map[string]int{"t": 2})
	bad := []struct {
		name string
		cfg  kafka.Config
	}{
		{"Topics without Group", kafka.Config{Topics: []string{"t"}}},
		{"OnlyOwn Instance out of range", kafka.Config{Topics: []string{"t"}, Group: "g", Policy: kafka.OnlyOwn, Instance: 2, Replicas: 2}},
		{"OnlyOwn negative Instance", kafka.Config{Topics: []string{"t"}, Group: "g", Policy: kafka.OnlyOwn, Instance: -1, Replicas: 2}},
		{"unknown Policy", kafka.Config{Topics: []string{"t"}, Group: "g", Policy: kafka.Policy(42)}},
		{"unknown Start", kafka.Config{Topics: []string{"t"}, Group: "g", Policy: kafka.All, Start: kafka.StartOffset(42)}},
		{"unknown SASL mechanism", kafka.Config{SASL: &kafka.SASL{Mechanism: "MD5", User: "u", Password: "p"}}},
		{"unknown option", kafka.Config{Options: map[string]string{"kafkatest.no.such.option": "1"}}},
	}
	for _, tt := range bad {
		if c, err := e.tryClient(tt.cfg); err == nil {
			e.t.Errorf("%s: New succeeded", tt.name)
			c.Close()
		}
	}
}

// testUnknownInputTopic: a topic to consume that does not exist is an
// error at start (New or the first Poll) matching ErrUnknownTopic.
func testUnknownInputTopic(e *env) {
	e.start(map[string]int{"t": 1})
	c, err := e.tryClient(kafka.Config{Topics: []string{"missing"}, Group: "g", Policy: kafka.OnlyOwn, Instance: 0, Replicas: 1})
	if err == nil {
		_, err = c.Poll(e.ctx, 1)
	}
	if !errors.Is(err, kafka.ErrUnknownTopic) {
		e.t.Errorf("consuming a missing topic: %v, want an error matching ErrUnknownTopic", err)
	}
}
