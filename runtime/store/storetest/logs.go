package storetest

import (
	"context"
	"log/slog"
	"slices"
	"sync"
)

// logLines collects log records, flattened: the message, the level and
// every attribute (those given to With included) by key.
type logLines struct {
	mu    sync.Mutex
	lines []logLine
}

type logLine struct {
	level slog.Level
	msg   string
	attrs map[string]slog.Value
}

// logger returns a logger writing to l.
func (l *logLines) logger() *slog.Logger { return slog.New(&lineHandler{lines: l}) }

// find returns the lines with message msg.
func (l *logLines) find(msg string) []logLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logLine
	for _, line := range l.lines {
		if line.msg == msg {
			out = append(out, line)
		}
	}
	return out
}

type lineHandler struct {
	lines *logLines
	attrs []slog.Attr
}

func (h *lineHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	line := logLine{level: r.Level, msg: r.Message, attrs: map[string]slog.Value{}}
	for _, a := range h.attrs {
		line.attrs[a.Key] = a.Value.Resolve()
	}
	r.Attrs(func(a slog.Attr) bool {
		line.attrs[a.Key] = a.Value.Resolve()
		return true
	})
	h.lines.mu.Lock()
	h.lines.lines = append(h.lines.lines, line)
	h.lines.mu.Unlock()
	return nil
}

func (h *lineHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &lineHandler{lines: h.lines, attrs: append(slices.Clip(h.attrs), attrs...)}
}

func (h *lineHandler) WithGroup(string) slog.Handler { return h }
