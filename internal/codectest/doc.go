// Package codectest tests the code tongagen generates: round trips of
// every Avro type through the committed golden packages under testdata/,
// exact encodings, encoding errors, corrupt input and fuzzing of the
// generated decoders.
package codectest
