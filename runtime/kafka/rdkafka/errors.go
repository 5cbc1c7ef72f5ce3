package rdkafka

import (
	"context"
	"errors"
	"strings"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var (
	errClosed          = errors.New("rdkafka: client closed")
	errNoConsumer      = errors.New("rdkafka: the client has no group: set Config.Group (and Topics to consume)")
	errNoTransaction   = errors.New("rdkafka: the client is not transactional: set Config.TransactionalID")
	errInvalidArgument = errors.New("rdkafka: invalid argument")
)

// wrap makes err a *kafka.Error of op about topic and partition (-1 for
// the whole topic), classified from librdkafka's own signals. A nil err
// stays nil.
func wrap(op, topic string, partition int32, err error) error {
	if err == nil {
		return nil
	}
	var ke *kafka.Error
	if errors.As(err, &ke) {
		return err
	}
	return &kafka.Error{Op: op, Topic: topic, Partition: partition, Class: classify(err), Err: err}
}

// classify maps a librdkafka error to one of kafka's classes, or nil.
func classify(err error) error {
	if errors.Is(err, ErrInvalidConfig) {
		return kafka.ErrFatal
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return kafka.ErrRetriable
	}
	var ke ckafka.Error
	if !errors.As(err, &ke) {
		return nil
	}
	if class := classifyCode(ke); class != nil {
		return class
	}
	switch {
	case ke.IsFatal():
		return kafka.ErrFatal
	case ke.TxnRequiresAbort():
		return kafka.ErrAbortable
	case ke.IsRetriable(), ke.IsTimeout():
		return kafka.ErrRetriable
	}
	return nil
}

func classifyCode(ke ckafka.Error) error {
	switch ke.Code() {
	case ckafka.ErrFenced, ckafka.ErrProducerFenced, ckafka.ErrInvalidProducerEpoch:
		return kafka.ErrFenced
	case ckafka.ErrTopicAuthorizationFailed, ckafka.ErrGroupAuthorizationFailed,
		ckafka.ErrTransactionalIDAuthorizationFailed, ckafka.ErrClusterAuthorizationFailed:
		return kafka.ErrAuthorization
	case ckafka.ErrAuthentication, ckafka.ErrSaslAuthenticationFailed:
		return kafka.ErrFatal
	case ckafka.ErrUnknownTopicOrPart, ckafka.ErrUnknownTopic:
		return kafka.ErrUnknownTopic
	}
	// The transaction API reports an earlier failure under another code
	// (a state error, a fatal one) with the cause only in its text.
	if isFencedText(ke.Error()) {
		return kafka.ErrFenced
	}
	if ke.Code() == ckafka.ErrFatal {
		return kafka.ErrFatal
	}
	return nil
}

// fencedTexts are librdkafka's descriptions of ErrFenced,
// ErrProducerFenced and ErrInvalidProducerEpoch.
var fencedTexts = []string{
	"fenced by a newer instance",
	"newer producer with the same transactionalId",
	"operation with an old epoch",
}

func isFencedText(msg string) bool {
	for _, t := range fencedTexts {
		if strings.Contains(msg, t) {
			return true
		}
	}
	return false
}

// isAuthentication tells whether e reports a failed authentication:
// by its code, or, when the broker closed the connection instead of
// answering (as kfake does), by librdkafka's text.
func isAuthentication(e ckafka.Error) bool {
	switch e.Code() {
	case ckafka.ErrAuthentication, ckafka.ErrSaslAuthenticationFailed:
		return true
	}
	return strings.Contains(e.Error(), "SASL authentication error")
}

// topicIn returns the first of topics named in err's message, or "":
// librdkafka's consumer error events carry no topic field, only text.
func topicIn(err error, topics []string) string {
	if len(topics) == 1 {
		return topics[0]
	}
	msg := err.Error()
	for _, t := range topics {
		if strings.Contains(msg, t) {
			return t
		}
	}
	return ""
}
