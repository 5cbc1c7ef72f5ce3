package broker

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

func TestSlogLogger(t *testing.T) {
	var buf bytes.Buffer
	l := slogLogger{slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	l.Logf(kfake.LogLevelWarn, "client %s: %v", "c1", "boom")
	l.Logf(kfake.LogLevelDebug, "dropped at info")
	l.Logf(kfake.LogLevelError, "persist to disk: %v", "full")
	got := buf.String()
	for _, want := range []string{`level=WARN msg="client c1: boom"`, `level=ERROR msg="persist to disk: full"`} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "dropped") {
		t.Errorf("a debug line got through an info logger:\n%s", got)
	}
}
