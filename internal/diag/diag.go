// Package diag collects generator diagnostics: positioned messages in the
// form file:line:col: message, reported all together rather than stopping
// at the first.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a schema file. Line and Col count from 1; a zero
// Line means the position is unknown and only the file is printed.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Compare orders positions by file, line and column.
func (p Pos) Compare(q Pos) int {
	if c := cmp.Compare(p.File, q.File); c != 0 {
		return c
	}
	if c := cmp.Compare(p.Line, q.Line); c != 0 {
		return c
	}
	return cmp.Compare(p.Col, q.Col)
}

// Diagnostic is one problem found in the input.
type Diagnostic struct {
	Pos Pos
	Msg string
}

// String formats d as file:line:col: message.
func (d Diagnostic) String() string { return d.Pos.String() + ": " + d.Msg }

// List is a collection of diagnostics. The zero value is ready to use.
type List struct {
	items []Diagnostic
}

// Addf records a diagnostic at pos.
func (l *List) Addf(pos Pos, format string, args ...any) {
	l.items = append(l.items, Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Append adds every diagnostic of other to l.
func (l *List) Append(other *List) {
	if other != nil {
		l.items = append(l.items, other.items...)
	}
}

// AppendError adds the diagnostics of err when it is an *Error, and err as
// a diagnostic without position otherwise. A nil err adds nothing.
func (l *List) AppendError(err error) {
	var de *Error
	switch {
	case err == nil:
	case errors.As(err, &de):
		l.items = append(l.items, de.Diagnostics...)
	default:
		l.items = append(l.items, Diagnostic{Msg: err.Error()})
	}
}

// Len reports how many diagnostics l holds.
func (l *List) Len() int { return len(l.items) }

// Items returns the diagnostics sorted by position, duplicates removed.
func (l *List) Items() []Diagnostic {
	out := slices.Clone(l.items)
	slices.SortStableFunc(out, func(a, b Diagnostic) int {
		if c := a.Pos.Compare(b.Pos); c != 0 {
			return c
		}
		return cmp.Compare(a.Msg, b.Msg)
	})
	return slices.Compact(out)
}

// Err returns nil when l is empty and an *Error holding the sorted
// diagnostics otherwise.
func (l *List) Err() error {
	if l.Len() == 0 {
		return nil
	}
	return &Error{Diagnostics: l.Items()}
}

// Error is the error returned by a stage that found problems. Its message
// holds one diagnostic per line.
type Error struct {
	Diagnostics []Diagnostic
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Diagnostics {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}
