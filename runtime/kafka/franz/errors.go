package franz

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// ErrInvalidConfig is wrapped by the error [New] returns for a
// [kafka.Config] it cannot honour.
var ErrInvalidConfig = errors.New("franz: invalid config")

// errNotTransactional is returned by the transaction methods of a client
// without a transactional id.
var errNotTransactional = errors.New("franz: the client has no TransactionalID")

// classify maps an error of franz-go (a kerr code, a kgo error, a network
// error) to one of the kafka error classes, or nil.
func classify(err error) error {
	var ke *kerr.Error
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil
	case errors.Is(err, kerr.ProducerFenced), errors.Is(err, kerr.InvalidProducerEpoch):
		return kafka.ErrFenced
	case errors.Is(err, kerr.TopicAuthorizationFailed), errors.Is(err, kerr.GroupAuthorizationFailed),
		errors.Is(err, kerr.TransactionalIDAuthorizationFailed), errors.Is(err, kerr.ClusterAuthorizationFailed):
		return kafka.ErrAuthorization
	case errors.Is(err, kerr.SaslAuthenticationFailed), errors.Is(err, kerr.UnsupportedSaslMechanism),
		errors.Is(err, kerr.IllegalSaslState), errors.Is(err, kgo.ErrClientClosed),
		errors.Is(err, kerr.InvalidTxnState):
		return kafka.ErrFatal
	case errors.Is(err, kerr.UnknownTopicOrPartition), errors.Is(err, kerr.UnknownTopicID):
		return kafka.ErrUnknownTopic
	case errors.Is(err, kerr.TransactionAbortable), errors.Is(err, kerr.OperationNotAttempted),
		errors.Is(err, kerr.UnknownProducerID), errors.Is(err, kerr.InvalidProducerIDMapping),
		errors.Is(err, kgo.ErrAborting):
		return kafka.ErrAbortable
	case errors.As(err, &ke):
		if ke.Retriable {
			return kafka.ErrRetriable
		}
		return nil
	case errors.Is(err, kgo.ErrRecordTimeout), errors.Is(err, kgo.ErrRecordRetries),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), isNetError(err):
		return kafka.ErrRetriable
	}
	return nil
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

// newError wraps err as a *kafka.Error of op, classified; partition is -1
// for an error about a whole topic or about none.
func newError(op, topic string, partition int32, err error) error {
	if err == nil {
		return nil
	}
	var ke *kafka.Error
	if errors.As(err, &ke) && ke.Op == op {
		return err
	}
	return &kafka.Error{Op: op, Topic: topic, Partition: partition, Class: classify(err), Err: err}
}

// txnError is newError for an error inside a transaction: one that is not
// fencing, authorization or fatal means the transaction must be aborted.
func txnError(op, topic string, partition int32, err error) error {
	class := classify(err)
	switch {
	case errors.Is(class, kafka.ErrFenced), errors.Is(class, kafka.ErrAuthorization), errors.Is(class, kafka.ErrFatal):
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
	default:
		class = kafka.ErrAbortable
	}
	return &kafka.Error{Op: op, Topic: topic, Partition: partition, Class: class, Err: err}
}

// errorf returns a *kafka.Error of op with the given class and message.
func errorf(op string, class error, format string, args ...any) error {
	return &kafka.Error{Op: op, Partition: -1, Class: class, Err: fmt.Errorf(format, args...)}
}
