package franz

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/kafka"
)

func TestValidate(t *testing.T) {
	ok := kafka.Config{Brokers: []string{"127.0.0.1:9092"}}
	tests := []struct {
		name string
		edit func(*kafka.Config)
		want string // in the error; "" for none
	}{
		{"producer", func(*kafka.Config) {}, ""},
		{"consumer", func(c *kafka.Config) {
			c.Topics, c.Group, c.Instance, c.Replicas = []string{"t"}, "g", 1, 2
		}, ""},
		{"no brokers", func(c *kafka.Config) { c.Brokers = nil }, "no Brokers"},
		{"topics without group", func(c *kafka.Config) { c.Topics = []string{"t"} }, "need a Group"},
		{"empty topic", func(c *kafka.Config) { c.Topics, c.Group, c.Policy = []string{""}, "g", kafka.All }, "empty"},
		{"only own without replicas", func(c *kafka.Config) { c.Topics, c.Group = []string{"t"}, "g" }, "Replicas 0"},
		{"only own instance too big", func(c *kafka.Config) {
			c.Topics, c.Group, c.Instance, c.Replicas = []string{"t"}, "g", 3, 3
		}, "Instance 3"},
		{"all instance out of range", func(c *kafka.Config) {
			c.Topics, c.Group, c.Policy, c.Instance, c.Replicas = []string{"t"}, "g", kafka.All, 5, 2
		}, "Instance 5"},
		{"policy", func(c *kafka.Config) { c.Policy = 9 }, "unknown Policy 9"},
		{"start", func(c *kafka.Config) { c.Start = -1 }, "unknown Start -1"},
		{"sasl mechanism", func(c *kafka.Config) { c.SASL = &kafka.SASL{Mechanism: "GSSAPI", User: "u", Password: "secret"} }, "GSSAPI"},
		{"sasl user", func(c *kafka.Config) { c.SASL = &kafka.SASL{Mechanism: "PLAIN", Password: "secret"} }, "user is empty"},
		{"unknown option", func(c *kafka.Config) { c.Options = map[string]string{"acks": "all"} }, `unknown option "acks"`},
		{"bad option value", func(c *kafka.Config) { c.Options = map[string]string{"linger.ms": "soon"} }, "linger.ms"},
		{"option", func(c *kafka.Config) { c.Options = map[string]string{"linger.ms": "5", "metadata.min.age.ms": "10"} }, ""},
		{"several", func(c *kafka.Config) { c.Brokers, c.Policy = nil, 9 }, "unknown Policy 9"},
	}
	for _, tt := range tests {
		cfg := ok
		tt.edit(&cfg)
		err := validate(&cfg)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.want)
		case err != nil && !errors.Is(err, ErrInvalidConfig):
			t.Errorf("%s: %v does not wrap ErrInvalidConfig", tt.name, err)
		case err != nil && strings.Contains(err.Error(), "secret"):
			t.Errorf("%s: the error shows the password: %v", tt.name, err)
		}
	}
}

// TestNewInvalid checks that New returns the validation error, with no
// network involved.
func TestNewInvalid(t *testing.T) {
	c, err := New(context.Background(), kafka.Config{Topics: []string{"t"}})
	if c != nil || !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("New = %v, %v; want ErrInvalidConfig", c, err)
	}
}

func TestLoggerLevels(t *testing.T) {
	for _, tt := range []struct {
		level slog.Level
		want  kgo.LogLevel
	}{
		{slog.LevelDebug, kgo.LogLevelDebug},
		{slog.LevelInfo, kgo.LogLevelWarn}, // franz-go's info lines are debug lines here
		{slog.LevelWarn, kgo.LogLevelWarn},
		{slog.LevelError, kgo.LogLevelError},
		{slog.LevelError + 1, kgo.LogLevelNone},
	} {
		var buf strings.Builder
		l := slogLogger{slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tt.level}))}
		if got := l.Level(); got != tt.want {
			t.Errorf("slog level %v: Level() = %v, want %v", tt.level, got, tt.want)
		}
		l.Log(kgo.LogLevelError, "boom", "broker", 1)
		if logged := strings.Contains(buf.String(), "level=ERROR msg=boom broker=1"); logged != (tt.level <= slog.LevelError) {
			t.Errorf("slog level %v: logged %q", tt.level, buf.String())
		}
		buf.Reset()
		l.Log(kgo.LogLevelInfo, "joined", "group", "g")
		if logged := strings.Contains(buf.String(), "level=DEBUG msg=joined group=g"); logged != (tt.level <= slog.LevelDebug) {
			t.Errorf("slog level %v: franz-go's info line logged as %q", tt.level, buf.String())
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want error
	}{
		{kgo.ErrClientClosed, kafka.ErrFatal},
		{context.Canceled, nil},
		{kgo.ErrRecordTimeout, kafka.ErrRetriable},
		{errors.New("other"), nil},
	} {
		if got := classify(tt.err); !errors.Is(got, tt.want) || (tt.want == nil) != (got == nil) {
			t.Errorf("classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
