// Package syncbuf is a bytes.Buffer that goroutines may write to while
// another reads it: where tests collect a service's or a child process's
// logs.
package syncbuf

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
)

// Buffer is a bytes.Buffer guarded by a mutex. The zero value is empty
// and ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Tail returns the last n lines written, after a line counting those
// before them.
func (s *Buffer) Tail(n int) string {
	lines := strings.SplitAfter(s.String(), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... %d lines before\n", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "")
}
