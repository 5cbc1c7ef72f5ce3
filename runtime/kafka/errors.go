package kafka

import (
	"errors"
	"fmt"
	"strings"
)

// The classes of error a Client returns; match them with errors.Is.
var (
	// ErrFenced: another client took over the transactional id (a newer
	// instance of the same service, or a duplicate). This client must
	// stop: it can never write again.
	ErrFenced = errors.New("kafka: fenced by a newer producer with the same transactional id")
	// ErrAbortable: the open transaction must be aborted; the work since
	// the last commit can then be redone.
	ErrAbortable = errors.New("kafka: transaction must be aborted")
	// ErrRetriable: the operation failed for a reason that may pass (a
	// leader change, a timeout); retrying it may succeed.
	ErrRetriable = errors.New("kafka: retriable error")
	// ErrFatal: the client cannot go on (authentication failed, a
	// configuration the broker refuses).
	ErrFatal = errors.New("kafka: fatal error")
	// ErrUnknownTopic: the topic does not exist.
	ErrUnknownTopic = errors.New("kafka: unknown topic")
	// ErrAuthorization: the principal may not do this to the topic or
	// group named in the error.
	ErrAuthorization = errors.New("kafka: not authorized")
)

// Error is an error of a Client operation, with what it was about.
type Error struct {
	// Op is the operation: "produce", "commit", "poll", "begin", ...
	Op string
	// Topic and Partition say where, when the error is about one
	// (Partition is -1 when it is about a whole topic).
	Topic     string
	Partition int32
	// Class is one of the Err* classes above, or nil.
	Class error
	// Err is the client's own error.
	Err error
}

func (e *Error) Error() string {
	where := ""
	switch {
	case e.Topic != "" && e.Partition >= 0:
		where = fmt.Sprintf(" %s[%d]", e.Topic, e.Partition)
	case e.Topic != "" && strings.HasSuffix(e.Op, "topic"): // "create topic waiter-events"
		where = " " + e.Topic
	case e.Topic != "":
		where = " topic " + e.Topic
	}
	return fmt.Sprintf("kafka: %s%s: %v", e.Op, where, e.Err)
}

// Unwrap returns the class and the client's error, so errors.Is matches
// both.
func (e *Error) Unwrap() []error {
	if e.Class == nil {
		return []error{e.Err}
	}
	return []error{e.Class, e.Err}
}
