package rdkafka_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
)

func TestNewRejectsBadConfig(t *testing.T) {
	base := kafka.Config{Brokers: []string{"127.0.0.1:1"}}
	with := func(f func(*kafka.Config)) kafka.Config {
		c := base
		f(&c)
		return c
	}
	opt := func(k, v string) kafka.Config {
		return with(func(c *kafka.Config) { c.Options = map[string]string{k: v} })
	}
	tests := []struct {
		name string
		cfg  kafka.Config
		want string // in the error
	}{
		{"no brokers", kafka.Config{}, "no Brokers"},
		{"topics without group", with(func(c *kafka.Config) { c.Topics = []string{"t"}; c.Policy = kafka.All }), "Group is empty"},
		{"bad topic name", with(func(c *kafka.Config) { c.Group = "g"; c.Topics = []string{"a b"}; c.Policy = kafka.All }), `topic "a b"`},
		{"instance out of range", with(func(c *kafka.Config) { c.Group = "g"; c.Topics = []string{"t"}; c.Instance = 2; c.Replicas = 2 }), "Instance 2, Replicas 2"},
		{"unknown policy", with(func(c *kafka.Config) { c.Policy = 7 }), "unknown Policy 7"},
		{"unknown start", with(func(c *kafka.Config) { c.Start = 9 }), "unknown Start 9"},
		{"sasl mechanism", with(func(c *kafka.Config) { c.SASL = &kafka.SASL{Mechanism: "GSSAPI", User: "u"} }), `SASL mechanism "GSSAPI"`},
		{"idempotence off", opt("enable.idempotence", "false"), "idempotence is always on"},
		{"acks 1", opt("acks", "1"), "acks is always all"},
		{"partitioner", opt("partitioner", "murmur2_random"), "partitioner never runs"},
		{"isolation", opt("isolation.level", "read_uncommitted"), "contradicts Config.ReadUncommitted"},
		{"transactional id", opt("transactional.id", "x"), "contradicts Config.TransactionalID"},
		{"auto commit", opt("enable.auto.commit", "true"), "committed explicitly"},
		{"offset reset", opt("auto.offset.reset", "latest"), "set Config.Start"},
		{"strategy", opt("partition.assignment.strategy", "range"), "Config.Policy"},
		{"go settings", opt("go.events.channel.enable", "true"), "confluent-kafka-go's own"},
		{"sasl twice", with(func(c *kafka.Config) {
			c.SASL = &kafka.SASL{Mechanism: "PLAIN", User: "u", Password: "hunter2"}
			c.Options = map[string]string{"sasl.password": "hunter2"}
		}), "both in Config.SASL and in Options"},
		{"plaintext with tls", with(func(c *kafka.Config) {
			c.TLS = &tls.Config{}
			c.Options = map[string]string{"security.protocol": "plaintext"}
		}), "contradicts Config.SASL or Config.TLS"},
		{"tls root cas", with(func(c *kafka.Config) { c.TLS = &tls.Config{RootCAs: x509.NewCertPool()} }), "ssl.ca.location"},
		{"tls callback", with(func(c *kafka.Config) {
			c.TLS = &tls.Config{VerifyPeerCertificate: func([][]byte, [][]*x509.Certificate) error { return nil }}
		}), "verification callbacks"},
		{"unknown property", opt("no.such.property", "1"), "no.such.property"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, err := rdkafka.New(context.Background(), tt.cfg)
			if err == nil {
				cl.Close()
				t.Fatal("New succeeded")
			}
			if !errors.Is(err, rdkafka.ErrInvalidConfig) || !errors.Is(err, kafka.ErrFatal) {
				t.Errorf("error %v does not wrap ErrInvalidConfig and ErrFatal", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows a password", err)
			}
		})
	}
}

func TestOptionsPassThrough(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("t", 1, nil))
	// Options that agree with the guarantees are accepted.
	p := newClient(t, b, kafka.Config{Options: map[string]string{
		"acks": "-1", "enable.idempotence": "true", "linger.ms": "0", "isolation.level": "read_committed",
	}})
	produce(ctx, t, p, "t", 0, "a")
}

// captured is a slog.Handler keeping what it is given.
type captured struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *captured) Enabled(context.Context, slog.Level) bool { return true }
func (h *captured) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r)
	return nil
}
func (h *captured) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *captured) WithGroup(string) slog.Handler      { return h }

func TestLoggerGetsLibrdkafkaLogs(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.SASL(broker.ScramSHA256, "admin", "hunter2"), broker.Topic("t", 1, nil))
	h := &captured{}
	p := newClient(t, b, kafka.Config{
		SASL:    &kafka.SASL{Mechanism: "SCRAM-SHA-256", User: "admin", Password: "hunter2"},
		Logger:  slog.New(h),
		Options: map[string]string{"debug": "conf,security,broker"},
	})
	produce(ctx, t, p, "t", 0, "a")
	p.Close()
	h.mu.Lock()
	defer h.mu.Unlock()
	debug := 0
	for _, r := range h.recs {
		if r.Level == slog.LevelDebug {
			debug++
		}
		var line strings.Builder
		line.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool { line.WriteString(" " + a.String()); return true })
		if strings.Contains(line.String(), "hunter2") {
			t.Errorf("a log line shows the password: %s", line.String())
		}
	}
	if debug == 0 {
		t.Errorf("no debug lines among %d", len(h.recs))
	}
}
