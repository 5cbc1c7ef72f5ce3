package tonga

import "github.com/tonga-go/tonga/runtime/avrobin"

// ResultError is the error a Tonga result carries when its command failed:
// the record {label: string, message: ["string", "null"]} of the result's
// error field. Every generated result type shares it.
type ResultError struct {
	// Label names the kind of failure, for programs to branch on.
	Label string
	// Message gives the details, if any.
	Message *string
}

// Error returns the label and, when there is one, the message.
func (e *ResultError) Error() string {
	if e.Message == nil {
		return e.Label
	}
	return e.Label + ": " + *e.Message
}

// AppendResultError appends the Avro encoding of e's record to b.
// messageNull is the index of null in the schema's message union.
func AppendResultError(b []byte, e *ResultError, messageNull int) []byte {
	b = avrobin.AppendString(b, e.Label)
	if e.Message == nil {
		return avrobin.AppendUnionIndex(b, messageNull)
	}
	b = avrobin.AppendUnionIndex(b, 1-messageNull)
	return avrobin.AppendString(b, *e.Message)
}

// DecodeResultError decodes a result error record from r.
func DecodeResultError(r *avrobin.Reader, messageNull int) *ResultError {
	e := &ResultError{Label: r.ReadString()}
	if r.ReadUnionIndex(2) != messageNull {
		m := r.ReadString()
		e.Message = &m
	}
	return e
}
