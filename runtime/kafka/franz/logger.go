package franz

import (
	"context"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"
)

// slogLogger is a kgo.Logger writing through slog. franz-go's info lines
// (every metadata refresh, join and assignment) are the client's
// internals, not the service's news: they go out at slog's debug level,
// with franz-go's own debug lines. Warnings and errors keep their level.
// franz-go logs no secrets: SASL credentials never appear in its lines.
type slogLogger struct{ l *slog.Logger }

// Level returns the most verbose kgo level the slog handler enables, asked
// on each call so that a handler whose level changes is followed.
func (s slogLogger) Level() kgo.LogLevel {
	ctx := context.Background()
	switch {
	case s.l.Enabled(ctx, slog.LevelDebug):
		return kgo.LogLevelDebug
	case s.l.Enabled(ctx, slog.LevelWarn):
		return kgo.LogLevelWarn
	case s.l.Enabled(ctx, slog.LevelError):
		return kgo.LogLevelError
	}
	return kgo.LogLevelNone
}

// Log logs msg with franz-go's alternating key-value pairs as attributes.
func (s slogLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	var lvl slog.Level
	switch level {
	case kgo.LogLevelError:
		lvl = slog.LevelError
	case kgo.LogLevelWarn:
		lvl = slog.LevelWarn
	case kgo.LogLevelInfo, kgo.LogLevelDebug:
		lvl = slog.LevelDebug
	default:
		return
	}
	s.l.Log(context.Background(), lvl, msg, keyvals...)
}
